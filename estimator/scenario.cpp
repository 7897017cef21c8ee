#include "estimator/scenario.h"

#include <algorithm>
#include <variant>

#include "estimator/random.h"
#include "estimator/routing_bug.h"

namespace swarm {

namespace {

void exclude(Scenario& scenario, std::string reason) {
    if (scenario.excluded) return;  // the first reason is the one to fix first
    scenario.excluded = std::move(reason);
}

/// The failures' and the models' timed edits as phases, in start order (ModelBinding).
void build_phases(ModelBinding& binding, std::vector<TimedEdit> edits,
                  const std::vector<const MitigationModel*>& models, const NetworkState& state,
                  const TransportMix& transport) {
    for (const MitigationModel* model : models) {
        for (TimedEdit& edit : model->timed_edits()) edits.push_back(std::move(edit));
    }
    std::stable_sort(edits.begin(), edits.end(),
                     [](const TimedEdit& a, const TimedEdit& b) { return a.start_s < b.start_s; });
    for (std::size_t i = 0; i < edits.size();) {
        const double start = edits[i].start_s;
        const NetworkState& previous =
            binding.phase_states.empty() ? state : *binding.phase_states.back();
        auto next = std::make_unique<NetworkState>(previous);
        for (; i < edits.size() && edits[i].start_s == start; ++i) edits[i].edit(*next);
        auto routing = std::make_unique<Routing>(*next, transport.mtu_bytes());
        binding.models.phases.push_back({start, routing.get()});
        binding.phase_labels.push_back(edits[i - 1].label);
        binding.phase_states.push_back(std::move(next));
        binding.phase_routings.push_back(std::move(routing));
    }
}

std::vector<const MitigationModel*> models_of(const std::vector<Action>& actions) {
    std::vector<const MitigationModel*> models;
    for (const Action& action : actions) {
        if (const auto* m = std::get_if<ModelAction>(&action)) models.push_back(m->model.get());
    }
    return models;
}

/// Binds a candidate's mitigation models and its failures' phases to its network:
/// feasibility, phases (each checked for a partition), flow policies.
void bind_candidate_models(Scenario& scenario, const Incident& incident,
                           const std::vector<Action>& actions,
                           std::vector<TimedEdit> failure_phases, const TransportMix& transport,
                           const DemandSampler& sampler) {
    const std::vector<const MitigationModel*> models = models_of(actions);
    if (models.empty() && failure_phases.empty()) return;
    for (const MitigationModel* model : models) {
        if (auto why = model->infeasible(*scenario.state, incident))
            exclude(scenario, model->type() + ": " + *why);
    }
    const ModelContext context{incident, *scenario.state, *scenario.routing, transport,
                               incident.estimator.epoch.value};
    scenario.binding = bind_models(models, context, std::move(failure_phases));
    const ModelBinding& binding = scenario.binding;
    for (std::size_t p = 0; p < binding.phase_states.size(); ++p) {
        if (auto why = partition(*binding.phase_states[p], *binding.phase_routings[p], sampler)) {
            exclude(scenario, "from " + std::to_string(binding.models.phases[p].start_s) + " s (" +
                                  binding.phase_labels[p] + "): " + *why);
        }
    }
}

}  // namespace

ModelBinding bind_models(const std::vector<const MitigationModel*>& models,
                         const ModelContext& context, std::vector<TimedEdit> failure_phases) {
    ModelBinding binding;
    build_phases(binding, std::move(failure_phases), models, context.state, context.transport);
    for (const MitigationModel* model : models) {
        if (auto policy = model->flow_policy(context))
            binding.models.policies.push_back(std::move(policy));
    }
    return binding;
}

std::vector<TimedEdit> routing_bug_phases(const Incident& incident, NetworkState& state) {
    std::vector<TimedEdit> edits;
    for (const BugRouteChange& c :
         bug_route_changes(incident.failures, state, incident.traffic.duration.value)) {
        const auto& bug =
            std::get<RoutingBug>(incident.failures[static_cast<std::size_t>(c.failure)]);
        if (c.at_s <= 0.0) {
            set_bug_routes(state, bug, c.failure, c.active);
            continue;
        }
        edits.push_back(
            {c.at_s,
             "routing bug at " + incident.topology.node(bug.node).name +
                 (c.active ? ": episode starts" : ": episode ends"),
             [&bug, c](NetworkState& s) { set_bug_routes(s, bug, c.failure, c.active); }});
    }
    return edits;
}

std::optional<std::string> partition(const NetworkState& state, const Routing& routing,
                                     const DemandSampler& sampler) {
    const Topology& topo = state.topology();
    const std::vector<char> without_demand = state.servers_without_demand();
    const auto& tors = topo.tors();
    std::vector<char> tor_active(tors.size(), 0);
    for (std::size_t t = 0; t < tors.size(); ++t) {
        for (std::int32_t s : topo.servers_of_tor(tors[t])) {
            if (without_demand[static_cast<std::size_t>(s)]) continue;
            tor_active[t] = 1;
            if (!state.link_usable(topo.server_link(s)) || !state.node_usable(tors[t])) {
                return "server " + topo.node(topo.servers()[static_cast<std::size_t>(s)]).name +
                       " is cut off";
            }
        }
    }
    // Moved demand may land anywhere among the active ToRs, so with moves every pair counts.
    const bool moves = !state.demand_moves().empty();
    for (std::size_t i = 0; i < tors.size(); ++i) {
        for (std::size_t j = 0; j < tors.size(); ++j) {
            if (i == j || !tor_active[i] || !tor_active[j]) continue;
            if (!moves && sampler.tor_probability(i, j) <= 0.0) continue;
            if (routing.tors_connected(tors[i], tors[j])) continue;
            return topo.node(tors[i]).name + " cannot reach " + topo.node(tors[j]).name;
        }
    }
    return std::nullopt;
}

Scenario build_scenario(const Incident& incident, const TransportMix& transport,
                        const DemandSampler& sampler, const Candidate* candidate,
                        std::uint64_t seed) {
    Scenario scenario;
    scenario.name = candidate ? candidate->name : "healthy";
    scenario.state = std::make_unique<NetworkState>(incident.topology);
    NetworkState& state = *scenario.state;
    for (const SetWcmp& w : incident.routing.wcmp) state.apply_wcmp(w);
    if (candidate) {
        for (const Failure& f : incident.failures) state.apply(f);
        for (const Action& a : incident.ongoing_mitigations) state.apply(a);
        for (const Action& a : candidate->actions) state.apply(a);
    }
    std::vector<TimedEdit> failure_phases;
    if (candidate) failure_phases = routing_bug_phases(incident, state);
    scenario.excluded = state.finalize_demand_moves();
    scenario.routing = std::make_unique<Routing>(state, transport.mtu_bytes());
    scenario.editor =
        std::make_unique<DemandEditor>(state.demand_moves(), incident.topology.servers().size(),
                                       derive_seed(seed, {kDemandEditStream}));
    if (!scenario.excluded) {
        if (auto why = partition(state, *scenario.routing, sampler)) exclude(scenario, *why);
    }
    if (candidate) {
        bind_candidate_models(scenario, incident, candidate->actions, std::move(failure_phases),
                              transport, sampler);
    }
    return scenario;
}

}  // namespace swarm
