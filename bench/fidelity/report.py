#!/usr/bin/env python3
"""Fidelity report (issue 4, docs/fidelity.md): penalties of swarm's and the baselines' picks
against the ns-3 ground truth, the estimator's own error, and a plot.

    bench/fidelity/report.py [RESULTS] [--incidents DIR] [--md FILE] [--svg FILE] [--json FILE]

RESULTS is run_fidelity.py's output (one directory per case with truth.json, swarm.json,
strategies.json); cases without a truth.json yet are skipped and counted.

Performance penalty (SWARM §4.1): per metric, the relative difference between the ground-truth
value of the best candidate and that of the candidate an approach picks, in percent, signed so
that positive is worse (throughput: (best - pick) / best; FCT: (pick - best) / best). "Best" is
the ground truth ranked by the comparator. Two priority comparators (§4.1), 10% ties:
PriorityFCT = p99 FCT, then p1 throughput, then average throughput; PriorityAvgT = average
throughput, then p99 FCT, then p1 throughput. The priority rule mirrors
estimator/comparator.cpp (ties within 10% of the best value stay in; after the last metric the
exact values, then input order, decide). A pick that partitions the network is not scored (the
paper leaves those out too) and is counted separately; a baseline whose rule matches no
candidate is counted as "no pick".

Does the truth separate its best? One ns-3 slice is one draw of ~110 long and ~160 short
flows, and p99 FCT is about their second-slowest short flow, so ns-3's best and runner-up are
often within noise. Per case and comparator the report bootstraps the measured flows (from
RESULTS/truth-cache.tsv, which keeps every flow of every (candidate, slice) run): flows are
resampled with replacement within each slice, paired across candidates (every candidate sees
the same flows: common random numbers), the per-slice metrics recomputed and averaged over
slices as swarm_truth does, and the candidates re-ranked with the comparator. The truth
*separates* its best when the best candidate of the full data is ranked first in at least 95%
of 1000 replicates. Penalties are then reported twice: raw (every case) and counted only where
the truth separates the best (elsewhere the pick is within the truth's own noise and counts as
0 penalty).
"""
import argparse
import glob
import json
import math
import os
import random
import statistics
import zlib

METRICS = ["p1_throughput_bps", "avg_throughput_bps", "p99_fct_s"]
SHORT = {"p1_throughput_bps": "p1 thr", "avg_throughput_bps": "avg thr", "p99_fct_s": "p99 FCT"}
COMPARATORS = {
    "PriorityFCT": ["p99_fct_s", "p1_throughput_bps", "avg_throughput_bps"],
    "PriorityAvgT": ["avg_throughput_bps", "p99_fct_s", "p1_throughput_bps"],
}
TOLERANCE = 0.1
BASELINES = ["NetPilot-Orig", "NetPilot-80", "NetPilot-99", "CorrOpt-25", "CorrOpt-50", "CorrOpt-75",
             "Operator-25", "Operator-50", "Operator-75"]
APPROACHES = ["SWARM"] + BASELINES


def higher_is_better(metric):
    return metric.endswith("throughput_bps")


def better(metric, a, b):
    if a is None or math.isnan(a):
        return False
    if b is None or math.isnan(b):
        return True
    return a > b if higher_is_better(metric) else a < b


def tied(metric, value, best):
    if math.isnan(best):
        return math.isnan(value)
    if math.isnan(value):
        return False
    if higher_is_better(metric):
        return value >= best - TOLERANCE * abs(best)
    return value <= best + TOLERANCE * abs(best)


def priority_pick(order, values, pool):
    """values[c][metric] -> the candidate the priority comparator ranks first among pool."""
    pool = list(pool)
    for metric in order:
        best = float("nan")
        for c in pool:
            if better(metric, values[c][metric], best):
                best = values[c][metric]
        pool = [c for c in pool if tied(metric, values[c][metric], best)]

    def key_less(a, b):
        for metric in order:
            if better(metric, values[a][metric], values[b][metric]):
                return True
            if better(metric, values[b][metric], values[a][metric]):
                return False
        return a < b
    choice = pool[0]
    for c in pool[1:]:
        if key_less(c, choice):
            choice = c
    return choice


def penalty(metric, best, pick):
    if math.isnan(best) or math.isnan(pick):
        return float("nan")
    if best == 0:
        return 0.0 if pick == 0 else (-math.inf if higher_is_better(metric) else math.inf)
    d = (best - pick) / best if higher_is_better(metric) else (pick - best) / best
    return 100.0 * d


