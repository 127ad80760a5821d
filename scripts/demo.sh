#!/usr/bin/env bash
# `make demo`: (1) the seed's four tests, replayed against a real calendar-server
# for every strategy, with FullCalendar's October 2025 month view and with the
# month-aligned range the seed's sweep assumed; (2) the default matrix, every
# strategy × every scenario, with its reports; (3) a short benchmark, charted in the report.
set -uo pipefail
build=${1:-build}
bin="$build/bin"
for b in calendar-server cachecheck; do
  [ -x "$bin/$b" ] || { echo "demo: $bin/$b is not built (run: make build)" >&2; exit 2; }
done

strategies="none ttl-only sweep versioned audience robust"
echo "== 1. The seed's own tests, against calendar-server over HTTP (STALE = the deleted item came back)"
printf '%-10s' strategy
for t in 1 2 3 4; do printf ' %-22s' "test$t fc-month/aligned"; done
echo
for s in $strategies; do
  log=$(mktemp)
  "$bin/calendar-server" --port 0 --strategy "$s" --admin --clock manual >"$log" 2>&1 &
  pid=$!
  port=""
  for _ in $(seq 100); do
    port=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$log")
    [ -n "$port" ] && break
    sleep 0.05
  done
  if [ -z "$port" ]; then echo "demo: calendar-server did not start: $(cat "$log")" >&2; kill "$pid" 2>/dev/null; exit 2; fi
  printf '%-10s' "$s"
  for t in 1 2 3 4; do
    cell=""
    for model in fullcalendar-month month-aligned; do
      if "$bin/cachecheck" replay "scenarios/seed/test$t-$model.json" --target "http://127.0.0.1:$port" >/dev/null 2>&1; then
        cell+="fresh"
      else
        rc=$?
        [ $rc -eq 1 ] && cell+="STALE" || cell+="error"
      fi
      [ "$model" = fullcalendar-month ] && cell+=" / "
    done
    printf ' %-22s' "$cell"
  done
  echo
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  rm -f "$log"
done
echo "   (narrated: $bin/cachecheck replay scenarios/seed/test1-fullcalendar-month.json --strategy sweep)"
echo
echo "== 2. The default matrix: every strategy × every scenario, 100 generated cases each"
"$bin/cachecheck" run --out reports/out
status=$?
echo
# What each strategy costs: a short benchmark beside the results, so that report.html also
# charts cost per write and hit rate / stale-read nines against the write ratio.
echo "== 3. A short benchmark (cost per write and per read, the mixed workload)"
"$bin/cachecheck" bench --repetitions 3 --min-time 0.01 --out reports/out >/dev/null || status=2
echo
echo "Reports: reports/out/report.html (charts), reports/out/report.md, reports/out/junit.xml, reports/out/bench.md;"
echo "  from reports/out/results.json and bench.json (re-render with: $bin/cachecheck report --out reports/out)"
echo "Minimal reproductions: reports/out/counterexamples/*.json (cachecheck replay FILE) and *.sh (curl against \$BASE)"
exit $status
