-- q2_selection.sql — Nexmark q2: the bids of auctions whose id is a multiple of 123
-- (bench/queries/q2.sql).
--
-- Run:  sluice -f q2_selection.sql      (against a fresh sluiced)
--
-- Concepts: WHERE on a non-aggregating view; the view counts what it read (rows_in) and what
-- it emitted (rows_out).
CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel TEXT, url TEXT, date_time TIMESTAMP, extra TEXT, WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND);

CREATE VIEW q2 AS SELECT auction, price FROM bid WHERE auction % 123 = 0;

-- 1107 = 9 * 123 and 1230 = 10 * 123 pass; 1000 and 1231 do not.
INSERT INTO bid VALUES
    (1000, 1001, 500, 'Google', 'u', TIMESTAMP '2024-01-01 00:00:00.100', 'x'),
    (1107, 1001, 700, 'Google', 'u', TIMESTAMP '2024-01-01 00:00:00.200', 'x'),
    (1230, 1002, 900, 'Apple', 'u', TIMESTAMP '2024-01-01 00:00:00.300', 'x'),
    (1231, 1003, 1100, 'Apple', 'u', TIMESTAMP '2024-01-01 00:00:00.400', 'x'),
    (1107, 1004, 1300, 'Baidu', 'u', TIMESTAMP '2024-01-01 00:00:00.500', 'x');

SELECT auction, price FROM q2 ORDER BY auction, price;

-- rows_in 5, rows_out 3
SHOW q2 STATUS;
