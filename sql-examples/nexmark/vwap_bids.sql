-- vwap_bids.sql — a VWAP-style summary of the bids per auction per 10 s window
-- (bench/queries/vwap.sql).
--
-- Run:  sluice -f vwap_bids.sql      (against a fresh sluiced)
--
-- Concepts: several aggregates over one group; bids have no quantity, so each bid is one
-- unit and the volume-weighted average price is sum(price) / count(*).
CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel TEXT, url TEXT, date_time TIMESTAMP, extra TEXT, WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND);

CREATE VIEW vwap AS
  SELECT auction, window_start, window_end, count(*) AS n, sum(price) AS volume,
         sum(price * 1.0) / count(*) AS vwap, min(price) AS lo, max(price) AS hi
  FROM TUMBLE(bid, date_time, INTERVAL '10' SECOND)
  GROUP BY auction, window_start, window_end
  EMIT APPEND;

INSERT INTO bid VALUES
    (1000, 1001, 1000, 'Google', 'u', TIMESTAMP '2024-01-01 00:00:01', 'x'),
    (1000, 1002, 2000, 'Apple', 'u', TIMESTAMP '2024-01-01 00:00:02', 'x'),
    (1000, 1003, 4000, 'Baidu', 'u', TIMESTAMP '2024-01-01 00:00:03', 'x'),
    (1002, 1001, 250, 'Google', 'u', TIMESTAMP '2024-01-01 00:00:06', 'x'),
    (1002, 1004, 750, 'Google', 'u', TIMESTAMP '2024-01-01 00:00:16', 'x');

-- auction 1000: n 3, volume 7000, vwap 2333.33..., lo 1000, hi 4000; the window closed
-- when 00:00:16 moved the watermark to 00:00:12.
SELECT * FROM vwap ORDER BY window_start, auction;
