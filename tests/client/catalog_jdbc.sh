#!/usr/bin/env bash
# tests/client/catalog_jdbc.sh — JDBC (Debian's libpostgresql-jdbc-java, run with Debian's
# java as a single-file source program) against sluiced: see tests/client/lib/CatalogJdbc.java.
# Twice: with the driver's defaults (unnamed statements, text) and with prepareThreshold=1
# (named server-side statements, binary results from the second execution on).
#
# Run by tests/run_tests.sh (fresh server in SLUICE_PORT): ONLY=client/catalog_jdbc
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/lib/common.sh"
: "${SLUICE_PORT:?SLUICE_PORT not set (run me through tests/run_tests.sh)}"
JAR=/usr/share/java/postgresql.jar
if ! command -v java >/dev/null 2>&1 || ! command -v javac >/dev/null 2>&1 || [ ! -f "$JAR" ]; then
    t_fail "JDBC: java (openjdk-17-jdk-headless) or $JAR (libpostgresql-jdbc-java) missing" \
           "install with: sh tools/install-deps.sh (as root)"
    t_summary; exit
fi
cd "$LIB_TMP" || exit 1
for threshold in 5 1; do
    out=$(timeout -k 5 120 java -cp "$JAR" "$ROOT/tests/client/lib/CatalogJdbc.java" "$SLUICE_PORT" \
          "$threshold" 2>&1)
    rc=$?
    if [ $rc = 0 ] && grep -q ' 0 failed$' <<<"$out"; then
        t_pass "JDBC prepareThreshold=$threshold: $(tail -1 <<<"$out")"
    else
        t_fail "JDBC prepareThreshold=$threshold (exit $rc)" "$out"
    fi
    # a fresh server state for the second run: drop what the first created
    timeout 20 psql -X -q -h "${SLUICE_HOST:-127.0.0.1}" -p "$SLUICE_PORT" -U sluice -d sluice \
        -c 'DROP VIEW vwap' -c 'DROP STREAM trades' >/dev/null 2>&1
done
t_summary
