#!/usr/bin/env bash
# ctest BrowserCapture.Sample: a small sample of tests/browser/sample.json in real FullCalendar
# (Chromium, headless) against `cachecheck requests`. Never skips: without node, Chromium or the
# npm packages it FAILS, saying what to run (ensure-browser.sh).
set -euo pipefail
cachecheck="${1:?usage: run-capture-sample.sh PATH/TO/cachecheck [capture.js args…]}"
shift
here="$(cd "$(dirname "$0")" && pwd)"
"$here/ensure-browser.sh"
# Every 3rd configuration (11 of 32): six views, both firstDays, New York, Berlin and Santiago
# across their changes, the three timeZone modes, every action, lazy fetching on and off.
exec timeout 600 node "$here/capture.js" --cachecheck "$cachecheck" --every "${CACHECHECK_CAPTURE_EVERY:-3}" "$@"
