#!/usr/bin/env python3
"""What traffic down-scaling (SWARM §3.4, `swarm rank --downscale K`) costs in accuracy, on the
57-case fidelity suite (issue 14, docs/performance.md "Traffic down-scaling: measured error").

    bench/fidelity/downscale_error.py [--build DIR] [--factors 1 2 4 10] [--out DIR] [--cases ...]

For every factor K it ranks every case with `--downscale K --sampling dkw` (the paper's fixed
sample count, so that K is the only difference between runs) into a copy of the committed
results (bench/fidelity/results: ns-3 truth and baselines, never re-simulated), scores it with
report.py, and prints one Markdown table:

* against K = 1 (the full network): per candidate, the relative change of each metric's
  estimate (median and 90th percentile of |change| over the connected candidates), and in how
  many cases the pick is the same;
* against ns-3: how many cases pick ns-3's best under PriorityFCT, the worst p99-FCT penalty,
  and the estimator's median absolute error per metric over the connected candidates.

Wall and CPU seconds of the whole suite's rankings per K come from the child processes'
rusage, so other load on the machine does not inflate the CPU figure.
"""
import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402  (bench/fidelity/report.py: the suite's scoring rules)

METRICS = ("p1_throughput_bps", "avg_throughput_bps", "p99_fct_s")


def child_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def rank_suite(swarm, incidents, cases, committed, out, factor):
    """Ranks every case at down-scaling `factor` into `out` (a copy of the committed results)."""
    if os.path.exists(out):
        shutil.rmtree(out)
    shutil.copytree(committed, out)
    wall, cpu = time.monotonic(), child_cpu_seconds()
    for case in cases:
        with open(os.path.join(out, case, "swarm.json"), "w") as f:
            subprocess.run([swarm, "rank", os.path.join(incidents, case + ".json"), "--format", "json",
                            "--sampling", "dkw", "--downscale", str(factor)], stdout=f, check=True)
    return time.monotonic() - wall, child_cpu_seconds() - cpu


def estimates(out, case):
    """{candidate: {metric: estimate}} of the connected candidates of one case."""
    with open(os.path.join(out, case, "swarm.json")) as f:
        ranking = json.load(f)["ranking"]
    return {r["candidate"]: {m: r["metrics"][m]["estimate"] for m in METRICS}
            for r in ranking if r.get("connected", True)}


def truth(out, case):
    with open(os.path.join(out, case, "truth.json")) as f:
        document = json.load(f)
    return {r["candidate"]: {m: r["metrics"][m]["estimate"] for m in METRICS}
            for r in document["ranking"] if r.get("connected", True)}


def pick(out, case):
    with open(os.path.join(out, case, "swarm.json")) as f:
        return json.load(f)["ranking"][0]["candidate"]


def relative(a, b):
    return abs(a - b) / abs(b) if b else (0.0 if a == b else float("inf"))


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))] if values else float("nan")


def score(out, incidents, cases):
    """Cases where swarm picks ns-3's best under PriorityFCT, and the worst p99-FCT penalty:
    report.py's own definitions (priority comparator with 10% ties on the truth)."""
    best, worst = 0, 0.0
    for name in cases:
        case = report.load_case(os.path.join(out, name), incidents)
        result = report.evaluate(case)["PriorityFCT"]
        swarm = result["picks"]["SWARM"]
        if swarm["status"] != "ok":
            continue
        best += swarm["pick"] == result["best"]
        worst = max(worst, swarm["penalty"]["p99_fct_s"])
    return best, worst


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(root, "build"))
    ap.add_argument("--incidents", default=os.path.join(root, "data", "incidents", "fidelity"))
    ap.add_argument("--committed", default=os.path.join(here, "results"))
    ap.add_argument("--out", default="/tmp/swarm-downscale-error")
    ap.add_argument("--factors", nargs="+", type=int, default=[1, 2, 4, 10])
    ap.add_argument("--cases", nargs="*")
    args = ap.parse_args()
    if args.factors[0] != 1:
        sys.exit("downscale_error: the first factor must be 1 (the reference)")
    swarm = os.path.join(args.build, "swarm")
    cases = args.cases or sorted(c[:-5] for c in os.listdir(args.incidents) if c.endswith(".json"))

    runs = {}
    for factor in args.factors:
        out = os.path.join(args.out, f"k{factor}")
        wall, cpu = rank_suite(swarm, args.incidents, cases, args.committed, out, factor)
        runs[factor] = (out, wall, cpu)
        print(f"downscale {factor}: {len(cases)} cases, {wall:.1f} s wall, {cpu:.1f} CPU s",
              file=sys.stderr)

    reference = runs[1][0]
    print("| K | suite CPU s (wall s) | same pick as K = 1 | |Δ| vs K = 1: p1 / avg / p99 (median; p90) "
          "| PriorityFCT picks ns-3's best | worst p99-FCT penalty | median abs error vs ns-3: p1 / avg / p99 |")
    print("|---:|---:|---:|---|---:|---:|---|")
    for factor, (out, wall, cpu) in runs.items():
        changes = {m: [] for m in METRICS}
        errors = {m: [] for m in METRICS}
        same = 0
        for case in cases:
            same += pick(out, case) == pick(reference, case)
            ref, est, true = estimates(reference, case), estimates(out, case), truth(out, case)
            for candidate, values in est.items():
                for m in METRICS:
                    if candidate in ref:
                        changes[m].append(relative(values[m], ref[candidate][m]))
                    if candidate in true:
                        errors[m].append(relative(values[m], true[candidate][m]))
        best, worst = score(out, args.incidents, cases)
        change = " / ".join(f"{100 * statistics.median(changes[m]):.1f}%; {100 * percentile(changes[m], 0.9):.1f}%"
                            for m in METRICS)
        error = " / ".join(f"{100 * statistics.median(errors[m]):.0f}%" for m in METRICS)
        print(f"| {factor} | {cpu:.1f} ({wall:.1f}) | {same}/{len(cases)} | {change} | {best}/{len(cases)} "
              f"| {worst:.1f}% | {error} |")


if __name__ == "__main__":
    main()
