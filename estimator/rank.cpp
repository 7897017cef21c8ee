#include "swarm/rank.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <limits>
#include <memory>
#include <string>

#include "estimator/budget.h"
#include "estimator/clp_statistics.h"
#include "estimator/comparator.h"
#include "estimator/decision.h"
#include "estimator/dkw.h"
#include "estimator/helper/downscale.h"
#include "estimator/sample_executor.h"
#include "estimator/sample_plan.h"
#include "estimator/sample_runner.h"
#include "estimator/stop_check.h"
#include "estimator/transport_tables.h"

namespace swarm {

namespace {

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

/// Per-sample (censored, measured) long-flow counts, [scenario][sample].
using CensusTable = std::vector<std::vector<std::pair<std::size_t, std::size_t>>>;

/// What every round of one rank() call reads, and where it writes its results: per-sample
/// values go to [scenario][t * routing + r], so results are reduced in sample order whatever
/// thread or process ran them.
struct SampleRun {
    const Incident& incident;
    const SampleRunner& runner;
    SampleExecutor& executor;
    const std::vector<Scenario>& scenarios;
    const std::vector<Metric>& metrics;
    const SamplePlan& plan;
    const RankOptions& options;
    SampleValues table;
    SideMetricTable side;
    CensusTable census;
    /// (scenario, routing) runs finished per traffic sample: a round cut short keeps the
    /// traffic samples that ran for every ranked scenario (keep_complete_samples).
    std::vector<std::atomic<std::size_t>> finished;
    std::atomic<std::size_t> units_done{0};

    SampleRun(const SampleRunner& runner_, SampleExecutor& executor_, const SamplePlan& plan_,
              const RankOptions& options_)
        : incident(runner_.incident()),
          runner(runner_),
          executor(executor_),
          scenarios(runner_.scenarios()),
          metrics(runner_.metrics()),
          plan(plan_),
          options(options_),
          table(scenarios.size()),
          side(scenarios.size()),
          census(scenarios.size()),
          finished(static_cast<std::size_t>(plan_.traffic)) {}

    std::size_t rows() const { return table[0].size(); }
    void resize(std::size_t rows) {
        for (std::size_t s = 0; s < scenarios.size(); ++s) {
            table[s].resize(rows);
            side[s].resize(rows);
            census[s].resize(rows);
        }
    }
};

/// rank()'s default executor: every item on this process's threads.
class InProcessExecutor final : public SampleExecutor {
   public:
    void run_round(std::span<const SampleItem> items, StopTime stop, const SampleRunner& local,
                   const SampleSink& sink) override {
        local.run(items, stop, sink);
    }
};

/// Traffic samples [begin, end), each with plan.routing routing samples, of every ranked
/// scenario, through run.executor; grows and fills run.table, run.side and run.census. Throws
/// RankCancelled when options.cancel is raised and RankDeadlineExceeded once `stop_at` passes
/// (polled inside every sample, StopCheck).
void run_round(SampleRun& run, int begin, int end, int round, StopTime stop_at) {
    const RankOptions& options = run.options;
    const auto routing = static_cast<std::size_t>(run.plan.routing);
    const std::size_t samples_planned = static_cast<std::size_t>(end) * routing;
    run.resize(samples_planned);
    const std::size_t ranked = run.runner.ranked_scenarios();
    const std::size_t planned = ranked * samples_planned;
    const std::vector<SampleItem> items = run.runner.items(begin, end, run.plan.routing);
    const SampleSink sink = [&](std::size_t i, SampleOutcome&& outcome) {
        const SampleItem& item = items[i];
        const std::size_t sample = std::size_t{item.traffic} * routing + item.routing;
        run.census[item.scenario][sample] = {outcome.censored, outcome.measured};
        run.table[item.scenario][sample] = std::move(outcome.metrics);
        run.side[item.scenario][sample] = std::move(outcome.side_metrics);
        ++run.finished[item.traffic];
        const std::size_t units = ++run.units_done;
        const double fraction = static_cast<double>(units) / static_cast<double>(planned);
        if (options.progress) options.progress(fraction);
        if (options.report) {
            options.report({fraction, static_cast<int>(units / ranked),
                            static_cast<int>(samples_planned), run.plan.max_samples(), round});
        }
    };
    run.executor.run_round(items, stop_at, run.runner, sink);
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
        const bool ranked = !run.scenarios[s].excluded;
        standing.estimates.push_back(ranked ? summarise(run.table[s], run.metrics, confidence)
                                            : MetricEstimates{});
        standing.eligible.push_back(ranked);
        names.push_back(run.scenarios[s].name);
    }
    standing.order =
        order_candidates(comparator, standing.estimates, standing.healthy, standing.eligible);
    standing.decision = decide(comparator, run.metrics, run.table, standing.order,
                               standing.eligible, names, confidence);
    return standing;
}

/// After a stop cut the round [begin, end) short: keeps its traffic samples that ran for every
/// scenario, in order after the earlier rounds', and drops the rest. Returns the traffic samples
/// kept in all.
int keep_complete_samples(SampleRun& run, int begin, int end) {
    const auto routing = static_cast<std::size_t>(run.plan.routing);
    const std::size_t units = run.runner.ranked_scenarios() * routing;
    std::size_t kept = static_cast<std::size_t>(begin) * routing;
    for (int t = begin; t < end; ++t) {
        if (run.finished[static_cast<std::size_t>(t)].load() != units) continue;
        // Samples already in place stay: a self-move-assignment would empty a std::vector
        // (libstdc++ moves it out through a temporary), and the standing then read no values.
        if (kept == static_cast<std::size_t>(t) * routing) {
            kept += routing;
            continue;
        }
        for (std::size_t s = 0; s < run.scenarios.size(); ++s) {
            for (std::size_t r = 0; r < routing; ++r) {
                const std::size_t from = static_cast<std::size_t>(t) * routing + r;
                run.table[s][kept + r] = std::move(run.table[s][from]);
                run.side[s][kept + r] = std::move(run.side[s][from]);
                run.census[s][kept + r] = run.census[s][from];
            }
        }
        kept += routing;
    }
    run.resize(kept);
    return static_cast<int>(kept / routing);
}

/// When the round about to start must stop: the caller's deadline and, from the second round
/// on, the end of the time budget (a ranking needs one complete round, so the first may overrun
/// the budget, never the deadline).
StopTime round_stop(const RankOptions& options, std::chrono::steady_clock::time_point started,
                    int round) {
    StopTime stop = options.deadline;
    if (round == 1 || !options.time_budget_s) return stop;
    const auto budget_end =
        started + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                      std::chrono::duration<double>(*options.time_budget_s));
    if (!stop || budget_end < *stop) stop = budget_end;
    return stop;
}

