-- expressions.sql: constant SELECTs and pull queries with expressions, checked against
-- PostgreSQL semantics. Integer literals are BIGINT; decimal literals are DOUBLE PRECISION
-- (sluice has no NUMERIC), so 7.0 / 2 prints 3.5 where PostgreSQL prints 3.5000000000000000.

-- Arithmetic: integer division truncates toward zero; % takes the dividend's sign.
SELECT 1 + 2 * 3 AS a, (1 + 2) * 3 AS b, 7 / 2 AS c, -7 / 2 AS d, 7 % 3 AS e, -7 % 3 AS f, 2 - 5 AS g;
SELECT 7.0 / 2 AS a, 1 / 4.0 AS b, 0.1 + 0.2 AS c, 10 * 0.5 AS d, -(3) AS e, +4 AS f;
SELECT abs(-5) AS a, round(2.5) AS b, round(-2.5) AS c, round(3.14159, 2) AS d, floor(-1.5) AS e, ceil(1.2) AS f, sqrt(16.0) AS g, power(2, 10) AS h;

-- NULL propagates through arithmetic and comparison; IS [NOT] NULL never yields NULL.
SELECT NULL + 1 AS a, NULL = NULL AS b, NULL <> 1 AS c, NULL IS NULL AS d, 1 IS NOT NULL AS e, NULL::BIGINT * 0 AS f;

-- Three-valued AND / OR / NOT.
SELECT TRUE AND NULL AS tn, FALSE AND NULL AS fn, NULL AND NULL AS nn, TRUE OR NULL AS "t|n", FALSE OR NULL AS "f|n", NOT NULL::BOOLEAN AS notn;
SELECT NOT TRUE AS a, TRUE AND FALSE AS b, TRUE OR FALSE AS c, 1 < 2 AND 2 < 3 AS d, 1 = 1 OR 1 / 0 = 1 AS e;

-- Comparisons.
SELECT 1 < 2 AS a, 2 <= 2 AS b, 3 > 4 AS c, 'abc' < 'abd' AS d, 'b' > 'abc' AS e, 1 = 1.0 AS f, 2 != 3 AS g;

-- CASE (searched and simple), COALESCE, NULLIF, GREATEST / LEAST.
SELECT CASE WHEN 1 > 2 THEN 'a' WHEN 2 > 1 THEN 'b' ELSE 'c' END AS searched,
       CASE 3 WHEN 1 THEN 'one' WHEN 3 THEN 'three' END AS simple,
       CASE WHEN NULL THEN 'x' ELSE 'else' END AS null_cond,
       CASE 5 WHEN 1 THEN 'one' END AS no_match;
SELECT COALESCE(NULL, NULL, 3, 4) AS a, COALESCE(NULL, 'x') AS b, NULLIF(5, 5) AS c, NULLIF(5, 6) AS d, GREATEST(3, 9, 1) AS e, LEAST(3, 9, 1) AS f;

-- IN with NULL: true if found, NULL (not false) if not found and a NULL is in the list.
SELECT 1 IN (1, 2) AS a, 3 IN (1, 2) AS b, 1 IN (1, NULL) AS c, 3 IN (1, NULL) AS d, 3 NOT IN (1, NULL) AS e, NULL IN (1) AS f, 3 NOT IN (1, 2) AS g;

-- BETWEEN is inclusive on both ends.
SELECT 5 BETWEEN 1 AND 5 AS a, 0 BETWEEN 1 AND 5 AS b, 5 NOT BETWEEN 1 AND 4 AS c, NULL BETWEEN 1 AND 2 AS d, 'm' BETWEEN 'a' AND 'z' AS e;

-- LIKE: % any run, _ one character; case-sensitive; ILIKE is not.
SELECT 'hello' LIKE 'h%' AS a, 'hello' LIKE 'h_llo' AS b, 'hello' LIKE 'H%' AS c, 'hello' NOT LIKE '%z%' AS d, 'hello' ILIKE 'H%LO' AS e, NULL LIKE 'a' AS f, '50%' LIKE '50\%' AS g;

