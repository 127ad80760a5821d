# Compiling a mutant into a build directory, and always leaving it unmutated.
# Sourced by scripts/mutation.sh and scripts/gate-mutants.sh. The caller sets
#   build  the build directory (may be the project's own build)
#   out    a folder for build.log
#   jobs   parallel compile jobs
#   tag    the caller's name for its messages
# A mutant is a slip behind `#if CACHECHECK_MUTANT == N` in reference-server/src;
# switching it recompiles the reference server's library (the guard's file gets the
# define), then relinks cachecheck.

# ccache only for a build directory made here: changing an existing build's launcher rebuilds it all.
mutant_launcher=()
[ ! -f "$build/CMakeCache.txt" ] && command -v ccache >/dev/null && mutant_launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(pwd)}"
compiled=""  # the mutant compiled into $build now ("" = none)

build_mutant() {  # $1: mutant number or "" for none
  compiled=$1
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release "${mutant_launcher[@]}" -DCACHECHECK_MUTANT="$1" >"$out/build.log" 2>&1 &&
    cmake --build "$build" -j"$jobs" --target cachecheck -- --no-print-directory >>"$out/build.log" 2>&1 || {
    echo "$tag: the build${1:+ of mutant $1} failed (see $out/build.log)" >&2
    tail -20 "$out/build.log" >&2
    exit 2
  }
}

# Never leave a mutant in the build (an error or ^C on the way): call from an EXIT trap.
restore_unmutated() {
  [ -n "$compiled" ] || return 0
  echo "$tag: restoring the unmutated build in $build" >&2
  compiled=""
  cmake -S . -B "$build" -DCACHECHECK_MUTANT= >/dev/null 2>&1 &&
    cmake --build "$build" -j"$jobs" --target cachecheck >/dev/null 2>&1 || echo "$tag: could not restore $build" >&2
}
