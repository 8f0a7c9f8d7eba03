#!/usr/bin/env bash
# tests/client/libpq_extended.sh — builds tests/client/libpq_extended.c against libpq and
# runs it: PQprepare / PQexecPrepared with binary parameters and results.
#
# Run by tests/run_tests.sh, which provides a fresh server in SLUICE_PORT.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
: "${SLUICE_PORT:?SLUICE_PORT not set (run me through tests/run_tests.sh)}"
HOST=${SLUICE_HOST:-127.0.0.1}
tmp=$(mktemp -d /tmp/sluice-libpq.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
if ! cc -std=c11 -Wall -Werror -I/usr/include/postgresql -o "$tmp/libpq_extended" \
        "$ROOT/tests/client/libpq_extended.c" -lpq; then
    echo "FAIL build libpq_extended.c"
    exit 1
fi
timeout -k 2 30 "$tmp/libpq_extended" "host=$HOST port=$SLUICE_PORT user=sluice dbname=sluice"
