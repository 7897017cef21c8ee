// The library's entry point: rank an incident's candidate mitigations by estimated CLP.
//   Incident -> NetworkState per candidate -> DemandSample x RoutingSample -> epoch loop ->
//   per-sample CLP statistics -> composite estimates -> comparator -> Ranking
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "swarm/budget.h"
#include "swarm/incident.h"
#include "swarm/ranking.h"

namespace swarm {

struct TransportTables;
class SampleExecutor;  // estimator/sample_executor.h

/// Where a ranking stands, for progress displays (RankOptions::report).
struct RankProgress {
    double fraction = 0.0;    ///< of the work planned so far (through the current round)
    int samples_done = 0;     ///< per candidate, in whole samples
    int samples_planned = 0;  ///< per candidate, through the current round
    int samples_max = 0;      ///< per candidate: the cap (adaptive) or the fixed count
    int round = 0;
};

struct RankOptions {
    int threads = 0;                    ///< 0 = every core
    std::optional<std::uint64_t> seed;  ///< overrides the incident's estimator.seed
    /// Called with the fraction of (candidate x sample) work done, from worker threads.
    std::function<void(double)> progress;
    /// Same moments as `progress`, with the sample counts (progress bars, job status).
    std::function<void(const RankProgress&)> report;
    /// Adaptive sampling: return the ranking of the samples done, with its decision (unsettled if
    /// it is), rather than start a round that would end after this much wall time; a later round
    /// still under way when it runs out keeps only the samples it finished for every candidate.
    /// The first round always completes, so the result is never empty. Wall time depends on the
    /// machine, so with a budget the number of samples, and the result, can differ between runs;
    /// without one they do not.
    std::optional<double> time_budget_s;
    /// Overrides the incident's estimator.sampling ("adaptive" or "dkw").
    std::optional<SamplingMode> sampling;
    /// Traffic down-scaling (SWARM §3.4, estimator/helper/downscale.h): simulate one of k
    /// sub-networks of capacity C/k carrying 1/k of the flows; 0 = choose k (auto_downscale).
    /// Unset or 1: the full network.
    std::optional<int> downscale;
    /// When it becomes true, rank() stops early and throws RankCancelled. Polled inside the
    /// epoch loop: a stop takes effect within about one epoch's work, not at the next sample.
    const std::atomic<bool>* cancel = nullptr;
    /// A hard stop, the first round included: rank() returns the ranking of the samples finished
    /// for every candidate by then (decision.stopped_by "deadline"), or throws
    /// RankDeadlineExceeded when there is not one.
    std::optional<std::chrono::steady_clock::time_point> deadline;
    /// rank() first checks the incident against it and throws BudgetExceeded (an
    /// IncidentError, estimator/budget.h) when the incident asks for more.
    WorkBudget budget;
    /// Metrics to estimate and report besides p1/avg throughput, p99 FCT and the comparator's
    /// (reports use them for distribution plots); they never change the order.
    std::vector<Metric> extra_metrics;
    /// Loads a table set by directory name ("ns3-cubic") when the incident's `transport`
    /// section names one; rank() throws std::invalid_argument if it needs one and this is empty.
    std::function<std::shared_ptr<const TransportTables>(const std::string& set)> table_sets;
    /// Where the samples of each round run (estimator/sample_executor.h, an in-tree extension
    /// point, not installed: mpi/ uses it); null: on this process's threads. Never changes the
    /// result. It must outlive the call.
    SampleExecutor* executor = nullptr;
};

class RankCancelled : public std::runtime_error {
   public:
    RankCancelled() : std::runtime_error("ranking cancelled") {}

   protected:
    explicit RankCancelled(const char* what) : std::runtime_error(what) {}
};

/// RankOptions::deadline passed before the ranking finished.
class RankDeadlineExceeded : public RankCancelled {
   public:
    RankDeadlineExceeded() : RankCancelled("ranking deadline exceeded") {}
};

/// Ranks every candidate of `incident`. `tables` is the default table set, used by every flow
/// unless the incident's `transport` section names others. Deterministic: for a given seed the
/// result is bit-identical whatever the thread count (elapsed_s aside).
Ranking rank(const Incident& incident, const TransportTables& tables,
             const RankOptions& options = {});

}  // namespace swarm
