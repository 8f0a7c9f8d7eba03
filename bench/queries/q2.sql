-- q2 — selection: the bids of one auction in 123 (Nexmark q2: auction % 123 = 0).
-- Stresses the filter: about 1 % of the bids pass (half of all bids go to the current hot
-- auction, so the exact share depends on which auction ids are hot). Run after schema.sql.
CREATE VIEW q2 AS SELECT auction, price FROM bid WHERE auction % 123 = 0;
