#!/usr/bin/env python3
"""Writes the SWARM Table A.1 fidelity suite (57 cases) as incident files.

    bench/fidelity/generate_incidents.py [OUT_DIR]      (default data/incidents/fidelity)

Every case runs on the shipped small Clos (2 pods x 3 ToRs x 2 aggregation switches, 2 spines,
6 servers per ToR, 10 Gb/s, 1 us links; data/incidents/scenario*.json) with DCTCP web-search
flow sizes at 120 flows/s per server. A short simulated interval (0.1 s, flows starting in
[0.02, 0.08) s measured) keeps the packet-level ground truth to about half a minute per
candidate and traffic slice (docs/fidelity.md). The comparator written into each file is
PriorityFCT; the report re-ranks every candidate under PriorityAvgT as well.

Drop levels: "low" 1e-3 and "high" 5e-2 (the paper's O(.) exponents did not survive in our
copy; these are the levels the shipped scenario files use). Where Table A.1 asks for "all the
possible orderings of failures", the failure that came first has already been mitigated the way
a playbook would (a lossy link disabled, recorded as an ongoing mitigation), so candidates
include undoing it; a link that is down stays down whatever the order, so those pairs of cases
are identical in this encoding (noted in their description).
"""
import json
import os
import sys

LEVELS = {"low": 1e-3, "high": 5e-2}
CLOS = {"pods": 2, "tors_per_pod": 3, "aggs_per_pod": 2, "spines": 2, "servers_per_tor": 6,
        "link_gbps": 10, "link_delay_us": 1}
PRIORITY_FCT = {"type": "priority", "order": ["p99_fct", "p1_throughput", "avg_throughput"],
                "tie_tolerance": 0.1}


def link(a, b):
    return [a, b]


def incident(name, description, failures, ongoing, candidates):
    return {
        "version": 1,
        "name": name,
        "description": description,
        "topology": {"clos": CLOS},
        "routing": {"mode": "ecmp"},
        "ongoing_mitigations": ongoing,
        "failures": failures,
        "traffic": {"arrival_rate_per_server": 120, "flow_size_cdf": "dctcp-websearch",
                    "pattern": {"type": "uniform"}, "duration_s": 0.1,
                    "measure_window_s": [0.02, 0.08]},
        "candidates": candidates,
        "comparator": PRIORITY_FCT,
        "estimator": {"confidence": 0.95, "epsilon": 0.1, "epoch_ms": 1,
                      "short_flow_bytes": 150000, "seed": 1},
    }


def loss(l, level):
    return {"type": "link_loss", "link": l, "drop_rate": LEVELS[level]}


def disable(l):
    return {"type": "disable_link", "link": l}


def enable(l):
    return {"type": "enable_link", "link": l}


def other_uplink_weights(l):
    """WCMP at the lower end of link l: a quarter of its share on l, the rest on the other
    uplink (the agg or spine it does not reach through l)."""
    lower, upper = l
    if lower.startswith("t0-"):
        pod = lower.split("-")[1]
        others = [f"t1-{pod}-{j}" for j in range(2) if f"t1-{pod}-{j}" != upper]
    else:
        others = [f"t2-{k}" for k in range(2) if f"t2-{k}" != upper]
    weights = {upper: 1}
    for o in others:
        weights[o] = 3
    return {"type": "set_wcmp", "node": lower, "weights": weights}


def scenario1():
    cases = []
    singles = {"t0t1": link("t0-0-0", "t1-0-0"), "t1t2": link("t1-0-0", "t2-0")}
    for kind, l in singles.items():
        for level in ("low", "high"):
            cases.append(incident(
                f"s1-1link-{kind}-{level}",
                f"Table A.1 Scenario 1, one link failure: {l[0]}-{l[1]} drops {LEVELS[level]:g}.",
                [loss(l, level)], [],
                [{"name": "no-action", "actions": []},
                 {"name": "disable-link", "actions": [disable(l)]},
                 {"name": "wcmp-deprioritise", "actions": [other_uplink_weights(l)]}]))
    pairs = {
        "same-t0": (link("t0-0-0", "t1-0-0"), link("t0-0-0", "t1-0-1")),
        "diff-t0-t1": (link("t0-0-0", "t1-0-0"), link("t0-0-1", "t1-0-1")),
        "t0t1-t1t2": (link("t0-0-0", "t1-0-0"), link("t1-0-1", "t2-1")),
        "t1t2-t1t2": (link("t1-0-0", "t2-0"), link("t1-0-1", "t2-1")),
    }
    for pair, (a, b) in pairs.items():
        for la in ("low", "high"):
            for lb in ("low", "high"):
                for first, second, lf, ls, order in ((a, b, la, lb, "ab"), (b, a, lb, la, "ba")):
                    cases.append(incident(
                        f"s1-2links-{pair}-{la}-{lb}-{order}",
                        f"Table A.1 Scenario 1, two link failures ({pair}): {first[0]}-{first[1]} "
                        f"dropped {LEVELS[lf]:g} first and was disabled; now {second[0]}-{second[1]} "
                        f"drops {LEVELS[ls]:g}.",
                        [loss(first, lf), loss(second, ls)], [disable(first)],
                        [{"name": "no-action", "actions": []},
                         {"name": "disable-new", "actions": [disable(second)]},
                         {"name": "bring-back-first", "actions": [enable(first)]},
                         {"name": "bring-back-first+disable-new",
                          "actions": [enable(first), disable(second)]}]))
    return cases


