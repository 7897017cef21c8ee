#include "estimator/mitigation/model_params.h"

#include <algorithm>

namespace swarm {

using namespace json_fields;

ModelParams::ModelParams(const nlohmann::json& object, std::string path, const Topology& topology,
                         const std::vector<std::string>& allowed)
    : object_(&as_object(object, path)), path_(std::move(path)), topology_(&topology) {
    for (const auto& [key, value] : object.items()) {
        if (key == "type" || std::find(allowed.begin(), allowed.end(), key) != allowed.end())
            continue;
        std::vector<std::string> names{"type"};
        names.insert(names.end(), allowed.begin(), allowed.end());
        json_fields::fail(child(path_, key), "unknown key " + in_quotes(key) + " for action type " +
                                                 in_quotes(object.value("type", "")) +
                                                 "; allowed keys: " + joined(names));
    }
}

void ModelParams::fail(std::string_view key, const std::string& message) const {
    json_fields::fail(at(key), message);
}

const nlohmann::json& ModelParams::required(std::string_view key) const {
    return required_field(*object_, path_, key);
}

double ModelParams::number(std::string_view key, double default_value, const Range& range) const {
    const json* value = raw(key);
    return value ? number_in(*value, at(key), range) : default_value;
}

double ModelParams::required_number(std::string_view key, const Range& range) const {
    return number_in(required(key), at(key), range);
}

int ModelParams::integer(std::string_view key, int default_value, int lo, int hi) const {
    const json* value = raw(key);
    return value ? int_in(*value, at(key), lo, hi) : default_value;
}

bool ModelParams::flag(std::string_view key, bool default_value) const {
    const json* value = raw(key);
    if (!value) return default_value;
    if (!value->is_boolean())
        json_fields::fail(at(key), "expected a boolean, got " + given(*value));
    return value->get<bool>();
}

std::string ModelParams::choice(std::string_view key, const std::string& default_value,
                                const std::vector<std::string>& options) const {
    const json* value = raw(key);
    if (!value) return default_value;
    const std::string& text = as_string(*value, at(key));
    if (std::find(options.begin(), options.end(), text) == options.end()) {
        json_fields::fail(
            at(key), "unknown value " + in_quotes(text) + "; expected one of: " + joined(options));
    }
    return text;
}

NodeId ModelParams::node(std::string_view key) const {
    return node_ref(required(key), at(key), *topology_);
}

NodeId ModelParams::switch_node(std::string_view key) const {
    return switch_ref(required(key), at(key), *topology_);
}

LinkId ModelParams::link(std::string_view key) const {
    return link_ref(required(key), at(key), *topology_);
}

std::vector<LinkId> ModelParams::links(std::string_view key) const {
    const json& list = as_array(required(key), at(key));
    if (list.empty()) json_fields::fail(at(key), "must list at least one link");
    std::vector<LinkId> out;
    for (std::size_t i = 0; i < list.size(); ++i)
        out.push_back(link_ref(list[i], item(at(key), i), *topology_));
    return out;
}

std::vector<std::int32_t> ModelParams::servers_of(const json& name, const std::string& path) const {
    const NodeId id = endpoint_ref(name, path, *topology_);
    if (topology_->node(id).kind == NodeKind::Server) return {topology_->server_index(id)};
    const auto& below = topology_->servers_of_tor(id);
    if (below.empty())
        json_fields::fail(path, in_quotes(topology_->node(id).name) + " has no servers");
    return below;
}

std::vector<std::int32_t> ModelParams::servers(std::string_view key) const {
    const json& list = as_array(required(key), at(key));
    if (list.empty()) json_fields::fail(at(key), "must list at least one server or ToR");
    std::vector<std::int32_t> out;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto below = servers_of(list[i], item(at(key), i));
        out.insert(out.end(), below.begin(), below.end());
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::vector<std::pair<std::int32_t, std::int32_t>> ModelParams::server_pairs(
    std::string_view key) const {
    const json& list = as_array(required(key), at(key));
    if (list.empty()) json_fields::fail(at(key), "must list at least one pair of servers");
    std::vector<std::pair<std::int32_t, std::int32_t>> out;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string pair_at = item(at(key), i);
        if (!list[i].is_array() || list[i].size() != 2) {
            json_fields::fail(pair_at,
                              "expected an array of 2 server names, got " + given(list[i]));
        }
        std::int32_t ends[2];
        for (std::size_t e = 0; e < 2; ++e) {
            const std::string end_at = item(pair_at, e);
            const NodeId id = node_ref(list[i][e], end_at, *topology_);
            if (topology_->node(id).kind != NodeKind::Server) {
                json_fields::fail(end_at, in_quotes(topology_->node(id).name) + " is not a server");
            }
            ends[e] = topology_->server_index(id);
        }
        if (ends[0] == ends[1]) json_fields::fail(pair_at, "a server cannot be paired with itself");
        out.emplace_back(ends[0], ends[1]);
    }
    return out;
}

}  // namespace swarm
