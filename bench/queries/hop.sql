-- hop — "hot items": bids per auction per HOP window of 10 s sliding every 2 s.
-- This is the inner query of Nexmark q5 (q5 then keeps, per window, the auctions whose count
-- is the window's maximum: a join of this view with its own per-window max, which needs joins).
-- Every bid falls in 5 windows. Run after schema.sql.
CREATE VIEW hop AS
  SELECT auction, window_start, window_end, count(*) AS num
  FROM HOP(bid, date_time, INTERVAL '2' SECOND, INTERVAL '10' SECOND)
  GROUP BY auction, window_start, window_end
  EMIT APPEND;
