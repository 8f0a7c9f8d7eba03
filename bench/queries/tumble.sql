-- tumble — a tumbling aggregate per auction: bids and highest price per 10 s window.
-- This is the windowed half of Nexmark q7 (q7 then joins the max back to the bids, and joins
-- do not exist yet). One row per (auction, window) when the watermark closes the window.
-- Run after schema.sql.
CREATE VIEW tumble AS
  SELECT auction, window_start, window_end, count(*) AS bids, max(price) AS max_price
  FROM TUMBLE(bid, date_time, INTERVAL '10' SECOND)
  GROUP BY auction, window_start, window_end
  EMIT APPEND;
