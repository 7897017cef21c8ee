#!/usr/bin/env bash
# Set-up, build, then rank the shipped example incident (or the files given as arguments).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh" >/dev/null
if [ $# -eq 0 ]; then
  set -- "$root/data/incidents/scenario1-low-fcs.json"
fi
"$root/build/swarm" rank "$@"
