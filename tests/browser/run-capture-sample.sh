#!/usr/bin/env bash
# ctest BrowserCapture.Sample: a small sample of tests/browser/sample.json in real FullCalendar
# (Chromium, headless) against `cachecheck requests`. Never skips: without node, Chromium or the
# npm packages it FAILS, saying what to run.
set -euo pipefail
cachecheck="${1:?usage: run-capture-sample.sh PATH/TO/cachecheck [capture.js args…]}"
shift
here="$(cd "$(dirname "$0")" && pwd)"
command -v node >/dev/null 2>&1 || { echo "FAIL: node not found: run scripts/install-deps.sh" >&2; exit 1; }
[ -x "${CACHECHECK_CHROMIUM:-/usr/bin/chromium}" ] ||
  { echo "FAIL: ${CACHECHECK_CHROMIUM:-/usr/bin/chromium} not found: run scripts/install-deps.sh (Debian package chromium)" >&2; exit 1; }
if [ ! -f "$here/node_modules/.package-lock.json" ] || [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
  command -v npm >/dev/null 2>&1 || { echo "FAIL: npm not found: run scripts/install-deps.sh" >&2; exit 1; }
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) ||
    { echo "FAIL: npm ci in $here failed (the npm registry must be reachable once)" >&2; exit 1; }
fi
# Every 3rd configuration (11 of 32): six views, both firstDays, New York, Berlin and Santiago
# across their changes, the three timeZone modes, every action, lazy fetching on and off.
exec timeout 600 node "$here/capture.js" --cachecheck "$cachecheck" --every "${CACHECHECK_CAPTURE_EVERY:-3}" "$@"