-- Casts.
SELECT CAST('42' AS BIGINT) AS a, '3.5'::DOUBLE PRECISION AS b, 42::TEXT AS c, CAST(3.7 AS BIGINT) AS d, CAST(-3.5 AS BIGINT) AS e, 'true'::BOOLEAN AS f, 1 = 1 AS g;
SELECT CAST('2026-03-04 05:06:07' AS TIMESTAMP) AS a, TIMESTAMP '2026-03-04 05:06:07.25'::TEXT AS b, CAST(NULL AS TEXT) IS NULL AS c, ' 12 '::BIGINT AS d;

-- String functions.
SELECT lower('MiXeD') AS lo, upper('MiXeD') AS up, length('héllo') AS len, substr('streaming', 3, 4) AS sub, substr('streaming', 7) AS tail;
SELECT 'stream' || 'ing' AS cat, 'n=' || 5 AS cat_num, concat('a', NULL, 'b', 1) AS concat, 'x' || NULL AS cat_null;
SELECT split_part('a,b,c', ',', 2) AS part, split_part('a,b,c', ',', 4) AS missing, replace('a-b-c', '-', '+') AS repl, trim('  pad  ') AS trimmed, strpos('sluice', 'ic') AS pos;

-- Time: date_trunc, extract, timestamp +/- interval, timestamp - timestamp.
SELECT date_trunc('hour', TIMESTAMP '2026-05-17 13:47:29') AS h, date_trunc('minute', TIMESTAMP '2026-05-17 13:47:29') AS m, date_trunc('day', TIMESTAMP '2026-05-17 13:47:29') AS d, date_trunc('month', TIMESTAMP '2026-05-17 13:47:29') AS mon;
SELECT extract(year FROM TIMESTAMP '2026-05-17 13:47:29') AS y, extract(month FROM TIMESTAMP '2026-05-17 13:47:29') AS mon, extract(hour FROM TIMESTAMP '2026-05-17 13:47:29') AS h, extract(dow FROM TIMESTAMP '2026-05-17 13:47:29') AS dow, extract(epoch FROM TIMESTAMP '2026-01-01 00:00:00') AS ep;
SELECT TIMESTAMP '2026-01-01 00:00:00' + INTERVAL '90' SECOND AS a, TIMESTAMP '2026-01-01 00:00:00' - INTERVAL '1' SECOND AS b, TIMESTAMP '2026-01-01 00:00:00' + INTERVAL '1 hour' AS c, TIMESTAMP '2026-01-31 12:00:00' + INTERVAL '2 days' AS d;
SELECT TIMESTAMP '2026-01-01 03:00:00' - TIMESTAMP '2026-01-01 00:00:10' AS diff, INTERVAL '5' MINUTE AS i, TIMESTAMP '2026-01-01 00:00:10' > TIMESTAMP '2026-01-01 00:00:09' AS later;

-- The same expressions evaluated over the rows of a view.
CREATE STREAM people (name TEXT, age BIGINT, score DOUBLE, seen TIMESTAMP);
CREATE VIEW people_v AS SELECT * FROM people;
INSERT INTO people VALUES ('Ann', 34, 7.5, TIMESTAMP '2026-02-01 08:15:00'),
                          ('bob', NULL, 3.25, TIMESTAMP '2026-02-01 09:45:30'),
                          ('Cyd', 19, NULL, NULL);
SELECT name, age + 1 AS next_age, COALESCE(score, 0) * 2 AS dbl, CASE WHEN age >= 21 THEN 'adult' WHEN age IS NULL THEN 'unknown' ELSE 'young' END AS grp, upper(name) AS up, date_trunc('hour', seen) AS hr
FROM people_v ORDER BY name;
SELECT name FROM people_v WHERE age IN (19, NULL) OR score BETWEEN 3 AND 4 ORDER BY name;
SELECT name FROM people_v WHERE NOT (age > 20) ORDER BY name;
SELECT name, age FROM people_v ORDER BY age DESC, name;
SELECT name, age FROM people_v ORDER BY age ASC NULLS FIRST, name LIMIT 2;