def metric_values(entry):
    return {m: (entry["metrics"][m]["estimate"] if entry.get("metrics") and m in entry["metrics"]
                and entry["metrics"][m]["estimate"] is not None else float("nan")) for m in METRICS}


def load_case(case_dir, incidents):
    name = os.path.basename(case_dir)
    with open(os.path.join(case_dir, "truth.json")) as f:
        truth = json.load(f)
    with open(os.path.join(case_dir, "swarm.json")) as f:
        swarm = json.load(f)
    with open(os.path.join(case_dir, "strategies.json")) as f:
        strategies = json.load(f)
    with open(os.path.join(incidents, name + ".json")) as f:
        incident = json.load(f)
    order = [c["name"] for c in incident["candidates"]]
    idx = {n: i for i, n in enumerate(order)}
    t_vals, s_vals, connected = {}, {}, set()
    for e in truth["ranking"]:
        if e["connected"]:
            connected.add(idx[e["candidate"]])
            t_vals[idx[e["candidate"]]] = metric_values(e)
    for e in swarm["ranking"]:
        if e["connected"]:
            s_vals[idx[e["candidate"]]] = metric_values(e)
    picks = {s["strategy"]: (idx[s["candidate"]] if s.get("candidate") else None)
             for s in strategies["strategies"]}
    return {"name": name, "scenario": name.split("-")[0], "order": order, "truth": t_vals,
            "swarm": s_vals, "connected": connected, "baseline_picks": picks,
            "slices": truth["ground_truth"]["slices"], "details": truth["ground_truth"]["candidates"],
            "ground_truth": truth["ground_truth"]}


BOOTSTRAP_REPLICATES = 1000
SEPARATION_LEVEL = 0.95


def load_truth_flows(results):
    """RESULTS/truth-cache.tsv -> {(case, settings, candidate, slice): (long list, short list)}."""
    flows = {}
    path = os.path.join(results, "truth-cache.tsv")
    if not os.path.exists(path):
        return flows
    with open(path) as f:
        for line in f:
            if not line.endswith("\t.\n"):
                continue  # a torn last line of a killed run
            key, value = line[:-3].split("\t", 1)
            case, settings, candidate, slice_ = key.rsplit("|", 3)
            d = json.loads(value)
            if d.get("connected"):
                flows[(case, settings, candidate, int(slice_))] = (d["long"], d["short"])
    return flows


def type7(sorted_values, p):
    """Hyndman-Fan type 7 percentile (p in [0, 100]) of a sorted list, as estimator/metric.cpp."""
    n = len(sorted_values)
    if n == 0:
        return float("nan")
    h = (n - 1) * p / 100.0
    lo = int(math.floor(h))
    if lo + 1 >= n:
        return sorted_values[-1]
    return sorted_values[lo] + (h - lo) * (sorted_values[lo + 1] - sorted_values[lo])


def slice_metrics(long_values, short_values):
    lv, sv = sorted(long_values), sorted(short_values)
    return {"p1_throughput_bps": type7(lv, 1.0),
            "avg_throughput_bps": sum(lv) / len(lv) if lv else float("nan"),
            "p99_fct_s": type7(sv, 99.0)}


def case_flows(case, flows):
    """{candidate index: [(long, short) per slice]} for the case's connected candidates, from the
    cache entries whose settings match the truth.json (cc, scale, buffer)."""
    gt = case["ground_truth"]
    want = (f"{gt['cc']},scale={gt['scale']:.6f},buf={gt['buffer_packets']},")
    out = {}
    for k in case["connected"]:
        name = case["order"][k]
        per_slice = []
        for s in range(case["slices"]):
            hit = [v for (c, st, cand, sl), v in flows.items()
                   if c == case["name"] and cand == name and sl == s and st.startswith(want)]
            if not hit:
                return None
            per_slice.append(hit[0])
        out[k] = per_slice
    return out


