// Small documented topologies shared by the core tests (Parsimon's testing.rs idea).
#pragma once

#include "estimator/helper/clos_builder.h"
#include "swarm/topology.h"

namespace swarm::testing {

/// The SWARM testbed shape (§4.1): 2 pods x 3 ToRs, 2 T1 per pod, 2 spines, 10 Gbps, 1 us.
/// Every ToR has 2 uplinks; every T1 has 2 spine links.
inline Topology testbed_clos(int servers_per_tor = 6) {
    ClosParams p;
    p.pods = 2;
    p.tors_per_pod = 3;
    p.aggs_per_pod = 2;
    p.spines = 2;
    p.servers_per_tor = servers_per_tor;
    p.link_gbps = 10.0;
    p.link_delay_us = 1.0;
    return build_clos(p);
}

inline NodeId node(const Topology& t, const char* name) { return *t.find_node(name); }
inline LinkId link(const Topology& t, const char* a, const char* b) { return *t.find_link(node(t, a), node(t, b)); }

}  // namespace swarm::testing
