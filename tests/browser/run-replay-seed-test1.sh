#!/usr/bin/env bash
# ctest BrowserReplay.SeedTest1: `cachecheck replay --browser` of the seed's Test 1 against sweep
# in real FullCalendar in Chromium: exit 1 as the model's replay, a screenshot per step, and the
# deleted 'Quarterly review' back on the month view after the hard refresh. Never skips.
set -euo pipefail
cachecheck="${1:?usage: run-replay-seed-test1.sh PATH/TO/cachecheck}"
here="$(cd "$(dirname "$0")" && pwd)"
"$here/ensure-browser.sh"
out="$(mktemp -d "${TMPDIR:-/tmp}/cachecheck-replay-browser.XXXXXX")"
trap 'rm -rf "$out"' EXIT
set +e
"$cachecheck" replay "$here/../../scenarios/seed/test1-fullcalendar-month.json" --browser --out "$out"
code=$?
set -e
[ "$code" -eq 1 ] || { echo "FAIL: exit $code, expected 1 (the model's replay shows the violation)" >&2; exit 1; }
for n in 01 02 03 04; do
  [ -s "$out/step-$n.png" ] || { echo "FAIL: no screenshot step-$n.png" >&2; exit 1; }
done
grep -q 'class="stale"' "$out/index.html" || { echo "FAIL: index.html marks no stale event" >&2; exit 1; }
node -e '
const rows = require(process.argv[1]);
const shows = (n) => rows[n - 1].shown.includes("Quarterly review");
if (rows[3].marked !== true) { console.error("FAIL: step 4 does not mark the stale event"); process.exit(1); }
if (!shows(1) || shows(3) || !shows(4)) {
  console.error("FAIL: expected Quarterly review shown at steps 1 and 4, not 3:", JSON.stringify(rows.map((r) => r.shown)));
  process.exit(1);
}' "$out/timeline.json"
echo "ok: the deleted item is back on the month view after the hard refresh ($out/step-04.png)"
