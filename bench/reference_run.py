#!/usr/bin/env python3
"""A long fixed-sample reference run of an incident, against swarm's default (adaptive) pick.

Issue 14 asks that the settled pick of the defaults lie in the tied-best set of a long
full-scale run with fixed samples and no down-scaling. This writes a copy of INCIDENT with
`estimator.traffic_samples` / `routing_samples` set (which implies the paper's fixed mode),
ranks it with `swarm rank --format json`, keeps the JSON, and prints the reference's order with
the candidates tied with its best under the incident's priority comparator (within
`tie_tolerance` on every metric of `order`, docs/incident-format.md), and whether PICK is
among them.

  bench/reference_run.py BUILD/swarm INCIDENT --traffic 8 --routing 8 --pick disable-link \
      --out bench/reference/clos16k.json
With --result FILE instead of a run, it reads a reference's JSON kept earlier.
"""
import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time

METRIC_KEYS = {"p1_throughput": "p1_throughput_bps", "avg_throughput": "avg_throughput_bps",
               "p99_fct": "p99_fct_s"}


def tied(a, b, tolerance):
    """The priority comparator's tie: relative difference within the tolerance."""
    scale = max(abs(a), abs(b))
    return scale == 0 or abs(a - b) / scale <= tolerance


def tied_best(result, comparator):
    if comparator.get("type", "priority") != "priority":
        sys.exit("reference_run.py: only the priority comparator is supported")
    order = comparator.get("order", ["p1_throughput", "avg_throughput", "p99_fct"])
    tolerance = comparator.get("tie_tolerance", 0.1)
    ranking = [r for r in result["ranking"] if r.get("connected", True)]
    best = ranking[0]["metrics"]
    return [r["candidate"] for r in ranking
            if all(tied(r["metrics"][METRIC_KEYS[m]]["estimate"], best[METRIC_KEYS[m]]["estimate"],
                        tolerance) for m in order)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("swarm")
    parser.add_argument("incident")
    parser.add_argument("--traffic", type=int, required=True)
    parser.add_argument("--routing", type=int, required=True)
    parser.add_argument("--pick", required=True, help="the defaults' settled pick")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--out", help="where the reference's JSON goes")
    parser.add_argument("--result", help="a reference's JSON from an earlier run (no run)")
    args = parser.parse_args()
    if not args.out and not args.result:
        parser.error("give --out (run) or --result (read)")

    with open(args.incident) as f:
        incident = json.load(f)
    if args.result:
        with open(args.result) as f:
            return report(args, incident, json.load(f), "")
    incident.setdefault("estimator", {}).update(
        {"traffic_samples": args.traffic, "routing_samples": args.routing})
    with tempfile.NamedTemporaryFile("w", suffix=".json") as copy:
        json.dump(incident, copy)
        copy.flush()
        start = time.monotonic()
        run = subprocess.run([args.swarm, "rank", copy.name, "--format", "json",
                              "--threads", str(args.threads)], capture_output=True, text=True)
        wall = time.monotonic() - start
    if run.returncode != 0:
        sys.exit(f"swarm rank failed ({run.returncode}): {run.stderr.strip()}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(args.out, "w") as f:
        f.write(run.stdout)
    return report(args, incident, json.loads(run.stdout),
                  f", {usage.ru_utime + usage.ru_stime:.1f} CPU s, {wall:.1f} s wall")


def report(args, incident, result, cost):
    ties = tied_best(result, incident.get("comparator", {}))
    samples = result["samples"]
    print(f"{args.incident}: {samples['traffic']} x {samples['routing']} samples{cost}")
    for r in result["ranking"]:
        m = r["metrics"]
        print(f"  {r['rank']:>2} {r['candidate']:<32} p1 {m['p1_throughput_bps']['estimate']:.4g}"
              f"  avg {m['avg_throughput_bps']['estimate']:.4g}"
              f"  p99 {m['p99_fct_s']['estimate']:.4g}")
    print(f"  tied-best set: {', '.join(ties)}")
    print(f"  pick {args.pick}: {'in' if args.pick in ties else 'NOT in'} the tied-best set")
    return 0 if args.pick in ties else 1


if __name__ == "__main__":
    sys.exit(main())
