-- The audit chain keyed with a secret kept outside the database: rows from
-- here on (scheme 2) carry an HMAC-SHA256 over every column and the row
-- before, and a sequence number of their own, so that a gap shows even
-- where ids jump. Rows written before (scheme 1) keep their plain hashes.
ALTER TABLE audit_log ADD COLUMN seq BIGINT;
ALTER TABLE audit_log ADD COLUMN scheme BIGINT NOT NULL DEFAULT 1;
CREATE INDEX audit_log_seq ON audit_log (seq);
