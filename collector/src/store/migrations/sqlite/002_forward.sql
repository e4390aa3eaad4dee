-- The forwarding queue lives in the conversions themselves, so an approved conversion and
-- its place in the queue are committed together. forward_status is NULL for rows that are
-- not forwarded; forward_next_at is when a pending row may be tried (or a claim expires).
ALTER TABLE conversions ADD COLUMN forward_status TEXT
  CHECK (forward_status IN ('pending', 'forwarded', 'failed'));
ALTER TABLE conversions ADD COLUMN forward_attempts INTEGER;
ALTER TABLE conversions ADD COLUMN forward_next_at INTEGER;
ALTER TABLE conversions ADD COLUMN forward_error TEXT;
CREATE INDEX conversions_forward_due ON conversions (forward_next_at) WHERE forward_status = 'pending';
