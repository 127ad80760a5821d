#!/usr/bin/env bash
# The soak run of issue 14 (not a CI test): calendar-soak sends REQUESTS mixed
# requests (feeds, modals, creates, deletes) from 8 clients to calendar-server
# --workers 4 --strategy robust, once on the memory cache and once on a private
# redis-server (temporary directory, free loopback port). Prints, per backend,
# the 5xx and stale reads, the server's RSS after the warm-up and at the end,
# and p50/p99/max latency. Exit 1 when either run saw a 5xx, an error or a
# stale read.
#   usage: scripts/soak.sh [BUILD_DIR] [REQUESTS]      (default build, 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
requests=${2:-1000000}
bin="$build/bin"
cmake --build "$build" --target calendar-server calendar-soak -- --no-print-directory >/dev/null

tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$tmp" --daemonize no \
  >"$tmp/redis.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done

status=0
for cache in memory "redis://127.0.0.1:$redis_port"; do
  "$bin/calendar-server" --port 0 --workers 4 --strategy robust --cache "$cache" --seed-demo >"$tmp/server.out" 2>&1 &
  server=$!
  pids+=("$server")
  port=""
  for _ in $(seq 100); do
    port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$tmp/server.out")
    [[ -n $port ]] && break
    sleep 0.1
  done
  echo "== robust, --workers 4, cache $cache: $requests requests =="
  "$bin/calendar-soak" --port "$port" --pid "$server" --requests "$requests" --clients 8 || status=1
  kill "$server"
  wait "$server" || true
done
exit $status
