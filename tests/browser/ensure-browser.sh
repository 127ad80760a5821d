#!/usr/bin/env bash
# What the browser tests need, or a FAIL saying what to run: node, Debian's Chromium, and the npm
# packages of package-lock.json (installed here with npm ci when missing or out of date).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
command -v node >/dev/null 2>&1 || { echo "FAIL: node not found: run scripts/install-deps.sh" >&2; exit 1; }
[ -x "${CACHECHECK_CHROMIUM:-/usr/bin/chromium}" ] ||
  { echo "FAIL: ${CACHECHECK_CHROMIUM:-/usr/bin/chromium} not found: run scripts/install-deps.sh (Debian package chromium)" >&2; exit 1; }
if [ ! -f "$here/node_modules/.package-lock.json" ] || [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
  command -v npm >/dev/null 2>&1 || { echo "FAIL: npm not found: run scripts/install-deps.sh" >&2; exit 1; }
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) ||
    { echo "FAIL: npm ci in $here failed (the npm registry must be reachable once)" >&2; exit 1; }
fi
