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
#include "estimator/epoch_simulator.h"
#include "estimator/helper/downscale.h"
#include "estimator/sample_plan.h"
#include "estimator/scenario.h"
#include "estimator/transport_mix.h"
#include "estimator/transport_tables.h"

namespace swarm {

namespace {

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

/// What every round of one rank() call reads, and where it writes its results: per-sample
/// values go to [scenario][t * routing + r], so results are reduced in sample order whatever
/// thread ran them.
struct SampleRun {
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

    SampleRun(const Incident& incident_, const TransportMix& transport_, const DemandSampler& sampler_,
              const std::vector<Scenario>& scenarios_, const std::vector<Metric>& metrics_, const SamplePlan& plan_,
              std::uint64_t seed_, const RankOptions& options_)
        : incident(incident_), transport(transport_), sampler(sampler_), scenarios(scenarios_), metrics(metrics_),
          plan(plan_), seed(seed_), options(options_), table(scenarios_.size()), side(scenarios_.size()),
          census(scenarios_.size()) {}
};

/// Traffic samples [begin, end), each with plan.routing routing samples, of every connected
/// scenario, in parallel; grows and fills run.table, run.side and run.census. Throws
/// RankCancelled if options.cancel was set.
void run_round(SampleRun& run, int begin, int end, int round) {
    const std::uint64_t seed = run.seed;
    const RankOptions& options = run.options;
    const std::vector<Scenario>& scenarios = run.scenarios;
    SimulationSettings settings = settings_of(run.incident);
    settings.transport_mix_seed = derive_seed(seed, {kTransportMixStream});
    settings.cancel = options.cancel;
    const auto routing = static_cast<std::size_t>(run.plan.routing);
    const std::size_t samples_planned = static_cast<std::size_t>(end) * routing;
    for (auto& rows : run.table) rows.resize(samples_planned);
    for (auto& rows : run.side) rows.resize(samples_planned);
    const std::size_t planned = scenarios.size() * samples_planned;
    tbb::enumerable_thread_specific<FlowOutcomes> outcome_buffers;
    auto cancelled = [&] { return options.cancel && options.cancel->load(std::memory_order_relaxed); };

    tbb::parallel_for(begin, end, [&](int t) {
        if (cancelled()) return;
        const auto tt = static_cast<std::uint64_t>(t);
        const DemandSample demand = run.sampler.sample(derive_seed(seed, {kTrafficStream, tt}));
        tbb::parallel_for(std::size_t{0}, scenarios.size() * routing, [&](std::size_t job) {
            if (cancelled()) return;
            const std::size_t s = job / routing;
            const std::size_t r = job % routing;
            const Scenario& scenario = scenarios[s];
            if (scenario.connected) {
                FlowOutcomes& outcomes = outcome_buffers.local();
                EpochSimulator simulator(*scenario.routing, run.transport, settings, &scenario.binding.models);
                simulator.run(demand, *scenario.editor, derive_seed(seed, {kRoutingStream, tt, r}),
                              derive_seed(seed, {kTransportStream, tt, r}), outcomes);
                run.census.censored[s] += outcomes.censored;
                run.census.measured[s] += outcomes.long_throughput_bps.size();
                const std::size_t sample = static_cast<std::size_t>(t) * routing + r;
                run.table[s][sample] = sample_metrics(outcomes, run.metrics);
                run.side[s][sample] = outcomes.side_metrics;
            }
            const std::size_t units = ++run.units_done;
            const double fraction = static_cast<double>(units) / static_cast<double>(planned);
            if (options.progress) options.progress(fraction);
            if (options.report) {
                options.report({fraction, static_cast<int>(units / scenarios.size()), static_cast<int>(samples_planned),
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

/// Scenario 0 is the healthy network; candidates follow in input order. Each is built on its
/// own (routing compilation is ~0.1 s per scenario at 16K servers), so in parallel.
std::vector<Scenario> build_scenarios(const Incident& incident, const TransportMix& transport,
                                      const DemandSampler& sampler, std::uint64_t seed) {
    std::vector<Scenario> scenarios(incident.candidates.size() + 1);
    tbb::parallel_for(std::size_t{0}, scenarios.size(), [&](std::size_t s) {
        const Candidate* candidate = s == 0 ? nullptr : &incident.candidates[s - 1];
        scenarios[s] = build_scenario(incident, transport, sampler, candidate, seed);
    });
    return scenarios;
}

/// The ranking of the samples run so far, and whether its pick is settled.
struct Standing {
    MetricEstimates healthy;
    std::vector<MetricEstimates> estimates;  ///< per candidate
    std::vector<char> eligible;
    std::vector<std::size_t> order;
    Decision decision;
};

Standing standing_of(const SampleRun& run, double confidence) {
    const ComparatorSpec& comparator = run.incident.comparator;
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
/// sample is done, or the next round would overrun the time budget (docs/model.md, "Sample
/// counts"). Returns the last standing.
Standing sample_in_rounds(SampleRun& run, double confidence, std::chrono::steady_clock::time_point started) {
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
        standing = standing_of(run, confidence);
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

/// The candidates in the comparator's order, with their estimates, side metrics and the
/// reason any of them is not ranked.
void order_results(const SampleRun& run, const Standing& standing, Ranking& result) {
    result.healthy = standing.healthy;
    for (std::size_t position = 0; position < standing.order.size(); ++position) {
        const std::size_t c = standing.order[position];
        const Scenario& scenario = run.scenarios[c + 1];
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
}

}  // namespace

Ranking rank(const Incident& incident, const TransportTables& tables, const RankOptions& options) {
    if (const int k = options.downscale ? (*options.downscale == 0 ? auto_downscale(incident) : *options.downscale) : 1;
        k > 1) {
        RankOptions full = options;
        full.downscale.reset();
        Ranking ranking = rank(downscaled(incident, k), tables, full);
        upscale(ranking, k);
        ranking.downscale = k;
        return ranking;
    }
    const auto started = std::chrono::steady_clock::now();
    const EstimatorSpec& spec = incident.estimator;
    const std::uint64_t seed = options.seed.value_or(spec.seed);
    const SamplePlan plan = make_sample_plan(spec, options.sampling.value_or(spec.sampling));
    const std::vector<Metric> metrics = metrics_to_report(incident.comparator, options.extra_metrics);
    const TransportMix transport = transport_mix(incident, tables, options);
    const DemandSampler sampler(incident.topology, incident.traffic);

    tbb::task_arena arena(options.threads > 0 ? options.threads : tbb::task_arena::automatic);
    std::vector<Scenario> scenarios;
    arena.execute([&] { scenarios = build_scenarios(incident, transport, sampler, seed); });
    SampleRun run(incident, transport, sampler, scenarios, metrics, plan, seed, options);
    Standing standing;
    arena.execute([&] { standing = sample_in_rounds(run, spec.confidence, started); });

    Ranking result;
    result.incident = incident.name;
    order_results(run, standing, result);
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
