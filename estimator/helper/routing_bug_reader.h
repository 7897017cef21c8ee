// The `routing_bug` failure of incident files (docs/incident-format.md "Failures"): a switch
// whose routing software is wrong for some destinations in recurring episodes (Keller thesis
// ch. 2, §2.5.1's synthetic bug model). Kept beside the reader's failure table so the table
// stays one line per type.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "swarm/incident.h"

namespace swarm {

/// Its keys besides "type".
const std::vector<std::string_view>& routing_bug_keys();

/// Parses and validates one {"type": "routing_bug", ...} at `path` (IncidentError on bad input).
Failure read_routing_bug(const nlohmann::json& j, const std::string& path, const Topology& topo);

/// Rejects a bug with more than kMaxBugEpisodes episodes in the simulated `horizon_s` (each
/// episode is two routing phases). `failures_path` is "$.failures".
void check_routing_bug_episodes(const std::vector<Failure>& failures, double horizon_s,
                                const std::string& failures_path);

}  // namespace swarm
