// Neutral graph -> swarm's explicit topology form. The attribute names are the same in every
// format (docs/incident-format.md#imported-topologies): nodes carry tier, pod, servers and role;
// edges carry gbps and delay_us. Every problem names the node or link it is about.
#include "estimator/helper/topology_import/imported_graph.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/connected_components.hpp>
#include <charconv>
#include <map>
#include <optional>

#include "estimator/helper/json_fields.h"

namespace swarm::topology_import {
namespace {

using json = nlohmann::json;
using json_fields::fail;
using json_fields::in_quotes;

std::string node_label(const ImportedGraph& g, std::size_t n) {
    return g.format + " node " + in_quotes(g.nodes[n].name);
}

std::string edge_label(const ImportedGraph& g, const ImportedEdge& e) {
    return g.format + " link " + in_quotes(g.nodes[e.a].name) + " -- " +
           in_quotes(g.nodes[e.b].name);
}

/// A number attribute as JSON: numbers as given, numeric strings (YAML labels) converted.
std::optional<json> number_attribute(const Attributes& attributes, const std::string& key,
                                     const std::string& path, const std::string& owner) {
    const auto it = attributes.find(key);
    if (it == attributes.end() || it->is_null()) return std::nullopt;
    if (it->is_number()) return *it;
    if (it->is_string()) {
        const std::string& text = it->get_ref<const std::string&>();
        std::int64_t whole = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), whole);
        if (error == std::errc{} && end == text.data() + text.size()) return json(whole);
        double real = 0.0;
        const auto [rend, rerror] = std::from_chars(text.data(), text.data() + text.size(), real);
        if (rerror == std::errc{} && rend == text.data() + text.size()) return json(real);
    }
    fail(path, owner + ": attribute " + key + " must be a number, got " + json_fields::given(*it));
}

enum class Role { Switch, Server };

Role role_of(const ImportedGraph& g, std::size_t n, const std::string& path) {
    const Attributes& attributes = g.nodes[n].attributes;
    const auto it = attributes.find("role");
    if (it == attributes.end()) return Role::Switch;
    if (*it == "switch") return Role::Switch;
    if (*it == "server") return Role::Server;
    fail(path, node_label(g, n) + ": attribute role must be \"switch\" or \"server\", got " +
                   json_fields::given(*it));
}

/// Edge indices per node.
std::vector<std::vector<std::size_t>> incident_edges(const ImportedGraph& g) {
    std::vector<std::vector<std::size_t>> out(g.nodes.size());
    for (std::size_t e = 0; e < g.edges.size(); ++e) {
        out[g.edges[e].a].push_back(e);
        out[g.edges[e].b].push_back(e);
    }
    return out;
}

/// The switches must form one fabric: a part that cannot reach the rest is almost always a
/// missing or misspelt link in the source file (Boost.Graph's connected_components).
void check_connected(const ImportedGraph& g, const std::vector<Role>& roles,
                     const std::string& path) {
    using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;
    Graph fabric(g.nodes.size());
    for (const ImportedEdge& e : g.edges) {
        if (roles[e.a] == Role::Switch && roles[e.b] == Role::Switch)
            boost::add_edge(e.a, e.b, fabric);
    }
    std::vector<int> component(g.nodes.size());
    boost::connected_components(fabric, component.data());
    std::optional<std::size_t> first;
    for (std::size_t n = 0; n < g.nodes.size(); ++n) {
        if (roles[n] != Role::Switch) continue;
        if (!first) {
            first = n;
        } else if (component[n] != component[*first]) {
            fail(path, "the switches do not form one connected fabric: " + node_label(g, n) +
                           " cannot reach " + in_quotes(g.nodes[*first].name));
        }
    }
}

/// The ToR a server node hangs off: its one link must go to a switch of tier 0.
std::size_t server_tor(const ImportedGraph& g, std::size_t n, const std::vector<std::size_t>& edges,
                       const std::vector<Role>& roles, const std::string& path) {
    if (edges.size() != 1) {
        fail(path, node_label(g, n) + " has role server and " + std::to_string(edges.size()) +
                       " links; a server needs exactly one link, to its ToR");
    }
    const ImportedEdge& e = g.edges[edges.front()];
    const std::size_t tor = e.a == n ? e.b : e.a;
    const auto tier = number_attribute(g.nodes[tor].attributes, "tier", path, node_label(g, tor));
    if (roles[tor] != Role::Switch || !tier || *tier != 0) {
        fail(path, node_label(g, n) + " has role server but its link goes to " +
                       in_quotes(g.nodes[tor].name) + ", which is not a tier-0 switch (ToR)");
    }
    return tor;
}

