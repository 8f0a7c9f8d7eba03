-- errors.sql: user errors (DESIGN §5). Every error is reported with its position (the
-- LINE/caret lines) and, where there is one, a HINT; the script goes on with the next
-- statement. The SQLSTATE of each error is given in the comment before it (the shell,
-- like psql with the default VERBOSITY, does not print it).

CREATE STREAM orders (id BIGINT NOT NULL, item TEXT, qty BIGINT, price DOUBLE, ts TIMESTAMP,
    WATERMARK FOR ts AS ts - INTERVAL '1' SECOND);
CREATE VIEW order_items AS SELECT id, item, qty FROM orders;

-- 42601 syntax errors.
SELEC 1;
SELECT 1 +;
CREATE VIEW bad AS SELECT item FROM orders WHERE;
INSERT INTO orders VALUES (1, 'a', 1, 1.0, TIMESTAMP '2026-01-01 00:00:00') (2);
-- The caret points into the third line of this statement.
CREATE VIEW bad AS
    SELECT item, count(*) AS n
    FROM orders GROUP item;
-- 42601 too, as in PostgreSQL: INSERT with the wrong number of values.
INSERT INTO orders VALUES (1, 'a');
INSERT INTO orders VALUES (1, 'a', 1, 1.0, TIMESTAMP '2026-01-01 00:00:00', 99);

-- 42P01 unknown stream or view.
SELECT * FROM nosuch ORDER BY 1;
CREATE VIEW bad AS SELECT item FROM nosuch;
INSERT INTO nosuch VALUES (1);
SUBSCRIBE nosuch;
DESCRIBE nosuch;
DROP VIEW nosuch;

-- 42703 unknown column (the hint lists the columns).
CREATE VIEW bad AS SELECT item, colour FROM orders;
SELECT id FROM order_items WHERE price > 1 ORDER BY id;

-- 42804 type mismatch: WHERE / HAVING must be boolean.
CREATE VIEW bad AS SELECT item FROM orders WHERE qty + 1;
CREATE VIEW bad AS SELECT item, count(*) AS n FROM orders GROUP BY item HAVING count(*);

-- 22P02 bad literal for the column's type.
INSERT INTO orders VALUES (1, 'a', 'abc', 1.0, TIMESTAMP '2026-01-01 00:00:00');
INSERT INTO orders VALUES (1, 'a', 1, 'cheap', TIMESTAMP '2026-01-01 00:00:00');
SELECT CAST('12x' AS BIGINT) AS n;
SELECT 'maybe'::BOOLEAN AS b;

-- 22007 bad timestamp / interval.
SELECT TIMESTAMP '2026-13-01 00:00:00' AS t;
INSERT INTO orders VALUES (1, 'a', 1, 1.0, '2026-02-30 12:00:00');
SELECT INTERVAL 'soon' AS i;

-- 0A000 not supported in this mode.
-- An unwindowed aggregate never has a final row, so it cannot be EMIT APPEND.
CREATE VIEW bad AS SELECT item, count(*) AS n FROM orders GROUP BY item EMIT APPEND;
-- ORDER BY / LIMIT only with EMIT COMPLETE.
CREATE VIEW bad AS SELECT id, qty FROM orders ORDER BY qty;
CREATE VIEW bad AS SELECT item, sum(qty) AS q FROM orders GROUP BY item ORDER BY q DESC LIMIT 3 EMIT UPDATE;
-- COMPLETE needs an aggregating view.
SUBSCRIBE order_items EMIT COMPLETE;

-- 42809 wrong kind of object: a stream cannot be SELECTed (it is unbounded).
SELECT * FROM orders;
DROP VIEW orders;
DROP STREAM order_items;

-- 42803 grouping errors.
CREATE VIEW bad AS SELECT item, qty, count(*) AS n FROM orders GROUP BY item;
CREATE VIEW bad AS SELECT item FROM orders GROUP BY item HAVING qty > 1;

-- 42P07 duplicate names (streams and views share one namespace).
CREATE STREAM orders (a BIGINT);
CREATE VIEW order_items AS SELECT id FROM orders;
CREATE STREAM order_items (a BIGINT);

-- 2BP01 drop with dependents.
DROP STREAM orders;

-- 22012 division by zero; 22003 out of range.
SELECT 1 / 0 AS x;
SELECT 5 % 0 AS x;
SELECT 2.5 / 0 AS x;
SELECT 9223372036854775807 + 1 AS x;

-- 42883 unknown function or operator, or wrong argument types.
SELECT nosuchfn(1) AS x;
SELECT lower(42) AS x;
SELECT 'a' - 'b' AS x;
SELECT 1 + TRUE AS x;
CREATE VIEW bad AS SELECT id FROM orders WHERE item > 1;

-- 23502 NULL in a NOT NULL column: the whole INSERT is rejected.
INSERT INTO orders VALUES (1, 'a', 1, 1.0, TIMESTAMP '2026-01-01 00:00:00'),
                          (NULL, 'b', 1, 1.0, TIMESTAMP '2026-01-01 00:00:01');

-- 22023 invalid window parameters and options.
CREATE VIEW bad AS SELECT item, count(*) AS n FROM TUMBLE(orders, ts, INTERVAL '0' SECOND) GROUP BY item, window_start, window_end;
CREATE VIEW bad WITH (colour = 'red') AS SELECT id FROM orders;

-- None of the failed statements left anything behind: no events, one view.
SHOW orders STATUS;
SHOW VIEWS;

-- An unterminated string literal runs to the end of the script.
SELECT 'never closed AS x;
