// Topologies written by other tools (GraphML, NetworkX node-link JSON, Containerlab), read
// into one neutral graph and converted to swarm's explicit topology form
// (docs/incident-format.md#imported-topologies). A helper: wiring from other formats to ours.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace swarm::topology_import {

/// A node or edge attribute set: attribute name -> value (numbers, strings or booleans, as the
/// source format typed them; Containerlab labels are all strings).
using Attributes = nlohmann::json;

struct ImportedNode {
    std::string name;
    Attributes attributes = Attributes::object();
};

struct ImportedEdge {
    std::size_t a = 0;  ///< index into ImportedGraph::nodes
    std::size_t b = 0;
    Attributes attributes = Attributes::object();
};

/// An undirected multigraph: parallel edges are separate links (LAG members).
struct ImportedGraph {
    std::string format;  ///< "GraphML", "NetworkX", "Containerlab": names the source in messages
    std::vector<ImportedNode> nodes;
    std::vector<ImportedEdge> edges;
};

/// Reads GraphML (as NetworkX's write_graphml or yEd write it) with Boost.Graph's read_graphml.
/// Errors name `path` (the JSON path of the import in the incident).
ImportedGraph read_graphml_text(const std::string& text, const std::string& path);
/// Reads NetworkX node-link data (json_graph.node_link_data: "nodes" and "links" or "edges").
ImportedGraph read_node_link(const nlohmann::json& document, const std::string& path);
/// Reads a Containerlab topology file (YAML: topology.nodes, topology.links).
ImportedGraph read_containerlab_text(const std::string& text, const std::string& path);

/// Link settings used when an edge carries no gbps/delay_us attribute (the import's keys
/// link_gbps, link_delay_us, server_link_gbps, server_link_delay_us; absent keys are null).
struct LinkDefaults {
    nlohmann::json link_gbps;
    nlohmann::json link_delay_us;
    nlohmann::json server_link_gbps;
    nlohmann::json server_link_delay_us;
};

/// The graph in swarm's explicit topology form ({"nodes", "links", ...}), which the incident
/// reader then validates as if written by hand. Nodes with role "server" become servers of
/// their ToR; every other node needs a tier. The switches must form one connected fabric.
nlohmann::json to_explicit_topology(const ImportedGraph& graph, const LinkDefaults& defaults,
                                    const std::string& path);

}  // namespace swarm::topology_import
