#!/usr/bin/env bash
# Full regeneration of the ns-3 table sets (docs/tables.md): data/tables/ns3-{cubic,newreno,
# dctcp}, two worker processes at low priority (the machine is shared), resumable through the
# result cache; BBR into <build-dir>/experimental-tables (ns-3.37's BBR does not reach the link
# rate even without loss, see docs/tables.md, so the incident reader must not pick it up); then
# the rate-independence / sharing checks quoted in docs/tables.md.
#   tools/tables/ns3/regenerate.sh [build-dir]      (default build-ns3; run from the repo root)
set -euo pipefail
build="${1:-build-ns3}"
mkdir -p "$build/ns3-cache"
nice -n 10 "$build/swarm_tables_ns3" generate --out data/tables --cc cubic,newreno,dctcp \
  --jobs 2 --cache "$build/ns3-cache/full.tsv"
# The short-flow body tables (short_flow_body.tsv) and the single-link validation of the
# short-flow FCT model (bench/short_flow/), from batches of independent flows.
nice -n 10 "$build/swarm_tables_ns3" body --out data/tables --cc cubic,newreno,dctcp \
  --jobs 2 --cache "$build/ns3-cache/short-batches.tsv"
nice -n 10 "$build/swarm_tables_ns3" validate-short --cc cubic \
  --out bench/short_flow/validation-ns3-cubic.tsv --jobs 2 --cache "$build/ns3-cache/short-batches.tsv"
# The long-flow window curve of the opt-in set ns3-cubic-window (written beside, then copied:
# inside ns3-cubic it would turn the window limit on in the default set) and its single-switch
# validation (bench/long_flow/).
nice -n 10 "$build/swarm_tables_ns3" long-window --out "$build/window-tables" --cc cubic \
  --jobs 2 --cache "$build/ns3-cache/long-window.tsv"
cp "$build/window-tables/ns3-cubic/long_flow_window.tsv" data/tables/ns3-cubic-window/
nice -n 10 "$build/swarm_tables_ns3" long-window --cc cubic --jobs 2 \
  --validate data/tables/ns3-cubic-window/long_flow_window.tsv \
  --cache "$build/ns3-cache/probe.tsv" > bench/long_flow/validation-ns3-cubic.md
nice -n 10 "$build/swarm_tables_ns3" generate --out "$build/experimental-tables" --cc bbr \
  --jobs 2 --cache "$build/ns3-cache/full.tsv"
nice -n 10 "$build/swarm_tables_ns3" checks --runs 10 --jobs 2 > "$build/ns3-checks.md"
echo "regeneration done; checks in $build/ns3-checks.md"
