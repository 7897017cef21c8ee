// Incident JSON (format v1) -> validated Incident. Every check reports a JSON path and what was
// given, because incident files are written by hand under pressure and a vague error costs
// more time than the estimate itself. Unknown keys are errors: a typo must never silently
// turn into a default. Sections are read in dependency order (topology first, since failures,
// actions, routing and traffic patterns name its nodes and links).
#include "estimator/helper/incident_reader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <string_view>
#include <unordered_map>

#include "estimator/flow_size_cdf_library.h"
#include "estimator/helper/clos_builder.h"
#include "estimator/helper/json_fields.h"
#include "estimator/helper/topology_import/topology_import.h"
#include "estimator/mitigation/model_params.h"

namespace swarm {
namespace {

using namespace json_fields;

// Size limits keep a typo such as "servers_per_tor": 1e9 from exhausting memory: a reader
// must fail fast on any input, and the paper's largest topologies are far below these.
constexpr std::int64_t kMaxNodes = 1'000'000;
constexpr std::int64_t kMaxLinks = 4'000'000;
constexpr std::int64_t kMaxCount = 100'000;  // any single Clos dimension
constexpr double kProbabilitySlack = 1e-6;


/// {neighbour: weight}: WCMP weights of `node`, each neighbour adjacent, each weight >= 0.
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

// ---- topology
// ------------------------------------------------------------------------------------

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
// ---------------------------------------------------------------------------------------

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

// ---- failures and actions (table-driven: one entry per type)
// -------------------------------------

template <typename T>
using Parser = std::function<T(const json&, const std::string&, const Topology&)>;

template <typename T>
struct Kind {
    std::vector<std::string_view> keys;  ///< besides "type"
    Parser<T> parse;
};

template <typename T>
using KindTable = std::map<std::string, Kind<T>, std::less<>>;

/// Looks up `type`, checks the keys that type allows, and parses.
template <typename T>
T read_typed(const json& j, const std::string& path, const Topology& topo,
             const KindTable<T>& table, std::string_view what) {
    as_object(j, path);
    const std::string& type = as_string(required_field(j, path, "type"), child(path, "type"));
    const auto it = table.find(type);
    if (it == table.end()) {
        std::vector<std::string> names;
        for (const auto& entry : table) {
            names.push_back(entry.first);
        }
        fail(child(path, "type"), "unknown " + std::string(what) + " type " + in_quotes(type) +
                                      "; known types: " + joined(names));
    }
    for (const auto& [key, value] : j.items()) {
        const auto& keys = it->second.keys;
        if (key == "type" || std::find(keys.begin(), keys.end(), key) != keys.end()) {
            continue;
        }
        std::vector<std::string> names{"type"};
        names.insert(names.end(), keys.begin(), keys.end());
        fail(child(path, key), "unknown key " + in_quotes(key) + " for " + std::string(what) +
                                   " type " + in_quotes(type) + "; allowed keys: " + joined(names));
    }
    return it->second.parse(j, path, topo);
}

LinkId link_at(const json& j, const std::string& path, const Topology& topo) {
    return link_ref(required_field(j, path, "link"), child(path, "link"), topo);
}
NodeId switch_at(const json& j, const std::string& path, const Topology& topo) {
    return switch_ref(required_field(j, path, "node"), child(path, "node"), topo);
}
double number_at(const json& j, const std::string& path, std::string_view key, const Range& range) {
    return number_in(required_field(j, path, key), child(path, key), range);
}

/// `direction`: "both" (default), "forward" (from link[0] to link[1] as the failure names them)
/// or "reverse"; a one-direction loss is the drop on the channel leaving that end.
std::optional<NodeId> loss_direction(const json& j, const std::string& path, const Topology& topo, LinkId link) {
    const json* direction = optional_field(j, "direction");
    if (direction == nullptr) return std::nullopt;
    const std::string& d = as_string(*direction, child(path, "direction"));
    if (d == "both") return std::nullopt;
    if (d != "forward" && d != "reverse") {
        fail(child(path, "direction"), "must be \"both\", \"forward\" or \"reverse\", got " + in_quotes(d));
    }
    const NodeId first = node_ref(j.at("link")[0], item(child(path, "link"), 0), topo);
    const Link& ends = topo.link(link);
    const NodeId second = first == ends.a ? ends.b : ends.a;
    return d == "forward" ? first : second;
}

const KindTable<Failure>& failure_kinds() {
    static const KindTable<Failure> table{
        {"link_loss",
         {{"link", "drop_rate", "direction"},
          [](const json& j, const std::string& p, const Topology& t) -> Failure {
              const LinkId link = link_at(j, p, t);
              return LinkLoss{link, number_at(j, p, "drop_rate", kProbability), loss_direction(j, p, t, link)};
          }}},
        {"link_down",
         {{"link"},
          [](const json& j, const std::string& p, const Topology& t) -> Failure {
              return LinkDown{link_at(j, p, t)};
          }}},
        {"link_capacity",
         {{"link", "fraction"},
          [](const json& j, const std::string& p, const Topology& t) -> Failure {
              return LinkCapacity{link_at(j, p, t), number_at(j, p, "fraction", kFraction)};
          }}},
        {"node_loss",
         {{"node", "drop_rate"},
          [](const json& j, const std::string& p, const Topology& t) -> Failure {
              return NodeLoss{switch_at(j, p, t), number_at(j, p, "drop_rate", kProbability)};
          }}},
        {"node_down",
         {{"node"},
          [](const json& j, const std::string& p, const Topology& t) -> Failure {
              return NodeDown{switch_at(j, p, t)};
          }}},
        {"link_blackhole",
         {{"link"},
          [](const json& j, const std::string& p, const Topology& t) -> Failure {
              return LinkBlackhole{link_at(j, p, t)};
          }}},
        {"node_blackhole",
         {{"node"},
          [](const json& j, const std::string& p, const Topology& t) -> Failure {
              return NodeBlackhole{switch_at(j, p, t)};
          }}},
    };
    return table;
}

Action read_move_traffic(const json& j, const std::string& path, const Topology& topo) {
    const NodeId from = endpoint_ref(required_field(j, path, "from"), child(path, "from"), topo);
    const NodeId to = endpoint_ref(required_field(j, path, "to"), child(path, "to"), topo);
    if (from == to) {
        fail(child(path, "to"),
             "must differ from \"from\", both are " + in_quotes(topo.node(to).name));
    }
    return MoveTraffic{from, to, number_at(j, path, "fraction", kFraction)};
}

/// The one place the classic action types are defined; mitigation models come from the
/// ModelRegistry instead (read_candidate_action).
const KindTable<Action>& action_kinds() {
    static const KindTable<Action> table{
        {"disable_link",
         {{"link"},
          [](const json& j, const std::string& p, const Topology& t) -> Action {
              return DisableLink{link_at(j, p, t)};
          }}},
        {"enable_link",
         {{"link"},
          [](const json& j, const std::string& p, const Topology& t) -> Action {
              return EnableLink{link_at(j, p, t)};
          }}},
        {"disable_node",
         {{"node"},
          [](const json& j, const std::string& p, const Topology& t) -> Action {
              return DisableNode{switch_at(j, p, t)};
          }}},
        {"enable_node",
         {{"node"},
          [](const json& j, const std::string& p, const Topology& t) -> Action {
              return EnableNode{switch_at(j, p, t)};
          }}},
        {"set_wcmp",
         {{"node", "weights"},
          [](const json& j, const std::string& p, const Topology& t) -> Action {
              const NodeId node = switch_at(j, p, t);
              return SetWcmp{
                  node, weight_map(required_field(j, p, "weights"), child(p, "weights"), t, node)};
          }}},
        {"move_traffic", {{"from", "to", "fraction"}, read_move_traffic}},
    };
    return table;
}

template <typename T>
std::vector<T> read_list(const json* j, const std::string& path, const Topology& topo,
                         const KindTable<T>& table, std::string_view what) {
    std::vector<T> out;
    if (j == nullptr) {
        return out;
    }
    as_array(*j, path);
    for (std::size_t i = 0; i < j->size(); ++i) {
        out.push_back(read_typed((*j)[i], item(path, i), topo, table, what));
    }
    return out;
}

// ---- traffic
// -----------------------------------------------------------------------------------------

FlowSizeCdf read_named_cdf(const std::string& name, const std::string& path,
                           const std::filesystem::path& data_dir) {
    // Only names the library lists are looked up, so a name can never reach outside cdfs/.
    const std::vector<std::string> names = named_flow_size_cdfs(data_dir);
    if (std::find(names.begin(), names.end(), name) == names.end()) {
        fail(path, "unknown flow-size CDF " + in_quotes(name) +
                       "; available: " + (names.empty() ? "(none)" : joined(names)));
    }
    std::optional<FlowSizeCdf> cdf;
    try {
        cdf = load_named_flow_size_cdf(data_dir, name);
    } catch (const std::exception& e) {
        fail(path, "cannot load flow-size CDF " + in_quotes(name) + ": " + e.what());
    }
    if (!cdf) {
        fail(path, "unknown flow-size CDF " + in_quotes(name));
    }
    if (auto problem = check_flow_size_cdf(cdf->points)) {
        fail(path, "invalid flow-size CDF " + in_quotes(name) + ": " + *problem);
    }
    return *cdf;
}

FlowSizeCdf read_inline_cdf(const json& j, const std::string& path) {
    FlowSizeCdf cdf{"inline", {}};
    for (std::size_t i = 0; i < j.size(); ++i) {
        const std::string at = item(path, i);
        const json& point = j[i];
        if (!point.is_array() || point.size() != 2) {
            fail(at, "expected a [bytes, cdf] pair, got " + given(point));
        }
        cdf.points.emplace_back(as_number(point[0], item(at, 0)), as_number(point[1], item(at, 1)));
    }
    if (auto problem = check_flow_size_cdf(cdf.points)) {
        fail(path, "invalid CDF: " + *problem);
    }
    return cdf;
}

FlowSizeCdf read_cdf(const json& j, const std::string& path,
                     const std::filesystem::path& data_dir) {
    if (j.is_string()) {
        return read_named_cdf(j.get_ref<const std::string&>(), path, data_dir);
    }
    if (j.is_array()) {
        return read_inline_cdf(j, path);
    }
    fail(path, "expected a CDF name (string) or [[bytes, cdf], ...] (array), got " + given(j));
}

LocalityPattern read_locality(const json& j, const std::string& path, const Topology& topo) {
    check_keys(j, path, {"type", "same_rack", "same_pod", "other_pod"});
    const LocalityPattern p{number_at(j, path, "same_rack", kNonNegative),
                            number_at(j, path, "same_pod", kNonNegative),
                            number_at(j, path, "other_pod", kNonNegative)};
    const double sum = p.same_rack + p.same_pod + p.other_pod;
    if (std::abs(sum - 1.0) > kProbabilitySlack) {
        fail(path, "same_rack + same_pod + other_pod must be 1, got " + format_number(sum));
    }
    for (NodeId tor : topo.tors()) {
        if (topo.node(tor).pod < 0) {
            fail(path, "the locality pattern needs a pod on every ToR; " +
                           in_quotes(topo.node(tor).name) + " has none");
        }
    }
    return p;
}

/// Listed ToR names -> positions in Topology::tors(); each ToR exactly once.
std::vector<std::size_t> matrix_tors(const json& j, const std::string& path, const Topology& topo) {
    as_array(j, path);
    std::unordered_map<NodeId, std::size_t> position;
    for (std::size_t k = 0; k < topo.tors().size(); ++k) {
        position.emplace(topo.tors()[k], k);
    }
    std::vector<std::size_t> order;
    std::map<NodeId, std::size_t> seen;
    for (std::size_t i = 0; i < j.size(); ++i) {
        const NodeId id = node_ref(j[i], item(path, i), topo);
        if (!is_tor(topo, id)) {
            fail(item(path, i), in_quotes(topo.node(id).name) + " is not a ToR");
        }
        if (auto [it, fresh] = seen.emplace(id, i); !fresh) {
            fail(item(path, i), in_quotes(topo.node(id).name) + " is listed twice (also " +
                                    item(path, it->second) + ")");
        }
        order.push_back(position.at(id));
    }
    for (NodeId tor : topo.tors()) {
        if (!seen.count(tor)) {
            fail(path, "ToR " + in_quotes(topo.node(tor).name) +
                           " is missing; every ToR must be listed exactly once");
        }
    }
    return order;
}

std::vector<double> matrix_row(const json& j, const std::string& path,
                               const std::vector<std::size_t>& order, const Topology& topo) {
    if (!j.is_array() || j.size() != order.size()) {
        fail(path, "expected a row of " + std::to_string(order.size()) + " probabilities, got " +
                       given(j) + (j.is_array() ? " of " + std::to_string(j.size()) : ""));
    }
    std::vector<double> row(order.size(), 0.0);
    double sum = 0.0;
    for (std::size_t c = 0; c < order.size(); ++c) {
        const double p = number_in(j[c], item(path, c), kNonNegative);
        const NodeId dst = topo.tors()[order[c]];
        if (p > 0.0 && topo.servers_of_tor(dst).empty()) {
            fail(item(path, c), "ToR " + in_quotes(topo.node(dst).name) +
                                    " has no servers, so the probability must be 0, got " +
                                    shown(j[c]));
        }
        row[order[c]] = p;
        sum += p;
    }
    if (std::abs(sum - 1.0) > kProbabilitySlack) {
        fail(path, "row must sum to 1, got " + format_number(sum));
    }
    return row;
}

MatrixPattern read_matrix(const json& j, const std::string& path, const Topology& topo) {
    check_keys(j, path, {"type", "tors", "probability"});
    const std::vector<std::size_t> order =
        matrix_tors(required_field(j, path, "tors"), child(path, "tors"), topo);
    const std::string at = child(path, "probability");
    const json& rows = as_array(required_field(j, path, "probability"), at);
    if (rows.size() != order.size()) {
        fail(at, "expected " + std::to_string(order.size()) + " rows (one per listed ToR), got " +
                     std::to_string(rows.size()));
    }
    MatrixPattern pattern{std::vector<std::vector<double>>(order.size())};
    for (std::size_t r = 0; r < rows.size(); ++r) {
        pattern.tor_probability[order[r]] = matrix_row(rows[r], item(at, r), order, topo);
    }
    return pattern;
}

TrafficPattern read_pattern(const json* j, const std::string& path, const Topology& topo) {
    if (j == nullptr) {
        return UniformPattern{};
    }
    as_object(*j, path);
    const std::string& type = as_string(required_field(*j, path, "type"), child(path, "type"));
    if (type == "uniform") {
        check_keys(*j, path, {"type"});
        return UniformPattern{};
    }
    if (type == "locality") {
        return read_locality(*j, path, topo);
    }
    if (type == "matrix") {
        return read_matrix(*j, path, topo);
    }
    fail(child(path, "type"),
         "unknown pattern type " + in_quotes(type) + "; known types: locality, matrix, uniform");
}

void read_window(const json* j, const std::string& path, TrafficSpec& traffic) {
    const double duration = traffic.duration.value;
    if (j == nullptr) {
        // Default: the middle half, which for the default 200 s is the paper's [50, 150].
        traffic.window_start = Seconds{duration / 4};
        traffic.window_end = Seconds{3 * duration / 4};
        return;
    }
    if (!j->is_array() || j->size() != 2) {
        fail(path, "expected [start, end] in seconds, got " + given(*j));
    }
    const double start = number_in((*j)[0], item(path, 0), kNonNegative);
    const double end = as_number((*j)[1], item(path, 1));
    if (end > duration) {
        fail(item(path, 1),
             "must be <= duration_s (" + format_number(duration) + "), got " + shown((*j)[1]));
    }
    if (start >= end) {
        fail(path, "start must be before end, got " + shown(*j));
    }
    traffic.window_start = Seconds{start};
    traffic.window_end = Seconds{end};
}

TrafficSpec read_traffic(const json& j, const std::string& path, const Topology& topo,
                         const std::filesystem::path& data_dir) {
    as_object(j, path);
    check_keys(
        j, path,
        {"arrival_rate_per_server", "flow_size_cdf", "pattern", "duration_s", "measure_window_s"});
    TrafficSpec traffic;
    traffic.arrival_rate_per_server = number_at(j, path, "arrival_rate_per_server", kPositive);
    traffic.flow_size =
        read_cdf(required_field(j, path, "flow_size_cdf"), child(path, "flow_size_cdf"), data_dir);
    traffic.pattern = read_pattern(optional_field(j, "pattern"), child(path, "pattern"), topo);
    if (const json* d = optional_field(j, "duration_s")) {
        traffic.duration = Seconds{number_in(*d, child(path, "duration_s"), kPositive)};
    }
    read_window(optional_field(j, "measure_window_s"), child(path, "measure_window_s"), traffic);
    return traffic;
}

// ---- candidates
// ---------------------------------------------------------------------------------------

/// A candidate's action: a classic one, or a mitigation model from the registry.
Action read_candidate_action(const json& j, const std::string& path, const Topology& topo,
                             const ModelRegistry& models) {
    as_object(j, path);
    const std::string& type = as_string(required_field(j, path, "type"), child(path, "type"));
    if (action_kinds().count(type)) return read_typed(j, path, topo, action_kinds(), "action");
    if (const ModelSpec* spec = models.find(type)) {
        const ModelParams params(j, path, topo, spec->keys);
        return ModelAction{type, spec->make(params)};
    }
    std::vector<std::string> names;
    for (const auto& entry : action_kinds()) names.push_back(entry.first);
    for (const std::string& name : models.types()) names.push_back(name);
    std::sort(names.begin(), names.end());
    fail(child(path, "type"), "unknown action type " + in_quotes(type) + "; known types: " + joined(names));
}

/// Two flow policies in one candidate must not both steer a server's flows: which one wins
/// would depend on their order, and no deployed system runs two overlays on one host.
void check_policy_overlap(const std::vector<Action>& actions, const std::string& path, const Topology& topo) {
    std::vector<int> owner(topo.servers().size(), -1);
    for (std::size_t a = 0; a < actions.size(); ++a) {
        const auto* m = std::get_if<ModelAction>(&actions[a]);
        if (!m || !m->model->steers_flows()) continue;
        std::vector<std::int32_t> governed;
        if (auto sources = m->model->governed_sources()) {
            governed = std::move(*sources);
        } else {
            for (std::size_t s = 0; s < owner.size(); ++s) governed.push_back(static_cast<std::int32_t>(s));
        }
        for (std::int32_t s : governed) {
            int& o = owner[static_cast<std::size_t>(s)];
            if (o >= 0) {
                fail(item(path, a), "steers the flows of " + in_quotes(topo.node(topo.servers()[static_cast<std::size_t>(s)]).name) +
                                        ", which " + item(path, static_cast<std::size_t>(o)) + " already steers");
            }
            o = static_cast<int>(a);
        }
    }
}

std::vector<Action> read_candidate_actions(const json* j, const std::string& path, const Topology& topo,
                                           const ModelRegistry& models) {
    std::vector<Action> out;
    if (j == nullptr) return out;
    as_array(*j, path);
    for (std::size_t i = 0; i < j->size(); ++i) out.push_back(read_candidate_action((*j)[i], item(path, i), topo, models));
    check_policy_overlap(out, path, topo);
    return out;
}

std::vector<Candidate> read_candidates(const json& j, const std::string& path, const Topology& topo,
                                       const ModelRegistry& models) {
    as_array(j, path);
    if (j.empty()) {
        fail(path, "must list at least one candidate mitigation, got none");
    }
    std::vector<Candidate> candidates;
    std::map<std::string, std::size_t, std::less<>> seen;
    for (std::size_t i = 0; i < j.size(); ++i) {
        const std::string at = item(path, i);
        as_object(j[i], at);
        check_keys(j[i], at, {"name", "description", "actions"});
        const std::string& name = as_name(required_field(j[i], at, "name"), child(at, "name"));
        if (auto [it, fresh] = seen.emplace(name, i); !fresh) {
            fail(child(at, "name"), "duplicate candidate name " + in_quotes(name) + " (also " +
                                        item(path, it->second) + ")");
        }
        Candidate candidate{name, {}, read_candidate_actions(optional_field(j[i], "actions"), child(at, "actions"),
                                                             topo, models)};
        if (const json* description = optional_field(j[i], "description")) {
            candidate.description = as_string(*description, child(at, "description"));
        }
        candidates.push_back(std::move(candidate));
    }
    return candidates;
}

// ---- comparator
// ----------------------------------------------------------------------------------------

Metric metric_named(const std::string& name, const std::string& path) {
    if (auto metric = Metric::parse(name)) {
        return *metric;
    }
    fail(path, "unknown metric " + in_quotes(name) +
                   "; expected avg_throughput, avg_fct, pN_throughput or pN_fct with 0 < N < 100 "
                   "(e.g. p1_throughput, p99.9_fct)");
}

PriorityComparatorSpec read_priority(const json& j, const std::string& path) {
    check_keys(j, path, {"type", "order", "tie_tolerance"});
    PriorityComparatorSpec spec;
    const std::string at = child(path, "order");
    const json& order = as_array(required_field(j, path, "order"), at);
    if (order.empty()) {
        fail(at, "must list at least one metric");
    }
    for (std::size_t i = 0; i < order.size(); ++i) {
        const Metric metric = metric_named(as_string(order[i], item(at, i)), item(at, i));
        const auto dup = std::find(spec.order.begin(), spec.order.end(), metric);
        if (dup != spec.order.end()) {
            fail(item(at, i), "duplicate metric " + in_quotes(metric.name()) + " (also " +
                                  item(at, static_cast<std::size_t>(dup - spec.order.begin())) +
                                  ")");
        }
        spec.order.push_back(metric);
    }
    if (const json* t = optional_field(j, "tie_tolerance")) {
        spec.tie_tolerance =
            number_in(*t, child(path, "tie_tolerance"), Range{0.0, 1.0, false, true});
    }
    return spec;
}

LinearComparatorSpec read_linear(const json& j, const std::string& path) {
    check_keys(j, path, {"type", "weights"});
    LinearComparatorSpec spec;
    const std::string at = child(path, "weights");
    const json& weights = as_object(required_field(j, path, "weights"), at);
    bool any_positive = false;
    for (const auto& [name, value] : weights.items()) {
        const Metric metric = metric_named(name, child(at, name));
        for (const auto& [other, w] : spec.weights) {
            if (other == metric) {
                fail(child(at, name), "duplicate metric: same as " + in_quotes(other.name()));
            }
        }
        const double weight = number_in(value, child(at, name), kNonNegative);
        any_positive = any_positive || weight > 0.0;
        spec.weights.emplace_back(metric, weight);
    }
    if (!any_positive) {
        fail(at, "needs at least one metric with a weight > 0");
    }
    return spec;
}

ComparatorSpec read_comparator(const json* j, const std::string& path) {
    if (j == nullptr) {
        // Default: tail throughput first, then mean throughput, then tail FCT (the three CLP
        // metrics of the paper's §4.1 comparators), with its 10% tie tolerance.
        return PriorityComparatorSpec{{*Metric::parse("p1_throughput"),
                                       *Metric::parse("avg_throughput"), *Metric::parse("p99_fct")},
                                      0.1};
    }
    as_object(*j, path);
    const std::string& type = as_string(required_field(*j, path, "type"), child(path, "type"));
    if (type == "priority") {
        return read_priority(*j, path);
    }
    if (type == "linear") {
        return read_linear(*j, path);
    }
    fail(child(path, "type"),
         "unknown comparator type " + in_quotes(type) + "; known types: linear, priority");
}

// ---- transport
// ---------------------------------------------------------------------------------------------

/// Table-set directories under <data_dir>/tables, sorted.
std::vector<std::string> table_sets(const std::filesystem::path& data_dir) {
    std::vector<std::string> sets;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(data_dir / "tables", ec)) {
        if (entry.is_directory()) sets.push_back(entry.path().filename().string());
    }
    std::sort(sets.begin(), sets.end());
    return sets;
}

/// A congestion control's table set: measured (ns3-<cc>) before analytic (analytic-<cc>).
std::string table_set_for(const json& cc_json, const std::string& path,
                          const std::vector<std::string>& sets) {
    const std::string& cc = as_name(cc_json, path);
    for (const std::string prefix : {"ns3-", "analytic-"}) {
        if (std::find(sets.begin(), sets.end(), prefix + cc) != sets.end()) return prefix + cc;
    }
    std::vector<std::string> known;
    for (const std::string& set : sets) {
        const auto dash = set.find('-');
        if (dash == std::string::npos) continue;
        const std::string name = set.substr(dash + 1);
        if (std::find(known.begin(), known.end(), name) == known.end()) known.push_back(name);
    }
    fail(path, "no transport tables for congestion control " + in_quotes(cc) +
                   "; available: " + joined(known));
}

TransportSpec read_transport(const json* j, const std::string& path,
                             const std::filesystem::path& data_dir) {
    TransportSpec spec;
    if (j == nullptr) return spec;
    as_object(*j, path);
    check_keys(*j, path, {"cc", "mix"});
    const std::vector<std::string> sets = table_sets(data_dir);
    const json* cc = optional_field(*j, "cc");
    const json* mix = optional_field(*j, "mix");
    if ((cc == nullptr) == (mix == nullptr)) {
        fail(path, "give exactly one of \"cc\" (one congestion control) or \"mix\"");
    }
    if (cc != nullptr) {
        spec.mix.emplace_back(table_set_for(*cc, child(path, "cc"), sets), 1.0);
        return spec;
    }
    as_array(*mix, child(path, "mix"));
    if (mix->empty()) fail(child(path, "mix"), "must list at least one congestion control");
    double total = 0.0;
    for (std::size_t i = 0; i < mix->size(); ++i) {
        const std::string at = item(child(path, "mix"), i);
        as_object((*mix)[i], at);
        check_keys((*mix)[i], at, {"cc", "probability"});
        const std::string set = table_set_for(required_field((*mix)[i], at, "cc"), child(at, "cc"), sets);
        for (const auto& [seen, p] : spec.mix) {
            if (seen == set) fail(child(at, "cc"), "listed twice");
        }
        const double p = number_in(required_field((*mix)[i], at, "probability"),
                                   child(at, "probability"), kPositive);
        spec.mix.emplace_back(set, p);
        total += p;
    }
    if (std::abs(total - 1.0) > 1e-6) {
        fail(child(path, "mix"), "probabilities must sum to 1, got " + std::to_string(total));
    }
    return spec;
}

// ---- estimator settings
// ----------------------------------------------------------------------------------

EstimatorSpec read_estimator(const json* j, const std::string& path) {
    EstimatorSpec spec;
    if (j == nullptr) {
        return spec;
    }
    as_object(*j, path);
    check_keys(*j, path,
               {"confidence", "epsilon", "epoch_ms", "short_flow_bytes", "seed", "traffic_samples",
                "routing_samples"});
    const auto field = [&](std::string_view key) { return optional_field(*j, key); };
    if (const json* v = field("confidence")) {
        spec.confidence = number_in(*v, child(path, "confidence"), kOpenUnit);
    }
    if (const json* v = field("epsilon")) {
        spec.epsilon = number_in(*v, child(path, "epsilon"), kOpenUnit);
    }
    if (const json* v = field("epoch_ms")) {
        spec.epoch = Seconds::from_ms(number_in(*v, child(path, "epoch_ms"), kPositive));
    }
    if (const json* v = field("short_flow_bytes")) {
        spec.short_flow_threshold =
            Bytes{number_in(*v, child(path, "short_flow_bytes"), kPositive)};
    }
    if (const json* v = field("seed")) {
        // Literals >= 0 parse as unsigned; documents built in code may hold signed ones.
        const bool non_negative =
            v->is_number_unsigned() || (v->is_number_integer() && v->get<std::int64_t>() >= 0);
        if (!non_negative) {
            fail(child(path, "seed"), "expected a non-negative integer, got " + given(*v));
        }
        spec.seed = v->get<std::uint64_t>();
    }
    constexpr std::int64_t kMaxSamples = std::numeric_limits<int>::max();
    if (const json* v = field("traffic_samples")) {
        spec.traffic_samples = int_in(*v, child(path, "traffic_samples"), 1, kMaxSamples);
    }
    if (const json* v = field("routing_samples")) {
        spec.routing_samples = int_in(*v, child(path, "routing_samples"), 1, kMaxSamples);
    }
    return spec;
}

// ---- the document
// ------------------------------------------------------------------------------------------

Incident read_document(const json& doc, const std::filesystem::path& data_dir, const ModelRegistry& models) {
    const std::string root = "$";
    as_object(doc, root);
    // The version first: a newer document may use keys this reader does not know.
    const json& version = required_field(doc, root, "version");
    if (!version.is_number_integer() || version.get<std::int64_t>() != 1) {
        fail(child(root, "version"),
             "unsupported version " + shown(version) + "; this reader supports version 1");
    }
    check_keys(doc, root,
               {"version", "name", "description", "topology", "routing", "ongoing_mitigations", "failures",
                "traffic", "candidates", "comparator", "estimator", "transport"});
    Incident incident;
    incident.name = as_name(required_field(doc, root, "name"), child(root, "name"));
    if (const json* description = optional_field(doc, "description")) {
        incident.description = as_string(*description, child(root, "description"));
    }
    incident.topology =
        read_topology(required_field(doc, root, "topology"), child(root, "topology"));
    const Topology& topo = incident.topology;
    incident.routing = read_routing(optional_field(doc, "routing"), child(root, "routing"), topo);
    incident.ongoing_mitigations =
        read_list(optional_field(doc, "ongoing_mitigations"), child(root, "ongoing_mitigations"),
                  topo, action_kinds(), "action");
    incident.failures = read_list(optional_field(doc, "failures"), child(root, "failures"), topo,
                                  failure_kinds(), "failure");
    incident.traffic =
        read_traffic(required_field(doc, root, "traffic"), child(root, "traffic"), topo, data_dir);
    incident.candidates =
        read_candidates(required_field(doc, root, "candidates"), child(root, "candidates"), topo, models);
    incident.comparator =
        read_comparator(optional_field(doc, "comparator"), child(root, "comparator"));
    incident.estimator = read_estimator(optional_field(doc, "estimator"), child(root, "estimator"));
    incident.transport =
        read_transport(optional_field(doc, "transport"), child(root, "transport"), data_dir);
    return incident;
}

/// nlohmann keeps the last of duplicate keys silently; this parse callback remembers the first
/// duplicate (with its path) so the reader can reject it like any other typo.
class DuplicateKeyFinder {
   public:
    bool operator()(int /*depth*/, json::parse_event_t event, json& parsed) {
        switch (event) {
            case json::parse_event_t::object_start:
                open(true);
                break;
            case json::parse_event_t::array_start:
                open(false);
                break;
            case json::parse_event_t::object_end:
            case json::parse_event_t::array_end:
                if (!stack_.empty()) {
                    stack_.pop_back();
                }
                break;
            case json::parse_event_t::key:
                on_key(parsed);
                break;
            case json::parse_event_t::value:
                if (!stack_.empty() && !stack_.back().object) {
                    ++stack_.back().next_index;
                }
                break;
        }
        return true;
    }
    const std::optional<IncidentError>& duplicate() const { return duplicate_; }

