#include "swarm/rank.h"

#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <limits>
#include <memory>
#include <string>

#include "estimator/budget.h"
#include "estimator/clp_statistics.h"
#include "estimator/comparator.h"
#include "estimator/demand.h"
#include "estimator/dkw.h"
#include "estimator/epoch_simulator.h"
#include "estimator/scenario.h"
#include "estimator/stop_check.h"
#include "estimator/transport_mix.h"
#include "estimator/transport_tables.h"

namespace swarm {

namespace {

SimulationSettings settings_of(const Incident& incident) {
    const auto& e = incident.estimator;
    const auto& t = incident.traffic;
    return {e.epoch.value, e.short_flow_threshold.value, t.duration.value, t.window_start.value,
            t.window_end.value};
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
            auto it = std::find_if(sums.begin(), sums.end(),
                                   [&](const auto& e) { return e.first == name; });
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

/// What every sample of one rank() call reads, and where it writes its results.
struct SampleRun {
    const Incident& incident;
    const TransportMix& transport;
    const DemandSampler& sampler;
    const std::vector<Scenario>& scenarios;
    const std::vector<Metric>& metrics;
    SampleCounts counts;
    std::uint64_t seed;
    const RankOptions& options;
    SampleTable table;
    SideMetricTable side;
    SampleCensus census;

    SampleRun(const Incident& incident_, const TransportMix& transport_,
              const DemandSampler& sampler_, const std::vector<Scenario>& scenarios_,
              const std::vector<Metric>& metrics_, SampleCounts counts_, std::uint64_t seed_,
              const RankOptions& options_)
        : incident(incident_),
          transport(transport_),
          sampler(sampler_),
          scenarios(scenarios_),
          metrics(metrics_),
          counts(counts_),
          seed(seed_),
          options(options_),
          table(scenarios_.size(), std::vector<std::vector<double>>(sample_count())),
          side(scenarios_.size(),
               std::vector<std::vector<std::pair<std::string, double>>>(sample_count())),
          census(scenarios_.size()) {}

    std::size_t sample_count() const {
        return static_cast<std::size_t>(counts.traffic) * static_cast<std::size_t>(counts.routing);
    }
};

/// Every (traffic, routing) sample of every connected scenario, in parallel; fills run.table,
/// run.side and run.census. Throws RankCancelled when options.cancel is raised and
/// RankDeadlineExceeded once options.deadline passes (polled inside every sample, StopCheck).
void run_samples(SampleRun& run) {
    const std::uint64_t seed = run.seed;
    const RankOptions& options = run.options;
    const std::vector<Scenario>& scenarios = run.scenarios;
    SimulationSettings settings = settings_of(run.incident);
    settings.transport_mix_seed = derive_seed(seed, {kTransportMixStream});
    settings.cancel = options.cancel;
    settings.deadline = options.deadline;
    const auto routing = static_cast<std::size_t>(run.counts.routing);
    const std::size_t total =
        scenarios.size() * routing * static_cast<std::size_t>(run.counts.traffic);
    std::atomic<std::size_t> done{0};
    tbb::enumerable_thread_specific<FlowOutcomes> outcome_buffers;
    // A throw cancels the whole parallel_for and reaches rank()'s caller.
    auto check_stop = [&] { StopCheck(options.cancel, options.deadline).check(); };

    tbb::parallel_for(0, run.counts.traffic, [&](int t) {
        check_stop();
        const DemandSample demand =
            run.sampler.sample(derive_seed(seed, {kTrafficStream, static_cast<std::uint64_t>(t)}));
        tbb::parallel_for(std::size_t{0}, scenarios.size() * routing, [&](std::size_t job) {
            check_stop();
            const std::size_t s = job / routing;
            const std::size_t r = job % routing;
            const Scenario& scenario = scenarios[s];
            if (!scenario.excluded) {
                FlowOutcomes& outcomes = outcome_buffers.local();
                EpochSimulator simulator(*scenario.routing, run.transport, settings,
                                         &scenario.binding.models);
                const auto tt = static_cast<std::uint64_t>(t);
                simulator.run(demand, *scenario.editor, derive_seed(seed, {kRoutingStream, tt, r}),
                              derive_seed(seed, {kTransportStream, tt, r}), outcomes);
                run.census.censored[s] += outcomes.censored;
                run.census.measured[s] += outcomes.long_throughput_bps.size();
                const std::size_t sample = static_cast<std::size_t>(t) * routing + r;
                run.table[s][sample] = sample_metrics(outcomes, run.metrics);
                run.side[s][sample] = outcomes.side_metrics;
            }
            const std::size_t finished = ++done;
            if (options.progress)
                options.progress(static_cast<double>(finished) / static_cast<double>(total));
        });
    });
}

MetricEstimates summarise(const std::vector<std::vector<double>>& samples,
                          const std::vector<Metric>& metrics, double confidence) {
    MetricEstimates estimates;
    std::vector<double> column(samples.size());
    for (std::size_t m = 0; m < metrics.size(); ++m) {
        // A sample that never ran (its network is partitioned) has no row: it counts as no data.
        for (std::size_t i = 0; i < samples.size(); ++i) {
            column[i] =
                m < samples[i].size() ? samples[i][m] : std::numeric_limits<double>::quiet_NaN();
        }
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

/// The candidates in the comparator's order, with their estimates, side metrics and the
/// reason any of them is not ranked.
void order_results(const SampleRun& run, double confidence, Ranking& result) {
    const std::vector<Scenario>& scenarios = run.scenarios;
    result.healthy = summarise(run.table[0], run.metrics, confidence);
    std::vector<MetricEstimates> estimates;
    std::vector<char> eligible;
    for (std::size_t s = 1; s < scenarios.size(); ++s) {
        const bool ranked = !scenarios[s].excluded;
        estimates.push_back(ranked ? summarise(run.table[s], run.metrics, confidence)
                                   : MetricEstimates{});
        eligible.push_back(ranked);
    }
    const std::vector<std::size_t> order =
        order_candidates(run.incident.comparator, estimates, result.healthy, eligible);
    for (std::size_t position = 0; position < order.size(); ++position) {
        const std::size_t c = order[position];
        const Scenario& scenario = scenarios[c + 1];
        CandidateResult entry;
        entry.candidate = scenario.name;
        entry.rank = static_cast<int>(position) + 1;
        entry.connected = !scenario.excluded;
        entry.reason = scenario.excluded.value_or("");
        entry.metrics = estimates[c];
        const std::size_t measured = run.census.measured[c + 1].load();
        entry.side_metrics = mean_side_metrics(run.side[c + 1]);
        entry.censored_fraction = measured
                                      ? static_cast<double>(run.census.censored[c + 1].load()) /
                                            static_cast<double>(measured)
                                      : 0.0;
        result.ranking.push_back(std::move(entry));
    }
}

}  // namespace

Ranking rank(const Incident& incident, const TransportTables& tables, const RankOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    check_budget(incident, options.budget, options.threads);
    const EstimatorSpec& spec = incident.estimator;
    const std::uint64_t seed = options.seed.value_or(spec.seed);
    const int dkw = dkw_sample_count(spec.confidence, spec.epsilon);
    const SampleCounts counts =
        default_sample_counts(dkw, spec.traffic_samples ? &*spec.traffic_samples : nullptr,
                              spec.routing_samples ? &*spec.routing_samples : nullptr);
    const std::vector<Metric> metrics =
        metrics_to_report(incident.comparator, options.extra_metrics);
    const TransportMix transport = incident_transport_mix(incident, tables, options);
    const DemandSampler sampler(incident.topology, incident.traffic);

    tbb::task_arena arena(options.threads > 0 ? options.threads : tbb::task_arena::automatic);
    std::vector<Scenario> scenarios;
    StopCheck(options.cancel, options.deadline).check();
    arena.execute([&] { scenarios = build_scenarios(incident, transport, sampler, seed); });
    if (scenarios[0].excluded) {
        // Every candidate is measured against the healthy network; with nothing broken it cannot
        // carry the traffic, so the topology or traffic pattern is wrong, not the candidates.
        throw IncidentError("$.topology",
                            "the healthy network (no failures, no actions) is partitioned: " +
                                *scenarios[0].excluded +
                                "; every ToR that exchanges traffic must reach every other");
    }
    SampleRun run(incident, transport, sampler, scenarios, metrics, counts, seed, options);
    arena.execute([&] { run_samples(run); });

    Ranking result;
    result.incident = incident.name;
    order_results(run, spec.confidence, result);
    result.traffic_samples = counts.traffic;
    result.routing_samples = counts.routing;
    result.dkw_samples = dkw;
    result.dkw_epsilon = dkw_epsilon(spec.confidence, counts.traffic * counts.routing);
    result.confidence = spec.confidence;
    result.seed = seed;
    result.tables = transport.describe();
    result.version = SWARM_VERSION;
    result.elapsed_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

}  // namespace swarm
