#!/usr/bin/env bash
# tests/client/psql.sh — the real psql (libpq, simple query protocol, COPY FROM STDIN)
# against sluiced.
#
# Run by tests/run_tests.sh, which provides a fresh server in SLUICE_PORT. Standalone:
#   ONLY=client/psql bash tests/run_tests.sh build
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/lib/common.sh"
: "${SLUICE_PORT:?SLUICE_PORT not set (run me through tests/run_tests.sh)}"
HOST=${SLUICE_HOST:-127.0.0.1}
T=20
PSQL=(timeout -k 2 "$T" psql -X -q -h "$HOST" -p "$SLUICE_PORT" -U sluice -d sluice)
cd "$LIB_TMP" || exit 1

check() {   # NAME EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then t_pass "$1"
    else t_fail "$1" "$(diff -u --label expected --label actual <(printf '%s\n' "$2") <(printf '%s\n' "$3"))"; fi
}

# 1. connect: psql's startup (SSLRequest -> 'N', startup, ParameterStatus) and a trivial query
out=$("${PSQL[@]}" -At -c 'SELECT 1' 2>&1)
check "connect and SELECT 1" "1" "$out"

# 2. DDL and INSERT, reported with psql's command tags
out=$("${PSQL[@]}" -e -v ON_ERROR_STOP=1 2>&1 <<'SQL'
\set QUIET off
CREATE STREAM trades (sym TEXT, price DOUBLE, qty BIGINT, ts TIMESTAMP,
                      WATERMARK FOR ts AS ts - INTERVAL '2' SECOND);
CREATE VIEW v AS
    SELECT sym, window_start, window_end, count(*) AS n, sum(qty) AS q, max(price) AS hi
    FROM TUMBLE(trades, ts, INTERVAL '10' SECOND)
    GROUP BY sym, window_start, window_end EMIT APPEND;
INSERT INTO trades VALUES ('a', 1.5, 2, '2026-01-01 00:00:01'), ('b', 2.5, 3, '2026-01-01 00:00:02');
SQL
)
rc=$?
if [ $rc = 0 ] && grep -q '^CREATE STREAM$' <<<"$out" && grep -q '^CREATE VIEW$' <<<"$out" &&
   grep -q '^INSERT 0 2$' <<<"$out"
then t_pass "CREATE STREAM, CREATE VIEW, INSERT (command tags)"
else t_fail "CREATE STREAM, CREATE VIEW, INSERT rc=$rc" "$out"; fi

# 3. COPY FROM STDIN in CSV, inline data terminated by \.
out=$("${PSQL[@]}" -v ON_ERROR_STOP=1 2>&1 <<'SQL'
\set QUIET off
COPY trades FROM STDIN (FORMAT csv);
a,3.5,4,2026-01-01 00:00:05
b,0.5,1,2026-01-01 00:00:07
"c",9.25,10,2026-01-01 00:00:09
\.
SQL
)
rc=$?
check "COPY trades FROM STDIN (FORMAT csv), inline" "COPY 3" "$out"
# ... and from psql's stdin (the way bulk loaders use it), then an event that closes window 0-10
out=$(printf 'a,1,1,2026-01-01 00:00:08\nz,1,1,2026-01-01 00:00:30\n' |
      "${PSQL[@]}" -v QUIET=off -c 'COPY trades FROM STDIN (FORMAT csv)' 2>&1)
check "COPY FROM STDIN with data on psql's stdin" "COPY 2" "$out"

# 4. a pull query on the view, checked exactly (aligned output as psql prints it)
out=$("${PSQL[@]}" -c "SELECT sym, window_start, n, q, hi FROM v WHERE window_start = TIMESTAMP '2026-01-01 00:00:00' ORDER BY sym" 2>&1)
want=' sym |    window_start     | n | q  |  hi  
-----+---------------------+---+----+------
 a   | 2026-01-01 00:00:00 | 3 |  7 |  3.5
 b   | 2026-01-01 00:00:00 | 2 |  4 |  2.5
 c   | 2026-01-01 00:00:00 | 1 | 10 | 9.25
