// Containerlab topology file (YAML) -> neutral graph. Layout as in containerlab's docs
// (containerlab.dev/manual/topo-def-file): topology.nodes is a map name -> {kind, labels, ...};
// topology.links is a list of either brief links {endpoints: ["node:iface", "node:iface"]} or
// extended ones {type: veth, endpoints: [{node, interface}, {node, interface}]}; both may carry
// labels. Node labels merge as containerlab merges them: defaults < kinds.<kind> < groups.<group>
// < the node's own. Linux containers (kind linux) are servers unless a role label says otherwise.
#include <yaml-cpp/yaml.h>

#include <map>

#include "estimator/helper/json_fields.h"
#include "estimator/helper/topology_import/imported_graph.h"

namespace swarm::topology_import {
namespace {

using json = nlohmann::json;
using json_fields::fail;
using json_fields::in_quotes;

/// `node[key]` when `node` is a map, else a null node: yaml-cpp throws on indexing a missing
/// node, and the optional sections (defaults, kinds, groups, labels) are often absent.
YAML::Node child(const YAML::Node& node, const std::string& key) {
    return node && node.IsMap() && node[key] ? node[key] : YAML::Node();
}

void merge_labels(const YAML::Node& owner, Attributes& into) {
    const YAML::Node labels = child(owner, "labels");
    if (!labels.IsMap()) return;
    for (const auto& entry : labels)
        into[entry.first.as<std::string>()] = entry.second.as<std::string>();
}

Attributes node_labels(const YAML::Node& topology, const YAML::Node& node) {
    Attributes labels = Attributes::object();
    const YAML::Node defaults = child(topology, "defaults");
    merge_labels(defaults, labels);
    const YAML::Node kind_node =
        child(node, "kind") ? child(node, "kind") : child(defaults, "kind");
    const std::string kind = kind_node.IsScalar() ? kind_node.as<std::string>() : "";
    if (!kind.empty()) merge_labels(child(child(topology, "kinds"), kind), labels);
    const YAML::Node group = child(node, "group");
    if (group.IsScalar())
        merge_labels(child(child(topology, "groups"), group.as<std::string>()), labels);
    merge_labels(node, labels);
    if (kind == "linux" && !labels.contains("role")) labels["role"] = "server";
    return labels;
}

/// "leaf1:e1-1" or {node: leaf1, interface: e1-1} -> "leaf1".
std::string endpoint_node(const YAML::Node& endpoint) {
    if (endpoint.IsMap()) return endpoint["node"].as<std::string>();
    const auto text = endpoint.as<std::string>();
    return text.substr(0, text.find(':'));
}

}  // namespace

ImportedGraph read_containerlab_text(const std::string& text, const std::string& path) {
    ImportedGraph out{"Containerlab", {}, {}};
    try {
        const YAML::Node root = YAML::Load(text);
        const YAML::Node topology = child(root, "topology");
        if (!child(topology, "nodes").IsMap()) {
            fail(path, "not a Containerlab topology: no topology.nodes map");
        }
        std::map<std::string, std::size_t> index;
        for (const auto& entry : topology["nodes"]) {
            const auto name = entry.first.as<std::string>();
            index.emplace(name, out.nodes.size());
            out.nodes.push_back({name, node_labels(topology, entry.second)});
        }
        const YAML::Node links = child(topology, "links");
        for (std::size_t i = 0; links.IsSequence() && i < links.size(); ++i) {
            const YAML::Node endpoints = child(links[i], "endpoints");
            if (!endpoints.IsSequence() || endpoints.size() != 2) {
                fail(path,
                     "Containerlab link " + std::to_string(i) + " needs exactly two endpoints");
            }
            std::size_t ends[2] = {0, 0};
            for (std::size_t k = 0; k < 2; ++k) {
                const std::string name = endpoint_node(endpoints[k]);
                const auto it = index.find(name);
                if (it == index.end()) {
                    fail(path, "Containerlab link " + std::to_string(i) + " names node " +
                                   in_quotes(name) + ", which is not in topology.nodes");
                }
                ends[k] = it->second;
            }
            Attributes labels = Attributes::object();
            merge_labels(links[i], labels);
            out.edges.push_back({ends[0], ends[1], std::move(labels)});
        }
    } catch (const IncidentError&) {
        throw;
    } catch (const YAML::Exception& e) {
        fail(path, std::string("cannot read the Containerlab YAML: ") + e.what());
    }
    return out;
}

}  // namespace swarm::topology_import
