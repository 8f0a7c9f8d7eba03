-- vwap.sql: the volume-weighted average price example.
-- 10-second tumbling windows per symbol, a 2-second watermark delay, EMIT APPEND:
-- a window's row is emitted once, when the watermark passes window_end.
-- Every ingest batch that changes the view's result table (open windows included) is
-- an epoch, whatever mode the view is declared with, so batches 1..4 are epochs 1..4 and
-- the append rows come out in epochs 3 and 4.
-- All times are on 2026-01-01; below ":SS" means 00:00:SS.

CREATE STREAM trades (sym TEXT, price DOUBLE, qty BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '2' SECOND);

CREATE VIEW vwap AS SELECT sym, window_start, window_end, count(*) AS n, sum(price*qty)/sum(qty) AS vwap, min(price) AS lo, max(price) AS hi FROM TUMBLE(trades, ts, INTERVAL '10' SECOND) WHERE qty > 0 GROUP BY sym, window_start, window_end EMIT APPEND;

-- Batch 1 (epoch 1): max event time :06, watermark :04. The qty = 0 row is filtered by WHERE.
INSERT INTO trades VALUES
    ('AAPL', 100.0, 10, TIMESTAMP '2026-01-01 00:00:01'),
    ('AAPL', 102.0, 30, TIMESTAMP '2026-01-01 00:00:04'),
    ('MSFT',  50.0,  0, TIMESTAMP '2026-01-01 00:00:05'),
    ('MSFT',  51.0, 20, TIMESTAMP '2026-01-01 00:00:06');

-- Batch 2 (epoch 2): :09 arrives after :10 but is within the 2 s delay (09 >= 10 - 2), so it is
-- not late and still counts in AAPL [:00, :10). The qty = 0 row at :11 is filtered,
-- but still advances the watermark: max :11, watermark :09, no window has closed.
INSERT INTO trades VALUES
    ('MSFT',  52.0, 10, TIMESTAMP '2026-01-01 00:00:10'),
    ('AAPL', 104.0, 20, TIMESTAMP '2026-01-01 00:00:09'),
    ('AAPL',  99.0,  0, TIMESTAMP '2026-01-01 00:00:11');

-- A pull query shows the open windows with their values so far:
--   AAPL [:00,:10): 3 trades, (100*10 + 102*30 + 104*20) / 60 = 6140 / 60 = 102.333...
--   MSFT [:00,:10): 1 trade at 51;  MSFT [:10,:20): 1 trade at 52.
SELECT * FROM vwap ORDER BY sym, window_start;

-- Batch 3: max :15, watermark :13 >= :10, so both [:00,:10) windows close (epoch 3).
INSERT INTO trades VALUES
    ('AAPL', 105.0, 10, TIMESTAMP '2026-01-01 00:00:15'),
    ('MSFT',  53.0, 30, TIMESTAMP '2026-01-01 00:00:14');

-- Batch 4: :05 is below the watermark :13, so it is late: dropped and counted.
-- :25 moves the watermark to :23, closing the [:10,:20) windows (epoch 4):
--   AAPL [:10,:20): 105 (the :11 trade had qty 0);
--   MSFT [:10,:20): (52*10 + 53*30) / 40 = 2110 / 40 = 52.75.
INSERT INTO trades VALUES
    ('AAPL',  90.0, 10, TIMESTAMP '2026-01-01 00:00:05'),
    ('MSFT',  54.0, 10, TIMESTAMP '2026-01-01 00:00:25');

-- Closed windows stay queryable (retention, default 1 hour); MSFT [:20,:30) is open.
SELECT * FROM vwap ORDER BY sym, window_start;
SELECT sym, n, vwap FROM vwap WHERE window_end <= TIMESTAMP '2026-01-01 00:00:20' AND sym = 'MSFT' ORDER BY window_start DESC;

-- The append changelog: each closed window exactly once, tagged with its epoch.
SUBSCRIBE vwap FROM EPOCH 1 LIMIT 4;

-- 11 events ingested in 4 batches, 1 late; watermark = :25 - 2 s.
SHOW trades STATUS;
