#!/usr/bin/env bash
# Builds every libFuzzer target (clang, ASan+UBSan; the "fuzz" preset) and runs each for a
# bounded time on its corpus: tests/**/corpus/<target>/ (seeds, and regressions/ which hold
# inputs that once failed and are replayed first). New inputs go to a scratch copy, so the
# checked-in corpus only changes by hand. FUZZ_SECONDS per target (default 15).
# A longer campaign: FUZZ_RUNS=10000000 runs each target that many executions (FUZZ_SECONDS
# then caps each, default unlimited), FUZZ_TARGETS='regex' picks targets; a crash input is
# copied to build/fuzz/crashes/ and named in the output, to go into regressions/.
# FUZZ_JOBS=N runs each target as N processes at once (libFuzzer's -fork=N: one campaign,
# its executions counted together, its corpus shared), for a campaign on every core.
# Flags: -entropic=0, because with the engines' tens of thousands of coverage features the
# entropic scheduler's rare-feature bookkeeping took about 70% of each execution (the
# responder ran at 50 executions/s with it, 190 without); an ASan quarantine of 64 MiB
# (default 256) keeps freed memory recycled while still far longer than one execution.
# A target's own flags, if any, are in tests/**/corpus/<target>.options (one line), e.g.
# the responder's -max_len: by default libFuzzer takes its largest seed (100 KB, a captured
# association with its data) as the length of every mutant, which made each input whole
# transfers and ran at a third of the speed for less coverage in the same time.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
runs=${FUZZ_RUNS:-}
if [ -n "$runs" ]; then seconds=${FUZZ_SECONDS:-0}; else seconds=${FUZZ_SECONDS:-15}; fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=64}
# UBSan's checks recover by default (a report, then on): halting makes a report a failure.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ not installed; skipped"
  exit 0
fi
[ -f build/fuzz/build.ninja ] || cmake --preset fuzz >/dev/null
targets=$(ninja -C build/fuzz -t targets all | sed -n 's/.*CXX_EXECUTABLE_LINKER__\([A-Za-z0-9_]*_fuzz\)_.*/\1/p' | sort -u)
[ -z "${FUZZ_TARGETS:-}" ] || targets=$(echo "$targets" | grep -E "$FUZZ_TARGETS")
ninja -C build/fuzz -j"$(nproc)" $targets >/dev/null
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
passed=0
failed=0
for t in $targets; do
  bin=$(find build/fuzz -type f -name "$t" -perm -u+x | head -1)
  corpus=$(find tests -type d -path "*/corpus/$t" | head -1)
  work="$scratch/$t"
  mkdir -p "$work"
  [ -n "$corpus" ] && find "$corpus" -type f -exec cp {} "$work/" \;
  regress=()
  if [ -n "$corpus" ] && [ -d "$corpus/regressions" ]; then
    regress=("$corpus"/regressions/*)
  fi
  log="$scratch/$t.log"
  ok=1
  if [ ${#regress[@]} -gt 0 ] && ! "$bin" "${regress[@]}" >"$log" 2>&1; then ok=0; fi
  limit=(-max_total_time="$seconds")
  [ -z "$runs" ] || limit+=(-runs="$runs")
  if [ -n "$corpus" ] && [ -f "$corpus.options" ]; then read -r -a own <"$corpus.options"; limit+=("${own[@]}"); fi
  [ "${FUZZ_JOBS:-1}" -le 1 ] || limit+=(-fork="$FUZZ_JOBS")
  t0=$SECONDS
  if [ $ok = 1 ] && ! "$bin" "${limit[@]}" -entropic=0 -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$scratch/$t-" "$work" >"$log" 2>&1; then ok=0; fi
  if [ $ok = 1 ]; then
    execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | awk '{print $2}' || true)
    # -fork prints its running total as "#N: cov: ..." instead.
    [ -n "$execs" ] || execs=$(grep -o '^#[0-9]*:' "$log" | tail -1 | tr -d '#:' || true)
    took=$((SECONDS - t0))
    echo "fuzz: $t ok (${took}s, ${execs:-?} runs, $(( ${execs:-0} / (took > 0 ? took : 1) )) runs/s)"
    passed=$((passed + 1))
  else
    echo "fuzz: $t FAILED; log tail:"
    tail -30 "$log"
    mkdir -p build/fuzz/crashes
    for c in "$scratch"/"$t"-*; do
      [ -f "$c" ] || continue
      cp "$c" build/fuzz/crashes/ && echo "  crash input: build/fuzz/crashes/$(basename "$c")"
    done
    failed=$((failed + 1))
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ $failed = 0 ]
