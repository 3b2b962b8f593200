#!/usr/bin/env bash
# `make run`: the worker and the web server side by side; Ctrl-C stops both cleanly.
#
# Both run in sessions of their own (setsid), so the terminal's Ctrl-C reaches only this
# script, which then asks each of them once, with SIGTERM, to finish and waits for them.
# (Before, Ctrl-C hit every process at once and `kill 0` signalled them again, and granian
# could crash with "Segmentation fault".)
set -u
BIN=${BIN:-.venv/bin}
PORT=${PORT:-8000}
mkdir -p var

setsid "$BIN/standing" worker >>var/worker.log 2>&1 &
worker=$!
PORT=$PORT setsid "$BIN/standing" serve >>var/server.log 2>&1 &
server=$!

stop() {
  trap - INT TERM
  echo
  echo "Stopping the server and the worker …"
  kill -TERM "$server" "$worker" 2>/dev/null
  for _ in $(seq 1 100); do
    kill -0 "$server" 2>/dev/null || kill -0 "$worker" 2>/dev/null || break
    sleep 0.1
  done
  # Whatever did not finish within ten seconds is stopped for good.
  kill -KILL -- "-$server" "-$worker" 2>/dev/null
  wait 2>/dev/null
  echo "Standing stopped."
  exit 0
}
trap stop INT TERM

# Until the server is up, then until one of the two ends (Ctrl-C lands in stop()).
for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
  kill -0 "$server" 2>/dev/null || { echo "The server did not start; see var/server.log:" >&2; tail -n 20 var/server.log >&2; stop; }
  sleep 0.2
done
echo "Ready: http://127.0.0.1:$PORT/  (Ctrl-C stops the server and the worker)"
wait -n "$server" "$worker"
echo "The server or the worker ended; see var/server.log and var/worker.log." >&2
stop