(3 rows)'
check "pull SELECT on the APPEND view" "$want" "$out"
out=$("${PSQL[@]}" -At -F, -c "SELECT sym, n FROM v ORDER BY window_start, sym" 2>&1)
check "pull SELECT, unaligned (-At)" "$(printf 'a,3\nb,2\nc,1\nz,1')" "$out"

# 5. errors carry a SQLSTATE (VERBOSITY verbose prints it in the ERROR line), and psql exits 1
out=$("${PSQL[@]}" -v VERBOSITY=verbose -v ON_ERROR_STOP=1 -c 'SELECT nosuch FROM v' 2>&1)
rc=$?
if [ $rc = 1 ] && grep -q '^ERROR:  42703: ' <<<"$out"; then t_pass "unknown column -> ERROR 42703"
else t_fail "unknown column -> ERROR 42703 (rc=$rc)" "$out"; fi
out=$("${PSQL[@]}" -v VERBOSITY=verbose -c 'SELECT * FROM nosuch' 2>&1)
grep -q '^ERROR:  42P01: ' <<<"$out" && t_pass "unknown relation -> ERROR 42P01" ||
    t_fail "unknown relation -> ERROR 42P01" "$out"
out=$("${PSQL[@]}" -v VERBOSITY=verbose -c 'SELEC 1' 2>&1)
grep -q '^ERROR:  42601: ' <<<"$out" && t_pass "syntax error -> ERROR 42601" ||
    t_fail "syntax error -> ERROR 42601" "$out"
# a bad COPY row is an error, and the session survives it
out=$(printf 'a,notanumber,1,2026-01-01 00:00:40\n' |
      "${PSQL[@]}" -v VERBOSITY=verbose -c 'COPY trades FROM STDIN (FORMAT csv)' 2>&1)
if grep -q '^ERROR:  22P02: ' <<<"$out"; then t_pass "bad COPY row -> ERROR 22P02"
else t_fail "bad COPY row -> ERROR 22P02" "$out"; fi
out=$("${PSQL[@]}" -v VERBOSITY=verbose 2>&1 <<'SQL'
SELECT nosuch FROM v;
SELECT 2 AS still_alive;
SQL
)
grep -q '^ *2$' <<<"$out" && t_pass "session continues after an error" ||
    t_fail "session continues after an error" "$out"

# 6. catalog: SHOW STREAMS, SHOW VIEWS, SHOW trades STATUS
out=$("${PSQL[@]}" -At -F'|' -c 'SHOW STREAMS' 2>&1)
grep -q '^trades|' <<<"$out" && t_pass "SHOW STREAMS lists trades" || t_fail "SHOW STREAMS" "$out"
out=$("${PSQL[@]}" -At -F'|' -c 'SHOW VIEWS' 2>&1)
grep -q '^v|trades|APPEND|' <<<"$out" && t_pass "SHOW VIEWS lists v" || t_fail "SHOW VIEWS" "$out"
out=$("${PSQL[@]}" -At -F'|' -c 'SHOW trades STATUS' 2>&1)
if grep -q '^events|7$' <<<"$out" && grep -q '^late_events|0$' <<<"$out"
then t_pass "SHOW trades STATUS: 7 events, 0 late"
else t_fail "SHOW trades STATUS" "$out"; fi

# 7. SUBSCRIBE through psql: replay from epoch 1, ended by LIMIT
out=$("${PSQL[@]}" -At -F'|' -c 'SUBSCRIBE v FROM EPOCH 1 LIMIT 3' 2>&1)
# (which epoch closed the window depends on how epochs are counted: compare from _op on)
want='insert|a|2026-01-01 00:00:00|2026-01-01 00:00:10|3|7|3.5
insert|b|2026-01-01 00:00:00|2026-01-01 00:00:10|2|4|2.5
insert|c|2026-01-01 00:00:00|2026-01-01 00:00:10|1|10|9.25'
check "SUBSCRIBE v FROM EPOCH 1 LIMIT 3 via psql" "$want" "$(cut -s -d'|' -f2- <<<"$out" | sort)"

t_summary