def separation(case, flows_by_candidate):
    """Per comparator: (best, runner-up, fraction of bootstrap replicates ranking best first)."""
    rng = random.Random(zlib.crc32(case["name"].encode()))
    pool = sorted(flows_by_candidate)
    slices = len(next(iter(flows_by_candidate.values())))
    wins = {comp: 0 for comp in COMPARATORS}
    best = {comp: priority_pick(order, case["truth"], pool) for comp, order in COMPARATORS.items()}
    for _ in range(BOOTSTRAP_REPLICATES):
        values = {k: {m: 0.0 for m in METRICS} for k in pool}
        for s in range(slices):
            n_long = {len(flows_by_candidate[k][s][0]) for k in pool}
            n_short = {len(flows_by_candidate[k][s][1]) for k in pool}
            # Paired when every candidate measured the same number of flows (the same flows).
            shared_long = [rng.randrange(next(iter(n_long))) for _ in range(next(iter(n_long)))] \
                if len(n_long) == 1 else None
            shared_short = [rng.randrange(next(iter(n_short))) for _ in range(next(iter(n_short)))] \
                if len(n_short) == 1 else None
            for k in pool:
                lv, sv = flows_by_candidate[k][s]
                li = shared_long if shared_long is not None else [rng.randrange(len(lv)) for _ in lv]
                si = shared_short if shared_short is not None else [rng.randrange(len(sv)) for _ in sv]
                m = slice_metrics([lv[i] for i in li], [sv[i] for i in si])
                for x in METRICS:
                    values[k][x] += m[x] / slices
        for comp, order in COMPARATORS.items():
            wins[comp] += priority_pick(order, values, pool) == best[comp]
    out = {}
    for comp, order in COMPARATORS.items():
        rest = [k for k in pool if k != best[comp]]
        runner_up = priority_pick(order, case["truth"], rest) if rest else None
        out[comp] = (best[comp], runner_up, wins[comp] / BOOTSTRAP_REPLICATES)
    return out


def evaluate(case, separated=None):
    """Picks and penalties per comparator; `separated` is separation()'s result (None: the
    flows are not available, and the case counts as not separated)."""
    out = {}
    pool = sorted(case["connected"])
    swarm_pool = sorted(set(case["swarm"]) & case["connected"])
    for comp, order in COMPARATORS.items():
        best = priority_pick(order, case["truth"], pool)
        picks = {"SWARM": priority_pick(order, case["swarm"], swarm_pool) if swarm_pool else None}
        picks.update(case["baseline_picks"])
        support = separated[comp][2] if separated else float("nan")
        res = {"best": best, "picks": {}, "support": support,
               "runner_up": separated[comp][1] if separated else None,
               "separated": bool(separated) and support >= SEPARATION_LEVEL}
        for approach, pick in picks.items():
            if pick is None:
                res["picks"][approach] = {"pick": None, "status": "no pick"}
            elif pick not in case["connected"]:
                res["picks"][approach] = {"pick": pick, "status": "partitioned"}
            else:
                res["picks"][approach] = {
                    "pick": pick, "status": "ok",
                    "penalty": {m: penalty(m, case["truth"][best][m], case["truth"][pick][m]) for m in METRICS}}
        out[comp] = res
    return out


def fmt(x):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    if math.isinf(x):
        return "inf"
    return f"{x:.1f}"


def fmt_value(metric, v):
    if math.isnan(v):
        return "n/a"
    if metric.endswith("_s"):
        return f"{v * 1e3:.3g} ms"
    return f"{v / 1e9:.3g} Gb/s" if v >= 1e8 else f"{v / 1e6:.3g} Mb/s"


def misjudged(case, comp, pick, best):
    """The first comparator metric on which swarm's estimates order (pick, best) differently
    from the truth (ties at 10% included), with both estimates and both truths."""
    order = COMPARATORS[comp]
    for m in order:
        t_p, t_b = case["truth"][pick][m], case["truth"][best][m]
        e_p, e_b = case["swarm"][pick][m], case["swarm"][best][m]
        truth_tie = tied(m, t_p, t_b) and tied(m, t_b, t_p)
        est_tie = tied(m, e_p, e_b) and tied(m, e_b, e_p)
        if truth_tie and est_tie:
            continue
        return (m, e_p, e_b, t_p, t_b)
    return (None, None, None, None, None)


