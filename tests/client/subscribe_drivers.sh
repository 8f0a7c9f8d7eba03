#!/usr/bin/env bash
# tests/client/subscribe_drivers.sh — SUBSCRIBE through plain drivers with psql:
# COPY (SUBSCRIBE ...) TO STDOUT in text and CSV, DECLARE/FETCH/CLOSE cursors over a
# subscription (rows in order, none lost, a waiting FETCH, the buffer bound), unknown
# cursors (34000), duplicate cursors (42P03), cancel of a COPY.
#
# Run by tests/run_tests.sh, which provides a fresh server in SLUICE_PORT. Standalone:
#   ONLY=client/subscribe_drivers bash tests/run_tests.sh build
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

# An append view over a stream: each inserted row is one subscribed row, in order.
TAB=$'\t'
out=$("${PSQL[@]}" -v ON_ERROR_STOP=1 2>&1 <<SQL
CREATE STREAM s (k TEXT, x BIGINT);
CREATE VIEW v AS SELECT k, x FROM s EMIT APPEND;
INSERT INTO s VALUES ('a', 1), (NULL, 2), ('tab${TAB}back\\', 3), ('q"uote,', 4), ('', 5);
INSERT INTO s VALUES ('f', 6), ('g', 7);
SQL
)
[ $? = 0 ] && t_pass "setup" || t_fail "setup" "$out"

# 1. COPY (SUBSCRIBE ...) TO STDOUT, text format: _epoch, _op, columns; \N, escapes
out=$("${PSQL[@]}" -c 'COPY (SUBSCRIBE v FROM EPOCH 1 LIMIT 5) TO STDOUT' 2>&1)
rc=$?
want="insert${TAB}a${TAB}1
insert${TAB}\\N${TAB}2
insert${TAB}tab\\tback\\\\${TAB}3
insert${TAB}q\"uote,${TAB}4
insert${TAB}${TAB}5"
check "COPY (SUBSCRIBE v FROM EPOCH 1 LIMIT 5) TO STDOUT (exit $rc)" "$want" "$(cut -s -f2- <<<"$out")"
[ $rc = 0 ] && t_pass "COPY TO STDOUT exits 0" || t_fail "COPY TO STDOUT exit status" "rc=$rc $out"

# 2. the CSV form, with a header (a tab needs no quotes in CSV; an empty string does)
out=$("${PSQL[@]}" -c 'COPY (SUBSCRIBE v FROM EPOCH 1 LIMIT 7) TO STDOUT WITH (FORMAT csv, HEADER)' 2>&1)
want='_epoch,_op,k,x
insert,a,1
insert,,2
insert,tab	back\,3
insert,"q""uote,",4
insert,"",5
insert,f,6
insert,g,7'
got=$(head -1 <<<"$out"; tail -n +2 <<<"$out" | cut -d, -f2-)
check "COPY ... TO STDOUT WITH (FORMAT csv, HEADER)" "$want" "$got"

# 4. a cursor: DECLARE, FETCH 2, FETCH 2, FETCH ALL, CLOSE; in order, nothing lost
cat > cur.sql <<'SQL'
BEGIN;
DECLARE c CURSOR FOR SUBSCRIBE v FROM EPOCH 1;
FETCH 2 FROM c;
FETCH FORWARD 2 c;
FETCH ALL FROM c;
CLOSE c;
COMMIT;
SQL
out=$("${PSQL[@]}" -At -F'|' -v ON_ERROR_STOP=1 -f cur.sql 2>&1)
rc=$?
pull=$("${PSQL[@]}" -At -F'|' -c 'SELECT k, x FROM v' 2>&1 | sort -t'|' -k2n)
check "DECLARE + FETCH 2 + FETCH 2 + FETCH ALL + CLOSE = the view's rows, in order (rc $rc)" \
      "$pull" "$(cut -d'|' -f3- <<<"$out")"
ops=$(cut -d'|' -f2 <<<"$out" | sort -u)
check "cursor rows carry _op" "insert" "$ops"

