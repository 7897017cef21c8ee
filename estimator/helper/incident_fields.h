// Field readers the incident sections share (incident_sections.h): path-aware like the rest of
// json_fields.h, but tied to the incident format (WCMP weight maps, required numbers by key).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "estimator/helper/json_fields.h"
#include "swarm/topology.h"

namespace swarm::json_fields {

/// {neighbour: weight}: WCMP weights of `node`, each neighbour adjacent, each weight >= 0.
/// Used by the routing section and by the set_wcmp action.
std::vector<std::pair<NodeId, double>> weight_map(const json& j, const std::string& path,
                                                  const Topology& topo, NodeId node);

/// The required number `key` of object `j`, within `range`.
double number_at(const json& j, const std::string& path, std::string_view key, const Range& range);

}  // namespace swarm::json_fields
