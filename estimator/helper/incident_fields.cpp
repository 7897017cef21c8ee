#include "estimator/helper/incident_fields.h"

namespace swarm::json_fields {

std::vector<std::pair<NodeId, double>> weight_map(const json& j, const std::string& path,
                                                  const Topology& topo, NodeId node) {
    as_object(j, path);
    if (j.empty()) {
        fail(path, "must list at least one neighbour");
    }
    std::vector<std::pair<NodeId, double>> weights;
    for (const auto& [name, value] : j.items()) {
        const std::string at = child(path, name);
        const auto neighbour = topo.find_node(name);
        if (!neighbour) {
            fail(at, "unknown node " + in_quotes(name));
        }
        if (!topo.find_link(node, *neighbour)) {
            fail(at, in_quotes(name) + " is not a neighbour of " + in_quotes(topo.node(node).name));
        }
        weights.emplace_back(*neighbour, number_in(value, at, kNonNegative));
    }
    return weights;
}

double number_at(const json& j, const std::string& path, std::string_view key, const Range& range) {
    return number_in(required_field(j, path, key), child(path, key), range);
}

}  // namespace swarm::json_fields
