#!/usr/bin/env bash
# The mutation suite (tests/mutation/README.md): builds the reference server once per
# mutant (a one-line slip behind `#if CACHECHECK_MUTANT == N` in reference-server/src),
# runs the default matrix (`cachecheck run`, 100 cases, in-process, memory) at each
# seed, and prints the kill score and the cells that killed each mutant. A mutant is
# killed at a seed when the run differs from scenarios/expectations.json (exit 1):
# a verdict, or a violation kind or layer an expected failure does not name.
# Mutants of the Redis backend cannot show on the memory backend: they run the same
# matrix with --backend redis:// (a private redis-server on a free port), judged
# against what the unmutated build does there at the same seed.
#
#   scripts/mutation.sh                      every mutant, seeds 0-9 (the full suite)
#   scripts/mutation.sh --sample 1 --build build   1 mutant at one seed, picked from the commit (CI)
#   scripts/mutation.sh --mutants 3,17 --seeds 0,5 --cases 100 --jobs 2 --build build-mutation
#
# --build DIR may be the project's own build: switching a mutant recompiles the reference
# server's library (the guard's file gets the define), and the unmutated build is restored
# on the way out.
# Exit 0 when every mutant run was killed at every seed run, 1 when one survived,
# 2 when the suite cannot judge (a build fails, the unmutated build differs at a seed).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

seeds="0,1,2,3,4,5,6,7,8,9"
mutants="all"
sample=0
cases=100
build=build-mutation
out=reports/out/mutation
jobs=$(nproc)

usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --seeds) seeds="$2"; shift 2 ;;
    --mutants) mutants="$2"; shift 2 ;;
    --sample) sample="$2"; shift 2 ;;
    --cases) cases="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "mutation.sh: unknown argument '$1'" >&2; usage 2 >&2 ;;
  esac
done
for tool in jq cmake; do
  command -v "$tool" >/dev/null || { echo "mutation.sh: $tool not found (scripts/install-deps.sh installs it)" >&2; exit 2; }
done

# ---- the mutants, read from their guards: "N<TAB>name<TAB>description<TAB>file" ------------------
catalogue=$(grep -rnoE "#(el)?if CACHECHECK_MUTANT == [0-9]+  // mutant [0-9]+ \([a-z0-9-]+\): .*" reference-server/src |
  sed -E 's|^([^:]+):[0-9]+:#(el)?if CACHECHECK_MUTANT == ([0-9]+)  // mutant [0-9]+ \(([a-z0-9-]+)\): (.*)$|\3\t\4\t\5\t\1|' |
  sort -n -k1,1)
all_ids=$(cut -f1 <<<"$catalogue" | tr '\n' ' ')
count=$(wc -w <<<"$all_ids")
if [ "$(cut -f1 <<<"$catalogue" | sort | uniq -d)" != "" ]; then
  echo "mutation.sh: a mutant number is guarded twice: $(cut -f1 <<<"$catalogue" | sort | uniq -d | tr '\n' ' ')" >&2
  exit 2
fi

