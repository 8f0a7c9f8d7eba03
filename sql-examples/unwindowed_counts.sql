-- unwindowed_counts.sql — running totals per key, kept up to date (EMIT UPDATE).
--
-- Run:  sluice -f unwindowed_counts.sql      (against a fresh sluiced)
--
-- An aggregate without a window never has a final row, so its mode is UPDATE: each
-- epoch carries only the rows that changed, as upserts keyed by the GROUP BY columns,
-- and a delete, keyed the same way, when a row leaves the result (here: when HAVING
-- turns false).
-- Its state grows with the number of distinct keys; CREATE VIEW says so in a NOTICE,
-- and EXPLAIN labels the aggregate "UNBOUNDED".

CREATE STREAM page_views (page TEXT, user_id BIGINT, ms BIGINT);

-- Pages with at least 2 views, with their average load time.
CREATE VIEW popular_pages AS
    SELECT page, count(*) AS views, avg(ms) AS avg_ms, max(ms) AS slowest
    FROM page_views
    GROUP BY page
    HAVING count(*) >= 2;

EXPLAIN CREATE VIEW popular_pages_plan AS
    SELECT page, count(*) AS views FROM page_views GROUP BY page;

-- Epoch 1: /home reaches 2 views; /about has only 1 and is not in the result.
INSERT INTO page_views VALUES ('/home', 1, 120), ('/about', 2, 80), ('/home', 3, 100);

-- Epoch 2: /about reaches 2; /home gets a third view.
INSERT INTO page_views VALUES ('/about', 1, 60), ('/home', 2, 170);

SELECT * FROM popular_pages ORDER BY page;

-- The changes, epoch by epoch.
SUBSCRIBE popular_pages FROM EPOCH 1 LIMIT 3;

-- A subscriber joining now first receives the current table as upserts.
SUBSCRIBE popular_pages WITH (timeout = '300 ms');

-- A signed balance goes in and out of the result: deletes.
CREATE STREAM transfers (account TEXT, amount BIGINT);
CREATE VIEW in_credit AS SELECT account, sum(amount) AS balance FROM transfers GROUP BY account HAVING sum(amount) > 0;
-- Epoch 1: acme +50.
INSERT INTO transfers VALUES ('acme', 50);
-- Epoch 2: acme -80 -> -30: deleted from the result (a delete names the row by its key,
-- account; its other columns are NULL).
INSERT INTO transfers VALUES ('acme', -80);
-- Epoch 3: acme +40 -> 10: back.
INSERT INTO transfers VALUES ('acme', 40);
SUBSCRIBE in_credit FROM EPOCH 1 LIMIT 3;
