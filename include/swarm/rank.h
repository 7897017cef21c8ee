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

struct RankOptions {
    int threads = 0;                    ///< 0 = every core
    std::optional<std::uint64_t> seed;  ///< overrides the incident's estimator.seed
    /// Called with the fraction of (candidate x sample) work done, from worker threads.
    std::function<void(double)> progress;
    /// When it becomes true, rank() stops early and throws RankCancelled. Polled inside the
    /// epoch loop: a stop takes effect within about one epoch's work, not at the next sample.
    const std::atomic<bool>* cancel = nullptr;
    /// When it passes, rank() stops the same way and throws RankDeadlineExceeded.
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
