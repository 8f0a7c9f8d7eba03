-- late_events.sql: late events, the watermark boundary, and batch independence.
-- Both streams have a 5-second watermark delay. An event is late iff its time is below
-- (max event time of all earlier events of the stream) - delay; late events are dropped,
-- counted in SHOW <stream> STATUS, and reported by a NOTICE on the INSERT.
-- A window [start, end) closes when the watermark reaches end (watermark >= end): no
-- event below the watermark can be accepted any more, so the window is final.
-- Values are powers of two, so each sum shows exactly which events were counted.
-- All times are on 2026-01-01; ":SS" means 00:00:SS.

CREATE STREAM s1 (k TEXT, v BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '5' SECOND);
CREATE STREAM s2 (k TEXT, v BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '5' SECOND);

CREATE VIEW w1 AS SELECT k, window_start, window_end, count(*) AS n, sum(v) AS total
    FROM TUMBLE(s1, ts, INTERVAL '10' SECOND) GROUP BY k, window_start, window_end EMIT APPEND;
CREATE VIEW w2 AS SELECT k, window_start, window_end, count(*) AS n, sum(v) AS total
    FROM TUMBLE(s2, ts, INTERVAL '10' SECOND) GROUP BY k, window_start, window_end EMIT APPEND;

-- The same nine events go into s1 in one INSERT and into s2 one INSERT at a time.
--   e1   1 :01
--   e2   2 :12   watermark :07
--   e3   4 :07   == watermark: NOT late, counts in [:00,:10)
--   e4   8 :06   < :07: late
--   e5  16 :15   watermark :10: [:00,:10) closes (watermark == window_end)
--   e6  32 :10   == watermark: NOT late, counts in [:10,:20)
--   e7  64 :09   < :10: late (its window is already closed)
--   e8 128 :25   watermark :20: [:10,:20) closes
--   e9 256 :20   == watermark: NOT late, counts in [:20,:30)
-- Expected: [:00,:10) n 2 total 5; [:10,:20) n 3 total 50; [:20,:30) open, n 2 total 384.

INSERT INTO s1 VALUES
    ('a',   1, TIMESTAMP '2026-01-01 00:00:01'),
    ('a',   2, TIMESTAMP '2026-01-01 00:00:12'),
    ('a',   4, TIMESTAMP '2026-01-01 00:00:07'),
    ('a',   8, TIMESTAMP '2026-01-01 00:00:06'),
    ('a',  16, TIMESTAMP '2026-01-01 00:00:15'),
    ('a',  32, TIMESTAMP '2026-01-01 00:00:10'),
    ('a',  64, TIMESTAMP '2026-01-01 00:00:09'),
    ('a', 128, TIMESTAMP '2026-01-01 00:00:25'),
    ('a', 256, TIMESTAMP '2026-01-01 00:00:20');

-- s2, event by event. Epochs of w2: e1 1, e2 2, e3 3; e4 is dropped and changes nothing
-- (no epoch); e5 4; e6 5; e7 none; e8 6; e9 7.
INSERT INTO s2 VALUES ('a',   1, TIMESTAMP '2026-01-01 00:00:01');
INSERT INTO s2 VALUES ('a',   2, TIMESTAMP '2026-01-01 00:00:12');
INSERT INTO s2 VALUES ('a',   4, TIMESTAMP '2026-01-01 00:00:07');
INSERT INTO s2 VALUES ('a',   8, TIMESTAMP '2026-01-01 00:00:06');
INSERT INTO s2 VALUES ('a',  16, TIMESTAMP '2026-01-01 00:00:15');

-- The watermark is now exactly :10 and [:00,:10) has closed, in epoch 4.
SHOW s2 STATUS;
SUBSCRIBE w2 FROM EPOCH 1 LIMIT 1;

INSERT INTO s2 VALUES ('a',  32, TIMESTAMP '2026-01-01 00:00:10');
INSERT INTO s2 VALUES ('a',  64, TIMESTAMP '2026-01-01 00:00:09');
INSERT INTO s2 VALUES ('a', 128, TIMESTAMP '2026-01-01 00:00:25');
INSERT INTO s2 VALUES ('a', 256, TIMESTAMP '2026-01-01 00:00:20');

-- Same rows, however the input was batched.
SELECT * FROM w1 ORDER BY k, window_start;
SELECT * FROM w2 ORDER BY k, window_start;

-- Same final rows; w1 closed both windows in its only epoch, w2 in epochs 4 and 6.
SUBSCRIBE w1 FROM EPOCH 1 LIMIT 2;
SUBSCRIBE w2 FROM EPOCH 1 LIMIT 2;

-- 7 events accepted and 2 late in both streams; 1 batch vs 7 (the two INSERTs into s2
-- whose only event was late ingested nothing).
SHOW s1 STATUS;
SHOW s2 STATUS;
SHOW STREAMS;
