// Operators' own mitigation models, plugged into the installed library (docs/api.md "Your own
// mitigation models", docs/design.md "Extension points"). A plugin model is a candidate action
// with a type of its own ({"type": "replace_cable", "link": ["t0-0-0", "t1-0-0"]}): it reads its
// parameters (errors name their JSON path, like every other field), may declare itself
// infeasible on the candidate's network, and edits that network, at once or later in the run,
// with a small vocabulary of edits. Everything here is plain types: no nlohmann, no Boost, no
// internal header.
//
// clang-format off
//   struct ReplaceCable : swarm::ModelPlugin { ... };         // edits(), timed_edits(), ...
//   swarm::ModelCatalog models;                               // the built-in models
//   models.add({"replace_cable", {"link", "after_s"}, [](const swarm::PluginParams& p) {
//       return std::make_shared<ReplaceCable>(p.link("link"), p.number("after_s", 0.0, 0.0, 1e9));
//   }});
//   swarm::Incident incident = swarm::load_incident("incident.json", models);
//   swarm::Ranking ranking = swarm::rank(incident, tables);
// clang-format on
//
// What a plugin cannot do (the built-in models can, through the internal interface
// estimator/mitigation/mitigation_model.h): steer individual flows (per-flow paths, multipath,
// its own transport) and report side metrics.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "swarm/incident.h"
#include "swarm/topology.h"

namespace swarm {

class ModelParams;
class ModelRegistry;
class NetworkState;

// ---- the edit vocabulary ------------------------------------------------------------------
/// Sets a link's packet drop rate in both directions, in [0, 1] (0 repairs a lossy link).
struct SetLinkDropRate {
    LinkId link = -1;
    double drop_rate = 0.0;
};
/// Sets a link's capacity in bits/s, > 0 (a degraded LAG, an upgraded optic).
struct SetLinkCapacity {
    LinkId link = -1;
    double capacity_bps = 0.0;
};
/// What a plugin model may do to the candidate's network: the classic actions that take a link
/// or a switch (swarm/incident.h), a drop rate and a capacity. Applied in order.
using NetworkEdit = std::variant<DisableLink, EnableLink, DisableNode, EnableNode, SetLinkDropRate,
                                 SetLinkCapacity>;

/// Edits that take effect `start_s` seconds into the run and stay (a repair finishing).
struct TimedNetworkEdits {
    double start_s = 0.0;
    std::string label;  ///< for messages: "replace_cable: t0-0-0 - t1-0-0 repaired"
    std::vector<NetworkEdit> edits;
};

/// A read-only view of the candidate's network (after the failures and the actions before this
/// one). Valid only during the call it is passed to.
class NetworkView {
   public:
    explicit NetworkView(const NetworkState& state) : state_(&state) {}
    const Topology& topology() const;
    double link_drop_rate(LinkId link) const;  ///< 1 for a blackholed link
    double node_drop_rate(NodeId node) const;  ///< 1 for a blackholed switch
    double link_capacity_bps(LinkId link) const;
    /// Neither the link nor either end is down or disabled.
    bool link_usable(LinkId link) const;
    bool node_usable(NodeId node) const;

   private:
    const NetworkState* state_;
};

// ---- the plugin ---------------------------------------------------------------------------
/// One operator model, built from one action's parameters and shared read-only by every sample
/// (and thread) of a ranking: its methods must be const and thread-safe.
class ModelPlugin {
   public:
    virtual ~ModelPlugin() = default;
    /// One line for people (reports): what this action does, with its main parameters.
    virtual std::string describe(const Topology& topology) const = 0;
    /// Edits applied at the start of the run, in the candidate's action order with its other
    /// actions. `network` is the network they apply to.
    virtual std::vector<NetworkEdit> edits(const NetworkView& network) const {
        (void)network;
        return {};
    }
    /// Edits later in the run, on top of every edit at the start.
    virtual std::vector<TimedNetworkEdits> timed_edits() const { return {}; }
    /// Why this action cannot be applied on `network` (the candidate's network after every
    /// edit at the start), or empty. An infeasible candidate is reported and never ranked.
    virtual std::optional<std::string> infeasible(const NetworkView& network) const {
        (void)network;
        return std::nullopt;
    }
};

/// One action's parameters as the incident gives them. Every read names the key's JSON path
/// when it fails ("$.candidates[1].actions[0].after_s: must be in [0, 1e+09], got -1"), and a
/// key the model did not declare is an error before the model is built.
class PluginParams {
   public:
    explicit PluginParams(const ModelParams& params) : params_(&params) {}
    /// The action's JSON path, e.g. "$.candidates[1].actions[0]".
    const std::string& path() const;
    const Topology& topology() const;
    bool has(std::string_view key) const;

    /// A number in [lo, hi]; `default_value` when absent.
    double number(std::string_view key, double default_value, double lo, double hi) const;
    /// A required number in [lo, hi].
    double required_number(std::string_view key, double lo, double hi) const;
    int integer(std::string_view key, int default_value, int lo, int hi) const;
    bool flag(std::string_view key, bool default_value) const;
    /// One of `options`; `default_value` when absent.
    std::string choice(std::string_view key, const std::string& default_value,
                       const std::vector<std::string>& options) const;
    /// A text, any string; `default_value` when absent.
    std::string text(std::string_view key, const std::string& default_value) const;
    NodeId node(std::string_view key) const;                ///< a node name, required
    LinkId link(std::string_view key) const;                ///< ["a", "b"], required
    std::vector<LinkId> links(std::string_view key) const;  ///< [["a", "b"], ...], non-empty
    /// Names of servers or ToRs (a ToR stands for its servers) -> server indices, sorted.
    std::vector<std::int32_t> servers(std::string_view key) const;

    /// Rejects the incident with "<path of key>: <message>" (InvalidIncident from
    /// parse_incident/load_incident), for checks the reads above do not cover.
    [[noreturn]] void fail(std::string_view key, const std::string& message) const;

   private:
    const ModelParams* params_;
};

/// How a plugin model is registered: its action type, the parameter keys it accepts besides
/// "type", and the function that validates them and builds the model.
struct ModelPluginSpec {
    std::string type;
    std::vector<std::string> keys;
    std::function<std::shared_ptr<const ModelPlugin>(const PluginParams&)> make;
};

/// The mitigation models an incident may name: the built-in ones (docs/models/) and the
/// operator's. Pass it to parse_incident/load_incident (swarm/swarm.h); rank() then runs the
/// models the incident's candidates hold. Build it once, add models, then share it read-only.
class ModelCatalog {
   public:
    /// The built-in models.
    ModelCatalog();
    /// Adds an operator's model. Throws std::invalid_argument when `type` is empty, is already
    /// taken (by a built-in model, a classic action or an earlier add) or `make` is empty.
    void add(ModelPluginSpec spec);
    /// Every model type, sorted.
    std::vector<std::string> types() const;

    /// For the library: the catalog as the incident reader's registry.
    const ModelRegistry& registry() const { return *registry_; }

   private:
    std::shared_ptr<ModelRegistry> registry_;
};

}  // namespace swarm
