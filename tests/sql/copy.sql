-- copy.sql: bulk ingest with COPY ... FROM STDIN, text and CSV formats.
-- In a script the data follows the COPY line and ends with a line "\.".
-- A COPY is one batch and is atomic: a bad row rejects the whole COPY, nothing of it
-- is ingested (SHOW <stream> STATUS counts events).

CREATE STREAM readings (sensor TEXT, val BIGINT, note TEXT, ts TIMESTAMP,
    WATERMARK FOR ts AS ts - INTERVAL '1' SECOND);
CREATE VIEW all_readings AS SELECT * FROM readings;
CREATE VIEW per_sensor AS
    SELECT sensor, window_start, count(*) AS n, sum(val) AS total
    FROM TUMBLE(readings, ts, INTERVAL '10' SECOND)
    GROUP BY sensor, window_start, window_end;

-- Text format: tab-separated, \N is NULL, backslash escapes (\t tab, \\ backslash).
COPY readings FROM STDIN;
a	1	plain	2026-01-01 00:00:01
b	\N	tab\there	2026-01-01 00:00:02
a	3	back\\slash	2026-01-01 00:00:03
\.

-- CSV: an unquoted empty field is NULL, a quoted one the empty string; quotes protect
-- commas and doubled quotes.
COPY readings FROM STDIN (FORMAT csv);
b,4,"has, comma",2026-01-01 00:00:04
c,,"",2026-01-01 00:00:05
c,6,"say ""hi""",2026-01-01 00:00:06
\.

SELECT sensor, val, note, note IS NULL AS note_null, ts FROM all_readings ORDER BY ts;
SHOW readings STATUS;

-- A bad value in row 2: the whole COPY is rejected, row 1 is not ingested either.
COPY readings FROM STDIN;
d	7	ok	2026-01-01 00:00:07
d	eight	bad	2026-01-01 00:00:08
\.

-- A CSV row with a missing column, and one with an extra column.
COPY readings FROM STDIN (FORMAT csv);
d,7,ok,2026-01-01 00:00:07
d,8,short
\.
COPY readings FROM STDIN (FORMAT csv);
d,9,long,2026-01-01 00:00:09,extra
\.

-- A bad timestamp.
COPY readings FROM STDIN (FORMAT csv);
d,10,x,2026-01-01 00:00:10
d,11,x,not a time
\.

-- Still 6 events in 2 batches.
SHOW readings STATUS;

-- A good COPY with a late row: :02 is below the watermark (:19 - 1 s) once :19 is in.
-- The watermark :18 closes [:00,:10).
COPY readings FROM STDIN (FORMAT csv);
a,100,,2026-01-01 00:00:19
a,200,,2026-01-01 00:00:02
\.
SELECT * FROM per_sensor ORDER BY sensor, window_start;
SHOW readings STATUS;
