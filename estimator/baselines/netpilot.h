// NetPilot (Wu et al., "NetPilot: Automating Datacenter Network Failure Mitigation", SIGCOMM
// 2012) as SWARM §4.1 evaluates it: estimate every candidate's maximum link utilisation and
// pick the lowest; faulty links are not modelled, so corrupted links always go (NetPilot-Orig).
// NetPilot-80/-99 mitigate only when the pick's maximum utilisation stays below 80% / 99%.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "estimator/baselines/baseline_strategy.h"
#include "estimator/baselines/link_load.h"

namespace swarm::baselines {

/// What NetPilot sees of one candidate.
struct NetPilotAssessment {
    /// Why NetPilot rules it out: demand loses its path or a drain has nowhere to go.
    std::optional<std::string> unviable;
    int faulty_in_service = 0;  ///< lossy links and lossy switches above the ToR still in service
    PeakUtilisation peak;       ///< over usable links; lossy links are not modelled
};

/// One assessment per candidate, in input order.
std::vector<NetPilotAssessment> assess_netpilot(const Incident& incident);

/// `threshold` empty = NetPilot-Orig; else mitigate only if the pick's maximum utilisation is
/// below it (0.8 for NetPilot-80), otherwise pick the candidate without actions.
BaselinePick pick_netpilot(const Incident& incident, std::optional<double> threshold);

}  // namespace swarm::baselines
