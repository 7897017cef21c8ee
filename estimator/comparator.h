// Operator-chosen comparators (SWARM §3.2 input 6, §4.1, Appendix D.3): rank candidates by
// their CLP estimates. Priority: ordered metrics, values within a relative tolerance of the
// best count as tied and the next metric decides. Linear: a weighted sum of the metrics, each
// normalised by the healthy network's value (inverted for throughput, so lower is better).
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "swarm/incident.h"
#include "swarm/ranking.h"

namespace swarm {

/// Candidates best first, as indices into `estimates`. Candidates whose `eligible` flag is 0
/// (partitioned networks) come last, in input order. A NaN estimate is worse than any number.
std::vector<std::size_t> order_candidates(const ComparatorSpec& comparator,
                                          const std::vector<MetricEstimates>& estimates,
                                          const MetricEstimates& healthy,
                                          const std::vector<char>& eligible);

/// The linear comparator's score of one candidate (lower is better; exposed for tests and
/// for reports).
double linear_score(const LinearComparatorSpec& spec, const MetricEstimates& estimates,
                    const MetricEstimates& healthy);

/// Looks a metric up in a list of estimates; NaN when absent.
double estimate_of(const MetricEstimates& estimates, const Metric& metric);

/// Why candidate `a` ranks above `b`, pairwise (for explanations; the order itself comes from
/// order_candidates). Priority: the first metric on which b is not within the tie tolerance of
/// a, with both values; when every metric ties, the first whose exact values differ
/// (`all_tied`). Linear: both scores (`linear`; `metric` is unset).
struct PairDecision {
    std::optional<Metric> metric;
    double value = 0.0;  ///< a's value (linear: a's score)
    double other = 0.0;  ///< b's value (linear: b's score)
    bool all_tied = false;
    bool linear = false;
};
PairDecision explain_order(const ComparatorSpec& comparator, const MetricEstimates& a,
                           const MetricEstimates& b, const MetricEstimates& healthy);

}  // namespace swarm
