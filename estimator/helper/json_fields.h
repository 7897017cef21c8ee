// Typed, path-aware access to JSON documents: every read names the JSON path of what it
// reads, so a bad value fails with one message saying where and what (incident files and
// mitigation-model parameters share these rules).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "swarm/topology.h"

namespace swarm {

/// Bad input: `path` is a JSON path such as "$.failures[0].drop_rate".
class IncidentError : public std::runtime_error {
   public:
    IncidentError(std::string path, const std::string& message)
        : std::runtime_error(path + ": " + message), path_(std::move(path)) {}
    const std::string& path() const { return path_; }

   private:
    std::string path_;
};

namespace json_fields {

using json = nlohmann::json;
using Keys = std::initializer_list<std::string_view>;

constexpr double kInf = std::numeric_limits<double>::infinity();

// ---- paths and messages
/// `$.a.b`, or `$.a["t1-0-0"]` when the key is not a plain identifier (node and metric names).
std::string child(const std::string& path, std::string_view key);
std::string item(const std::string& path, std::size_t index);
[[noreturn]] void fail(const std::string& path, const std::string& message);
/// A value as it appears in the file, shortened: messages echo what was given.
std::string shown(const json& j);
std::string in_quotes(std::string_view name);
/// "string \"10\"", "array", ...: the type and, for scalars, the value.
std::string given(const json& j);
std::string format_number(double value);
std::string joined(const std::vector<std::string>& names);

// ---- typed access
const json& as_object(const json& j, const std::string& path);
const json& as_array(const json& j, const std::string& path);
const std::string& as_string(const json& j, const std::string& path);
const std::string& as_name(const json& j, const std::string& path);
double as_number(const json& j, const std::string& path);

/// An interval for messages and checks; infinite ends are open and not printed.
struct Range {
    double lo;
    double hi;
    bool lo_open = false;
    bool hi_open = false;

    bool contains(double v) const {
        return (lo_open ? v > lo : v >= lo) && (hi_open ? v < hi : v <= hi);
    }
    std::string describe() const {
        if (hi == kInf) {
            return std::string(lo_open ? "> " : ">= ") + format_number(lo);
        }
        return std::string(lo_open ? "(" : "[") + format_number(lo) + ", " + format_number(hi) +
               (hi_open ? ")" : "]");
    }
};

constexpr Range kPositive{0.0, kInf, true, true};
constexpr Range kNonNegative{0.0, kInf, false, true};
constexpr Range kProbability{0.0, 1.0};
constexpr Range kOpenUnit{0.0, 1.0, true, true};
constexpr Range kFraction{0.0, 1.0, true, false};

double number_in(const json& j, const std::string& path, const Range& range);
std::int64_t integer_in(const json& j, const std::string& path, std::int64_t lo, std::int64_t hi);
int int_in(const json& j, const std::string& path, std::int64_t lo, std::int64_t hi);
/// Rejects keys outside `allowed`, naming the key and the allowed set.
void check_keys(const json& object, const std::string& path, Keys allowed);
const json* optional_field(const json& object, std::string_view key);
const json& required_field(const json& object, const std::string& path, std::string_view key);

// ---- references to nodes and links
NodeId node_ref(const json& j, const std::string& path, const Topology& topo);
NodeId switch_ref(const json& j, const std::string& path, const Topology& topo);
bool is_tor(const Topology& topo, NodeId id);
/// A server or a ToR: the places traffic can be moved between.
NodeId endpoint_ref(const json& j, const std::string& path, const Topology& topo);
/// ["a", "b"] in either order, naming an existing link; ["a", "b", i]: member i of parallel links.
LinkId link_ref(const json& j, const std::string& path, const Topology& topo);

}  // namespace json_fields
}  // namespace swarm
