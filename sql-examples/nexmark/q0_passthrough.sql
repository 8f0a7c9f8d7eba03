-- q0_passthrough.sql — Nexmark q0: every bid, unchanged (bench/queries/q0.sql).
--
-- Run:  sluice -f q0_passthrough.sql      (against a fresh sluiced)
--
-- Concepts: a non-aggregating view emits one row per event (EMIT APPEND), in arrival order,
-- in the epoch of the INSERT or COPY that brought it; its result table is its retained
-- changelog. The bid stream is the one of bench/queries/schema.sql.
CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel TEXT, url TEXT, date_time TIMESTAMP, extra TEXT, WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND);

CREATE VIEW q0 AS SELECT auction, bidder, price, date_time, extra FROM bid;

INSERT INTO bid VALUES
    (1000, 1001, 1500, 'Google', 'https://www.nexmark.com/a/b/c/item.htm?query=1', TIMESTAMP '2024-01-01 00:00:00.100', 'first'),
    (1000, 1002, 2200, 'Apple', 'https://www.nexmark.com/d/e/f/item.htm?query=1', TIMESTAMP '2024-01-01 00:00:00.250', 'second');

-- Each INSERT is one epoch; a late bid (below the watermark) would be dropped, not emitted.
INSERT INTO bid VALUES
    (1003, 1001, 99000, 'channel-42', 'https://www.nexmark.com/g/h/i/item.htm?query=1', TIMESTAMP '2024-01-01 00:00:03', ''),
    (1001, 1005, 123, 'Baidu', 'https://www.nexmark.com/j/k/l/item.htm?query=1', TIMESTAMP '2024-01-01 00:00:01.5', NULL);

-- The changelog, replayed: every bid once, with the epoch that carried it.
SUBSCRIBE q0 FROM EPOCH 1 LIMIT 4;

-- A pull query over the result table (the retained rows).
SELECT * FROM q0 ORDER BY date_time;
