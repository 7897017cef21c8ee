#!/bin/sh
# ctest fidelity_subset (label ns3): the fidelity benchmark end to end on one case of the suite
# (Scenario 1, one T1-T2 link dropping 5e-2; three candidates, one ns-3 slice each, two
# processes), then the report. Checks that every step ran and that the ground truth routed
# every packet and has measured flows; it asserts no result (docs/fidelity.md has those).
# Exit 77 (SKIPPED) when swarm_truth was not built (no ns-3).
# Usage: subset_test.sh BUILD_DIR WORK_DIR
set -eu
build=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -x "$build/swarm_truth" ]; then
    echo "swarm_truth not built (ns-3 missing: scripts/setup.sh --with-ns3): skipped"
    exit 77
fi
rm -rf "$work"
python3 "$here/run_fidelity.py" --build "$build" --out "$work" --cases s1-1link-t1t2-high \
    --slices 1 --scale 120 --jobs 2
python3 "$here/report.py" "$work" --md "$work/report.md" --svg "$work/penalty.svg" --json "$work/penalties.json"
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
truth = json.load(open(f"{work}/s1-1link-t1t2-high/truth.json"))
for name, c in truth["ground_truth"]["candidates"].items():
    assert c["unrouted_packets"] == 0, (name, c)
    assert c["long_flows"] > 0 and c["short_flows"] > 0, (name, c)
assert len(truth["ranking"]) == 3
rows = json.load(open(f"{work}/penalties.json"))
assert len(rows) == 1 and rows[0]["PriorityFCT"]["SWARM"] is not None
print(open(f"{work}/report.md").read())
PY