/// One value for every server link: the explicit form has a single server-link setting.
void agree(std::optional<json>& common, const std::optional<json>& value, const std::string& what,
           const std::string& owner, const std::string& path) {
    if (!value) return;
    if (common && *common != *value) {
        fail(path, owner + ": " + what + " " + value->dump() +
                       " differs from another server link's " + common->dump() +
                       "; all server links must have the same " + what);
    }
    common = value;
}

json switch_node(const ImportedGraph& g, std::size_t n, int extra_servers,
                 const std::string& path) {
    const std::string owner = node_label(g, n);
    const Attributes& attributes = g.nodes[n].attributes;
    const auto tier = number_attribute(attributes, "tier", path, owner);
    if (!tier) {
        fail(path, owner +
                       " has no tier attribute: give every switch a tier (0 = ToR, "
                       "1 = aggregation, 2 = spine, ...) and every server role \"server\"");
    }
    json node = {{"name", g.nodes[n].name}, {"tier", *tier}};
    if (const auto pod = number_attribute(attributes, "pod", path, owner)) node["pod"] = *pod;
    const auto servers = number_attribute(attributes, "servers", path, owner);
    if (servers || extra_servers > 0) {
        if (servers && !servers->is_number_integer()) {
            fail(path, owner + ": attribute servers must be an integer, got " + servers->dump());
        }
        node["servers"] = (servers ? servers->get<std::int64_t>() : 0) + extra_servers;
    }
    return node;
}

json link_of(const ImportedGraph& g, const ImportedEdge& e, const LinkDefaults& defaults,
             const std::string& path) {
    json link = {{"nodes", {g.nodes[e.a].name, g.nodes[e.b].name}}};
    const std::pair<const char*, const json*> keys[] = {{"gbps", &defaults.link_gbps},
                                                        {"delay_us", &defaults.link_delay_us}};
    for (const auto& [key, fallback] : keys) {
        if (auto value = number_attribute(e.attributes, key, path, edge_label(g, e))) {
            link[key] = *value;
        } else if (fallback->is_null()) {
            fail(path, edge_label(g, e) + " has no " + key +
                           " attribute and the import gives no link_" + key + " default");
        }
    }
    return link;
}

void put_default(json& topology, const char* key, const json& value) {
    if (!value.is_null()) topology[key] = value;
}

}  // namespace

json to_explicit_topology(const ImportedGraph& g, const LinkDefaults& defaults,
                          const std::string& path) {
    std::vector<Role> roles;
    for (std::size_t n = 0; n < g.nodes.size(); ++n) roles.push_back(role_of(g, n, path));
    const auto edges_of = incident_edges(g);

    std::map<std::size_t, int> servers_below;
    std::optional<json> server_gbps;
    std::optional<json> server_delay;
    for (std::size_t n = 0; n < g.nodes.size(); ++n) {
        if (roles[n] != Role::Server) continue;
        ++servers_below[server_tor(g, n, edges_of[n], roles, path)];
        const ImportedEdge& e = g.edges[edges_of[n].front()];
        agree(server_gbps, number_attribute(e.attributes, "gbps", path, edge_label(g, e)), "gbps",
              edge_label(g, e), path);
        agree(server_delay, number_attribute(e.attributes, "delay_us", path, edge_label(g, e)),
              "delay_us", edge_label(g, e), path);
    }
    check_connected(g, roles, path);

    json topology = {{"nodes", json::array()}, {"links", json::array()}};
    for (std::size_t n = 0; n < g.nodes.size(); ++n) {
        if (roles[n] == Role::Switch)
            topology["nodes"].push_back(switch_node(g, n, servers_below[n], path));
    }
    for (const ImportedEdge& e : g.edges) {
        if (roles[e.a] == Role::Switch && roles[e.b] == Role::Switch)
            topology["links"].push_back(link_of(g, e, defaults, path));
    }
    put_default(topology, "link_gbps", defaults.link_gbps);
    put_default(topology, "link_delay_us", defaults.link_delay_us);
    put_default(topology, "server_link_gbps",
                server_gbps ? *server_gbps : defaults.server_link_gbps);
    put_default(topology, "server_link_delay_us",
                server_delay ? *server_delay : defaults.server_link_delay_us);
    return topology;
}

}  // namespace swarm::topology_import
