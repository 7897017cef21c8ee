// CorrOpt (Zhuo et al., "Understanding and Mitigating Packet Corruption in Data Center
// Networks", SIGCOMM 2017) as SWARM §4.1 evaluates it: only link corruption is handled; a
// corrupting link is disabled only if every ToR it affects keeps at least the threshold
// fraction of its paths to the spine (CorrOpt's capacity constraint, checked link by link as
// its fast checker does). The decision is mapped onto the candidate list (candidate_match.h).
#pragma once

#include <vector>

#include "estimator/baselines/baseline_strategy.h"
#include "estimator/network_state.h"

namespace swarm::baselines {

/// Per ToR (Topology::tors() order), the number of distinct upward paths over usable switches
/// and links to a switch of the topmost tier (the spine; the aggregation tier in a one-pod,
/// spine-less Clos).
std::vector<double> spine_path_counts(const NetworkState& state);

/// `path_fraction` is the capacity-constraint threshold: 0.25 for CorrOpt-25.
BaselinePick pick_corropt(const Incident& incident, double path_fraction);

}  // namespace swarm::baselines