def second_link_cases(prefix, story, first, first_candidates, l, level, disabled_note):
    """Two orderings of `first` (a failure described by story = (new, old) sentences) and a
    second failure of link l at `level` (low, high or down): "-new", l fails last with no
    mitigation yet; "-old", l failed first and, if lossy, was disabled (ongoing mitigation)."""
    second = {"type": "link_down", "link": l} if level == "down" else loss(l, level)
    what = "is down" if level == "down" else f"drops {LEVELS[level]:g}"
    name = l[0] + "-" + l[1]
    new = incident(f"{prefix}-{level}-new", f"Table A.1 {story[0]}, then {name} {what}.",
                   [first, second], [],
                   first_candidates + [{"name": "disable-" + ("second" if "s2" in prefix else "link"),
                                        "actions": [disable(l)]}])
    if level == "down":
        note, ongoing = " (a down link stays down: identical to the other order)", []
        last = {"name": new["candidates"][-1]["name"], "actions": [disable(l)]}
    else:
        note, ongoing = disabled_note, [disable(l)]
        last = {"name": "bring-back-" + ("second" if "s2" in prefix else "link"), "actions": [enable(l)]}
    old = incident(f"{prefix}-{level}-old", f"Table A.1 {story[1].format(first=f'{name} {what} first{note}')}.",
                   [second, first], ongoing, first_candidates + [last])
    return [new, old]


def scenario2():
    half = link("t1-0-0", "t2-0")
    lossy = link("t0-0-1", "t1-0-0")
    base_candidates = [
        {"name": "no-action", "actions": []},
        {"name": "disable-half-link", "actions": [disable(half)]},
        {"name": "wcmp-half-link",
         "actions": [{"type": "set_wcmp", "node": "t1-0-0", "weights": {"t2-0": 1, "t2-1": 2}}]},
    ]
    capacity = {"type": "link_capacity", "link": half, "fraction": 0.5}
    cases = [incident("s2-half-capacity",
                      f"Table A.1 Scenario 2: {half[0]}-{half[1]} runs at half capacity.",
                      [capacity], [], base_candidates)]
    story = (f"Scenario 2: {half[0]}-{half[1]} at half capacity",
             "Scenario 2: {first}; then " + f"{half[0]}-{half[1]} lost half its capacity")
    for level in ("low", "high", "down"):
        cases += second_link_cases("s2-half-capacity", story, capacity, base_candidates, lossy, level,
                                   "; it was disabled before the capacity loss")
    return cases


def scenario3():
    tor = "t0-0-0"
    other = link("t0-0-1", "t1-0-0")
    tor_candidates = [
        {"name": "no-action", "actions": []},
        {"name": "drain-tor", "actions": [{"type": "disable_node", "node": tor}]},
        {"name": "move-half-vms", "description": "Migrate half of the ToR's VM traffic to t0-1-0.",
         "actions": [{"type": "move_traffic", "from": tor, "to": "t0-1-0", "fraction": 0.5}]},
    ]
    cases = []
    for tl in ("low", "high"):
        tor_loss = {"type": "node_loss", "node": tor, "drop_rate": LEVELS[tl]}
        cases.append(incident(f"s3-tor-{tl}",
                              f"Table A.1 Scenario 3: ToR {tor} drops {LEVELS[tl]:g}.",
                              [tor_loss], [], tor_candidates))
        story = (f"Scenario 3: ToR {tor} drops {LEVELS[tl]:g}",
                 "Scenario 3: {first}; then ToR " + f"{tor} drops {LEVELS[tl]:g}")
        for ll in ("low", "high", "down"):
            cases += second_link_cases(f"s3-tor-{tl}-link", story, tor_loss, tor_candidates, other, ll,
                                       " and was disabled")
    return cases


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(__file__), "..", "..", "data", "incidents", "fidelity")
    os.makedirs(out, exist_ok=True)
    suites = {"s1": scenario1(), "s2": scenario2(), "s3": scenario3()}
    assert [len(suites[k]) for k in ("s1", "s2", "s3")] == [36, 7, 14]
    for cases in suites.values():
        for case in cases:
            with open(os.path.join(out, case["name"] + ".json"), "w") as f:
                json.dump(case, f, indent=1)
                f.write("\n")
    print(f"wrote {sum(len(c) for c in suites.values())} incidents to {out}")


if __name__ == "__main__":
    main()
