// A model action's parameters as read from the incident ({"type": "zooroute", ...}), with the
// same rules as every other field: each read names its JSON path, unknown keys are errors,
// defaults are explicit at the call site (where the model cites the paper they come from).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "estimator/helper/json_fields.h"
#include "swarm/topology.h"

namespace swarm {

class ModelParams {
   public:
    /// Throws IncidentError if `object` is not an object or has a key outside `allowed`
    /// ("type" is always allowed).
    ModelParams(const nlohmann::json& object, std::string path, const Topology& topology,
                const std::vector<std::string>& allowed);

    const std::string& path() const { return path_; }
    const Topology& topology() const { return *topology_; }
    bool has(std::string_view key) const {
        return json_fields::optional_field(*object_, key) != nullptr;
    }
    /// The raw value, for parameters with a structure of their own; nullptr when absent.
    const nlohmann::json* raw(std::string_view key) const {
        return json_fields::optional_field(*object_, key);
    }
    /// The JSON path of `key`, for messages about it.
    std::string at(std::string_view key) const { return json_fields::child(path_, key); }
    [[noreturn]] void fail(std::string_view key, const std::string& message) const;

    double number(std::string_view key, double default_value,
                  const json_fields::Range& range) const;
    double required_number(std::string_view key, const json_fields::Range& range) const;
    int integer(std::string_view key, int default_value, int lo, int hi) const;
    bool flag(std::string_view key, bool default_value) const;
    /// One of `options`.
    std::string choice(std::string_view key, const std::string& default_value,
                       const std::vector<std::string>& options) const;

    NodeId node(std::string_view key) const;  ///< any node, required
    NodeId switch_node(std::string_view key) const;
    LinkId link(std::string_view key) const;                ///< ["a", "b"]
    std::vector<LinkId> links(std::string_view key) const;  ///< [["a", "b"], ...], non-empty
    /// Names of servers or ToRs (a ToR stands for every server below it) -> server indices,
    /// sorted and unique. Required and non-empty.
    std::vector<std::int32_t> servers(std::string_view key) const;
    /// [["h1", "h2"], ...]: ordered server pairs (indices), non-empty, no server paired with itself.
    std::vector<std::pair<std::int32_t, std::int32_t>> server_pairs(std::string_view key) const;

    /// One name (at `path`) of a server or a ToR -> the servers it stands for, for parameters
    /// with a structure of their own (RON's host pairs, either end a server or a ToR).
    std::vector<std::int32_t> servers_of(const nlohmann::json& name, const std::string& path) const;

   private:
    const nlohmann::json& required(std::string_view key) const;

    const nlohmann::json* object_;
    std::string path_;
    const Topology* topology_;
};

}  // namespace swarm
