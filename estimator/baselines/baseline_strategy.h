// The baselines SWARM is compared against (§4.1 "Baselines"), as strategies that pick one
// candidate from an incident's list: NetPilot (Wu et al., SIGCOMM 2012), CorrOpt (Zhuo et al.,
// SIGCOMM 2017) and the provider's operator playbook. Pure library code, no I/O; the rules and
// every interpretation are in docs/baselines.md.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "swarm/incident.h"

namespace swarm::baselines {

struct BaselinePick {
    std::string strategy;                  ///< e.g. "NetPilot-80"
    std::optional<std::size_t> candidate;  ///< index into Incident::candidates; empty = none fits
    std::string reason;                    ///< what the rule decided and why, for people
};

/// "NetPilot-Orig", "NetPilot-80", "NetPilot-99", "CorrOpt-25", "CorrOpt-50", "CorrOpt-75",
/// "Operator-25", "Operator-50", "Operator-75", in that order.
std::vector<std::string> baseline_names();

/// Runs one baseline. Throws std::invalid_argument naming the known baselines when `name` is
/// not one of baseline_names() (exact spelling).
BaselinePick pick_with_baseline(const Incident& incident, const std::string& name);

}  // namespace swarm::baselines
