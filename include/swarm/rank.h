// The library's entry point: rank an incident's candidate mitigations by estimated CLP.
//   Incident -> NetworkState per candidate -> DemandSample x RoutingSample -> epoch loop ->
//   per-sample CLP statistics -> composite estimates -> comparator -> Ranking
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>

#include "swarm/incident.h"
#include "swarm/ranking.h"

namespace swarm {

struct TransportTables;

struct RankOptions {
    int threads = 0;                     ///< 0 = every core
    std::optional<std::uint64_t> seed;   ///< overrides the incident's estimator.seed
    /// Called with the fraction of (candidate x sample) work done, from worker threads.
    std::function<void(double)> progress;
    /// When it becomes true, rank() stops early and throws RankCancelled.
    const std::atomic<bool>* cancel = nullptr;
};

class RankCancelled : public std::runtime_error {
public:
    RankCancelled() : std::runtime_error("ranking cancelled") {}
};

/// Ranks every candidate of `incident`. Deterministic: for a given seed the result is
/// bit-identical whatever the thread count (elapsed_s aside).
Ranking rank(const Incident& incident, const TransportTables& tables, const RankOptions& options = {});

}  // namespace swarm
