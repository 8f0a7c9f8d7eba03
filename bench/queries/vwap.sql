-- vwap — a VWAP-style summary of the bids per auction per 10 s window.
-- Nexmark bids carry no quantity, so every bid is one unit: the volume-weighted average price
-- is sum(price) / count(*). The query keeps the multi-aggregate shape of
-- sql-examples/vwap.sql (count, sum, average, min, max over an expression), which costs more
-- per event than tumble.sql's two aggregates. Run after schema.sql.
CREATE VIEW vwap AS
  SELECT auction, window_start, window_end, count(*) AS n, sum(price) AS volume,
         sum(price * 1.0) / count(*) AS vwap, min(price) AS lo, max(price) AS hi
  FROM TUMBLE(bid, date_time, INTERVAL '10' SECOND)
  GROUP BY auction, window_start, window_end
  EMIT APPEND;
