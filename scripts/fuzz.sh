#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang (ASan + UBSan) and runs
# each from its seed corpus for SECONDS (default 60), or for RUNS executions
# when FUZZ_RUNS is set, as many targets at a time as there are cores (FUZZ_JOBS).
# Prints one line per target: result, executions, time.
# Exits 1 when any target found a crash, a sanitizer report, a leak or a
# broken invariant; its input is kept in BUILD/fuzz-artifacts/.
#   usage: scripts/fuzz.sh [BUILD_DIR] [SECONDS]        (make fuzz FUZZ_SECONDS=N)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-fuzz}
seconds=${2:-60}
parallel=${FUZZ_JOBS:-$(nproc)}

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_CXX_FLAGS="-O1 -g" \
      -DCACHECHECK_FUZZ=ON >/dev/null
cmake --build "$build" -j"$(nproc)" --target fuzzers -- --no-print-directory >/dev/null

artifacts="$build/fuzz-artifacts"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$artifacts"
if [[ -n "${FUZZ_RUNS:-}" ]]; then limit=(-runs="$FUZZ_RUNS"); else limit=(-max_total_time="$seconds"); fi

# Extra seeds beyond tests/fuzz/corpus/<target>/.
declare -A extra=([counterexample]=scenarios/seed)

# One target: its log in $work/NAME.log, its summary line in $work/NAME.result.
run_one() {
  local bin=$1 name=${1##*/fuzz_} start result execs
  local corpora=() dir
  mkdir -p "$work/$name"
  # libFuzzer exits at once on a corpus folder that does not exist: pass only those that do.
  for dir in "tests/fuzz/corpus/$name" ${extra[$name]:-}; do [[ -d $dir ]] && corpora+=("$dir"); done
  start=$(date +%s)
  if "$bin" "${limit[@]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$artifacts/$name-" "$work/$name" "${corpora[@]}" \
       >"$work/$name.log" 2>&1; then result=ok; else result=FOUND; fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$name.log" | tail -1)
  printf '%-15s %-7s %14s %8s\n' "$name" "$result" "${execs:-?}" "$(( $(date +%s) - start ))" >"$work/$name.result"
}

# The targets are single-threaded: run as many at once as there are cores.
targets=("$build"/bin/fuzz_*)
for bin in "${targets[@]}"; do
  while (( $(jobs -rp | wc -l) >= parallel )); do wait -n || true; done
  run_one "$bin" &
done
wait

status=0
printf '%-15s %-7s %14s %8s\n' target result executions seconds
for bin in "${targets[@]}"; do
  name=${bin##*/fuzz_}
  cat "$work/$name.result"
  if ! grep -q ' ok ' "$work/$name.result"; then
    status=1
    # What it found (or, when the target could not even start, the end of its log).
    { grep -E -A30 'ERROR|==[0-9]+==|deadly signal|Test unit written' "$work/$name.log" ||
        tail -20 "$work/$name.log"; } | head -60 || true
  fi
done
exit $status
