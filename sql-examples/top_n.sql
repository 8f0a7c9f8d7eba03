-- top_n.sql — the three best-selling products, as a whole table refreshed every batch.
--
-- Run:  sluice -f top_n.sql      (against a fresh sluiced)
--
-- EMIT COMPLETE: at every epoch the view's whole result table (after ORDER BY / LIMIT,
-- which only COMPLETE views may use) is emitted. A subscriber replaces what it shows
-- when a new epoch starts; the sluice shell does that live.

CREATE STREAM sales (product TEXT, units BIGINT, price DOUBLE);

CREATE VIEW top_products AS
    SELECT product, sum(units) AS units, sum(units * price) AS revenue
    FROM sales
    GROUP BY product
    ORDER BY units DESC, product
    LIMIT 3
    EMIT COMPLETE;

-- Epoch 1: pens 10, cups 4, hats 2.
INSERT INTO sales VALUES ('pens', 10, 1.5), ('cups', 4, 6.0), ('hats', 2, 15.0);

-- Epoch 2: bags enter with 7 units and push hats out of the top 3.
INSERT INTO sales VALUES ('bags', 7, 20.0);

-- Epoch 3: cups sell 5 more (9 in all) and overtake bags.
INSERT INTO sales VALUES ('cups', 5, 5.0);

-- The current top 3 (a pull query may re-sort it).
SELECT * FROM top_products ORDER BY units DESC, product;
SELECT product, revenue FROM top_products ORDER BY revenue DESC;

-- FROM EPOCH on a COMPLETE view: each epoch's whole table supersedes the earlier ones,
-- so even from epoch 1 a subscriber gets only the current table (epoch 3), then the live
-- tables of later epochs; LIMIT 3 (the table size) ends it here.
SUBSCRIBE top_products FROM EPOCH 1 LIMIT 3;

-- A new subscriber starts with the current table.
SUBSCRIBE top_products WITH (timeout = '300 ms');