/// Rounds of samples until the plan says stop: the decision is settled (adaptive), every planned
/// sample is done, the next round would overrun the time budget, or the budget or deadline
/// passes during a round, which then counts the samples it finished (docs/model.md, "Sample
/// counts"). Returns the standing of the samples done. Throws RankDeadlineExceeded when the
/// deadline passes before one sample ran for every scenario: there is no ranking to return.
Standing sample_in_rounds(SampleRun& run, double confidence,
                          std::chrono::steady_clock::time_point started) {
    using clock = std::chrono::steady_clock;
    const SamplePlan& plan = run.plan;
    const RankOptions& options = run.options;
    Standing standing;
    int done = 0;
    for (int round = 1;; ++round) {
        const int end = plan.next_round_end(done);
        const auto round_started = clock::now();
        try {
            run_round(run, done, end, round, round_stop(options, started, round));
        } catch (const RankDeadlineExceeded&) {
            const int kept = keep_complete_samples(run, done, end);
            if (kept == 0) throw;  // not one sample of every candidate: nothing to rank
            const bool deadline = options.deadline && clock::now() >= *options.deadline;
            if (kept > done) {
                standing = standing_of(run, confidence);
                standing.decision.rounds = round;
            }
            standing.decision.stopped_by = deadline ? "deadline" : "time_budget";
            return standing;
        }
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
        if (const auto& budget = options.time_budget_s) {
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
        entry.connected = !scenario.excluded;
        entry.reason = scenario.excluded.value_or("");
        entry.metrics = standing.estimates[c];
        std::size_t censored = 0;
        std::size_t measured = 0;
        for (const auto& [c_count, m_count] : run.census[c + 1]) {
            censored += c_count;
            measured += m_count;
        }
        entry.side_metrics = mean_side_metrics(run.side[c + 1]);
        entry.censored_fraction =
            measured ? static_cast<double>(censored) / static_cast<double>(measured) : 0.0;
        result.ranking.push_back(std::move(entry));
    }
}

}  // namespace

Ranking rank(const Incident& incident, const TransportTables& tables, const RankOptions& options) {
    if (const int k = downscale_factor(incident, options); k > 1) {
        RankOptions full = options;
        full.downscale.reset();
        Ranking ranking = rank(downscaled(incident, k), tables, full);
        upscale(ranking, k);
        ranking.downscale = k;
        return ranking;
    }
    const auto started = std::chrono::steady_clock::now();
    const EstimatorSpec& spec = incident.estimator;
    const SampleRunner runner(incident, tables, options);
    const SamplePlan plan = make_sample_plan(spec, options.sampling.value_or(spec.sampling),
                                             options.budget.max_samples);
    InProcessExecutor in_process;
    SampleRun run(runner, options.executor ? *options.executor : in_process, plan, options);
    Standing standing;
    runner.execute([&] { standing = sample_in_rounds(run, spec.confidence, started); });

    Ranking result;
    result.incident = incident.name;
    order_results(run, standing, result);
    const int samples = static_cast<int>(run.table[0].size());
    result.traffic_samples = samples / plan.routing;
    result.routing_samples = plan.routing;
    result.dkw_samples = plan.dkw;
    result.dkw_epsilon = dkw_epsilon(spec.confidence, samples);
    result.confidence = spec.confidence;
    result.seed = runner.seed();
    result.tables = runner.transport().describe();
    result.version = SWARM_VERSION;
    result.decision = std::move(standing.decision);
    result.decision.sampling = plan.mode == SamplingMode::Adaptive ? "adaptive" : "dkw";
    result.warnings = incident.warnings;
    result.elapsed_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

}  // namespace swarm
