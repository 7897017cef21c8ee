#!/usr/bin/env bash
# The shipped GraphML and node-link files are exactly what NetworkX writes for the example
# fabric (data/topologies/generate.py), so the import tests read real NetworkX output.
# Usage: check_networkx_topologies.sh TOPOLOGY_DIR WORK_DIR. Exit 77 (skipped) without NetworkX.
set -euo pipefail
python3 -c "import networkx" 2>/dev/null || { echo "python3-networkx not installed"; exit 77; }
rm -rf "$2" && mkdir -p "$2"
python3 "$1/generate.py" "$2"
for f in leaf-spine.graphml leaf-spine.node-link.json; do
  diff -u "$1/$f" "$2/$f"
done
echo "NetworkX writes the shipped files byte for byte"
