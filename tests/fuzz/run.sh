#!/usr/bin/env bash
# Builds every libFuzzer target (clang, ASan+UBSan; the "fuzz" preset) and runs each for a
# bounded time on its corpus: tests/**/corpus/<target>/ (seeds, and regressions/ which hold
# inputs that once failed and are replayed first). New inputs go to a scratch copy, so the
# checked-in corpus only changes by hand. FUZZ_SECONDS per target (default 15).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
seconds=${FUZZ_SECONDS:-15}
if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ not installed; skipped"
  exit 0
fi
[ -f build/fuzz/build.ninja ] || cmake --preset fuzz >/dev/null
targets=$(ninja -C build/fuzz -t targets all | sed -n 's/.*CXX_EXECUTABLE_LINKER__\([A-Za-z0-9_]*_fuzz\)_.*/\1/p' | sort -u)
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
  if [ $ok = 1 ] && ! "$bin" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$scratch/$t-" "$work" >"$log" 2>&1; then ok=0; fi
  if [ $ok = 1 ]; then
    execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | awk '{print $2}' || true)
    echo "fuzz: $t ok (${seconds}s, ${execs:-?} runs)"
    passed=$((passed + 1))
  else
    echo "fuzz: $t FAILED; log tail:"
    tail -30 "$log"
    ls "$scratch"/"$t"-* 2>/dev/null | sed 's/^/  crash input: /'
    failed=$((failed + 1))
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ $failed = 0 ]
