-- tumble_max.sql — bids and highest price per auction per 10 s tumbling window
-- (bench/queries/tumble.sql; the windowed half of Nexmark q7).
--
-- Run:  sluice -f tumble_max.sql      (against a fresh sluiced)
--
-- Concepts: TUMBLE over the bid stream's event time, COUNT and MAX per (auction, window),
-- the 4 s watermark delay of the Nexmark DDL, a late bid, EMIT APPEND rows at window close.
CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel TEXT, url TEXT, date_time TIMESTAMP, extra TEXT, WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND);

CREATE VIEW tumble AS
  SELECT auction, window_start, window_end, count(*) AS bids, max(price) AS max_price
  FROM TUMBLE(bid, date_time, INTERVAL '10' SECOND)
  GROUP BY auction, window_start, window_end
  EMIT APPEND;

-- Window [00:00:00, 00:00:10): auction 1000 gets three bids, 1001 one.
INSERT INTO bid VALUES
    (1000, 1001, 1500, 'Google', 'u', TIMESTAMP '2024-01-01 00:00:01', 'x'),
    (1000, 1002, 4000, 'Apple', 'u', TIMESTAMP '2024-01-01 00:00:04', 'x'),
    (1001, 1003, 700, 'Baidu', 'u', TIMESTAMP '2024-01-01 00:00:05', 'x'),
    (1000, 1004, 2500, 'Google', 'u', TIMESTAMP '2024-01-01 00:00:09.999', 'x');

-- Open windows, values so far (the watermark is 00:00:05.999).
SELECT auction, window_start, bids, max_price FROM tumble ORDER BY auction, window_start;

-- 00:00:12 moves the watermark to 00:00:08: the first window is still open, so the bid at
-- 00:00:08.5 counts. 00:00:15 then moves it to 00:00:11 and closes the first window.
INSERT INTO bid VALUES
    (1001, 1001, 300, 'Google', 'u', TIMESTAMP '2024-01-01 00:00:12', 'x'),
    (1001, 1005, 9000, 'Apple', 'u', TIMESTAMP '2024-01-01 00:00:08.5', 'x'),
    (1000, 1002, 100, 'Apple', 'u', TIMESTAMP '2024-01-01 00:00:15', 'x');

-- Too late: 00:00:07 is below the watermark (00:00:11); dropped with a NOTICE.
INSERT INTO bid VALUES (1000, 1009, 99999, 'Apple', 'u', TIMESTAMP '2024-01-01 00:00:07', 'x');

SELECT * FROM tumble ORDER BY window_start, auction;

-- The append changelog: the closed window's rows, once each.
SUBSCRIBE tumble FROM EPOCH 1 LIMIT 2;
