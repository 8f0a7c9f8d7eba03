-- moving_average.sql — "average CPU load over the last minute, every 10 seconds".
--
-- Run:  sluice -f moving_average.sql      (against a fresh sluiced)
--
-- HOP(stream, ts, slide, size) makes overlapping windows: each is `size` long and a new
-- one starts every `slide`. With slide 10 s and size 1 min, every event falls into 6
-- windows, and the row of window [t - 60 s, t) is the moving average as of time t.
-- Windows are aligned to the Unix epoch: they start at :00, :10, :20, ...

CREATE STREAM cpu (host TEXT, load DOUBLE, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '5' SECOND);

CREATE VIEW cpu_1m AS
    SELECT host, window_start, window_end, count(*) AS samples, avg(load) AS avg_load, max(load) AS peak
    FROM HOP(cpu, ts, INTERVAL '10' SECOND, INTERVAL '1' MINUTE)
    GROUP BY host, window_start, window_end;

-- One sample every 20 s for web1 (loads 1, 2, 3, 4, 5, 6 from 12:00:05 to 12:01:45);
-- db1 reports once.
INSERT INTO cpu VALUES
    ('web1', 1.0, TIMESTAMP '2026-04-01 12:00:05'),
    ('web1', 2.0, TIMESTAMP '2026-04-01 12:00:25'),
    ('web1', 3.0, TIMESTAMP '2026-04-01 12:00:45'),
    ('db1',  9.0, TIMESTAMP '2026-04-01 12:00:50'),
    ('web1', 4.0, TIMESTAMP '2026-04-01 12:01:05'),
    ('web1', 5.0, TIMESTAMP '2026-04-01 12:01:25'),
    ('web1', 6.0, TIMESTAMP '2026-04-01 12:01:45');

-- The moving average of web1. The window ending at 12:01:10 covers 12:00:10-12:01:10:
-- loads 2, 3, 4 -> 3. The watermark is 12:01:40, so windows ending at or before it are
-- final; later ones are still filling.
SELECT window_end, samples, avg_load, peak FROM cpu_1m WHERE host = 'web1' ORDER BY window_end;

-- The 6 windows that contain db1's single sample at 12:00:50.
SELECT window_start, window_end, avg_load FROM cpu_1m WHERE host = 'db1' ORDER BY window_start;

-- The final rows (EMIT APPEND), each once, as a subscriber replaying from epoch 1 sees
-- them: every window of web1 that ended by the watermark.
SUBSCRIBE cpu_1m WHERE host = 'web1' FROM EPOCH 1 LIMIT 10;
