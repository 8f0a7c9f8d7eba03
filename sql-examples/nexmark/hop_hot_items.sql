-- hop_hot_items.sql — "hot items": bids per auction per HOP window of 10 s every 2 s
-- (bench/queries/hop.sql; the inner query of Nexmark q5).
--
-- Run:  sluice -f hop_hot_items.sql      (against a fresh sluiced)
--
-- Concepts: HOP(stream, time, slide, size): every bid falls in size / slide = 5 windows.
-- Nexmark q5 then keeps, per window, the auctions with the most bids; that step joins this
-- result with its own per-window maximum, and sluice has no joins yet.
CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel TEXT, url TEXT, date_time TIMESTAMP, extra TEXT, WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND);

CREATE VIEW hop AS
  SELECT auction, window_start, window_end, count(*) AS num
  FROM HOP(bid, date_time, INTERVAL '2' SECOND, INTERVAL '10' SECOND)
  GROUP BY auction, window_start, window_end
  EMIT APPEND;

-- A bid at 00:00:11 is in the windows starting at 00:00:02, 04, 06, 08 and 10.
INSERT INTO bid VALUES
    (1000, 1001, 100, 'Google', 'u', TIMESTAMP '2024-01-01 00:00:11', 'x'),
    (1000, 1002, 200, 'Google', 'u', TIMESTAMP '2024-01-01 00:00:12.5', 'x'),
    (1001, 1003, 300, 'Apple', 'u', TIMESTAMP '2024-01-01 00:00:13', 'x');

SELECT auction, window_start, window_end, num FROM hop ORDER BY window_start, auction;

-- 00:00:20 moves the watermark to 00:00:16: the windows ending at 12, 14 and 16 close.
INSERT INTO bid VALUES (1001, 1004, 400, 'Apple', 'u', TIMESTAMP '2024-01-01 00:00:20', 'x');

-- The hot item of each closed window would be the auction with the largest num.
SUBSCRIBE hop FROM EPOCH 1 LIMIT 5;
