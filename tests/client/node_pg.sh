#!/usr/bin/env bash
# tests/client/node_pg.sh — runs tests/client/node/pg_test.js with node-postgres (npm "pg",
# pinned in tests/client/node/package-lock.json): parameterised queries and LISTEN on a view.
# Installs the locked packages with `npm ci` when node_modules is missing (node and npm
# come from tools/install-deps.sh).
#
# Run by tests/run_tests.sh, which provides a fresh server in SLUICE_PORT.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
: "${SLUICE_PORT:?SLUICE_PORT not set (run me through tests/run_tests.sh)}"
DIR="$ROOT/tests/client/node"
for t in node npm; do
    command -v "$t" >/dev/null 2>&1 || { echo "FAIL $t not installed (tools/install-deps.sh)"; exit 1; }
done
if [ ! -d "$DIR/node_modules/pg" ]; then
    if ! (cd "$DIR" && timeout -k 5 240 npm ci --no-audit --no-fund --loglevel=error); then
        echo "FAIL npm ci in tests/client/node"
        exit 1
    fi
fi
cd "$DIR" || exit 1
TZ=UTC timeout -k 2 90 node pg_test.js
