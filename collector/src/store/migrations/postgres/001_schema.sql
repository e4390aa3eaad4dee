-- The same tables as the embedded store (times in epoch milliseconds), so both answer alike.
CREATE TABLE clicks (
  id         BIGSERIAL PRIMARY KEY,
  click_id   TEXT NOT NULL UNIQUE,
  offer_id   TEXT,
  aff_id     TEXT,
  url        TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE conversions (
  id         BIGSERIAL PRIMARY KEY,
  offer_id   TEXT NOT NULL,
  click_id   TEXT,
  unique_id  TEXT,
  order_id   TEXT,
  amount     DOUBLE PRECISION,
  payout     DOUBLE PRECISION,
  revenue    DOUBLE PRECISION,
  adv1 TEXT, adv2 TEXT, adv3 TEXT, adv4 TEXT, adv5 TEXT,
  event      TEXT,
  currency   TEXT,
  status     TEXT NOT NULL CHECK (status IN ('approved', 'duplicate', 'scrubbed', 'rejected')),
  reason     TEXT,
  created_at BIGINT NOT NULL,
  forward_status   TEXT CHECK (forward_status IN ('pending', 'forwarded', 'failed')),
  forward_attempts INTEGER,
  forward_next_at  BIGINT,
  forward_error    TEXT
);
-- At most one approved row per (offer_id, unique_id), across every collector on this
-- database: a second INSERT waits for the first's transaction, then conflicts.
CREATE UNIQUE INDEX conversions_counted_once ON conversions (offer_id, unique_id) WHERE status = 'approved';
CREATE INDEX conversions_forward_due ON conversions (forward_next_at) WHERE forward_status = 'pending';
CREATE TABLE suppressions (
  kind       TEXT NOT NULL CHECK (kind IN ('click_id', 'aff_id')),
  value      TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (kind, value)
);

-- Stores a batch of judged conversions in arrival order, in the caller's transaction, and
-- returns each one's id and final status: one round trip per batch. An approved row that
-- the unique index refuses, and any row whose key an approved row already holds, is stored
-- as 'duplicate' with duplicate_reason (a format() string, %s = the counted row's id).
CREATE FUNCTION postclick_insert_conversions(batch JSONB, duplicate_reason TEXT)
RETURNS TABLE (conversion_id BIGINT, final_status TEXT, final_reason TEXT)
LANGUAGE plpgsql AS $$
DECLARE
  item JSONB;
  new_id BIGINT;
  counted BIGINT;
BEGIN
  FOR item IN SELECT e.value FROM jsonb_array_elements(batch) WITH ORDINALITY AS e(value, n) ORDER BY e.n LOOP
    new_id := NULL;
    counted := NULL;
    final_status := item->>'status';
    final_reason := item->>'reason';
    IF final_status = 'approved' THEN
      INSERT INTO conversions AS c (offer_id, click_id, unique_id, order_id, amount, payout, revenue,
        adv1, adv2, adv3, adv4, adv5, event, currency, status, reason, created_at,
        forward_status, forward_attempts, forward_next_at)
      SELECT r.offer_id, r.click_id, r.unique_id, r.order_id, r.amount, r.payout, r.revenue,
        r.adv1, r.adv2, r.adv3, r.adv4, r.adv5, r.event, r.currency, 'approved', NULL, r.created_at,
        r.forward_status, r.forward_attempts, r.forward_next_at
      FROM jsonb_populate_record(NULL::conversions, item) AS r
      ON CONFLICT (offer_id, unique_id) WHERE status = 'approved' DO NOTHING
      RETURNING c.id INTO new_id;
    END IF;
    IF new_id IS NULL AND item->>'unique_id' IS NOT NULL THEN
      SELECT c.id INTO counted FROM conversions AS c
        WHERE c.offer_id = item->>'offer_id' AND c.unique_id = item->>'unique_id' AND c.status = 'approved';
    END IF;
    IF new_id IS NULL THEN
      IF counted IS NOT NULL THEN
        final_status := 'duplicate';
        final_reason := format(duplicate_reason, counted);
      END IF;
      INSERT INTO conversions AS c (offer_id, click_id, unique_id, order_id, amount, payout, revenue,
        adv1, adv2, adv3, adv4, adv5, event, currency, status, reason, created_at)
      SELECT r.offer_id, r.click_id, r.unique_id, r.order_id, r.amount, r.payout, r.revenue,
        r.adv1, r.adv2, r.adv3, r.adv4, r.adv5, r.event, r.currency, final_status, final_reason, r.created_at
      FROM jsonb_populate_record(NULL::conversions, item) AS r
      RETURNING c.id INTO new_id;
    END IF;
    conversion_id := new_id;
    RETURN NEXT;
  END LOOP;
END
$$;
