// Builds the three-tier Clos (fat-tree style) topologies of the SWARM evaluation from a few
// counts, so that incidents and tests need not list every switch and link.
#pragma once

#include <optional>

#include "swarm/topology.h"

namespace swarm {

/// Shape of a three-tier Clos: pods of ToRs (t0) and aggregation switches (t1), joined by
/// spines (t2). PRECONDITION: counts >= 0, rates > 0, delays >= 0 (the reader validates).
struct ClosParams {
    int pods = 1;
    int tors_per_pod = 1;
    int aggs_per_pod = 1;
    int spines = 1;
    int servers_per_tor = 1;
    double link_gbps = 10.0;  ///< switch-to-switch links
    double link_delay_us = 1.0;
    std::optional<double> server_link_gbps;      ///< server-to-ToR links; default link_gbps
    std::optional<double> server_link_delay_us;  ///< default link_delay_us
};

/// Names: ToRs "t0-P-I", aggregation "t1-P-J", spines "t2-K", servers "<tor>-h<i>".
/// Every ToR of pod P links to every t1-P-*, every t1 links to every spine.
/// Insertion order: ToRs pod-major, then t1s, then spines, then servers (ToR by ToR).
Topology build_clos(const ClosParams& params);

}  // namespace swarm