if [ "$sample" -gt 0 ]; then
  # A sample that changes with the commit and is the same for every run of it.
  key=$(git rev-parse HEAD 2>/dev/null | cut -c1-8 || echo 0)
  key=$((16#${key:-0}))
  seeds=$((key % 10))
  ids=()
  read -ra every <<<"$all_ids"
  for ((i = 0; i < sample && i < count; i++)); do ids+=("${every[$(( (key + i * count / sample) % count ))]}"); done
  mutants=$(IFS=,; echo "${ids[*]}")
  echo "mutation.sh: sample of commit ${key}: mutants $mutants at seed $seeds"
fi
[ "$mutants" = all ] && mutants=$(tr ' ' ',' <<<"$all_ids" | sed 's/,$//')
IFS=, read -ra mutant_list <<<"$mutants"
IFS=, read -ra seed_list <<<"$seeds"
for m in "${mutant_list[@]}"; do
  grep -q "^$m"$'\t' <<<"$catalogue" || { echo "mutation.sh: no mutant $m (known: $all_ids)" >&2; exit 2; }
done
field() { grep "^$1"$'\t' <<<"$catalogue" | cut -f"$2"; }
needs_redis() { [[ "$(field "$1" 4)" == *redis_cache.cpp ]]; }

# ---- the build of its own ------------------------------------------------------------------------------
tag=mutation.sh
# shellcheck source=scripts/lib/mutant_build.sh
source scripts/lib/mutant_build.sh

# ---- a private redis-server, for the Redis backend's mutants ------------------------------------------------
redis_pid=""
redis_url=""
cleanup() {
  if [ -n "$redis_pid" ]; then kill "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; fi
  restore_unmutated
}
trap cleanup EXIT
trap "exit 130" INT TERM
start_redis() {
  command -v redis-server >/dev/null || { echo "mutation.sh: redis-server not found (the Redis mutants need it)" >&2; exit 2; }
  local port
  for _ in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 20000))
    redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --databases 16 \
      --dir "$out" >"$out/redis.log" 2>&1 &
    redis_pid=$!
    for _ in $(seq 50); do
      if [ "$(redis-cli -p "$port" ping 2>/dev/null)" = PONG ]; then redis_url="redis://127.0.0.1:$port"; return; fi
      kill -0 "$redis_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill "$redis_pid" 2>/dev/null || true
  done
  echo "mutation.sh: could not start redis-server (see $out/redis.log)" >&2
  exit 2
}

# One run of the matrix: $1 output dir, $2 seed, $3 backend ("" = memory), $4 expectations ("" = the project's).
# Its exit code goes to $1/rc.
run_matrix() {
  local dir=$1 seed=$2 backend=$3 expectations=$4 args=()
  mkdir -p "$dir"
  [ -n "$backend" ] && args+=(--backend "$backend/$seed")
  [ -n "$expectations" ] && args+=(--expectations "${expectations//%s/$seed}")  # %s: the seed
  set +e
  "$build/bin/cachecheck" run --seed "$seed" --cases "$cases" --quiet --out "$dir" "${args[@]}" >"$dir/stdout" 2>"$dir/stderr"
  echo $? >"$dir/rc"
  set -e
}
# Runs $1 (a function taking a seed) for every seed, $jobs at a time.
# Waits for these runs only (a bare `wait` would also wait for the redis-server).
for_seeds() {
  local pids=() s
  for s in "${seed_list[@]}"; do
    "$@" "$s" &
    pids+=($!)
    if [ "${#pids[@]}" -ge "$jobs" ]; then wait "${pids[0]}" || true; pids=("${pids[@]:1}"); fi
  done
  for s in "${pids[@]}"; do wait "$s" || true; done
}

rm -rf "$out"
mkdir -p "$out"
started=$(date +%s)
echo "mutation.sh: ${#mutant_list[@]} mutant(s) × seeds ${seeds}, $cases cases, build $build, $jobs job(s)"

# ---- the unmutated build must match its expectations at every seed ----------------------------------------------
build_mutant ""
base_memory() { run_matrix "$out/base/memory-s$1" "$1" "" ""; }
for_seeds base_memory
for s in "${seed_list[@]}"; do
  if [ "$(cat "$out/base/memory-s$s/rc")" != 0 ]; then
    echo "mutation.sh: the unmutated build differs from scenarios/expectations.json at seed $s:" >&2
    jq -r '.runs[] | select(.difference) | "  \(.strategy) × \(.scenario): \(.difference)"' \
      "$out/base/memory-s$s/results.json" >&2 || cat "$out/base/memory-s$s/stderr" >&2
    exit 2
  fi
