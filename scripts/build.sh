#!/usr/bin/env bash
# Configures and builds into build/ (Release), showing the build's progress.
# Usage: scripts/build.sh [--target T]... [CMake configure arguments]
# Without --target it builds everything (tests, sanitized tests, benchmarks); with it, only the
# named targets and what they need.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
targets=()
configure_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --target) targets+=(--target "$2"); shift 2 ;;
    *) configure_args+=("$1"); shift ;;
  esac
done
"$root/scripts/setup.sh"
echo "build: configuring $root/build"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release "${configure_args[@]}" >/dev/null
echo "build: compiling ${targets[*]:-everything} with $(nproc) jobs"
cmake --build "$root/build" -j"$(nproc)" "${targets[@]}"
