// Test helper: binds one mitigation model to a network the way rank() does (models/,
// estimator/rank.cpp bind_models): its timed edits become phases on top of the state, its flow
// policy sees the state and its routing. Lets a test run the epoch loop on hand-built flows.
#pragma once

#include <algorithm>
#include <memory>
#include <vector>

#include "estimator/epoch_simulator.h"
#include "estimator/routing.h"
#include "estimator/transport_mix.h"
#include "models/mitigation_model.h"

namespace swarm::testing {

struct BoundModel {
    std::vector<std::unique_ptr<NetworkState>> states;
    std::vector<std::unique_ptr<Routing>> routings;
    ScenarioModels models;

    BoundModel(const MitigationModel& model, const Incident& incident, const NetworkState& state,
               const Routing& routing, const TransportMix& transport, double epoch_s) {
        std::vector<TimedEdit> edits = model.timed_edits();
        std::stable_sort(edits.begin(), edits.end(),
                         [](const TimedEdit& a, const TimedEdit& b) { return a.start_s < b.start_s; });
        for (std::size_t i = 0; i < edits.size();) {
            const double start = edits[i].start_s;
            auto next = std::make_unique<NetworkState>(states.empty() ? state : *states.back());
            for (; i < edits.size() && edits[i].start_s == start; ++i) edits[i].edit(*next);
            routings.push_back(std::make_unique<Routing>(*next, transport.mtu_bytes()));
            models.phases.push_back({start, routings.back().get()});
            states.push_back(std::move(next));
        }
        const ModelContext context{incident, state, routing, transport, epoch_s};
        if (auto policy = model.flow_policy(context)) models.policies.push_back(std::move(policy));
    }
};

}  // namespace swarm::testing