done
redis_expectations=""
for m in "${mutant_list[@]}"; do needs_redis "$m" && redis_expectations="$out/base/redis-expectations-s%s.json"; done
if [ -n "$redis_expectations" ]; then
  start_redis
  base_redis() { run_matrix "$out/base/redis-s$1" "$1" "$redis_url" "$root/scenarios/expectations.json"; }
  for_seeds base_redis
  for s in "${seed_list[@]}"; do
    if jq -e '.runs | any(.verdict != "pass" and .verdict != "fail")' "$out/base/redis-s$s/results.json" >/dev/null; then
      echo "mutation.sh: the unmutated build cannot be judged on Redis at seed $s (unknown/unsupported cells)" >&2
      exit 2
    fi
    # What the unmutated build does on Redis at this seed (same seed, same cases): each
    # cell's verdict and, failing, the kinds and layers of its signature.
    jq '[.runs[] | {strategy, scenario, cell: ({verdict, reason: "what the unmutated build does on Redis at this seed"}
          + (if .verdict == "fail" then {kinds: ([.signature[] | split("@")[0]] | unique),
                                         layers: ([.signature[] | split("@")[1]] | unique)} else {} end))}]
        | reduce .[] as $c ({}; .[$c.strategy][$c.scenario] = $c.cell)' \
      "$out/base/redis-s$s/results.json" >"${redis_expectations//%s/$s}"
  done
fi

# ---- each mutant ------------------------------------------------------------------------------------------------------------
summary="$out/summary.tsv"
: >"$summary"
survivors=0
for m in "${mutant_list[@]}"; do
  name=$(field "$m" 2)
  build_mutant "$m"
  backend=""
  expectations=""
  if needs_redis "$m"; then backend=$redis_url; expectations=$redis_expectations; fi
  mutant_run() { run_matrix "$out/m$m/s$1" "$1" "$backend" "$expectations"; }
  for_seeds mutant_run
  killed=0
  cells=""
  for s in "${seed_list[@]}"; do
    rc=$(cat "$out/m$m/s$s/rc")
    case "$rc" in
      1) killed=$((killed + 1))
         cells+=$(jq -r '.runs[] | select(.difference) | "\(.strategy) × \(.scenario)"' "$out/m$m/s$s/results.json")$'\n' ;;
      0) ;;
      2) echo "mutation.sh: mutant $m at seed $s: cachecheck could not run:" >&2; cat "$out/m$m/s$s/stderr" >&2; exit 2 ;;
      *) killed=$((killed + 1)); cells+="(crashed, exit $rc)"$'\n' ;;
    esac
  done
  [ "$killed" -eq "${#seed_list[@]}" ] || survivors=$((survivors + 1))
  # The cells that killed it, with how many of the seeds each did.
  by_cell=$(grep -v '^$' <<<"$cells" | sort | uniq -c | sort -rn | awk '{n=$1; $1=""; printf "%s%s (%d)", sep, substr($0,2), n; sep=", "}' || true)
  printf '%s\t%s\t%s\t%s\t%s\n' "$m" "$name" "$killed" "${#seed_list[@]}" "${by_cell:-—}" >>"$summary"
  printf '  mutant %2s %-30s killed at %2s/%s seed(s)  %s\n' "$m" "$name" "$killed" "${#seed_list[@]}" "${by_cell:-SURVIVED}"
done
build_mutant ""  # leave the build unmutated

total=${#mutant_list[@]}
echo
echo "kill score: $((total - survivors))/$total mutant(s) killed at every seed run (${seeds}), $cases cases," \
  "$(( $(date +%s) - started )) s on $(nproc) core(s), $(date -u +%Y-%m-%d)"
for s in "${seed_list[@]}"; do
  k=0
  for m in "${mutant_list[@]}"; do [ "$(cat "$out/m$m/s$s/rc")" != 0 ] && k=$((k + 1)); done
  printf '  seed %s alone: %s/%s\n' "$s" "$k" "$total"
done
echo "details: $summary and $out/m<N>/s<seed>/results.json"
[ "$survivors" -eq 0 ]
