-- update_unwindowed.sql: an unwindowed aggregate in UPDATE mode (the default for it).
-- Each epoch emits only the result rows that changed, as upserts keyed by the GROUP BY
-- columns, and a delete when a row leaves the result (here: HAVING sum(amt) > 0 turns false);
-- a delete carries the key (acct) and NULL in every other column.
-- The state of an unwindowed GROUP BY grows with the number of distinct keys, so
-- CREATE VIEW warns with a NOTICE.

CREATE STREAM ledger (acct TEXT, amt BIGINT);

CREATE VIEW balances AS
    SELECT acct, count(*) AS n, sum(amt) AS total, min(amt) AS lo, max(amt) AS hi, avg(amt) AS mean
    FROM ledger
    GROUP BY acct
    HAVING sum(amt) > 0;

-- Epoch 1: x = 10 appears; y = -5 fails HAVING, so it is not in the result.
INSERT INTO ledger VALUES ('x', 10), ('y', -5);
SELECT * FROM balances ORDER BY acct;

-- Epoch 2: y = -5 + 8 = 3 > 0: HAVING turns true, y appears (n 2, mean 1.5).
INSERT INTO ledger VALUES ('y', 8);

-- Epoch 3: x = 10 - 15 = -5: HAVING turns false, x is deleted from the result.
INSERT INTO ledger VALUES ('x', -15);
SELECT * FROM balances ORDER BY acct;

-- Epoch 4: x = -5 + 20 = 15 comes back (n 3, lo -15, hi 20, mean 5);
-- y = 3 + 1 = 4 (n 3, mean 4/3).
INSERT INTO ledger VALUES ('x', 20), ('y', 1);

-- Epoch 5: z = -1 fails HAVING, so no row is emitted; but z's state changed, so this is
-- still an epoch (an empty one: it is not kept in the changelog, its number is used up).
INSERT INTO ledger VALUES ('z', -1);

-- Epoch 6: z = -1 + 2 = 1 appears.
INSERT INTO ledger VALUES ('z', 2);

SELECT * FROM balances ORDER BY acct;

-- The changelog from epoch 1: upserts and the delete, each tagged with its epoch.
SUBSCRIBE balances FROM EPOCH 1 LIMIT 6;

-- A new UPDATE subscriber first receives the current table as upserts tagged with the
-- current epoch (6); no more data arrives, so it ends at the timeout.
SUBSCRIBE balances WITH (timeout = '300 ms');

-- The same, filtered server-side.
SUBSCRIBE balances WHERE total >= 4 WITH (timeout = '300 ms');
