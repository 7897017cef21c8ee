#!/usr/bin/env bash
# Set-up, build the `swarm` command only (not the tests or benchmarks: scripts/test.sh builds
# those), then rank the shipped example incident (or the files given as arguments).
# Build progress goes to stderr, so the ranking alone is on stdout.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh" --target swarm >&2
if [ $# -eq 0 ]; then
  set -- "$root/data/incidents/scenario1-low-fcs.json"
fi
"$root/build/swarm" rank "$@"
