-- bench/queries/schema.sql — the Nexmark streams in the sluice dialect.
-- Column order is the order of the generator's CSV (bench/nexmark.c). Times are
-- event times with millisecond precision; the watermark trails them by 4 s as in
-- the reference DDL.
CREATE STREAM person (id BIGINT, name TEXT, email_address TEXT, credit_card TEXT, city TEXT,
                      state TEXT, date_time TIMESTAMP, extra TEXT,
                      WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND);
CREATE STREAM auction (id BIGINT, item_name TEXT, description TEXT, initial_bid BIGINT,
                       reserve BIGINT, date_time TIMESTAMP, expires TIMESTAMP, seller BIGINT,
                       category BIGINT, extra TEXT,
                       WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND);
CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel TEXT, url TEXT,
                   date_time TIMESTAMP, extra TEXT,
                   WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND);
