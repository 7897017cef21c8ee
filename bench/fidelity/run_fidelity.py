#!/usr/bin/env python3
"""Fidelity benchmark runner (issue 4, docs/fidelity.md): for every incident of the suite, the
ns-3 ground truth of every candidate (swarm_truth), swarm's ranking (swarm rank) and every
baseline's pick (swarm rank --strategy all), one directory per case under OUT:

    OUT/<case>/truth.json  swarm.json  strategies.json

    bench/fidelity/run_fidelity.py --build build [--incidents data/incidents/fidelity]
        [--out bench/fidelity/results] [--cases NAME ...] [--slices 1] [--scale 120] [--jobs 1]

Finished files are kept, so a rerun resumes (and a rerun with more --slices reuses the slices
already simulated through OUT/truth-cache.tsv). Cases run interleaved across the three
scenarios (s1, s2, s3, s1, ...) so that a run cut short still covers all of them.
bench/fidelity/report.py turns OUT into the penalty tables of docs/fidelity.md.
"""
import argparse
import glob
import itertools
import os
import subprocess
import sys
import time


def interleaved(paths):
    groups = {}
    for p in sorted(paths):
        groups.setdefault(os.path.basename(p).split("-")[0], []).append(p)
    order = []
    for batch in itertools.zip_longest(*[groups[k] for k in sorted(groups)]):
        order.extend(p for p in batch if p)
    return order


def run(cmd, out_path):
    tmp = out_path + ".tmp"
    with open(tmp, "w") as out:
        subprocess.run(cmd, stdout=out, check=True)
    os.replace(tmp, out_path)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.normpath(os.path.join(here, "..", ".."))
    ap.add_argument("--build", default=os.path.join(root, "build"))
    ap.add_argument("--incidents", default=os.path.join(root, "data", "incidents", "fidelity"))
    ap.add_argument("--out", default=os.path.join(here, "results"))
    ap.add_argument("--cases", nargs="*", help="case names (file names without .json); default all")
    ap.add_argument("--slices", type=int, default=1)
    ap.add_argument("--scale", type=float, default=120.0)
    ap.add_argument("--jobs", type=int, default=1, help="ns-3 processes in parallel")
    ap.add_argument("--threads", type=int, default=1, help="estimator threads")
    args = ap.parse_args()

    swarm = os.path.join(args.build, "swarm")
    truth = os.path.join(args.build, "swarm_truth")
    for exe in (swarm, truth):
        if not os.access(exe, os.X_OK):
            sys.exit(f"run_fidelity: {exe} is not built (swarm_truth needs ns-3: scripts/setup.sh --with-ns3)")
    paths = glob.glob(os.path.join(args.incidents, "*.json"))
    if args.cases:
        wanted = set(args.cases)
        paths = [p for p in paths if os.path.basename(p)[:-5] in wanted]
        missing = wanted - {os.path.basename(p)[:-5] for p in paths}
        if missing:
            sys.exit(f"run_fidelity: no incident file for {sorted(missing)} in {args.incidents}")
    os.makedirs(args.out, exist_ok=True)
    cache = os.path.join(args.out, "truth-cache.tsv")
    started = time.time()
    order = interleaved(paths)
    for i, path in enumerate(order, 1):
        name = os.path.basename(path)[:-5]
        case = os.path.join(args.out, name)
        os.makedirs(case, exist_ok=True)
        steps = [
            ("swarm.json", [swarm, "rank", path, "--format", "json", "--threads", str(args.threads)]),
            ("strategies.json", [swarm, "rank", path, "--strategy", "all", "--format", "json"]),
            ("truth.json", [truth, path, "--slices", str(args.slices), "--scale", str(args.scale),
                            "--jobs", str(args.jobs), "--cache", cache]),
        ]
        for file_name, cmd in steps:
            target = os.path.join(case, file_name)
            if file_name == "truth.json" and os.path.exists(target):
                import json
                with open(target) as f:
                    if json.load(f)["ground_truth"]["slices"] >= args.slices:
                        continue
            elif os.path.exists(target):
                continue
            run(cmd, target)
        print(f"[fidelity] {i}/{len(order)} {name} done, {time.time() - started:.0f} s elapsed", flush=True)


if __name__ == "__main__":
    main()
