-- Times are epoch milliseconds (cheap to compare for session expiry), ISO 8601 only on the
-- way out. IF NOT EXISTS: a file made before migrations were numbered already has these.
CREATE TABLE IF NOT EXISTS clicks (
  id         INTEGER PRIMARY KEY,
  click_id   TEXT NOT NULL UNIQUE,
  offer_id   TEXT,
  aff_id     TEXT,
  url        TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS conversions (
  id         INTEGER PRIMARY KEY,
  offer_id   TEXT NOT NULL,
  click_id   TEXT,
  unique_id  TEXT,
  order_id   TEXT,
  amount     REAL,
  payout     REAL,
  revenue    REAL,
  adv1 TEXT, adv2 TEXT, adv3 TEXT, adv4 TEXT, adv5 TEXT,
  event      TEXT,
  currency   TEXT,
  status     TEXT NOT NULL CHECK (status IN ('approved', 'duplicate', 'scrubbed', 'rejected')),
  reason     TEXT,
  created_at INTEGER NOT NULL
);
-- The dedup rule lives here, not in a read-then-write: at most one *approved* row per
-- (offer_id, unique_id). Repeats are still stored, as 'duplicate', for the reports.
-- NULL unique_ids never collide, so a conversion without one is not deduplicated.
CREATE UNIQUE INDEX IF NOT EXISTS conversions_counted_once
  ON conversions (offer_id, unique_id) WHERE status = 'approved';
CREATE TABLE IF NOT EXISTS suppressions (
  kind       TEXT NOT NULL CHECK (kind IN ('click_id', 'aff_id')),
  value      TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (kind, value)
);
