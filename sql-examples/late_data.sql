-- late_data.sql — out-of-order and late events, and when windows close.
--
-- Run:  sluice -f late_data.sql      (against a fresh sluiced)
--
-- The watermark of a stream is (largest event time seen) - (declared delay). It never
-- goes back. An event below the watermark is late: it is dropped and counted, never
-- silently lost (SHOW <stream> STATUS, and a NOTICE on the INSERT). An event that is
-- out of order but not below the watermark counts normally. A window [start, end)
-- closes, and its APPEND row is emitted, once the watermark reaches its end.
-- Lateness is decided event by event, so the result does not depend on how the events
-- were split into INSERTs.

CREATE STREAM sensor (id TEXT, temp DOUBLE, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '30' SECOND);

CREATE VIEW temp_per_minute AS
    SELECT id, window_start, window_end, count(*) AS readings, avg(temp) AS avg_temp
    FROM TUMBLE(sensor, ts, INTERVAL '1' MINUTE)
    GROUP BY id, window_start, window_end;

-- In order: watermark 08:00:20.
INSERT INTO sensor VALUES ('t1', 20.0, TIMESTAMP '2026-06-01 08:00:10'),
                          ('t1', 21.0, TIMESTAMP '2026-06-01 08:00:50');

-- 08:00:20 is 30 s behind the newest event, exactly at the watermark: not late.
-- 08:01:05 moves the watermark to 08:00:35.
INSERT INTO sensor VALUES ('t1', 22.0, TIMESTAMP '2026-06-01 08:00:20'),
                          ('t1', 30.0, TIMESTAMP '2026-06-01 08:01:05');

-- 08:00:30 is below the watermark 08:00:35: late, dropped.
INSERT INTO sensor VALUES ('t1', 99.0, TIMESTAMP '2026-06-01 08:00:30');

-- Nothing has closed yet: the 08:00 window ends at 08:01:00 and the watermark is 08:00:35.
SELECT window_start, readings, avg_temp FROM temp_per_minute ORDER BY window_start;
SHOW sensor STATUS;

-- 08:01:30 moves the watermark to exactly 08:01:00: the 08:00 window closes with
-- readings 20, 21, 22 (average 21); the late 99 is not in it. This is epoch 3: each
-- INSERT that changes the view is an epoch, and the late-only INSERT changed nothing.
INSERT INTO sensor VALUES ('t1', 31.0, TIMESTAMP '2026-06-01 08:01:30');
SUBSCRIBE temp_per_minute FROM EPOCH 1 LIMIT 1;

-- The 08:01 window is still open (readings 30, 31).
SELECT window_start, window_end, readings, avg_temp FROM temp_per_minute ORDER BY window_start;
SHOW sensor STATUS;
