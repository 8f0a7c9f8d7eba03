#!/usr/bin/env bash
# fuzz/make_corpus.sh — regenerate fuzz/corpus: start a sluiced from BUILD, put
# fuzz/capture.py in front of it, run psql and psycopg sessions (fuzz/sessions.py)
# through the proxy, and keep each connection's client→server bytes as one file.
#
# usage: fuzz/make_corpus.sh BUILD        (e.g. fuzz/make_corpus.sh build)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$1
OUT="$ROOT/fuzz/corpus"
TMP=$(mktemp -d)
SPORT=$((20000 + RANDOM % 10000)); PPORT=$((SPORT + 1))
"$BUILD/sluiced" --port "$SPORT" --data-dir "$TMP/data" --fsync off 2>"$TMP/server.log" &
SPID=$!
trap 'kill $SPID 2>/dev/null; kill $PPID2 2>/dev/null; rm -rf "$TMP"' EXIT
sleep 0.5
rm -f "$OUT"/psql-* "$OUT"/psycopg-*
cap() {   # PREFIX: start a proxy recording into fuzz/corpus/PREFIX-NNN
    /usr/bin/python3 "$ROOT/fuzz/capture.py" --listen "$PPORT" --server "$SPORT" --out "$OUT" \
        --prefix "$1" --seconds 60 &
    PPID2=$!
    sleep 0.5
}
uncap() { sleep 0.3; kill $PPID2; wait $PPID2 2>/dev/null || true; }

PSQL=(psql -X -q -h 127.0.0.1 -p "$PPORT" -U fuzz -d sluice -v ON_ERROR_STOP=0)
cap psql
i=0
ps() { i=$((i + 1)); "${PSQL[@]}" -f - >/dev/null 2>&1 <<SQL || true
$(sed "s/@/$i/g")
SQL
}
ps <<'SQL'
CREATE STREAM t@ (sym TEXT, price DOUBLE, qty BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '2' SECOND);
CREATE VIEW w@ AS SELECT sym, window_start, count(*) AS n, sum(price*qty)/sum(qty) AS vwap FROM TUMBLE(t@, ts, INTERVAL '10' SECOND) WHERE qty > 0 GROUP BY sym, window_start, window_end EMIT APPEND;
INSERT INTO t@ VALUES ('AAPL', 100.0, 10, TIMESTAMP '2026-01-01 00:00:01'), ('MSFT', 50.0, 0, TIMESTAMP '2026-01-01 00:00:15');
SELECT * FROM w@;
SHOW t@ STATUS;
SQL
ps <<'SQL'
CREATE STREAM r@ (sensor TEXT, val BIGINT, note TEXT, ts TIMESTAMP);
CREATE VIEW a@ AS SELECT * FROM r@;
COPY r@ FROM STDIN;
a	1	plain	2026-01-01 00:00:01
b	\N	tab\there	2026-01-01 00:00:02
\.
COPY r@ FROM STDIN (FORMAT csv);
b,4,"has, comma",2026-01-01 00:00:04
\.
SELECT sensor, val, note IS NULL FROM a@ ORDER BY ts;
COPY (SUBSCRIBE a@ FROM EPOCH 1 LIMIT 3) TO STDOUT;
SQL
ps <<'SQL'
\d
\dt
\l
SELECT 1 AS one, 'two' AS two, 3.0 AS three, true, NULL;
SELECT nosuch FROM nowhere;
SELEC 1;
SELECT 1; SELECT 2
SQL
ps <<'SQL'
CREATE STREAM s@ (k TEXT, x BIGINT);
CREATE VIEW v@ AS SELECT k, x FROM s@ EMIT APPEND;
INSERT INTO s@ VALUES ('a', 1), ('b', 2), ('c', 3);
DECLARE c CURSOR FOR SUBSCRIBE v@ FROM EPOCH 1;
FETCH 2 FROM c;
FETCH 2 FROM c;
CLOSE c;
DECLARE d CURSOR FOR SUBSCRIBE v@ WITH (timeout = '0.1 seconds');
FETCH 1 FROM d;
DROP VIEW v@;
DROP STREAM s@;
SQL
ps <<'SQL'
CREATE STREAM e@ (x BIGINT, y TEXT);
INSERT INTO e@ VALUES (1/0, 'a');
INSERT INTO e@ VALUES ('notanumber', 1);
CREATE VIEW e@ AS SELECT * FROM e@;
EXPLAIN SELECT x, count(*) FROM e@ GROUP BY x;
SQL
"${PSQL[@]}" -c "SELECT 42" >/dev/null 2>&1 || true
uncap

cap psycopg
/usr/bin/python3 "$ROOT/fuzz/sessions.py" "$PPORT" || true
uncap
# drop empty captures (a proxy connection that never sent anything)
find "$OUT" -type f -empty -delete
ls "$OUT" | wc -l
