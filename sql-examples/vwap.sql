-- vwap.sql — volume-weighted average price per symbol, in 10-second tumbling windows.
--
-- Run:  sluice -f vwap.sql      (against a fresh sluiced)
--
-- Concepts: a stream with an event-time WATERMARK, a TUMBLE window, WHERE before
-- aggregation, EMIT APPEND (one final row per window, emitted when the watermark passes
-- the window's end), pull queries, and replaying the view's changelog with SUBSCRIBE.

-- Trades carry their own event time. The watermark trails the largest time seen by 2 s:
-- trades may arrive up to 2 s out of order and still count.
CREATE STREAM trades (sym TEXT, price DOUBLE, qty BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '2' SECOND);

-- VWAP = sum(price * qty) / sum(qty). Zero-quantity trades (cancellations) are ignored.
CREATE VIEW vwap AS SELECT sym, window_start, window_end, count(*) AS n, sum(price*qty)/sum(qty) AS vwap, min(price) AS lo, max(price) AS hi FROM TUMBLE(trades, ts, INTERVAL '10' SECOND) WHERE qty > 0 GROUP BY sym, window_start, window_end EMIT APPEND;

-- First ten seconds of trading (epoch 1).
INSERT INTO trades VALUES
    ('IBM', 150.00, 100, TIMESTAMP '2026-03-02 09:30:00.5'),
    ('IBM', 150.50, 300, TIMESTAMP '2026-03-02 09:30:03'),
    ('XOM', 110.00, 200, TIMESTAMP '2026-03-02 09:30:04'),
    ('IBM', 151.00,   0, TIMESTAMP '2026-03-02 09:30:05'),
    ('XOM', 109.00, 200, TIMESTAMP '2026-03-02 09:30:08');

-- The windows are still open (the watermark is 09:30:06); a pull query shows them so far.
-- IBM: (150 * 100 + 150.5 * 300) / 400 = 150.375; XOM: (110 * 200 + 109 * 200) / 400 = 109.5
SELECT sym, window_start, n, vwap FROM vwap ORDER BY sym, window_start;

-- 09:30:09.5 arrives after 09:30:11 but within the 2 s delay, so it still counts in the
-- first window. Then 09:30:12 moves the watermark to 09:30:10: the first windows close
-- (epoch 2) and their rows are final.
INSERT INTO trades VALUES
    ('IBM', 152.00, 100, TIMESTAMP '2026-03-02 09:30:11'),
    ('IBM', 149.00, 100, TIMESTAMP '2026-03-02 09:30:09.5'),
    ('XOM', 111.00, 100, TIMESTAMP '2026-03-02 09:30:12');

-- IBM's first window: (15000 + 45150 + 14900) / 500 = 150.1
SELECT * FROM vwap ORDER BY sym, window_start;

-- The append changelog: every closed window once, with the epoch it closed in.
SUBSCRIBE vwap FROM EPOCH 1 LIMIT 2;

-- Ingest statistics and the stream's watermark.
SHOW trades STATUS;
