#!/usr/bin/env bash
# ctest ns3_tables_smoke: regenerates a tiny grid with the ns-3 table generator (all three
# experiments, both workers, the writer and the estimator's loader) in well under a minute.
# Usage: smoke_test.sh <swarm_tables_ns3 path, empty when not built> <scratch dir>
# Exits 77 (ctest SKIP_RETURN_CODE) when the generator was not built because ns-3 is missing.
set -euo pipefail
generator="${1:-}"
scratch="${2:?scratch dir}"
if [ -z "$generator" ] || [ ! -x "$generator" ]; then
  echo "SKIPPED: ns-3 is not installed, so swarm_tables_ns3 was not built" \
       "(scripts/setup.sh --with-ns3, then re-run cmake)"
  exit 77
fi
rm -rf "$scratch"
mkdir -p "$scratch"
start=$(date +%s)
"$generator" generate --smoke --cc cubic --jobs 2 --out "$scratch" --cache "$scratch/cache.tsv"
for table in loss_limited_throughput short_flow_rtts queueing_delay; do
  grep -q "^# simulator: ns-3" "$scratch/ns3-cubic/$table.tsv"
done
"$generator" body --smoke --cc cubic --jobs 2 --out "$scratch" --cache "$scratch/cache.tsv"
grep -q "^# swarm-table: short_flow_body" "$scratch/ns3-cubic/short_flow_body.tsv"
"$generator" validate-short --smoke --cc cubic --jobs 2 --out "$scratch/validation.tsv" \
  --cache "$scratch/cache.tsv"
grep -q "^10000" "$scratch/validation.tsv"
"$generator" long-window --smoke --cc cubic --jobs 2 --out "$scratch" --cache "$scratch/cache.tsv"
grep -q "^# swarm-table: long_flow_window" "$scratch/ns3-cubic/long_flow_window.tsv"
echo "smoke regeneration took $(( $(date +%s) - start )) s"
