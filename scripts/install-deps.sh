#!/usr/bin/env bash
# Installs the Debian packages cachecheck needs, only those missing.
# Exit 1 with a clear message when they cannot be installed.
set -euo pipefail

packages=(
  g++ cmake make pkg-config
  libgtest-dev googletest libbenchmark-dev librapidcheck-dev
  libcpp-httplib-dev libhiredis-dev nlohmann-json3-dev libcli11-dev
  redis-server curl
  ccache                             # builds reuse earlier compiles (CI builds the tree four times)
  gnuplot-nox                        # the charts of report.html (cachecheck report)
  libxml2-utils python3-junitparser  # tests: xmllint parses the SVGs, junitparser reads junit.xml
  clang libclang-rt-14-dev  # issue 14: libFuzzer and its sanitizer runtimes (make fuzz, .ci/run)
  libyaml-cpp-dev python3   # issue 10: target specs (yaml-cpp); tests/apps/taskboard (Python standard library)
  # issue 13: IANA time zones for the FullCalendar client model (Howard Hinnant's date/tz over the
  # system tzdata), and the ground truth: real FullCalendar (npm) in Debian's Chromium, headless
  libhowardhinnant-date-dev tzdata chromium nodejs
)

# issue 13: the browser side's npm packages (FullCalendar 6, playwright-core), pinned by
# tests/browser/package-lock.json; installed again when the lock file changes.
npm_packages() {
  local dir
  dir="$(cd "$(dirname "$0")/.." && pwd)/tests/browser"
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "install-deps: npm ci in tests/browser" >&2
    if ! (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) >&2; then
      echo "install-deps: npm ci failed in $dir" >&2
      exit 1
    fi
  fi
}

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Debian's nodejs ships without npm (a package of its own); NodeSource's nodejs includes it.
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && { npm_packages; exit 0; }

echo "install-deps: installing missing Debian packages: ${missing[*]}" >&2
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps: apt-get not found; install these packages by hand: ${missing[*]}" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "install-deps: not root and no sudo; run as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
if ! { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >&2; then
  echo "install-deps: apt-get could not install: ${missing[*]}" >&2
  exit 1
fi
npm_packages
