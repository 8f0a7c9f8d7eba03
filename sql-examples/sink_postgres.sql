-- sink_postgres.sql — a complete pipeline into PostgreSQL: trades in, three result tables
-- kept exactly once in a PostgreSQL database, one per output mode.
--
-- Run:  createdb market                       (on your PostgreSQL)
--       PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres sluiced ...   then
--       sluice -f sink_postgres.sql
--
-- The sinks' conninfo below names only the database: libpq takes host, port and user from
-- sluiced's environment (PGHOST, PGPORT, PGUSER, PGPASSWORD). Write them into the conninfo
-- instead if you like ('host=db.example port=5432 dbname=market user=app password=...');
-- a password is never shown by SHOW SINKS or written to the log.
--
-- Concepts: CREATE SINK in each mode, the key, create_table, SHOW SINKS, and what lands in
-- PostgreSQL (each epoch is one transaction there, together with the sink's row in
-- sluice_sink_progress: after any crash or outage the sink resumes after that epoch).

CREATE STREAM trades (sym TEXT, price DOUBLE, qty BIGINT, ts TIMESTAMP,
                      WATERMARK FOR ts AS ts - INTERVAL '2' SECOND);

-- 10-second VWAP per symbol, kept up to date as trades arrive (UPDATE).
CREATE VIEW vwap AS
    SELECT sym, window_start, window_end, sum(price * qty) / sum(qty) AS vwap, sum(qty) AS volume
    FROM TUMBLE(trades, ts, INTERVAL '10' SECOND)
    GROUP BY sym, window_start, window_end EMIT UPDATE;

-- One-minute candles, written once each when the minute closes (APPEND).
CREATE VIEW candles AS
    SELECT sym, window_start, min(price) AS low, max(price) AS high, count(*) AS trades
    FROM TUMBLE(trades, ts, INTERVAL '1' MINUTE)
    GROUP BY sym, window_start EMIT APPEND;

-- The two most traded symbols so far (COMPLETE: the table is replaced at each epoch).
CREATE VIEW top2 AS
    SELECT sym, sum(qty) AS volume FROM trades GROUP BY sym
    ORDER BY volume DESC LIMIT 2 EMIT COMPLETE;

-- UPDATE sink: INSERT ... ON CONFLICT (sym, window_start) DO UPDATE per changed row. The key
-- defaults to the GROUP BY columns; here it is narrowed to two of them (window_end follows
-- from window_start). create_table makes vwap_10s with that primary key.
CREATE SINK vwap_pg FROM vwap
    INTO POSTGRES (conninfo 'dbname=market', table 'vwap_10s')
    EMIT UPDATE KEY (sym, window_start) WITH (create_table = true);

-- APPEND sink: each closed candle is inserted once.
CREATE SINK candles_pg FROM candles
    INTO POSTGRES (conninfo 'dbname=market', table 'candles_1m') WITH (create_table = true);

-- COMPLETE sink: the target holds the current top 2, replaced in one transaction per epoch.
CREATE SINK top2_pg FROM top2
    INTO POSTGRES (conninfo 'dbname=market', table 'top_symbols') WITH (create_table = true);

INSERT INTO trades VALUES
    ('IBM', 150.00, 100, TIMESTAMP '2026-03-02 09:30:00.5'),
    ('IBM', 150.50, 300, TIMESTAMP '2026-03-02 09:30:03'),
    ('XOM', 110.00, 200, TIMESTAMP '2026-03-02 09:30:04'),
    ('AAPL', 230.00, 50, TIMESTAMP '2026-03-02 09:30:05');

-- Later trades: the first 10-second windows close, and 09:31:05 closes the 09:30 minute.
INSERT INTO trades VALUES
    ('XOM', 109.00, 200, TIMESTAMP '2026-03-02 09:30:12'),
    ('IBM', 152.00, 100, TIMESTAMP '2026-03-02 09:31:05');

-- In PostgreSQL now (once the sinks have caught up; SHOW SINKS tells, lag_epochs = 0):
--   vwap_10s:     IBM 09:30:00 150.375 400 | XOM 09:30:00 110 200 | AAPL 09:30:00 230 50
--                 | XOM 09:30:10 109 200 | IBM 09:31:00 152 100
--   candles_1m:   AAPL 09:30 230 230 1 | IBM 09:30 150 150.5 2 | XOM 09:30 109 110 2
--   top_symbols:  IBM 500 | XOM 400
SHOW SINKS;
