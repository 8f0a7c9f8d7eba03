-- q1_projection.sql — Nexmark q1: every bid with its price in euros, price * 0.908
-- (bench/queries/q1.sql).
--
-- Run:  sluice -f q1_projection.sql      (against a fresh sluiced)
--
-- Concepts: an expression per row; BIGINT * DOUBLE is DOUBLE.
CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel TEXT, url TEXT, date_time TIMESTAMP, extra TEXT, WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND);

CREATE VIEW q1 AS SELECT auction, bidder, 0.908 * price AS price, date_time, extra FROM bid;

INSERT INTO bid VALUES
    (1000, 1001, 100, 'Google', 'u1', TIMESTAMP '2024-01-01 00:00:00.100', 'a'),
    (1000, 1002, 2500, 'Apple', 'u2', TIMESTAMP '2024-01-01 00:00:00.200', 'b'),
    (1004, 1003, 1000000, 'Baidu', 'u3', TIMESTAMP '2024-01-01 00:00:00.300', 'c');

-- 100 cents → 90.8, 2 500 → 2 270, 1 000 000 → 908 000
SELECT auction, bidder, price FROM q1 ORDER BY bidder;
