#!/usr/bin/env bash
# The gate's own end-to-end check (issue 11's "done when"): two deliberate regressions
# of `robust`, each compiled into the build behind `#if CACHECHECK_MUTANT == N  // gate
# mutant N` (reference-server/src/strategies/robust.cpp), must turn `cachecheck gate`
# red against the committed baseline, and its gate.md must say what regressed and how
# to replay it:
#   101 robust-sweep            the seed's sweep comes back: consistency fails, with
#                               the violation and a `cachecheck replay` command;
#   102 robust-read-round-trip  one more cache round trip per read: counters fail,
#                               naming round_trips_per_read.
# The gate runs the baseline's matrix settings on robust's cells only, without the
# benchmark (times are noisy; counters and consistency are what CI enforces).
#
#   scripts/gate-mutants.sh [--build DIR] [--baseline FILE] [--out DIR] [--jobs N]
#
# --build may be the project's own build: the unmutated build is restored on the way out.
# Exit 0 when both turned the gate red as described, 1 when one did not, 2 on an error.
set -euo pipefail
cd "$(dirname "$0")/.."

build=build
baseline=reports/baseline.json
out=reports/out/gate-mutants
jobs=$(nproc)
usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --baseline) baseline="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "gate-mutants.sh: unknown argument '$1'" >&2; usage 2 >&2 ;;
  esac
done
[ -f "$baseline" ] || { echo "gate-mutants.sh: no baseline at $baseline" >&2; exit 2; }
rm -rf "$out"
mkdir -p "$out"

tag=gate-mutants.sh
# shellcheck source=scripts/lib/mutant_build.sh
source scripts/lib/mutant_build.sh
trap restore_unmutated EXIT
trap "exit 130" INT TERM

failed=0
# $1 mutant, $2 what gate.md must contain (an extended regex), one per line.
check() {
  local m=$1 patterns=$2 dir="$out/m$1" rc
  build_mutant "$m"
  set +e
  "$build/bin/cachecheck" gate --baseline "$baseline" --no-bench --strategies robust --out "$dir" \
    >"$out/m$m.stdout" 2>"$out/m$m.stderr"
  rc=$?
  set -e
  if [ "$rc" != 1 ]; then
    echo "gate-mutants.sh: mutant $m: the gate exited $rc, not 1 (a regression):" >&2
    tail -5 "$out/m$m.stdout" "$out/m$m.stderr" >&2
    failed=1
    return
  fi
  while IFS= read -r p; do
    if ! grep -Eq -- "$p" "$dir/gate.md"; then
      echo "gate-mutants.sh: mutant $m: gate.md does not say /$p/ (see $dir/gate.md)" >&2
      failed=1
    fi
  done <<<"$patterns"
  echo "  mutant $m: gate red (exit 1); gate.md: $(grep -m1 -E -- "$(head -1 <<<"$patterns")" "$dir/gate.md" | cut -c1-150)"
}

echo "gate-mutants.sh: two regressions of robust against $baseline (build $build)"
check 101 'robust × [a-z-]+.*(stale|missing|phantom)
cachecheck replay [^ ]*robust--'
check 102 'round_trips_per_read
robust × '
exit "$failed"
