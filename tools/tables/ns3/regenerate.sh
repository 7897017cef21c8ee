#!/usr/bin/env bash
# Full regeneration of the ns-3 table sets (docs/tables.md): data/tables/ns3-{cubic,newreno,
# dctcp,bbr}, two worker processes at low priority (the machine is shared), resumable through
# the result cache; then the rate-independence / sharing checks quoted in docs/tables.md.
#   tools/tables/ns3/regenerate.sh [build-dir]      (default build-ns3; run from the repo root)
set -euo pipefail
build="${1:-build-ns3}"
mkdir -p "$build/ns3-cache"
nice -n 10 "$build/swarm_tables_ns3" generate --out data/tables --cc cubic,newreno,dctcp,bbr \
  --jobs 2 --cache "$build/ns3-cache/full.tsv"
nice -n 10 "$build/swarm_tables_ns3" checks --runs 10 --jobs 2 > "$build/ns3-checks.md"
echo "regeneration done; checks in $build/ns3-checks.md"
