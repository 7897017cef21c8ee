#!/usr/bin/env bash
# Regenerates tests/golden/*.json, the golden rankings of data/incidents/*.json, from the build
# in BUILD_DIR (default build/) after an intended change of the estimator's output. Commit the
# new files with the change that caused them. Same as `SWARM_UPDATE_GOLDEN=1 ctest -R golden`,
# but also drops the files of incidents that no longer exist.
#   usage: scripts/update-golden.sh [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
cmake --build "$build" --target swarm
rm -f "$root"/tests/golden/*.json
SWARM_UPDATE_GOLDEN=1 python3 "$root/tests/golden/golden.py" "$build/swarm" "$root/data" "$root/tests/golden" \
  "$root"/data/incidents/*.json
