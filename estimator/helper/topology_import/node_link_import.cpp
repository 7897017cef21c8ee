// NetworkX node-link JSON -> neutral graph. The layout is networkx.readwrite.json_graph's
// node_link_data: {"directed", "multigraph", "graph", "nodes": [{"id", ...attributes}],
// "links" (NetworkX < 3.4; "edges" from 3.4 on): [{"source", "target", "key"?, ...attributes}]}.
#include <map>

#include "estimator/helper/json_fields.h"
#include "estimator/helper/topology_import/imported_graph.h"

namespace swarm::topology_import {
namespace {

using json = nlohmann::json;
using namespace json_fields;

/// NetworkX node ids may be any hashable: strings and integers are the ones JSON can carry.
std::string id_text(const json& id, const std::string& path) {
    if (id.is_string()) return id.get<std::string>();
    if (id.is_number_integer()) return id.dump();
    fail(path, "a NetworkX node id must be a string or an integer, got " + given(id));
}

Attributes without(const json& object, std::initializer_list<const char*> keys) {
    Attributes out = object;
    for (const char* key : keys) out.erase(key);
    return out;
}

}  // namespace

ImportedGraph read_node_link(const json& document, const std::string& path) {
    as_object(document, path);
    if (document.value("directed", false)) {
        fail(path,
             "NetworkX graph is directed; swarm's links are full duplex: export an undirected "
             "graph (nx.Graph or nx.MultiGraph, e.g. G.to_undirected())");
    }
    const json& nodes = as_array(required_field(document, path, "nodes"), child(path, "nodes"));
    const char* edges_key = document.contains("links") ? "links" : "edges";
    const json& edges = as_array(required_field(document, path, edges_key), child(path, edges_key));

    ImportedGraph out{"NetworkX", {}, {}};
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const std::string at = item(child(path, "nodes"), i);
        const json& node = as_object(nodes[i], at);
        std::string name = id_text(required_field(node, at, "id"), child(at, "id"));
        if (!index.emplace(name, out.nodes.size()).second)
            fail(at, "duplicate node id " + in_quotes(name));
        out.nodes.push_back({std::move(name), without(node, {"id"})});
    }
    for (std::size_t i = 0; i < edges.size(); ++i) {
        const std::string at = item(child(path, edges_key), i);
        const json& edge = as_object(edges[i], at);
        const auto end = [&](const char* key) {
            const std::string name = id_text(required_field(edge, at, key), child(at, key));
            const auto it = index.find(name);
            if (it == index.end()) fail(child(at, key), "no node with id " + in_quotes(name));
            return it->second;
        };
        out.edges.push_back(
            {end("source"), end("target"), without(edge, {"source", "target", "key"})});
    }
    return out;
}

}  // namespace swarm::topology_import
