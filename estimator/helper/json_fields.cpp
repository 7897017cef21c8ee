#include "estimator/helper/json_fields.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>

namespace swarm::json_fields {
namespace {

bool is_identifier(std::string_view key) {
    if (key.empty() || std::isdigit(static_cast<unsigned char>(key.front()))) {
        return false;
    }
    return std::all_of(key.begin(), key.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    });
}

}  // namespace

/// `$.a.b`, or `$.a["t1-0-0"]` when the key is not a plain identifier (node and metric names).
std::string child(const std::string& path, std::string_view key) {
    if (is_identifier(key)) {
        return path + "." + std::string(key);
    }
    return path + "[" + json(key).dump(-1, ' ', false, json::error_handler_t::replace) + "]";
}

std::string item(const std::string& path, std::size_t index) {
    return path + "[" + std::to_string(index) + "]";
}

[[noreturn]] void fail(const std::string& path, const std::string& message) {
    throw IncidentError(path, message);
}

/// A value as it appears in the file, shortened: messages echo what was given.
std::string shown(const json& j) {
    std::string text = j.dump(-1, ' ', false, json::error_handler_t::replace);
    constexpr std::size_t kMax = 60;
    if (text.size() > kMax) {
        text = text.substr(0, kMax) + "...";
    }
    return text;
}

std::string in_quotes(std::string_view name) { return shown(json(name)); }

std::string type_name(const json& j) {
    if (j.is_number()) {
        return "number";
    }
    if (j.is_boolean()) {
        return "boolean";
    }
    return j.type_name();  // "string", "array", "object", "null"
}

/// "string \"10\"", "array", ...: the type and, for scalars, the value.
std::string given(const json& j) {
    if (j.is_structured() || j.is_null()) {
        return type_name(j);
    }
    return type_name(j) + " " + shown(j);
}

std::string format_number(double value) {
    std::ostringstream out;
    out << value;
    return out.str();
}

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& name : names) {
        out += (out.empty() ? "" : ", ") + name;
    }
    return out;
}

// ---- typed access ------------------------------------------------------------------------------

const json& as_object(const json& j, const std::string& path) {
    if (!j.is_object()) {
        fail(path, "expected an object, got " + given(j));
    }
    return j;
}

const json& as_array(const json& j, const std::string& path) {
    if (!j.is_array()) {
        fail(path, "expected an array, got " + given(j));
    }
    return j;
}

const std::string& as_string(const json& j, const std::string& path) {
    if (!j.is_string()) {
        fail(path, "expected a string, got " + given(j));
    }
    return j.get_ref<const std::string&>();
}

const std::string& as_name(const json& j, const std::string& path) {
    const std::string& name = as_string(j, path);
    if (name.empty()) {
        fail(path, "must not be empty");
    }
    return name;
}

double as_number(const json& j, const std::string& path) {
    if (!j.is_number()) {
        fail(path, "expected a number, got " + given(j));
    }
    const double value = j.get<double>();
    // Parsed text cannot hold NaN or infinity, but documents built in code can.
    if (!std::isfinite(value)) {
        fail(path, "must be finite, got " + shown(j));
    }
    return value;
}

double number_in(const json& j, const std::string& path, const Range& range) {
    const double value = as_number(j, path);
    if (!range.contains(value)) {
        const std::string prefix = range.hi == kInf ? "must be " : "must be in ";
        fail(path, prefix + range.describe() + ", got " + shown(j));
    }
    return value;
}

std::int64_t integer_in(const json& j, const std::string& path, std::int64_t lo, std::int64_t hi) {
    if (!j.is_number_integer()) {
        fail(path, "expected an integer, got " + given(j));
    }
    const bool too_big =
        j.is_number_unsigned() && j.get<std::uint64_t>() > static_cast<std::uint64_t>(hi);
    const std::int64_t value = too_big ? hi : j.get<std::int64_t>();
    if (too_big || value < lo || value > hi) {
        fail(path, "must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " +
                       shown(j));
    }
    return value;
}

int int_in(const json& j, const std::string& path, std::int64_t lo, std::int64_t hi) {
    return static_cast<int>(integer_in(j, path, lo, hi));
}

/// Rejects keys outside `allowed`, naming the key and the allowed set.
void check_keys(const json& object, const std::string& path, Keys allowed) {
    for (const auto& [key, value] : object.items()) {
        if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) {
            continue;
        }
        std::vector<std::string> names(allowed.begin(), allowed.end());
        fail(child(path, key),
             "unknown key " + in_quotes(key) + "; allowed keys: " + joined(names));
    }
}

const json* optional_field(const json& object, std::string_view key) {
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

const json& required_field(const json& object, const std::string& path, std::string_view key) {
    const json* value = optional_field(object, key);
    if (value == nullptr) {
        fail(child(path, key), "required key is missing");
    }
    return *value;
}

// ---- references to nodes and links -------------------------------------------------------------

NodeId node_ref(const json& j, const std::string& path, const Topology& topo) {
    const std::string& name = as_string(j, path);
    const auto id = topo.find_node(name);
    if (!id) {
        fail(path, "unknown node " + in_quotes(name));
    }
    return *id;
}

NodeId switch_ref(const json& j, const std::string& path, const Topology& topo) {
    const NodeId id = node_ref(j, path, topo);
    if (topo.node(id).kind != NodeKind::Switch) {
        fail(path, in_quotes(topo.node(id).name) + " is a server; expected a switch");
    }
    return id;
}

bool is_tor(const Topology& topo, NodeId id) {
    const Node& n = topo.node(id);
    return n.kind == NodeKind::Switch && n.tier == 0;
}

/// A server or a ToR: the places traffic can be moved between.
NodeId endpoint_ref(const json& j, const std::string& path, const Topology& topo) {
    const NodeId id = node_ref(j, path, topo);
    if (topo.node(id).kind != NodeKind::Server && !is_tor(topo, id)) {
        fail(path, in_quotes(topo.node(id).name) + " is neither a server nor a ToR");
    }
    return id;
}

/// ["a", "b"] in either order, naming an existing link; ["a", "b", i] names member i (from 0,
/// in file order) of parallel links, which the two-name form would leave ambiguous.
LinkId link_ref(const json& j, const std::string& path, const Topology& topo) {
    if (!j.is_array() || j.size() < 2 || j.size() > 3) {
        fail(path,
             "expected an array of 2 node names (and a member index for parallel links), got " +
                 given(j));
    }
    const NodeId a = node_ref(j[0], item(path, 0), topo);
    const NodeId b = node_ref(j[1], item(path, 1), topo);
    const std::vector<LinkId> members = topo.links_between(a, b);
    const std::string between =
        in_quotes(topo.node(a).name) + " and " + in_quotes(topo.node(b).name);
    if (members.empty()) {
        fail(path, "no link between " + between);
    }
    const std::string range = "0.." + std::to_string(members.size() - 1);
    if (j.size() == 3) {
        const int member =
            int_in(j[2], item(path, 2), 0, static_cast<std::int64_t>(members.size()) - 1);
        return members[static_cast<std::size_t>(member)];
    }
    if (members.size() > 1) {
        fail(path, std::to_string(members.size()) + " parallel links join " + between +
                       "; name one as [\"" + topo.node(a).name + "\", \"" + topo.node(b).name +
                       "\", i] with i in " + range);
    }
    return members.front();
}

}  // namespace swarm::json_fields
