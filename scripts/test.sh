#!/usr/bin/env bash
# The whole test suite: set-up, build (including the sanitized core tests), ctest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh"
cd "$root/build"
ctest --output-on-failure -j"$(nproc)" --timeout 1200
