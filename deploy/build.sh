#!/usr/bin/env bash
# Configures and builds the release binaries (or the given targets) with Ninja and ccache.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
[ -f build/release/build.ninja ] || cmake --preset release >/dev/null
ninja -C build/release -j"$(nproc)" "$@"
