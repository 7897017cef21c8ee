// The statistics that turn repeated runs into a table row: empirical quantiles at the levels
// every generated table set stores. Shared by tools/tables/analytic and tools/tables/ns3.
#pragma once

#include <vector>

namespace swarm::tables {

// Quantile levels of each table kind, the same in every set so that sets compare level by level
// (docs/tables.md). Short-flow RTT counts are bimodal (a timeout costs 10^2..10^5 RTTs) and
// SWARM ranks by tail FCT, so that table keeps every 5% plus the tail; interpolation between
// two levels that straddle the gap smears it.
inline const std::vector<double> kLossLimitedThroughputLevels = {0, 0.1, 0.25, 0.5, 0.75, 0.9, 1};
inline const std::vector<double> kShortFlowRttLevels = {
    0,   0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4,  0.45,  0.5, 0.55,
    0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.99, 0.999, 1};
/// The short-flow body (flows with no timeout, >= 1000 per point): resolved up to 0.99; 0.995
/// and 0.999 are single order statistics, kept so that lookups above 0.99 follow the sample
/// (mostly the loss-free value) instead of a straight line to its maximum.
inline const std::vector<double> kShortFlowBodyLevels = {
    0, 0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999, 1};
inline const std::vector<double> kQueueingDelayLevels = {0,   0.1,  0.25, 0.5,   0.75,
                                                         0.9, 0.95, 0.99, 0.999, 1};

/// Empirical quantiles at `levels`, linear between order statistics (Hyndman-Fan type 7).
/// +inf samples are allowed; a level whose interpolation touches an inf sample is inf.
/// Throws std::invalid_argument when `samples` is empty.
std::vector<double> empirical_quantiles(std::vector<double> samples,
                                        const std::vector<double>& levels);

/// Quantiles of the equal-weight mixture of several runs' distributions, each given by its
/// quantiles at `run_levels` (a piecewise-linear quantile function). Pools the probes of all
/// repetitions of a queueing point without storing every probe.
std::vector<double> pooled_quantiles(const std::vector<std::vector<double>>& run_quantiles,
                                     const std::vector<double>& run_levels,
                                     const std::vector<double>& levels);

}  // namespace swarm::tables
