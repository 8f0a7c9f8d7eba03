#!/usr/bin/env bash
# tools/run.sh BUILD — `make run`: sluiced on 127.0.0.1:5460 with ./sluice-data in the
# background (log: ./sluice-data/sluiced.log), then the sluice shell in the foreground; the
# server is stopped when the shell exits. A sluiced already listening on 5460 is reused (and
# left running).
set -u
BUILD=${1:-build}
PORT=${SLUICE_RUN_PORT:-5460}
DATA=${SLUICE_RUN_DATA:-./sluice-data}
for b in sluiced sluice; do
    [ -x "$BUILD/$b" ] || { echo "run.sh: no $BUILD/$b (make BUILD=$BUILD all)" >&2; exit 1; }
done

# Is something accepting connections on the port? (bash /dev/tcp, no extra tools)
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }
# Is it a sluiced? Only sluiced answers SHOW STREAMS.
is_sluiced() { timeout 5 "$BUILD/sluice" -h 127.0.0.1 -p "$PORT" -q -c 'SHOW STREAMS' >/dev/null 2>&1; }

PID=
if port_open; then
    if is_sluiced; then
        echo "sluiced already running on 127.0.0.1:$PORT: reusing it (it keeps running after the shell)"
    else
        echo "run.sh: port $PORT is taken by something that is not sluiced" >&2; exit 1
    fi
else
    mkdir -p "$DATA"
    "$BUILD/sluiced" --port "$PORT" --listen 127.0.0.1 --data-dir "$DATA" \
        >>"$DATA/sluiced.log" 2>&1 </dev/null &
    PID=$!
    stop() {
        [ -n "$PID" ] || return
        kill -TERM "$PID" 2>/dev/null
        for _ in $(seq 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$PID" 2>/dev/null && { echo "sluiced did not stop in 10 s: SIGKILL" >&2; kill -KILL "$PID"; }
        wait "$PID" 2>/dev/null
        PID=
    }
    trap stop EXIT
    trap 'exit 130' INT TERM
    for _ in $(seq 100); do     # 10 s
        port_open && break
        kill -0 "$PID" 2>/dev/null || { echo "sluiced exited; see $DATA/sluiced.log:" >&2; tail -5 "$DATA/sluiced.log" >&2; PID=; exit 1; }
        sleep 0.1
    done
    port_open || { echo "sluiced is not accepting connections after 10 s; see $DATA/sluiced.log" >&2; exit 1; }
    echo "sluiced running on 127.0.0.1:$PORT (pid $PID, data $DATA, log $DATA/sluiced.log); it stops when the shell exits"
fi
"$BUILD/sluice" -h 127.0.0.1 -p "$PORT"
