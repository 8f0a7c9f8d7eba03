#!/usr/bin/env bash
# tests/client/catalog_psql.sh — psql's describe commands against sluiced: \d, \dt, \dv,
# \d <view>, \d <stream>, \l, \dn. psql sends its own catalog queries (joins, regex
# operators, ::regclass casts, COLLATE, pg_table_is_visible ...); the catalog emulation
# (server/pgcatalog*.c) answers them. Expected output is what PostgreSQL 15 prints for
# a table and a view with the same columns (only the owner's name differs).
#
# Run by tests/run_tests.sh (fresh server in SLUICE_PORT): ONLY=client/catalog_psql
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/lib/common.sh"
: "${SLUICE_PORT:?SLUICE_PORT not set (run me through tests/run_tests.sh)}"
HOST=${SLUICE_HOST:-127.0.0.1}
PSQL=(timeout -k 2 20 psql -X -h "$HOST" -p "$SLUICE_PORT" -U sluice -d sluice)
cd "$LIB_TMP" || exit 1

check() {   # NAME EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then t_pass "$1"
    else t_fail "$1" "$(diff -u --label expected --label actual <(printf '%s\n' "$2") <(printf '%s\n' "$3"))"; fi
}

out=$("${PSQL[@]}" -q -v ON_ERROR_STOP=1 2>&1 <<'SQL'
CREATE STREAM trades (sym TEXT, price DOUBLE, qty BIGINT, ts TIMESTAMP, ok BOOLEAN, iv INTERVAL,
                      WATERMARK FOR ts AS ts - INTERVAL '2' SECOND);
CREATE VIEW vwap AS
    SELECT sym, window_start, sum(price * qty) / sum(qty) AS vwap, count(*) AS n
    FROM TUMBLE(trades, ts, INTERVAL '1' MINUTE)
    GROUP BY sym, window_start, window_end;
SQL
)
[ $? = 0 ] && t_pass "setup" || t_fail "setup" "$out"

check '\d' ' 
        List of relations
 Schema |  Name  | Type  | Owner  
--------+--------+-------+--------
 public | trades | table | sluice
 public | vwap   | view  | sluice
(2 rows)' " 
$("${PSQL[@]}" -c '\d' 2>&1)"

check '\dt' '        List of relations
 Schema |  Name  | Type  | Owner  
--------+--------+-------+--------
 public | trades | table | sluice
(1 row)' "$("${PSQL[@]}" -c '\dt' 2>&1)"

check '\dv' '       List of relations
 Schema | Name | Type | Owner  
--------+------+------+--------
 public | vwap | view | sluice
(1 row)' "$("${PSQL[@]}" -c '\dv' 2>&1)"

check '\d vwap' '                             View "public.vwap"
    Column    |            Type             | Collation | Nullable | Default 
--------------+-----------------------------+-----------+----------+---------
 sym          | text                        |           |          | 
 window_start | timestamp without time zone |           |          | 
 vwap         | double precision            |           |          | 
 n            | bigint                      |           |          | 
' "$("${PSQL[@]}" -c '\d vwap' 2>&1)
"

check '\d+ vwap' '                                          View "public.vwap"
    Column    |            Type             | Collation | Nullable | Default | Storage  | Description 
--------------+-----------------------------+-----------+----------+---------+----------+-------------
 sym          | text                        |           |          |         | extended | 
 window_start | timestamp without time zone |           |          |         | plain    | 
 vwap         | double precision            |           |          |         | plain    | 
 n            | bigint                      |           |          |         | plain    | 
View definition:
SELECT sym, window_start, sum(price * qty) / sum(qty) AS vwap, count(*) AS n
    FROM TUMBLE(trades, ts, INTERVAL '"'1'"' MINUTE)
    GROUP BY sym, window_start, window_end
' "$("${PSQL[@]}" -c '\d+ vwap' 2>&1)
"

check '\d trades' '                         Table "public.trades"
 Column |            Type             | Collation | Nullable | Default 
--------+-----------------------------+-----------+----------+---------
 sym    | text                        |           |          | 
 price  | double precision            |           |          | 
 qty    | bigint                      |           |          | 
 ts     | timestamp without time zone |           |          | 
 ok     | boolean                     |           |          | 
 iv     | interval                    |           |          | 
