// Incident sections "failures", "ongoing_mitigations" and "candidates" (docs/incident-format.md):
// table-driven, one entry per failure or classic action type; candidate actions may also name
// any mitigation model of the registry.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "estimator/helper/classic_actions.h"
#include "estimator/helper/incident_fields.h"
#include "estimator/helper/incident_sections.h"
#include "estimator/helper/routing_bug_reader.h"
#include "estimator/mitigation/model_params.h"

namespace swarm::incident_sections {

using namespace json_fields;

namespace {

// ---- failures and actions (table-driven: one entry per type)

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

/// `direction`: "both" (default), "forward" (from link[0] to link[1] as the failure names them)
/// or "reverse"; a one-direction loss is the drop on the channel leaving that end.
std::optional<NodeId> loss_direction(const json& j, const std::string& path, const Topology& topo,
                                     LinkId link) {
    const json* direction = optional_field(j, "direction");
    if (direction == nullptr) return std::nullopt;
    const std::string& d = as_string(*direction, child(path, "direction"));
    if (d == "both") return std::nullopt;
    if (d != "forward" && d != "reverse") {
        fail(child(path, "direction"),
             "must be \"both\", \"forward\" or \"reverse\", got " + in_quotes(d));
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
              return LinkLoss{link, number_at(j, p, "drop_rate", kProbability),
                              loss_direction(j, p, t, link)};
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
        {"routing_bug", {routing_bug_keys(), read_routing_bug}},
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

// ---- candidates

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
    fail(child(path, "type"),
         "unknown action type " + in_quotes(type) + "; known types: " + joined(names));
}

/// Two flow policies in one candidate must not both steer a server's flows: which one wins
/// would depend on their order, and no deployed system runs two overlays on one host.
void check_policy_overlap(const std::vector<Action>& actions, const std::string& path,
                          const Topology& topo) {
    std::vector<int> owner(topo.servers().size(), -1);
    for (std::size_t a = 0; a < actions.size(); ++a) {
        const auto* m = std::get_if<ModelAction>(&actions[a]);
        if (!m || !m->model->steers_flows()) continue;
        std::vector<std::int32_t> governed;
        if (auto sources = m->model->governed_sources()) {
            governed = std::move(*sources);
        } else {
            for (std::size_t s = 0; s < owner.size(); ++s)
                governed.push_back(static_cast<std::int32_t>(s));
        }
        for (std::int32_t s : governed) {
            int& o = owner[static_cast<std::size_t>(s)];
            if (o >= 0) {
                fail(item(path, a),
                     "steers the flows of " +
                         in_quotes(topo.node(topo.servers()[static_cast<std::size_t>(s)]).name) +
                         ", which " + item(path, static_cast<std::size_t>(o)) + " already steers");
            }
            o = static_cast<int>(a);
        }
    }
}

std::vector<Action> read_candidate_actions(const json* j, const std::string& path,
                                           const Topology& topo, const ModelRegistry& models) {
    std::vector<Action> out;
    if (j == nullptr) return out;
    as_array(*j, path);
    for (std::size_t i = 0; i < j->size(); ++i)
        out.push_back(read_candidate_action((*j)[i], item(path, i), topo, models));
    check_policy_overlap(out, path, topo);
    return out;
}

}  // namespace

std::vector<Failure> read_failures(const json* j, const std::string& path, const Topology& topo) {
    return read_list(j, path, topo, failure_kinds(), "failure");
}

std::vector<Action> read_actions(const json* j, const std::string& path, const Topology& topo) {
    return read_list(j, path, topo, action_kinds(), "action");
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
        Candidate candidate{name,
                            {},
                            read_candidate_actions(optional_field(j[i], "actions"),
                                                   child(at, "actions"), topo, models)};
        if (const json* description = optional_field(j[i], "description")) {
            candidate.description = as_string(*description, child(at, "description"));
        }
        candidates.push_back(std::move(candidate));
    }
    return candidates;
}

}  // namespace swarm::incident_sections

namespace swarm {

bool is_classic_action_type(const std::string& type) {
    return incident_sections::action_kinds().count(type) != 0;
}

}  // namespace swarm
