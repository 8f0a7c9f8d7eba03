-- hop_moving_average.sql: "moving average over the last minute, every 10 seconds".
-- HOP(s, ts, slide 10 s, size 1 min): windows [start, start + 60 s) with start aligned to a
-- multiple of 10 s since the Unix epoch. An event at t belongs to the 6 windows whose start
-- is in (t - 60 s, t]. Watermark delay 5 s; the view is windowed, so its default mode is APPEND.
-- All times are on 2026-01-01; "M:SS" means 00:0M:SS.
-- Each of the four INSERTs changes the result table, so they are epochs 1..4.

CREATE STREAM temps (sensor TEXT, val DOUBLE, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '5' SECOND);

CREATE VIEW temp_avg AS
    SELECT sensor, window_start, window_end, count(*) AS n, avg(val) AS avg_val
    FROM HOP(temps, ts, INTERVAL '10' SECOND, INTERVAL '1' MINUTE)
    GROUP BY sensor, window_start, window_end;

-- Epoch 1: one event at 1:05 lands in the 6 windows starting 0:10, 0:20, 0:30, 0:40, 0:50, 1:00.
-- Watermark 1:00: the earliest of them ends at 1:10, so none has closed yet.
INSERT INTO temps VALUES ('a', 10, TIMESTAMP '2026-01-01 00:01:05');
SELECT window_start, window_end, n, avg_val FROM temp_avg ORDER BY window_start;

-- b@1:15 -> windows 0:20 .. 1:10;  a@1:25 -> windows 0:30 .. 1:20.
-- Watermark 1:20 closes the windows ending at or before 1:20 (epoch 2):
--   a [0:10,1:10) = {10} -> 10;  a [0:20,1:20) = {10} -> 10;  b [0:20,1:20) = {5} -> 5.
INSERT INTO temps VALUES ('b', 5, TIMESTAMP '2026-01-01 00:01:15'), ('a', 20, TIMESTAMP '2026-01-01 00:01:25');

-- a@1:55 -> windows 1:00 .. 1:50. Watermark 1:50 closes windows starting 0:30, 0:40, 0:50
-- (epoch 3): a = {10, 20} -> 15 each; b = {5} -> 5 each.
INSERT INTO temps VALUES ('a', 60, TIMESTAMP '2026-01-01 00:01:55');

-- The whole moving average of sensor a so far (closed and open windows):
--   0:10 {10}=10  0:20 {10}=10  0:30 0:40 0:50 {10,20}=15  1:00 {10,20,60}=30
--   1:10 1:20 {20,60}=40  1:30 1:40 1:50 {60}=60
SELECT window_start, window_end, n, avg_val FROM temp_avg WHERE sensor = 'a' ORDER BY window_start;

-- An event at 5:00 moves the watermark to 4:55 and closes every remaining window of a and b
-- (epoch 4); the six windows of z itself stay open.
INSERT INTO temps VALUES ('z', 0, TIMESTAMP '2026-01-01 00:05:00');

-- The append changelog of sensor a: 11 windows, each exactly once, in the epoch it closed.
SUBSCRIBE temp_avg WHERE sensor = 'a' FROM EPOCH 1 LIMIT 11;

-- Every window of b (all closed), and the six open windows of z (4:10 .. 5:00).
SELECT sensor, window_start, n, avg_val FROM temp_avg WHERE sensor = 'b' ORDER BY window_start;
SELECT window_start, window_end, n FROM temp_avg WHERE sensor = 'z' ORDER BY window_start;
