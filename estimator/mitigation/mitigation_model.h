// The one small interface every mitigation-model plugin implements (docs/models/README.md,
// docs/model.md). The core owns it: it calls it, and the models (models/) depend on it. A
// model is an action in a candidate: it may edit the network state for the whole run, edit it
// again at given times (transients such as a migration finishing or a control-plane outage
// ending), steer individual flows (FlowPolicy: per-flow paths, re-selection, multipath, its
// own transport), declare itself infeasible on this network, and report what it costs beside
// the CLP.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "estimator/mitigation/flow_policy.h"
#include "estimator/network_state.h"
#include "swarm/incident.h"

namespace swarm {

class Routing;
class TransportMix;

/// A state edit that takes effect at `start_s` and stays (phase changes, SWARM §3.3 epochs).
struct TimedEdit {
    double start_s = 0.0;
    std::string label;  ///< for messages: "vroom: link t0-0 -> a1-0 migrated"
    std::function<void(NetworkState&)> edit;
};

/// What a model may read when it builds its flow policy: the candidate's network (after every
/// permanent edit of every action) and its compiled routing, both alive for the whole rank().
struct ModelContext {
    const Incident& incident;
    const NetworkState& state;
    const Routing& routing;
    const TransportMix& transport;
    double epoch_s;
};

class MitigationModel {
   public:
    virtual ~MitigationModel() = default;
    /// The action type it is registered under ("zooroute").
    virtual std::string type() const = 0;
    /// One line for people (reports): what this action does, with its main parameters.
    virtual std::string describe(const Topology& topology) const {
        (void)topology;
        return type();
    }
    /// Permanent edits, applied in the candidate's action order with the classic actions.
    virtual void edit_state(NetworkState& state) const { (void)state; }
    /// Edits that take effect later in the run, on top of every permanent edit.
    virtual std::vector<TimedEdit> timed_edits() const { return {}; }
    /// The model's flow steering (do_flow_policy), or nullptr if it only edits the state.
    /// Non-virtual (ns-3's Enqueue/DoEnqueue): it holds the model to what it declared and
    /// throws std::logic_error naming the model otherwise. A model that steers_flows() returns
    /// a policy; the policy's runs take only flows whose source is among governed_sources(),
    /// and none at all if the model does not steer flows (a policy that only reports side
    /// metrics, such as VROOM's costs, is fine).
    std::shared_ptr<const FlowPolicy> flow_policy(const ModelContext& context) const;
    /// Why this candidate cannot be applied on this network (VROOM: no headroom on the target
    /// for the traffic the incident offers), or empty. `state` is the candidate's network after
    /// every permanent edit. An infeasible candidate is reported and never ranked.
    virtual std::optional<std::string> infeasible(const NetworkState& state,
                                                  const Incident& incident) const {
        (void)state;
        (void)incident;
        return std::nullopt;
    }
    /// Only for models that steer flows: the servers (indices into Topology::servers()) whose
    /// flows, as source, the policy may take; empty optional = every server. Two policies of
    /// one candidate must not govern the same server (checked when the incident is read).
    virtual std::optional<std::vector<std::int32_t>> governed_sources() const {
        return std::nullopt;
    }
    /// Whether flow_policy() returns a policy that takes flows (for the overlap check, before
    /// any routing).
    virtual bool steers_flows() const { return false; }

   protected:
    /// The model's own flow steering, checked by flow_policy().
    virtual std::shared_ptr<const FlowPolicy> do_flow_policy(const ModelContext& context) const {
        (void)context;
        return nullptr;
    }
};

}  // namespace swarm
