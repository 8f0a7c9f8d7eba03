-- modes_triggers.sql: one view read in APPEND, UPDATE and COMPLETE mode; non-aggregating
-- views; the EVERY ROW, ON DEMAND and EVERY <interval> triggers; EMIT APPEND on an
-- unwindowed aggregate is rejected.
-- All times are on 2026-01-01; ":SS" means 00:00:SS.

CREATE STREAM clicks (page TEXT, ms BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND);

-- A windowed aggregate: default mode APPEND.
CREATE VIEW per_page AS
    SELECT page, window_start, count(*) AS n, max(ms) AS slowest
    FROM TUMBLE(clicks, ts, INTERVAL '10' SECOND)
    GROUP BY page, window_start, window_end;

-- Epoch 1: [:00,:10) for home and cart, watermark :04.
INSERT INTO clicks VALUES ('home', 120, TIMESTAMP '2026-01-01 00:00:02'),
                          ('home',  80, TIMESTAMP '2026-01-01 00:00:03'),
                          ('cart', 300, TIMESTAMP '2026-01-01 00:00:05');
-- Epoch 2: watermark :11 closes [:00,:10); home [:10,:20) opens.
INSERT INTO clicks VALUES ('home', 200, TIMESTAMP '2026-01-01 00:00:12');

-- APPEND (the view's own mode): only the closed windows, each once.
SUBSCRIBE per_page FROM EPOCH 1 LIMIT 2;

-- UPDATE: the current table (closed and open windows) as upserts of the current epoch (2).
SUBSCRIBE per_page EMIT UPDATE WITH (timeout = '300 ms');

-- COMPLETE: the whole table, op 'insert'.
SUBSCRIBE per_page EMIT COMPLETE WITH (timeout = '300 ms');

-- APPEND from now on: nothing new closes before the timeout.
SUBSCRIBE per_page EMIT APPEND WITH (timeout = '300 ms');

-- A non-aggregating view: APPEND emits every new row; the pull query sees them all.
-- (This INSERT is also epoch 3 of per_page: it changes the open windows of [:10,:20).)
CREATE VIEW slow AS SELECT page, ms, ts FROM clicks WHERE ms >= 150;
INSERT INTO clicks VALUES ('cart', 150, TIMESTAMP '2026-01-01 00:00:13'),
                          ('home',  10, TIMESTAMP '2026-01-01 00:00:14'),
                          ('home', 990, TIMESTAMP '2026-01-01 00:00:14');
SELECT * FROM slow ORDER BY ts, page;
SUBSCRIBE slow FROM EPOCH 1 LIMIT 2;

-- EMIT APPEND needs a window (or no aggregation): an unwindowed aggregate is rejected.
CREATE VIEW totals_append AS SELECT page, count(*) AS n FROM clicks GROUP BY page EMIT APPEND;

-- EVERY ROW: each event is its own batch, so one 3-row INSERT makes 3 epochs.
CREATE STREAM hits (page TEXT);
CREATE VIEW hits_each AS SELECT page, count(*) AS n FROM hits GROUP BY page EMIT UPDATE EVERY ROW;
CREATE VIEW hits_batch AS SELECT page, count(*) AS n FROM hits GROUP BY page EMIT UPDATE;
INSERT INTO hits VALUES ('a'), ('a'), ('a');
SUBSCRIBE hits_each FROM EPOCH 1 LIMIT 3;
-- The default trigger: one epoch per INSERT.
SUBSCRIBE hits_batch FROM EPOCH 1 LIMIT 1;

-- ON DEMAND: the view changes only on REFRESH VIEW.
CREATE VIEW hits_manual AS SELECT page, count(*) AS n FROM hits GROUP BY page EMIT UPDATE ON DEMAND;
-- Events that arrived before the view existed are not part of it (views read from their
-- creation on). Nothing has been refreshed yet, so the result table is still empty.
INSERT INTO hits VALUES ('b'), ('a');
SELECT * FROM hits_manual ORDER BY page;
-- Epoch 1.
REFRESH VIEW hits_manual;
SELECT * FROM hits_manual ORDER BY page;
-- Until the next REFRESH the pull query still sees epoch 1 (b = 1).
INSERT INTO hits VALUES ('b');
SELECT * FROM hits_manual ORDER BY page;
-- Epoch 2: b = 2.
REFRESH VIEW hits_manual;
-- Nothing new: no epoch.
REFRESH VIEW hits_manual;
SELECT * FROM hits_manual ORDER BY page;
SUBSCRIBE hits_manual FROM EPOCH 1 LIMIT 3;
-- REFRESH VIEW of a view with another trigger: nothing is pending, so no epoch.
REFRESH VIEW hits_each;

-- EVERY <interval> is a processing-time trigger; only its definition is shown here.
CREATE VIEW hits_timed AS SELECT page, count(*) AS n FROM hits GROUP BY page EMIT UPDATE EVERY INTERVAL '2' SECOND;
SHOW VIEWS;
