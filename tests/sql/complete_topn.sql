-- complete_topn.sql: a top-3 view in COMPLETE mode.
-- ORDER BY and LIMIT are allowed only with EMIT COMPLETE; each epoch then carries the
-- whole result table (after ORDER BY / LIMIT), tagged 'insert'.
-- Ties on plays are broken by song, so the order is deterministic.

CREATE STREAM listens (song TEXT, secs BIGINT);

CREATE VIEW top3 AS
    SELECT song, count(*) AS plays, sum(secs) AS secs
    FROM listens
    GROUP BY song
    ORDER BY plays DESC, song
    LIMIT 3
    EMIT COMPLETE;

-- Epoch 1: a 1, b 2, c 1 -> b 2, a 1, c 1.
INSERT INTO listens VALUES ('a', 100), ('b', 200), ('b', 10), ('c', 30);

-- Epoch 2: d 3 -> d 3, b 2, a 1 (c drops out of the top 3).
INSERT INTO listens VALUES ('d', 5), ('d', 5), ('d', 5);
SELECT * FROM top3 ORDER BY plays DESC, song;

-- Epoch 3: c 1 + 2 = 3 -> c 3, d 3, b 2 (c before d on the tie).
INSERT INTO listens VALUES ('c', 40), ('c', 50);

-- A pull query reads the current result table; it may re-order and filter it.
SELECT * FROM top3 ORDER BY plays DESC, song;
SELECT song, secs FROM top3 WHERE secs > 100 ORDER BY secs;

-- FROM EPOCH on a COMPLETE view: an epoch's whole table supersedes every earlier one,
-- so there is nothing to replay but the current table (tagged with epoch 3); the
-- subscription then continues live, so LIMIT 3 (the table size) ends it.
SUBSCRIBE top3 EMIT COMPLETE FROM EPOCH 1 LIMIT 3;

-- A new COMPLETE subscriber gets the current table (epoch 3).
SUBSCRIBE top3 WITH (timeout = '300 ms');
