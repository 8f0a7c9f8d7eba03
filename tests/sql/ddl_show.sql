-- ddl_show.sql: the catalog. SHOW STREAMS / VIEWS / QUERIES, DESCRIBE, EXPLAIN,
-- IF [NOT] EXISTS (a NOTICE instead of an error), DROP ... CASCADE.

SHOW STREAMS;
SHOW VIEWS;

CREATE STREAM bids (auction BIGINT, bidder BIGINT, price BIGINT, ts TIMESTAMP,
    WATERMARK FOR ts AS ts - INTERVAL '5' SECOND);
CREATE STREAM IF NOT EXISTS bids (x BIGINT);
CREATE STREAM Ticks (Sym TEXT, "Price" DOUBLE);

-- Identifiers fold to lower case unless double-quoted.
DESCRIBE ticks;
DESCRIBE bids;

CREATE VIEW hot_items AS
    SELECT auction, window_start, window_end, count(*) AS n, max(price) AS top
    FROM HOP(bids, ts, INTERVAL '10' SECOND, INTERVAL '1' MINUTE)
    GROUP BY auction, window_start, window_end
    EMIT UPDATE;
CREATE VIEW big_bids WITH (retention = '10 minutes') AS SELECT auction, price FROM bids WHERE price > 1000;
CREATE VIEW per_bidder AS SELECT bidder, sum(price) AS spent FROM bids GROUP BY bidder;
CREATE VIEW IF NOT EXISTS per_bidder AS SELECT bidder FROM bids;
CREATE VIEW tick_view AS SELECT sym, "Price" AS p FROM ticks;

SHOW STREAMS;
SHOW VIEWS;
SHOW QUERIES;
DESCRIBE hot_items;
DESCRIBE per_bidder;

-- EXPLAIN labels each stateful operator with what bounds its state.
EXPLAIN CREATE VIEW tumbling AS SELECT auction, window_start, window_end, count(*) AS n FROM TUMBLE(bids, ts, INTERVAL '10' SECOND) GROUP BY auction, window_start, window_end;
EXPLAIN CREATE VIEW per_auction AS SELECT auction, count(*) AS n FROM bids GROUP BY auction;
EXPLAIN SELECT auction, price FROM big_bids WHERE price > 5000 ORDER BY price DESC LIMIT 5;
-- EXPLAIN does not create anything.
SHOW VIEWS;

-- DROP: IF EXISTS, and CASCADE for a stream that views depend on.
DROP VIEW IF EXISTS nosuch;
DROP STREAM IF EXISTS nosuch;
DROP VIEW tick_view;
DROP STREAM bids;
DROP STREAM bids CASCADE;
SHOW STREAMS;
SHOW VIEWS;
DROP VIEW IF EXISTS hot_items;

-- A dropped name can be used again.
CREATE STREAM bids (auction BIGINT);
DESCRIBE bids;
