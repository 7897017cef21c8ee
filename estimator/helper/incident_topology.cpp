// Incident sections "topology" and "routing" (docs/incident-format.md): the network, either a
// Clos by its dimensions or explicit nodes and links, and the WCMP weights routing starts from.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "estimator/helper/clos_builder.h"
#include "estimator/helper/incident_fields.h"
#include "estimator/helper/incident_sections.h"

namespace swarm::incident_sections {

using namespace json_fields;

namespace {

// Size limits keep a typo such as "servers_per_tor": 1e9 from exhausting memory: a reader
// must fail fast on any input, and the paper's largest topologies are far below these.
constexpr std::int64_t kMaxNodes = 1'000'000;
constexpr std::int64_t kMaxLinks = 4'000'000;
constexpr std::int64_t kMaxCount = 100'000;  // any single Clos dimension

// ---- topology

double link_gbps(const json& j, const std::string& path) { return number_in(j, path, kPositive); }
double link_delay(const json& j, const std::string& path) {
    return number_in(j, path, kNonNegative);
}

void check_size(const std::string& path, std::int64_t nodes, std::int64_t links) {
    if (nodes <= kMaxNodes && links <= kMaxLinks) {
        return;
    }
    fail(path, "topology too large: " + std::to_string(nodes) + " nodes and " +
                   std::to_string(links) + " links (limits " + std::to_string(kMaxNodes) + " and " +
                   std::to_string(kMaxLinks) + ")");
}

Topology read_clos(const json& j, const std::string& path) {
    as_object(j, path);
    check_keys(j, path,
               {"pods", "tors_per_pod", "aggs_per_pod", "spines", "servers_per_tor", "link_gbps",
                "link_delay_us", "server_link_gbps", "server_link_delay_us"});
    const auto count = [&](std::string_view key, std::int64_t lo) {
        return int_in(required_field(j, path, key), child(path, key), lo, kMaxCount);
    };
    ClosParams p;
    p.pods = count("pods", 1);
    p.tors_per_pod = count("tors_per_pod", 1);
    p.aggs_per_pod = count("aggs_per_pod", 1);
    p.spines = count("spines", 0);
    p.servers_per_tor = count("servers_per_tor", 1);
    if (p.pods > 1 && p.spines == 0) {
        fail(child(path, "spines"), "must be at least 1 when pods > 1, got 0");
    }
    p.link_gbps = link_gbps(required_field(j, path, "link_gbps"), child(path, "link_gbps"));
    p.link_delay_us =
        link_delay(required_field(j, path, "link_delay_us"), child(path, "link_delay_us"));
    if (const json* v = optional_field(j, "server_link_gbps")) {
        p.server_link_gbps = link_gbps(*v, child(path, "server_link_gbps"));
    }
    if (const json* v = optional_field(j, "server_link_delay_us")) {
        p.server_link_delay_us = link_delay(*v, child(path, "server_link_delay_us"));
    }

    const std::int64_t tors = std::int64_t{p.pods} * p.tors_per_pod;
    const std::int64_t aggs = std::int64_t{p.pods} * p.aggs_per_pod;
    const std::int64_t servers = tors * p.servers_per_tor;
    check_size(path, tors + aggs + p.spines + servers,
               tors * p.aggs_per_pod + aggs * p.spines + servers);
    return build_clos(p);
}

/// Explicit form, step 1: the switches, with their server counts (servers come last).
std::vector<int> add_explicit_nodes(const json& nodes, const std::string& path, Topology& topo) {
    as_array(nodes, path);
    std::vector<int> servers;
    std::int64_t total_servers = 0;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const std::string at = item(path, i);
        const json& n = as_object(nodes[i], at);
        check_keys(n, at, {"name", "tier", "servers", "pod"});
        const std::string& name = as_name(required_field(n, at, "name"), child(at, "name"));
        if (topo.find_node(name)) {
            fail(child(at, "name"), "duplicate node name " + in_quotes(name));
        }
        const int tier = int_in(required_field(n, at, "tier"), child(at, "tier"), 0, 1000);
        const json* pod = optional_field(n, "pod");
        const json* count = optional_field(n, "servers");
        const int server_count = count ? int_in(*count, child(at, "servers"), 0, kMaxNodes) : 0;
        if (server_count > 0 && tier != 0) {
            fail(child(at, "servers"),
                 "servers are only allowed on tier-0 nodes (ToRs); this node has tier " +
                     std::to_string(tier));
        }
        total_servers += server_count;
        check_size(path, static_cast<std::int64_t>(i) + 1 + total_servers, 0);
        topo.add_switch(name, tier, pod ? int_in(*pod, child(at, "pod"), 0, kMaxNodes) : -1);
        servers.push_back(server_count);
    }
    return servers;
}

/// Top-level default for a per-link field, or an error saying it is needed.
double link_field(const json& link, const std::string& at, std::string_view key,
                  const json& topology, std::string_view default_key,
                  double (*read)(const json&, const std::string&)) {
    if (const json* v = optional_field(link, key)) {
        return read(*v, child(at, key));
    }
    if (const json* v = optional_field(topology, default_key)) {
        return read(*v, child("$.topology", default_key));
    }
    fail(child(at, key),
         "required key is missing (no top-level " + std::string(default_key) + " default)");
}

/// Explicit form, step 2: switch-to-switch links.
void add_explicit_links(const json& links, const std::string& path, const json& topology,
                        Topology& topo) {
    as_array(links, path);
    check_size(path, 0, static_cast<std::int64_t>(links.size()));
    for (std::size_t i = 0; i < links.size(); ++i) {
        const std::string at = item(path, i);
        const json& l = as_object(links[i], at);
        check_keys(l, at, {"nodes", "gbps", "delay_us"});
        const json& ends = required_field(l, at, "nodes");
        const std::string ends_at = child(at, "nodes");
        if (!ends.is_array() || ends.size() != 2) {
            fail(ends_at, "expected an array of 2 node names, got " + given(ends));
        }
        const NodeId a = node_ref(ends[0], item(ends_at, 0), topo);
        const NodeId b = node_ref(ends[1], item(ends_at, 1), topo);
        if (a == b) {
            fail(ends_at, "a link needs two different nodes, got " + in_quotes(topo.node(a).name) +
                              " twice");
        }
        // A pair listed again is a parallel link (a LAG member), its own failure target.
        const double gbps = link_field(l, at, "gbps", topology, "link_gbps", link_gbps);
        const double delay = link_field(l, at, "delay_us", topology, "link_delay_us", link_delay);
        topo.add_link(a, b, BitsPerSec::from_gbps(gbps), Seconds::from_us(delay));
    }
}

/// Explicit form, step 3: servers below each ToR, on links of the server_link_* settings.
void add_explicit_servers(const std::vector<int>& servers, const json& topology,
                          const std::string& path, Topology& topo) {
    const bool any = std::any_of(servers.begin(), servers.end(), [](int n) { return n > 0; });
    if (!any) {
        return;
    }
    const auto setting = [&](std::string_view key, std::string_view fallback, auto read) {
        if (const json* v = optional_field(topology, key)) {
            return read(*v, child(path, key));
        }
        if (const json* v = optional_field(topology, fallback)) {
            return read(*v, child(path, fallback));
        }
        fail(child(path, key), "required key is missing (needed for server links; or give " +
                                   std::string(fallback) + ")");
    };
    const double gbps = setting("server_link_gbps", "link_gbps", link_gbps);
    const double delay = setting("server_link_delay_us", "link_delay_us", link_delay);
    for (std::size_t i = 0; i < servers.size(); ++i) {
        const auto tor = static_cast<NodeId>(i);  // switches were added first, in file order
        for (int h = 0; h < servers[i]; ++h) {
            const std::string name = topo.node(tor).name + "-h" + std::to_string(h);
            if (topo.find_node(name)) {
                fail(child(item(child(path, "nodes"), i), "servers"),
                     "server name " + in_quotes(name) + " collides with a node of that name");
            }
        }
        topo.add_servers(tor, servers[i], BitsPerSec::from_gbps(gbps), Seconds::from_us(delay));
    }
}

Topology read_explicit(const json& j, const std::string& path) {
    Topology topo;
    const json& nodes = required_field(j, path, "nodes");
    const json& links = required_field(j, path, "links");
    const std::vector<int> servers = add_explicit_nodes(nodes, child(path, "nodes"), topo);
    add_explicit_links(links, child(path, "links"), j, topo);
    add_explicit_servers(servers, j, path, topo);
    return topo;
}

}  // namespace

