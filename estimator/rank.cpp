#include "swarm/rank.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include "estimator/clp_statistics.h"
#include "estimator/comparator.h"
#include "estimator/demand.h"
#include "estimator/dkw.h"
#include "estimator/epoch_simulator.h"
#include "estimator/network_state.h"
#include "estimator/routing.h"
#include "estimator/routing_bug.h"
#include "estimator/transport_mix.h"
#include "estimator/transport_tables.h"
#include "models/mitigation_model.h"

namespace swarm {

namespace {

/// One network to evaluate: a candidate, or the healthy reference. Built once, shared
/// read-only by every sample.
struct Scenario {
    std::string name;
    std::unique_ptr<NetworkState> state;
    std::unique_ptr<Routing> routing;
    std::unique_ptr<DemandEditor> editor;
    bool connected = true;
    std::string reason;
    // Mitigation models: the later phases' networks and the flow policies (models/).
    std::vector<std::unique_ptr<NetworkState>> phase_states;
    std::vector<std::unique_ptr<Routing>> phase_routings;
    ScenarioModels models;
};

/// The partition check: every server that holds demand must reach every ToR it talks to.
/// Returns why not, or an empty string.
std::string partition(const NetworkState& state, const Routing& routing, const DemandSampler& sampler) {
    const Topology& topo = state.topology();
    const std::vector<char> without_demand = state.servers_without_demand();
    const auto& tors = topo.tors();
    std::vector<char> tor_active(tors.size(), 0);
    for (std::size_t t = 0; t < tors.size(); ++t) {
        for (std::int32_t s : topo.servers_of_tor(tors[t])) {
            if (without_demand[static_cast<std::size_t>(s)]) continue;
            tor_active[t] = 1;
            if (!state.link_usable(topo.server_link(s)) || !state.node_usable(tors[t])) {
                return "server " + topo.node(topo.servers()[static_cast<std::size_t>(s)]).name + " is cut off";
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
    return {};
}

void exclude(Scenario& scenario, std::string reason) {
    if (!scenario.connected) return;  // the first reason is the one to fix first
    scenario.connected = false;
    scenario.reason = std::move(reason);
}

/// The routing bugs' FIB changes on the candidate's network (its bug masks, routing_bug.h):
/// the changes at t <= 0 apply to `state` now, the later ones are returned as phases.
std::vector<TimedEdit> routing_bug_phases(const Incident& incident, NetworkState& state) {
    std::vector<TimedEdit> edits;
    for (const BugRouteChange& c : bug_route_changes(incident.failures, state, incident.traffic.duration.value)) {
        const auto& bug = std::get<RoutingBug>(incident.failures[static_cast<std::size_t>(c.failure)]);
        if (c.at_s <= 0.0) {
            set_bug_routes(state, bug, c.failure, c.active);
            continue;
        }
        edits.push_back({c.at_s,
                         "routing bug at " + incident.topology.node(bug.node).name +
                             (c.active ? ": episode starts" : ": episode ends"),
                         [&bug, c](NetworkState& s) { set_bug_routes(s, bug, c.failure, c.active); }});
    }
    return edits;
}

/// The failures' and models' timed edits as phases: each distinct start time gets its own
/// network, the previous phase's plus the edits starting then (DESIGN.md extension point 5).
/// At one time the failures' edits come first.
void build_phases(Scenario& scenario, std::vector<TimedEdit> edits,
                  const std::vector<std::shared_ptr<const MitigationModel>>& models, const TransportMix& transport,
                  const DemandSampler& sampler) {
    for (const auto& model : models) {
        for (TimedEdit& edit : model->timed_edits()) edits.push_back(std::move(edit));
    }
    std::stable_sort(edits.begin(), edits.end(),
                     [](const TimedEdit& a, const TimedEdit& b) { return a.start_s < b.start_s; });
    for (std::size_t i = 0; i < edits.size();) {
        const double start = edits[i].start_s;
        const NetworkState& previous = scenario.phase_states.empty() ? *scenario.state : *scenario.phase_states.back();
        auto state = std::make_unique<NetworkState>(previous);
        for (; i < edits.size() && edits[i].start_s == start; ++i) edits[i].edit(*state);
        auto routing = std::make_unique<Routing>(*state, transport.mtu_bytes());
        if (std::string why = partition(*state, *routing, sampler); !why.empty()) {
            exclude(scenario, "from " + std::to_string(start) + " s (" + edits[i - 1].label + "): " + why);
        }
        scenario.models.phases.push_back({start, routing.get()});
        scenario.phase_states.push_back(std::move(state));
        scenario.phase_routings.push_back(std::move(routing));
    }
}

/// Binds a candidate's mitigation models and the failures' phases to its network:
/// feasibility, phases, flow policies.
void bind_models(Scenario& scenario, const Incident& incident, const std::vector<Action>& actions,
                 std::vector<TimedEdit> failure_phases, const TransportMix& transport, const DemandSampler& sampler) {
    std::vector<std::shared_ptr<const MitigationModel>> models;
    for (const Action& action : actions) {
        if (const auto* m = std::get_if<ModelAction>(&action)) models.push_back(m->model);
    }
    for (const auto& model : models) {
        if (auto why = model->infeasible(*scenario.state, incident)) exclude(scenario, model->type() + ": " + *why);
    }
    build_phases(scenario, std::move(failure_phases), models, transport, sampler);
    if (models.empty()) return;
    const ModelContext context{incident, *scenario.state, *scenario.routing, transport, incident.estimator.epoch.value};
    for (const auto& model : models) {
        if (auto policy = model->flow_policy(context)) scenario.models.policies.push_back(std::move(policy));
    }
}

Scenario build_scenario(const Incident& incident, const TransportMix& transport, const DemandSampler& sampler,
                        const std::string& name, const std::vector<Action>* actions, bool healthy,
                        std::uint64_t seed) {
    Scenario scenario;
    scenario.name = name;
    scenario.state = std::make_unique<NetworkState>(incident.topology);
    NetworkState& state = *scenario.state;
    for (const SetWcmp& w : incident.routing.wcmp) state.apply_wcmp(w);
    if (!healthy) {
        for (const Failure& f : incident.failures) state.apply(f);
        for (const Action& a : incident.ongoing_mitigations) state.apply(a);
        for (const Action& a : *actions) state.apply(a);
    }
    std::vector<TimedEdit> failure_phases;
    if (!healthy) failure_phases = routing_bug_phases(incident, state);
    if (!state.finalize_demand_moves(scenario.reason)) scenario.connected = false;
    scenario.routing = std::make_unique<Routing>(state, transport.mtu_bytes());
    scenario.editor = std::make_unique<DemandEditor>(state.demand_moves(), incident.topology.servers().size(),
                                                     derive_seed(seed, {kDemandEditStream}));
    if (scenario.connected) {
        if (std::string why = partition(state, *scenario.routing, sampler); !why.empty()) exclude(scenario, why);
    }
    if (!healthy) bind_models(scenario, incident, *actions, std::move(failure_phases), transport, sampler);
    return scenario;
}

SimulationSettings settings_of(const Incident& incident) {
    const auto& e = incident.estimator;
    const auto& t = incident.traffic;
    return {e.epoch.value, e.short_flow_threshold.value, t.duration.value, t.window_start.value, t.window_end.value};
}

/// Per-sample metric values, [scenario][traffic * routing_samples + routing][metric].
using SampleTable = std::vector<std::vector<std::vector<double>>>;

/// Per-sample side metrics of the models, [scenario][sample].
using SideMetricTable = std::vector<std::vector<std::vector<std::pair<std::string, double>>>>;

/// Each side metric's mean over the samples that report it, in first-seen order.
std::vector<std::pair<std::string, double>> mean_side_metrics(
    const std::vector<std::vector<std::pair<std::string, double>>>& samples) {
    std::vector<std::pair<std::string, double>> sums;
    std::vector<int> counts;
    for (const auto& sample : samples) {
        for (const auto& [name, value] : sample) {
            auto it = std::find_if(sums.begin(), sums.end(), [&](const auto& e) { return e.first == name; });
            if (it == sums.end()) {
                sums.emplace_back(name, 0.0);
                counts.push_back(0);
                it = sums.end() - 1;
            }
            it->second += value;
            ++counts[static_cast<std::size_t>(it - sums.begin())];
        }
    }
    for (std::size_t i = 0; i < sums.size(); ++i) sums[i].second /= counts[i];
    return sums;
}

struct SampleCensus {
    std::vector<std::atomic<std::size_t>> censored;
    std::vector<std::atomic<std::size_t>> measured;
    explicit SampleCensus(std::size_t scenarios) : censored(scenarios), measured(scenarios) {}
};

void run_samples(const Incident& incident, const TransportMix& transport, const DemandSampler& sampler,
                 const std::vector<Scenario>& scenarios, const std::vector<Metric>& metrics, SampleCounts counts,
                 std::uint64_t seed, const RankOptions& options, SampleTable& table, SideMetricTable& side,
                 SampleCensus& census) {
    SimulationSettings settings = settings_of(incident);
    settings.transport_mix_seed = derive_seed(seed, {kTransportMixStream});
    settings.cancel = options.cancel;
    const auto routing = static_cast<std::size_t>(counts.routing);
    const std::size_t total = scenarios.size() * routing * static_cast<std::size_t>(counts.traffic);
    std::atomic<std::size_t> done{0};
    tbb::enumerable_thread_specific<FlowOutcomes> outcome_buffers;
    auto cancelled = [&] { return options.cancel && options.cancel->load(std::memory_order_relaxed); };

    tbb::parallel_for(0, counts.traffic, [&](int t) {
        if (cancelled()) return;
        const DemandSample demand = sampler.sample(derive_seed(seed, {kTrafficStream, static_cast<std::uint64_t>(t)}));
        tbb::parallel_for(std::size_t{0}, scenarios.size() * routing, [&](std::size_t job) {
            if (cancelled()) return;
            const std::size_t s = job / routing;
            const std::size_t r = job % routing;
            const Scenario& scenario = scenarios[s];
            if (scenario.connected) {
                FlowOutcomes& outcomes = outcome_buffers.local();
                EpochSimulator simulator(*scenario.routing, transport, settings, &scenario.models);
                const auto tt = static_cast<std::uint64_t>(t);
                simulator.run(demand, *scenario.editor, derive_seed(seed, {kRoutingStream, tt, r}),
                              derive_seed(seed, {kTransportStream, tt, r}), outcomes);
                census.censored[s] += outcomes.censored;
                census.measured[s] += outcomes.long_throughput_bps.size();
                const std::size_t sample = static_cast<std::size_t>(t) * routing + r;
                table[s][sample] = sample_metrics(outcomes, metrics);
                side[s][sample] = outcomes.side_metrics;
            }
            const std::size_t finished = ++done;
            if (options.progress) options.progress(static_cast<double>(finished) / static_cast<double>(total));
        });
    });
    if (cancelled()) throw RankCancelled();
}

/// The incident's congestion-control mix, or the default set for every flow.
TransportMix transport_mix(const Incident& incident, const TransportTables& tables, const RankOptions& options) {
    if (incident.transport.mix.empty()) return TransportMix(tables);
    if (!options.table_sets) {
        throw std::invalid_argument("the incident names transport table sets but no table-set loader was given");
    }
    std::vector<std::pair<std::shared_ptr<const TransportTables>, double>> sets;
    for (const auto& [name, probability] : incident.transport.mix) {
        if (name == tables.name) {
            // The caller's default set: borrow it (it outlives this call).
            sets.emplace_back(std::shared_ptr<const TransportTables>(&tables, [](const TransportTables*) {}), probability);
            continue;
        }
        sets.emplace_back(options.table_sets(name), probability);
    }
    return TransportMix(std::move(sets));
}

MetricEstimates summarise(const std::vector<std::vector<double>>& samples, const std::vector<Metric>& metrics,
                          double confidence) {
    MetricEstimates estimates;
    std::vector<double> column(samples.size());
    for (std::size_t m = 0; m < metrics.size(); ++m) {
        for (std::size_t i = 0; i < samples.size(); ++i) column[i] = samples[i][m];
        estimates.emplace_back(metrics[m], summarise_composite(column, confidence));
    }
    return estimates;
}

}  // namespace

Ranking rank(const Incident& incident, const TransportTables& tables, const RankOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    const EstimatorSpec& spec = incident.estimator;
    const std::uint64_t seed = options.seed.value_or(spec.seed);
    const int dkw = dkw_sample_count(spec.confidence, spec.epsilon);
    const SampleCounts counts = default_sample_counts(dkw, spec.traffic_samples ? &*spec.traffic_samples : nullptr,
                                                      spec.routing_samples ? &*spec.routing_samples : nullptr);
    const std::vector<Metric> metrics = metrics_to_report(incident.comparator, options.extra_metrics);
    const TransportMix transport = transport_mix(incident, tables, options);
    const DemandSampler sampler(incident.topology, incident.traffic);

    // Scenario 0 is the healthy network; candidates follow in input order. Each is built on its
    // own (routing compilation is ~0.1 s per scenario at 16K servers), so in parallel.
    tbb::task_arena arena(options.threads > 0 ? options.threads : tbb::task_arena::automatic);
    std::vector<Scenario> scenarios(incident.candidates.size() + 1);
    arena.execute([&] {
        tbb::parallel_for(std::size_t{0}, scenarios.size(), [&](std::size_t s) {
            if (s == 0) {
                scenarios[0] = build_scenario(incident, transport, sampler, "healthy", nullptr, true, seed);
            } else {
                const Candidate& c = incident.candidates[s - 1];
                scenarios[s] = build_scenario(incident, transport, sampler, c.name, &c.actions, false, seed);
            }
        });
    });

    const auto sample_count = static_cast<std::size_t>(counts.traffic) * static_cast<std::size_t>(counts.routing);
    SampleTable table(scenarios.size(), std::vector<std::vector<double>>(sample_count));
    SideMetricTable side(scenarios.size(), std::vector<std::vector<std::pair<std::string, double>>>(sample_count));
    SampleCensus census(scenarios.size());
    arena.execute([&] {
        run_samples(incident, transport, sampler, scenarios, metrics, counts, seed, options, table, side, census);
    });

    Ranking result;
    result.incident = incident.name;
    result.healthy = summarise(table[0], metrics, spec.confidence);
    std::vector<MetricEstimates> estimates;
    std::vector<char> eligible;
    for (std::size_t s = 1; s < scenarios.size(); ++s) {
        estimates.push_back(scenarios[s].connected ? summarise(table[s], metrics, spec.confidence) : MetricEstimates{});
        eligible.push_back(scenarios[s].connected);
    }
    const std::vector<std::size_t> order = order_candidates(incident.comparator, estimates, result.healthy, eligible);
    for (std::size_t position = 0; position < order.size(); ++position) {
        const std::size_t c = order[position];
        const Scenario& scenario = scenarios[c + 1];
        CandidateResult entry;
        entry.candidate = scenario.name;
        entry.rank = static_cast<int>(position) + 1;
        entry.connected = scenario.connected;
        entry.reason = scenario.reason;
        entry.metrics = estimates[c];
        const std::size_t measured = census.measured[c + 1].load();
        entry.side_metrics = mean_side_metrics(side[c + 1]);
        entry.censored_fraction = measured ? static_cast<double>(census.censored[c + 1].load()) / static_cast<double>(measured) : 0.0;
        result.ranking.push_back(std::move(entry));
    }
    result.traffic_samples = counts.traffic;
    result.routing_samples = counts.routing;
    result.dkw_samples = dkw;
    result.dkw_epsilon = dkw_epsilon(spec.confidence, counts.traffic * counts.routing);
    result.confidence = spec.confidence;
    result.seed = seed;
    result.tables = transport.describe();
    result.version = SWARM_VERSION;
    result.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

}  // namespace swarm
