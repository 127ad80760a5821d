#!/usr/bin/env bash
# `make demo`: the seed's Test 1 (delete, then hard refresh) against
# calendar-server for each strategy, with FullCalendar's October 2025 month
# view and with the month-aligned range the seed's sweep assumed.
set -euo pipefail
build=${1:-build}
server="$build/bin/calendar-server"
[ -x "$server" ] || { echo "demo: $server not built (run make build)" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 18080; }
item=00000000-0000-4000-8000-000000000001
fc='start=2025-09-29T00%3A00%3A00%2B08%3A00&end=2025-11-10T00%3A00%3A00%2B08%3A00'
aligned='start=2025-10-01&end=2025-10-31'
reset='{"users":[{"id":1,"username":"alice","password":"alice"},{"id":2,"username":"bob","password":"bob"}],
"items":[{"id":"'$item'","title":"Quarterly review","work_type":"task","status":"in_progress",
"start_date":"2025-10-10","due_date":"2025-10-12","parent_id":null,"owner_id":1,"assignee_ids":[],
"is_calendar_visible":true}]}'

run_case() {  # strategy range-name query
  local strategy=$1 name=$2 query=$3 port jar pid csrf shown
  port=$(free_port); jar=$(mktemp)
  "$server" --port "$port" --strategy "$strategy" --admin --clock manual --now 2025-10-05T09:00:00Z >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 50); do curl -fs -m 1 "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  base="http://127.0.0.1:$port"
  curl -fs -m 5 -X POST "$base/__admin/reset" -H 'Content-Type: application/json' -d "$reset" >/dev/null
  curl -fs -m 5 -c "$jar" -b "$jar" -X POST "$base/accounts/login/" -d 'username=alice&password=alice' >/dev/null
  csrf=$(awk '$6=="csrftoken"{print $7}' "$jar")
  curl -fs -m 5 -b "$jar" "$base/oobc-management/calendar/feed/?$query" >/dev/null   # open calendar
  curl -fs -m 5 -b "$jar" -H "X-CSRFToken: $csrf" -X DELETE "$base/oobc-management/work-items/$item/delete/" >/dev/null
  shown=$(curl -fs -m 5 -b "$jar" -H 'Cache-Control: no-cache' "$base/oobc-management/calendar/feed/?$query")
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; rm -f "$jar"
  if grep -q "$item" <<<"$shown"; then verdict="DELETED ITEM SHOWN (stale)"; else verdict="gone (fresh)"; fi
  printf '  %-10s %-20s %s\n' "$strategy" "$name" "$verdict"
}

echo "Seed Test 1: alice opens October 2025, deletes 'Quarterly review', hard-refreshes."
echo "  strategy   range                what the refresh returns"
for s in none ttl-only sweep versioned audience robust; do
  run_case "$s" fullcalendar-month "$fc"
  run_case "$s" month-aligned "$aligned"
done