Topology read_topology(const json& j, const std::string& path) {
    as_object(j, path);
    check_keys(j, path,
               {"clos", "nodes", "links", "link_gbps", "link_delay_us", "server_link_gbps",
                "server_link_delay_us"});
    Topology topo;
    if (const json* clos = optional_field(j, "clos")) {
        for (const auto& [key, value] : j.items()) {
            if (key != "clos") {
                fail(child(path, key),
                     "not allowed together with \"clos\" (the explicit form is nodes + links)");
            }
        }
        topo = read_clos(*clos, child(path, "clos"));
    } else if (optional_field(j, "nodes") || optional_field(j, "links")) {
        topo = read_explicit(j, path);
    } else {
        fail(path, "needs either \"clos\" or \"nodes\" and \"links\"");
    }
    if (topo.servers().size() < 2) {
        fail(path, "needs at least 2 servers to carry traffic, got " +
                       std::to_string(topo.servers().size()));
    }
    return topo;
}

// ---- routing

RoutingSpec read_routing(const json* j, const std::string& path, const Topology& topo) {
    RoutingSpec routing;
    if (j == nullptr) {
        return routing;
    }
    as_object(*j, path);
    check_keys(*j, path, {"mode", "weights"});
    const json* mode_json = optional_field(*j, "mode");
    const std::string mode = mode_json ? as_string(*mode_json, child(path, "mode")) : "ecmp";
    if (mode != "ecmp" && mode != "wcmp") {
        fail(child(path, "mode"), "must be \"ecmp\" or \"wcmp\", got " + in_quotes(mode));
    }
    const json* weights = optional_field(*j, "weights");
    if (mode == "ecmp") {
        if (weights) {
            fail(child(path, "weights"), "only allowed when mode is \"wcmp\"");
        }
        return routing;
    }
    const std::string at = child(path, "weights");
    const json& list = as_array(required_field(*j, path, "weights"), at);
    std::map<NodeId, std::size_t> seen;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string entry_at = item(at, i);
        const json& entry = as_object(list[i], entry_at);
        check_keys(entry, entry_at, {"node", "weights"});
        const NodeId node =
            switch_ref(required_field(entry, entry_at, "node"), child(entry_at, "node"), topo);
        if (auto [it, fresh] = seen.emplace(node, i); !fresh) {
            fail(child(entry_at, "node"), in_quotes(topo.node(node).name) +
                                              " already has weights at " + item(at, it->second));
        }
        routing.wcmp.push_back(SetWcmp{node, weight_map(required_field(entry, entry_at, "weights"),
                                                        child(entry_at, "weights"), topo, node)});
    }
    return routing;
}

}  // namespace swarm::incident_sections
