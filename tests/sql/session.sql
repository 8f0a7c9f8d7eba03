-- session.sql: SET / SHOW / RESET of run-time parameters, transaction statements,
-- DISCARD / DEALLOCATE, LISTEN errors and NOTIFY. Values are shown in canonical form.

SHOW server_version;
SHOW DateStyle;
SET datestyle TO 'iso, dmy';
SHOW datestyle;
SET DateStyle = 'SQL';
SET client_encoding = 'utf-8';
SHOW client_encoding;
SET client_encoding = 'LATIN1';
SET extra_float_digits = 3;
SHOW extra_float_digits;
SET extra_float_digits = 4;
SET statement_timeout = '2min';
SHOW statement_timeout;
SET statement_timeout = '1.5s';
SHOW statement_timeout;
SET statement_timeout = 'soon';
SET SESSION search_path TO "$user", public, extra;
SHOW search_path;
SET TIME ZONE 'America/New_York';
SHOW TimeZone;
RESET TIME ZONE;
SHOW timezone;
SET standard_conforming_strings = off;
SET server_version = '16';
SET no_such_thing = 1;
SHOW no_such_thing;
RESET no_such_thing;
SET myapp.mode = 'fast';
SHOW myapp.mode;
SET transaction_isolation = 'serializable';
SHOW transaction_isolation;
SET transaction_isolation = 'snapshot';
RESET ALL;
SHOW statement_timeout;
SHOW search_path;

BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;
DISCARD ALL;
COMMIT;
START TRANSACTION READ WRITE NOT DEFERRABLE;
END;
BEGIN ISOLATION LEVEL SOMETIMES;
SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;
SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ UNCOMMITTED;
SHOW default_transaction_isolation;
ROLLBACK;
ABORT;

DISCARD ALL;
DISCARD PLANS;
DISCARD EVERYTHING;
DEALLOCATE ALL;
DEALLOCATE PREPARE nothing_here;

CREATE STREAM s (x BIGINT);
LISTEN s;
LISTEN missing;
UNLISTEN s;
UNLISTEN *;
NOTIFY s, 'hello';
