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
#include "estimator/decision.h"
#include "estimator/demand.h"
#include "estimator/dkw.h"
#include "estimator/sample_plan.h"
#include "estimator/epoch_simulator.h"
#include "estimator/network_state.h"
#include "estimator/routing.h"
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

/// The models' timed edits as phases: each distinct start time gets its own network, the
/// previous phase's plus the edits starting then (DESIGN.md extension point 4).
void build_phases(Scenario& scenario, const std::vector<std::shared_ptr<const MitigationModel>>& models,
                  const TransportMix& transport, const DemandSampler& sampler) {
    std::vector<TimedEdit> edits;
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

/// Binds a candidate's mitigation models to its network: feasibility, phases, flow policies.
void bind_models(Scenario& scenario, const Incident& incident, const std::vector<Action>& actions,
                 const TransportMix& transport, const DemandSampler& sampler) {
    std::vector<std::shared_ptr<const MitigationModel>> models;
    for (const Action& action : actions) {
        if (const auto* m = std::get_if<ModelAction>(&action)) models.push_back(m->model);
    }
    if (models.empty()) return;
    for (const auto& model : models) {
        if (auto why = model->infeasible(*scenario.state, incident)) exclude(scenario, model->type() + ": " + *why);
    }
    build_phases(scenario, models, transport, sampler);
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
    if (!state.finalize_demand_moves(scenario.reason)) scenario.connected = false;
    scenario.routing = std::make_unique<Routing>(state, transport.mtu_bytes());
    scenario.editor = std::make_unique<DemandEditor>(state.demand_moves(), incident.topology.servers().size(),
                                                     derive_seed(seed, {kDemandEditStream}));
    if (scenario.connected) {
        if (std::string why = partition(state, *scenario.routing, sampler); !why.empty()) exclude(scenario, why);
    }
    if (!healthy) bind_models(scenario, incident, *actions, transport, sampler);
    return scenario;
}

SimulationSettings settings_of(const Incident& incident) {
    const auto& e = incident.estimator;
    const auto& t = incident.traffic;
    return {e.epoch.value, e.short_flow_threshold.value, t.duration.value, t.window_start.value, t.window_end.value};
}

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

/// What every round shares, and where it writes: per-sample values go to [scenario][t * routing
/// + r], so results are reduced in sample order whatever thread ran them.
struct SamplingRun {
    const Incident& incident;
    const TransportMix& transport;
    const DemandSampler& sampler;
    const std::vector<Scenario>& scenarios;
    const std::vector<Metric>& metrics;
    const SamplePlan& plan;
    std::uint64_t seed;
    const RankOptions& options;
    SampleValues table;
    SideMetricTable side;
    SampleCensus census;
    std::atomic<std::size_t> units_done{0};
};

/// Runs traffic samples [begin, end), each with plan.routing routing samples, for every scenario.
void run_round(SamplingRun& run, int begin, int end, int round) {
    SimulationSettings settings = settings_of(run.incident);
    settings.transport_mix_seed = derive_seed(run.seed, {kTransportMixStream});
    settings.cancel = run.options.cancel;
    const auto routing = static_cast<std::size_t>(run.plan.routing);
    const std::size_t scenario_count = run.scenarios.size();
    const std::size_t samples_planned = static_cast<std::size_t>(end) * routing;
    for (auto& rows : run.table) rows.resize(samples_planned);
    for (auto& rows : run.side) rows.resize(samples_planned);
    tbb::enumerable_thread_specific<FlowOutcomes> outcome_buffers;
    const RankOptions& options = run.options;
    auto cancelled = [&] { return options.cancel && options.cancel->load(std::memory_order_relaxed); };

    tbb::parallel_for(begin, end, [&](int t) {
        if (cancelled()) return;
        const auto tt = static_cast<std::uint64_t>(t);
        const DemandSample demand = run.sampler.sample(derive_seed(run.seed, {kTrafficStream, tt}));
        tbb::parallel_for(std::size_t{0}, scenario_count * routing, [&](std::size_t job) {
            if (cancelled()) return;
            const std::size_t s = job / routing;
            const std::size_t r = job % routing;
            const Scenario& scenario = run.scenarios[s];
            if (scenario.connected) {
                FlowOutcomes& outcomes = outcome_buffers.local();
                EpochSimulator simulator(*scenario.routing, run.transport, settings, &scenario.models);
                simulator.run(demand, *scenario.editor, derive_seed(run.seed, {kRoutingStream, tt, r}),
                              derive_seed(run.seed, {kTransportStream, tt, r}), outcomes);
                run.census.censored[s] += outcomes.censored;
                run.census.measured[s] += outcomes.long_throughput_bps.size();
                const std::size_t sample = static_cast<std::size_t>(t) * routing + r;
                run.table[s][sample] = sample_metrics(outcomes, run.metrics);
                run.side[s][sample] = outcomes.side_metrics;
            }
            const std::size_t units = ++run.units_done;
            const std::size_t planned = scenario_count * samples_planned;
            const double fraction = static_cast<double>(units) / static_cast<double>(planned);
            if (options.progress) options.progress(fraction);
            if (options.report) {
                options.report({fraction, static_cast<int>(units / scenario_count), static_cast<int>(samples_planned),
                                run.plan.max_samples(), round});
            }
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

/// The ranking of the samples run so far, and whether its pick is settled.
struct Standing {
    MetricEstimates healthy;
    std::vector<MetricEstimates> estimates;  ///< per candidate
    std::vector<char> eligible;
    std::vector<std::size_t> order;
    Decision decision;
};

Standing standing_of(const SamplingRun& run, const ComparatorSpec& comparator, double confidence) {
    Standing standing;
    standing.healthy = summarise(run.table[0], run.metrics, confidence);
    std::vector<std::string> names;
    for (std::size_t s = 1; s < run.scenarios.size(); ++s) {
        const bool connected = run.scenarios[s].connected;
        standing.estimates.push_back(connected ? summarise(run.table[s], run.metrics, confidence) : MetricEstimates{});
        standing.eligible.push_back(connected);
        names.push_back(run.scenarios[s].name);
    }
    standing.order = order_candidates(comparator, standing.estimates, standing.healthy, standing.eligible);
    standing.decision =
        decide(comparator, run.metrics, run.table, standing.order, standing.eligible, names, confidence);
    return standing;
}

/// Rounds of samples until the plan says stop: the decision is settled (adaptive), every planned
/// sample is done, or the next round would overrun the time budget. Returns the last standing.
Standing sample_in_rounds(SamplingRun& run, const ComparatorSpec& comparator, double confidence,
                          std::chrono::steady_clock::time_point started) {
    using clock = std::chrono::steady_clock;
    const SamplePlan& plan = run.plan;
    Standing standing;
    int done = 0;
    for (int round = 1;; ++round) {
        const int end = plan.next_round_end(done);
        const auto round_started = clock::now();
        run_round(run, done, end, round);
        const double round_s = std::chrono::duration<double>(clock::now() - round_started).count();
        const int added = end - done;
        done = end;
        standing = standing_of(run, comparator, confidence);
        Decision& decision = standing.decision;
        decision.rounds = round;
        if (plan.mode == SamplingMode::Adaptive && decision.settled) {
            decision.stopped_by = "settled";
            return standing;
        }
        if (done >= plan.traffic) {
            decision.stopped_by = plan.mode == SamplingMode::Adaptive ? "sample_cap" : "fixed";
            return standing;
        }
        if (const auto& budget = run.options.time_budget_s) {
            const double elapsed = std::chrono::duration<double>(clock::now() - started).count();
            const double next_round_s = round_s / added * (plan.next_round_end(done) - done);
            if (elapsed + next_round_s > *budget) {
                decision.stopped_by = "time_budget";
                return standing;
            }
        }
    }
}

}  // namespace

Ranking rank(const Incident& incident, const TransportTables& tables, const RankOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    const EstimatorSpec& spec = incident.estimator;
    const std::uint64_t seed = options.seed.value_or(spec.seed);
    const SamplePlan plan = make_sample_plan(spec, options.sampling.value_or(spec.sampling));
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

    SamplingRun run{incident, transport, sampler, scenarios, metrics, plan, seed, options,
                    SampleValues(scenarios.size()), SideMetricTable(scenarios.size()), SampleCensus(scenarios.size())};
    Standing standing;
    arena.execute([&] { standing = sample_in_rounds(run, incident.comparator, spec.confidence, started); });

    Ranking result;
    result.incident = incident.name;
    result.healthy = standing.healthy;
    for (std::size_t position = 0; position < standing.order.size(); ++position) {
        const std::size_t c = standing.order[position];
        const Scenario& scenario = scenarios[c + 1];
        CandidateResult entry;
        entry.candidate = scenario.name;
        entry.rank = static_cast<int>(position) + 1;
        entry.connected = scenario.connected;
        entry.reason = scenario.reason;
        entry.metrics = standing.estimates[c];
        const std::size_t measured = run.census.measured[c + 1].load();
        entry.side_metrics = mean_side_metrics(run.side[c + 1]);
        entry.censored_fraction = measured ? static_cast<double>(run.census.censored[c + 1].load()) / static_cast<double>(measured) : 0.0;
        result.ranking.push_back(std::move(entry));
    }
    const int samples = static_cast<int>(run.table[0].size());
    result.traffic_samples = samples / plan.routing;
    result.routing_samples = plan.routing;
    result.dkw_samples = plan.dkw;
    result.dkw_epsilon = dkw_epsilon(spec.confidence, samples);
    result.confidence = spec.confidence;
    result.seed = seed;
    result.tables = transport.describe();
    result.version = SWARM_VERSION;
    result.decision = std::move(standing.decision);
    result.decision.sampling = plan.mode == SamplingMode::Adaptive ? "adaptive" : "dkw";
    result.warnings = incident.warnings;
    result.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

}  // namespace swarm
