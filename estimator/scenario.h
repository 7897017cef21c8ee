// One network to evaluate, built once and shared read-only by every sample of rank(): the
// healthy reference or a candidate (failures, ongoing mitigations and its actions applied to
// the topology, docs/model.md), its compiled routing and demand edits, its mitigation models
// bound to it (phases and flow policies), and whether it can be ranked at all (the partition
// check, SWARM §3.3).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "estimator/demand.h"
#include "estimator/epoch_simulator.h"
#include "estimator/mitigation/mitigation_model.h"
#include "estimator/network_state.h"
#include "estimator/routing.h"
#include "estimator/transport_mix.h"
#include "swarm/incident.h"

namespace swarm {

/// A candidate's mitigation models bound to its network, as the epoch loop uses them: each
/// distinct start time of their timed edits becomes a phase, the previous phase's network plus
/// the edits starting then (docs/model.md, mitigation models), and each model's flow policy is
/// built against the network after every permanent edit (context.state, context.routing).
struct ModelBinding {
    std::vector<std::unique_ptr<NetworkState>> phase_states;
    std::vector<std::unique_ptr<Routing>> phase_routings;
    std::vector<std::string> phase_labels;  ///< the last edit of each phase, for messages
    ScenarioModels models;
};

/// `failure_phases` are the failures' own timed edits (a routing bug's episodes,
/// routing_bug_phases()); at one start time they apply before the models' edits.
ModelBinding bind_models(const std::vector<const MitigationModel*>& models,
                         const ModelContext& context, std::vector<TimedEdit> failure_phases = {});

/// The routing bugs' FIB changes on a candidate's network after its permanent edits (its bug
/// masks, estimator/routing_bug.h): the changes at t <= 0 apply to `state` now, the later ones
/// are returned as timed edits. They read `incident` when the phases are built.
std::vector<TimedEdit> routing_bug_phases(const Incident& incident, NetworkState& state);

/// The partition check: every server that holds demand must reach every ToR it talks to.
/// Returns why not.
std::optional<std::string> partition(const NetworkState& state, const Routing& routing,
                                     const DemandSampler& sampler);

struct Scenario {
    std::string name;
    std::unique_ptr<NetworkState> state;
    std::unique_ptr<Routing> routing;
    std::unique_ptr<DemandEditor> editor;
    /// Why this scenario cannot be ranked (partitioned, a drain with nowhere to go, an infeasible
    /// model): the first problem found, the one to fix first. Empty: it is ranked.
    std::optional<std::string> excluded;
    ModelBinding binding;
};

/// The healthy network (`candidate` null) or `candidate`'s network, for rank()'s samples.
Scenario build_scenario(const Incident& incident, const TransportMix& transport,
                        const DemandSampler& sampler, const Candidate* candidate,
                        std::uint64_t seed);

}  // namespace swarm
