#!/usr/bin/env python3
"""Golden outputs of the shipped incidents (the htsim tests.py / default.ref pattern).

    tests/golden/golden.py SWARM DATA_DIR GOLDEN_DIR INCIDENT.json...      compare
    SWARM_UPDATE_GOLDEN=1 tests/golden/golden.py ...                        regenerate
    tests/golden/golden.py --orphans DATA_DIR GOLDEN_DIR                    no stale files

For each incident, `SWARM rank --format json --threads 2 --data-dir DATA_DIR INCIDENT` without
its wall-time field (elapsed_s) must equal GOLDEN_DIR/<incident file name>, byte for byte: the
estimator is deterministic for a seed at any thread count, so any difference is a change in
behaviour. When the change is intended, regenerate (scripts/update-golden.sh, or
`SWARM_UPDATE_GOLDEN=1 ctest -R golden`) and commit the new files with the change that caused
them, saying why in the commit message.
"""
import difflib
import json
import os
import subprocess
import sys

WALL_TIME_FIELDS = ("elapsed_s",)
THREADS = "2"


def ranking(swarm, data_dir, incident):
    out = subprocess.run([swarm, "rank", "--format", "json", "--threads", THREADS, "--data-dir", data_dir,
                          incident], check=True, capture_output=True, text=True).stdout
    doc = json.loads(out)
    for field in WALL_TIME_FIELDS:
        doc.pop(field, None)
    return json.dumps(doc, indent=2, sort_keys=True) + "\n"


def check(swarm, data_dir, golden_dir, incident, update):
    golden = os.path.join(golden_dir, os.path.basename(incident))
    text = ranking(swarm, data_dir, incident)
    if update:
        with open(golden, "w") as f:
            f.write(text)
        print(f"wrote {golden}")
        return True
    if not os.path.exists(golden):
        print(f"{golden} is missing: run scripts/update-golden.sh (or SWARM_UPDATE_GOLDEN=1 ctest -R golden)")
        return False
    with open(golden) as f:
        expected = f.read()
    if text == expected:
        print(f"same as {golden}")
        return True
    diff = difflib.unified_diff(expected.splitlines(), text.splitlines(), golden, "now", lineterm="", n=2)
    print("\n".join(list(diff)[:80]))
    print(f"{incident}: the ranking differs from {golden}. If the change is intended, regenerate with "
          "scripts/update-golden.sh (or SWARM_UPDATE_GOLDEN=1 ctest -R golden) and commit the new file.")
    return False


def orphans(data_dir, golden_dir):
    incidents = set(f for f in os.listdir(os.path.join(data_dir, "incidents")) if f.endswith(".json"))
    stale = sorted(f for f in os.listdir(golden_dir) if f.endswith(".json") and f not in incidents)
    for f in stale:
        print(f"{os.path.join(golden_dir, f)} has no incident in {data_dir}/incidents: delete it")
    return not stale


def main(argv):
    if len(argv) == 3 and argv[0] == "--orphans":
        return 0 if orphans(argv[1], argv[2]) else 1
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    swarm, data_dir, golden_dir, incidents = argv[0], argv[1], argv[2], argv[3:]
    update = os.environ.get("SWARM_UPDATE_GOLDEN", "") not in ("", "0")
    ok = all([check(swarm, data_dir, golden_dir, incident, update) for incident in incidents])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
