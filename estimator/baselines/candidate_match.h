// Rule-based baselines (CorrOpt, operator playbooks) decide *what to do*, not which candidate
// to pick. This maps such a decision onto the incident's candidate list: the candidate whose
// actions do exactly what was decided and nothing else (docs/baselines.md).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "swarm/incident.h"

namespace swarm::baselines {

/// What a rule-based baseline decided. Empty = take no action.
struct Decision {
    std::vector<LinkId> disable_links;
    std::vector<NodeId> drain_tors;  ///< matched by disable_node on that ToR
    std::vector<NodeId>
        drain_servers;  ///< matched by move_traffic from that server, fraction 1, to anywhere
    bool empty() const {
        return disable_links.empty() && drain_tors.empty() && drain_servers.empty();
    }
};

/// The first candidate (input order) whose actions are exactly the decision: one action per
/// decided item, no other action. The empty decision matches a candidate without actions.
std::optional<std::size_t> find_matching_candidate(const Incident& incident,
                                                   const Decision& decision);

/// "disable link t0-0-0-t1-0-0, drain t0-1-1" or "take no action", for pick reasons.
std::string describe(const Topology& topology, const Decision& decision);

/// Result text for a rule-based decision: which candidate matched, or that none does.
std::string match_reason(const Incident& incident, const Decision& decision,
                         const std::optional<std::size_t>& match);

}  // namespace swarm::baselines
