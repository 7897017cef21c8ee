#!/usr/bin/env python3
"""Writes the example leaf-spine topology with NetworkX itself, in the two formats NetworkX
writes: GraphML (networkx.write_graphml) and node-link JSON (json_graph.node_link_data).

    python3 data/topologies/generate.py [OUT_DIR]    # default: this directory

The fabric: 2 spines, 4 leaves (ToRs) with 2 servers each, every leaf linked to both spines at
100 Gbit/s; leaf-0 has a LAG of two members to spine-0. The same fabric, with the servers as
Linux containers, is leaf-spine.clab.yml (Containerlab). docs/incident-format.md lists the
attribute names (tier, pod, servers, role; gbps, delay_us).
"""
import json
import sys
from pathlib import Path

import networkx as nx
from networkx.readwrite import json_graph


def fabric() -> nx.MultiGraph:
    g = nx.MultiGraph()
    for s in range(2):
        g.add_node(f"spine-{s}", tier=1)
    for leaf in range(4):
        g.add_node(f"leaf-{leaf}", tier=0, pod=0, servers=2)
    for leaf in range(4):
        for s in range(2):
            g.add_edge(f"leaf-{leaf}", f"spine-{s}", gbps=100.0, delay_us=1.0)
    g.add_edge("leaf-0", "spine-0", gbps=100.0, delay_us=1.0)  # second LAG member
    return g


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    out.mkdir(parents=True, exist_ok=True)
    g = fabric()
    nx.write_graphml(g, out / "leaf-spine.graphml")
    with open(out / "leaf-spine.node-link.json", "w") as f:
        json.dump(json_graph.node_link_data(g), f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