' "$("${PSQL[@]}" -c '\d trades' 2>&1)
"

check '\l' '                                        List of databases
  Name  | Owner  | Encoding | Collate | Ctype | ICU Locale | Locale Provider | Access privileges 
--------+--------+----------+---------+-------+------------+-----------------+-------------------
 sluice | sluice | UTF8     | C       | C     |            | libc            | 
(1 row)
' "$("${PSQL[@]}" -c '\l' 2>&1)
"

check '\dn' '      List of schemas
  Name  |       Owner       
--------+-------------------
 public | pg_database_owner
(1 row)
' "$("${PSQL[@]}" -c '\dn' 2>&1)
"

check '\d nope (no such relation)' 'Did not find any relation named "nope".' \
      "$("${PSQL[@]}" -c '\d nope' 2>&1)"

# the snapshot follows DDL: a dropped view disappears, a new stream appears
"${PSQL[@]}" -q -c 'DROP VIEW vwap' -c 'CREATE STREAM bids (id BIGINT)' >/dev/null 2>&1
check '\d after DROP VIEW / CREATE STREAM' 'public|bids|table|sluice
public|trades|table|sluice' "$("${PSQL[@]}" -At -F'|' -c '\d' 2>&1)"

# sluice SQL that merely uses catalog-like names stays sluice's: DDL and DML always, and a
# query about a sluice object (a stream called pg_tables with a column called regtype)
out=$("${PSQL[@]}" -q -At -F'|' -v ON_ERROR_STOP=1 2>&1 <<'SQL'
CREATE STREAM pg_tables (regtype TEXT, version BIGINT);
CREATE VIEW byreg AS SELECT regtype, count(*) AS n FROM pg_tables GROUP BY regtype EMIT UPDATE;
INSERT INTO pg_tables VALUES ('x', 1), ('x', 2);
SELECT regtype, n FROM byreg;
SELECT count(*) > 30 FROM pg_catalog.pg_tables;
DROP VIEW byreg;
DROP STREAM pg_tables;
SQL
)
check "catalog-like names in sluice SQL" 'x|2
t' "$(grep -v NOTICE <<<"$out")"

# catalog functions psql users type by hand, with PostgreSQL's result types
check 'version(), current_schema(), current_database(), current_user' \
      'PostgreSQL 15.0 (sluice 0.1)|public|sluice|sluice' \
      "$("${PSQL[@]}" -At -F'|' -c 'SELECT split_part(version(), '"' on '"', 1), current_schema(), current_database(), current_user' 2>&1)"

# errors are ErrorResponses with a SQLSTATE, and the connection goes on
out=$("${PSQL[@]}" -At -v VERBOSITY=verbose -c 'SELECT nosuchcol FROM pg_class' -c 'SELECT 42' 2>&1)
if grep -q '^ERROR:  42703' <<<"$out" && grep -q '^42$' <<<"$out"
then t_pass "unknown column in a catalog query: 42703, then the session goes on"
else t_fail "unknown column in a catalog query" "$out"; fi
out=$("${PSQL[@]}" -At -v VERBOSITY=verbose -c "SELECT 'nope'::regclass" 2>&1)
grep -q '^ERROR:  42P01: relation "nope" does not exist' <<<"$out" &&
    t_pass "'nope'::regclass: 42P01" || t_fail "'nope'::regclass" "$out"
out=$("${PSQL[@]}" -At -v VERBOSITY=verbose -c "SELECT 'nope'::regtype" 2>&1)
grep -q '^ERROR:  42704: type "nope" does not exist' <<<"$out" &&
    t_pass "'nope'::regtype: 42704" || t_fail "'nope'::regtype" "$out"
out=$("${PSQL[@]}" -At -v VERBOSITY=verbose -c "INSERT INTO pg_class (oid) VALUES (1)" 2>&1)
grep -q '^ERROR:  42P01' <<<"$out" && t_pass "the catalog cannot be written (INSERT INTO pg_class: 42P01)" ||
    t_fail "INSERT INTO pg_class" "$out"

t_summary