   private:
    struct Frame {
        bool object;
        std::string path;
        std::set<std::string> keys;
        std::string key;
        std::size_t next_index = 0;
    };

    void open(bool object) {
        std::string path = "$";
        if (!stack_.empty()) {
            Frame& parent = stack_.back();
            path = parent.object ? child(parent.path, parent.key)
                                 : item(parent.path, parent.next_index++);
        }
        stack_.push_back(Frame{object, std::move(path), {}, {}, 0});
    }

    void on_key(const json& parsed) {
        if (stack_.empty() || !parsed.is_string()) {
            return;
        }
        Frame& frame = stack_.back();
        frame.key = parsed.get<std::string>();
        if (frame.keys.insert(frame.key).second || duplicate_) {
            return;
        }
        duplicate_.emplace(child(frame.path, frame.key), "duplicate key " + in_quotes(frame.key));
    }

    std::vector<Frame> stack_;
    std::optional<IncidentError> duplicate_;
};

}  // namespace

Incident read_incident(const nlohmann::json& document, const std::filesystem::path& data_dir,
                       const ModelRegistry& models, const std::filesystem::path& base_dir) {
    try {
        return read_document(resolve_topology_import(document, base_dir), data_dir, models);
    } catch (const IncidentError&) {
        throw;
    } catch (const std::exception& e) {
        // Any library exception is still the input's fault as far as the caller can tell.
        throw IncidentError("$", std::string("cannot read incident: ") + e.what());
    }
}

Incident read_incident_text(const std::string& text, const std::filesystem::path& data_dir,
                            const ModelRegistry& models, const std::filesystem::path& base_dir) {
    DuplicateKeyFinder finder;
    json document;
    try {
        document = json::parse(text, std::ref(finder));
    } catch (const json::parse_error& e) {
        throw IncidentError("$",
                            "malformed JSON at byte " + std::to_string(e.byte) + ": " + e.what());
    } catch (const std::exception& e) {
        throw IncidentError("$", std::string("malformed JSON: ") + e.what());
    }
    if (finder.duplicate()) {
        throw *finder.duplicate();
    }
    return read_incident(document, data_dir, models, base_dir);
}

}  // namespace swarm
