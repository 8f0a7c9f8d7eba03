-- q1 — projection: every bid with its price converted to euros (Nexmark q1: price * 0.908).
-- Stresses expression evaluation on every row (BIGINT * DOUBLE → DOUBLE). Run after schema.sql.
CREATE VIEW q1 AS SELECT auction, bidder, 0.908 * price AS price, date_time, extra FROM bid;
