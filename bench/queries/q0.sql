-- q0 — pass-through: every bid, unchanged (Nexmark q0: auction, bidder, price, dateTime, extra).
-- Stresses ingest and egress: a non-aggregating view emits one row per event, and its result
-- table is its retained changelog. Run after schema.sql.
CREATE VIEW q0 AS SELECT auction, bidder, price, date_time, extra FROM bid;