def svg_plot(rows, path):
    """Primary-metric penalty per approach and comparator: one dot per case, a bar at the
    median, scenarios coloured."""
    colours = {"s1": "#1f77b4", "s2": "#d62728", "s3": "#2ca02c"}
    width, height, left, top, panel_h, gap = 980, 650, 120, 40, 220, 80
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="11">',
           f'<rect width="{width}" height="{height}" fill="white"/>']
    for p, (comp, order) in enumerate(COMPARATORS.items()):
        y0 = top + p * (panel_h + gap)
        primary = order[0]
        vals = [min(300.0, max(-50.0, r[comp][a][primary])) for r in rows for a in APPROACHES
                if a in r[comp] and r[comp][a] is not None and not math.isnan(r[comp][a][primary])]
        # Whole multiples of the 50% grid, so every tick label lies inside its panel.
        hi = math.ceil(max([100.0] + vals) / 50.0) * 50.0
        lo = math.floor(min([0.0] + vals) / 50.0) * 50.0

        def y(v):
            return y0 + panel_h - (v - lo) / (hi - lo) * panel_h
        out.append(f'<text x="{left}" y="{y0 - 10}" font-size="13">{comp}: penalty on {SHORT[primary]} '
                   f'(%, clipped to [-50, 300]; one dot per case)</text>')
        for tick in range(int(lo // 50) * 50, int(hi) + 1, 50):
            out.append(f'<line x1="{left - 5}" x2="{width - 20}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
                       f'stroke="#ddd"/><text x="{left - 8}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick}</text>')
        step = (width - left - 40) / len(APPROACHES)
        for i, a in enumerate(APPROACHES):
            x = left + step * (i + 0.5)
            out.append(f'<text x="{x:.1f}" y="{y0 + panel_h + 16}" text-anchor="middle">{a}</text>')
            pts = []
            for j, r in enumerate(rows):
                v = r[comp].get(a)
                if v is None or math.isnan(v[primary]):
                    continue
                val = min(300.0, max(-50.0, v[primary]))
                pts.append(val)
                jitter = ((j * 37) % 21 - 10) * step / 60
                out.append(f'<circle cx="{x + jitter:.1f}" cy="{y(val):.1f}" r="2.6" '
                           f'fill="{colours.get(r["scenario"], "#777")}" fill-opacity="0.7"/>')
            if pts:
                med = statistics.median(pts)
                out.append(f'<line x1="{x - step * 0.35:.1f}" x2="{x + step * 0.35:.1f}" y1="{y(med):.1f}" '
                           f'y2="{y(med):.1f}" stroke="black" stroke-width="2"/>')
    for k, (s, c) in enumerate(colours.items()):
        out.append(f'<circle cx="{left + k * 110}" cy="{height - 12}" r="4" fill="{c}"/>'
                   f'<text x="{left + k * 110 + 8}" y="{height - 8}">Scenario {s[1]}</text>')
    out.append(f'<text x="{left + 350}" y="{height - 8}">black bar: median</text></svg>')
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.normpath(os.path.join(here, "..", ".."))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("results", nargs="?", default=os.path.join(here, "results"))
    ap.add_argument("--incidents", default=os.path.join(root, "data", "incidents", "fidelity"))
    ap.add_argument("--md", help="write the markdown report here (default: stdout)")
    ap.add_argument("--svg", help="write the penalty plot here")
    ap.add_argument("--json", help="write per-case penalties here")
    args = ap.parse_args()

    all_dirs = sorted(d for d in glob.glob(os.path.join(args.results, "*")) if os.path.isdir(d))
    cases = [load_case(d, args.incidents) for d in all_dirs
             if all(os.path.exists(os.path.join(d, f)) for f in ("truth.json", "swarm.json", "strategies.json"))]
    total = len(glob.glob(os.path.join(args.incidents, "*.json")))
    lines = []
    emit = lines.append
    emit(f"Cases with ground truth: **{len(cases)} of {total}** "
         f"(S1 {sum(c['scenario'] == 's1' for c in cases)}/36, S2 {sum(c['scenario'] == 's2' for c in cases)}/7, "
         f"S3 {sum(c['scenario'] == 's3' for c in cases)}/14).\n")
    flows = load_truth_flows(args.results)
    evals = {}
    for c in cases:
        by_candidate = case_flows(c, flows) if flows else None
        evals[c["name"]] = evaluate(c, separation(c, by_candidate) if by_candidate else None)
    rows = []
    for c in cases:
        row = {"case": c["name"], "scenario": c["scenario"],
               "separated": {comp: evals[c["name"]][comp]["separated"] for comp in COMPARATORS},
               "support": {comp: evals[c["name"]][comp]["support"] for comp in COMPARATORS}}
        for comp in COMPARATORS:
            row[comp] = {a: (evals[c["name"]][comp]["picks"][a]["penalty"]
                             if evals[c["name"]][comp]["picks"].get(a, {}).get("status") == "ok" else None)
                         for a in APPROACHES}
        rows.append(row)

    # Summary: median and max penalty per approach, scenario, comparator, metric.
    for comp, order in COMPARATORS.items():
        emit(f"### {comp} (primary: {SHORT[order[0]]})\n")
        emit("| approach | scenario | cases scored | picks best | median p1 thr | max p1 thr | median avg thr "
             "| max avg thr | median p99 FCT | max p99 FCT | partitioned | no pick |")
        emit("|---|---|---|---|---|---|---|---|---|---|---|---|")
        for a in APPROACHES:
            for scen in ("s1", "s2", "s3"):
                sel = [c for c in cases if c["scenario"] == scen]
                if not sel:
                    continue
                res = [evals[c["name"]][comp]["picks"].get(a, {"status": "no pick"}) for c in sel]
                ok = [r for r in res if r["status"] == "ok"]
                bests = sum(1 for c, r in zip(sel, res) if r["status"] == "ok"
                            and r["pick"] == evals[c["name"]][comp]["best"])
                cells = []
                for m in METRICS:
                    vals = [r["penalty"][m] for r in ok if not math.isnan(r["penalty"][m])]
                    cells += [fmt(statistics.median(vals)) if vals else "n/a", fmt(max(vals)) if vals else "n/a"]
                emit(f"| {a} | S{scen[1]} | {len(ok)} | {bests} | " + " | ".join(cells) +
                     f" | {sum(r['status'] == 'partitioned' for r in res)} | {sum(r['status'] == 'no pick' for r in res)} |")
        emit("")

    # The same, counting a penalty only where the truth separates its best (issue 13).
    emit("### Penalties where ns-3 separates its best\n")
    emit(f"A case counts when ns-3's best is ranked first in at least {SEPARATION_LEVEL:.0%} of "
         f"{BOOTSTRAP_REPLICATES} bootstrap replicates of its flows; elsewhere the pick is within the "
         "truth's noise and its penalty counts as 0. Primary metric of each comparator.\n")
    emit("| comparator | approach | separated cases S1 / S2 / S3 | picks best (separated) | "
         "median primary penalty S1 / S2 / S3 | max primary penalty S1 / S2 / S3 |")
    emit("|---|---|---|---|---|---|")
    for comp, order in COMPARATORS.items():
        primary = order[0]
        for a in APPROACHES:
            sep_cells, best_cells, med_cells, max_cells = [], [], [], []
            for scen in ("s1", "s2", "s3"):
                sel = [c for c in cases if c["scenario"] == scen]
                res = [(evals[c["name"]][comp], evals[c["name"]][comp]["picks"].get(a, {"status": "no pick"}))
                       for c in sel]
                ok = [(ev, r) for ev, r in res if r["status"] == "ok"]
                sep = [(ev, r) for ev, r in ok if ev["separated"]]
                counted = [r["penalty"][primary] if ev["separated"] else 0.0 for ev, r in ok
                           if not math.isnan(r["penalty"][primary])]
                sep_cells.append(f"{sum(ev['separated'] for ev, _ in res)}/{len(sel)}")
                best_cells.append(str(sum(r["pick"] == ev["best"] for ev, r in sep)))
                med_cells.append(fmt(statistics.median(counted)) if counted else "n/a")
                max_cells.append(fmt(max(counted)) if counted else "n/a")
            emit(f"| {comp} | {a} | {' / '.join(sep_cells)} | {' / '.join(best_cells)} | "
                 f"{' / '.join(med_cells)} | {' / '.join(max_cells)} |")
    emit("")

    # The estimator's own error, per metric: (estimate - truth) / truth over connected candidates.
    emit("### Estimator error against ns-3 (per candidate)\n")
    emit("Relative error (swarm estimate - ns-3) / ns-3 over every connected candidate of every case; "
         "median and the 10th/90th percentiles, and the median of the absolute error.\n")
    emit("| scenario | metric | candidates | median error | p10 | p90 | median abs error |")
    emit("|---|---|---|---|---|---|---|")
    errors = {}
    for scen in ("s1", "s2", "s3", "all"):
        sel = [c for c in cases if scen == "all" or c["scenario"] == scen]
        for m in METRICS:
            errs = []
            for c in sel:
                for k in c["connected"]:
                    t, e = c["truth"][k][m], c["swarm"].get(k, {}).get(m, float("nan"))
                    if t and not math.isnan(t) and not math.isnan(e):
                        errs.append(100.0 * (e - t) / t)
            errors[(scen, m)] = errs
            if errs:
                q = statistics.quantiles(errs, n=10) if len(errs) >= 2 else [errs[0]] * 9
                emit(f"| {scen.upper() if scen != 'all' else 'all'} | {SHORT[m]} | {len(errs)} | "
                     f"{fmt(statistics.median(errs))}% | {fmt(q[0])}% | {fmt(q[-1])}% | "
                     f"{fmt(statistics.median([abs(x) for x in errs]))}% |")
    emit("")

    # The target: the estimate of swarm's own pick within 10% of ns-3.
    emit("### Estimator error on swarm's picks\n")
    emit("The candidate swarm recommends, per comparator: how many of its estimates lie within 10% "
         "of ns-3, and the median absolute error.\n")
    emit("| comparator | metric | picks | within 10% | median abs error |")
    emit("|---|---|---|---|---|")
    for comp in COMPARATORS:
        for m in METRICS:
            errs = []
            for c in cases:
                sp = evals[c["name"]][comp]["picks"]["SWARM"]
                if sp["status"] != "ok":
                    continue
                k = sp["pick"]
                t, e = c["truth"][k][m], c["swarm"].get(k, {}).get(m, float("nan"))
                if t and not math.isnan(t) and not math.isnan(e):
                    errs.append(100.0 * (e - t) / t)
            if errs:
                emit(f"| {comp} | {SHORT[m]} | {len(errs)} | {sum(abs(x) <= 10.0 for x in errs)} | "
                     f"{fmt(statistics.median([abs(x) for x in errs]))}% |")
    emit("")

    # Cases where swarm's pick is not the best.
    emit("### Where swarm's pick is not the best\n")
    emit("The metric is the first one of the comparator on which swarm's estimates order its pick and "
         "the best candidate differently from ns-3 (10% ties); values: swarm estimate -> ns-3.\n")
    emit("| case | comparator | swarm pick | best (ns-3) | misjudged metric | pick: est -> ns-3 | best: est -> ns-3 "
         "| penalty p1 / avg / p99 (%) |")
    emit("|---|---|---|---|---|---|---|---|")
    for c in cases:
        for comp in COMPARATORS:
            ev = evals[c["name"]][comp]
            sp = ev["picks"]["SWARM"]
            if sp["status"] != "ok" or sp["pick"] == ev["best"]:
                continue
            m, e_p, e_b, t_p, t_b = misjudged(c, comp, sp["pick"], ev["best"])
            pen = " / ".join(fmt(sp["penalty"][x]) for x in METRICS)
            if m is None:
                emit(f"| {c['name']} | {comp} | {c['order'][sp['pick']]} | {c['order'][ev['best']]} | "
                     f"none (tied within 10% everywhere; exact order differs) | | | {pen} |")
            else:
                emit(f"| {c['name']} | {comp} | {c['order'][sp['pick']]} | {c['order'][ev['best']]} | {SHORT[m]} | "
                     f"{fmt_value(m, e_p)} -> {fmt_value(m, t_p)} | {fmt_value(m, e_b)} -> {fmt_value(m, t_b)} | {pen} |")
    emit("")

    # Per-case picks.
    emit("### Per case: ns-3's best and swarm's pick\n")
    emit("Support: the fraction of bootstrap replicates in which ns-3's best stays first (separated "
         f"at >= {SEPARATION_LEVEL:.0%}, marked yes); runner-up: ns-3's second under that comparator.\n")
    emit("| case | slices | flows (long/short, first candidate) | best FCT | runner-up FCT | support FCT | "
         "separated FCT | swarm FCT | best AvgT | runner-up AvgT | support AvgT | separated AvgT | swarm AvgT |")
    emit("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for c in cases:
        ef, ea = evals[c["name"]]["PriorityFCT"], evals[c["name"]]["PriorityAvgT"]
        first = next(iter(c["details"].values()))

        def name_of(r):
            return c["order"][r["pick"]] if r.get("pick") is not None else "-"
        def sep_cells(ev):
            runner = c["order"][ev["runner_up"]] if ev["runner_up"] is not None else "-"
            return (f"{c['order'][ev['best']]} | {runner} | {fmt(100 * ev['support'])}% | "
                    f"{'yes' if ev['separated'] else 'no'}")
        emit(f"| {c['name']} | {c['slices']} | {first['long_flows']}/{first['short_flows']} | "
             f"{sep_cells(ef)} | {name_of(ef['picks']['SWARM'])} | {sep_cells(ea)} | "
             f"{name_of(ea['picks']['SWARM'])} |")
    emit("")

    text = "\n".join(lines) + "\n"
    if args.md:
        with open(args.md, "w") as f:
            f.write(text)
    else:
        print(text)
    if args.svg:
        svg_plot(rows, args.svg)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1, default=lambda x: None)


if __name__ == "__main__":
    main()