# 5. batch sizes: FETCH 2, FETCH 2, FETCH ALL (3 left), then FETCH 1 empty after its 1 s wait
out=$("${PSQL[@]}" -At -F'|' -c 'DECLARE c CURSOR FOR SUBSCRIBE v FROM EPOCH 1' \
      -c 'FETCH 2 FROM c' -c '\echo --' -c 'FETCH 2 FROM c' -c '\echo --' \
      -c 'FETCH ALL FROM c' -c '\echo --' -c 'FETCH 1 FROM c' -c '\echo --' -c 'CLOSE c' 2>&1)
counts=$(awk '/^--$/ {print n; n=0; next} {n++}' <<<"$out" | tr '\n' ' ')
check "FETCH batch sizes 2, 2, 3, 0" "2 2 3 0 " "$counts"

# 6. a waiting FETCH is completed by a row inserted meanwhile
(sleep 0.3; "${PSQL[@]}" -c "INSERT INTO s VALUES ('late', 8)" >/dev/null 2>&1) &
out=$("${PSQL[@]}" -At -F'|' -c 'DECLARE w CURSOR FOR SUBSCRIBE v WITH (timeout = '"'5 seconds'"')' \
      -c 'FETCH 10 FROM w' 2>&1)
wait
check "a FETCH waits for the next row" "insert|late|8" "$(cut -d'|' -f2- <<<"$out")"

# 7. unknown cursor: 34000; duplicate DECLARE: 42P03
out=$("${PSQL[@]}" -v VERBOSITY=verbose -c 'FETCH 1 FROM nope' 2>&1)
grep -q 'ERROR:  34000: cursor "nope" does not exist' <<<"$out" && t_pass "unknown cursor: 34000" \
    || t_fail "unknown cursor" "$out"
out=$("${PSQL[@]}" -v VERBOSITY=verbose -c 'CLOSE nope' 2>&1)
grep -q '34000' <<<"$out" && t_pass "CLOSE unknown cursor: 34000" || t_fail "CLOSE unknown" "$out"
out=$("${PSQL[@]}" -v VERBOSITY=verbose -c 'DECLARE d NO SCROLL CURSOR WITH HOLD FOR SUBSCRIBE v' \
      -c 'DECLARE d CURSOR FOR SUBSCRIBE v' 2>&1)
grep -q '42P03: cursor "d" already exists' <<<"$out" && t_pass "duplicate DECLARE: 42P03" \
    || t_fail "duplicate DECLARE" "$out"

# 8. cancel (psql sends a CancelRequest on SIGINT) ends a live COPY with 57014
out=$(timeout -s INT 1 psql -X -q -h "$HOST" -p "$SLUICE_PORT" -U sluice -d sluice \
      -v VERBOSITY=verbose -c 'COPY (SUBSCRIBE v) TO STDOUT' 2>&1)
grep -q '57014' <<<"$out" && t_pass "cancel of COPY (SUBSCRIBE v) TO STDOUT: 57014" \
    || t_fail "cancel of COPY" "$out"

# 9. a cursor nobody reads is bounded: beyond 100,000 buffered rows it fails with 54000
seq 1 100001 | sed 's/^/o\t/' > many.tsv
out=$("${PSQL[@]}" -v VERBOSITY=verbose -c 'DECLARE big CURSOR FOR SUBSCRIBE v' \
      -c '\copy s FROM many.tsv' -c 'FETCH 1 FROM big' -c 'CLOSE big' 2>&1)
grep -q '54000: cursor "big" has too many unfetched rows' <<<"$out" \
    && t_pass "cursor buffer bound: 54000" || t_fail "cursor buffer bound" "$(head -c 600 <<<"$out")"

# 10. the server is fine afterwards
out=$("${PSQL[@]}" -At -c "SELECT k, x FROM v" 2>&1 | wc -l)
check "server still answers: 8 + 100001 rows" "100009" "$out"

t_summary
