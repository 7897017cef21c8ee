// Operator-chosen comparators (SWARM §3.2 input 6, §4.1, Appendix D.3): rank candidates by
// their CLP estimates. Priority: ordered metrics, values within a relative tolerance of the
// best count as tied and the next metric decides. Linear: a weighted sum of the metrics, each
// normalised by the healthy network's value (inverted for throughput, so lower is better).
#pragma once

#include <cstddef>
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

}  // namespace swarm
