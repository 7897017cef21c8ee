// From flow outcomes to CLP metrics: per-sample statistics (a percentile or the mean of
// long-flow throughput or short-flow FCT) and the composite distribution of each statistic
// across samples, summarised as an estimate with a confidence interval (SWARM §3.3, Fig. 4):
// its median with a distribution-free interval (docs/model.md "Metrics and the composite").
#pragma once

#include <vector>

#include "estimator/epoch_simulator.h"
#include "swarm/incident.h"
#include "swarm/ranking.h"

namespace swarm {

/// Percentile (0..100) of sorted data, linearly interpolated between order statistics
/// (Hyndman-Fan type 7). NaN for empty data.
double percentile_of_sorted(const std::vector<double>& sorted, double percentile);

/// The metrics a ranking reports: p1 and average throughput and p99 FCT, then the comparator's
/// own, then `extra`, each once, in that order.
std::vector<Metric> metrics_to_report(const ComparatorSpec& comparator,
                                      const std::vector<Metric>& extra = {});

/// Sorts the outcome vectors in place, then evaluates every metric; NaN where a metric has no
/// flows (for example no short flow started in the window).
std::vector<double> sample_metrics(FlowOutcomes& outcomes, const std::vector<Metric>& metrics);

/// The median of `values` (NaNs left out; type 7, so the mean of the middle two for even n) and
/// a distribution-free interval for it at `level`: order statistics X_(j) <= median <= X_(n+1-j)
/// with j the largest index such that P(Binomial(n, 1/2) < j) <= (1 - level) / 2, so that each
/// side is a one-sided bound at (1 - level) / 2 for any continuous distribution of iid samples
/// (the sign test's interval). No such j (fewer than log2(2 / (1 - level)) samples): NaN bounds.
/// All values equal: the interval is that value (a point mass: identical networks under common
/// random numbers). Empty: everything NaN, n 0.
struct MedianInterval {
    double median = 0.0;
    double low = 0.0;
    double high = 0.0;
    int n = 0;
};
MedianInterval median_interval(const std::vector<double>& values, double level);

/// The composite of one metric over samples: median_interval at `confidence`. Not the mean: a
/// per-sample percentile of a few hundred flows is a heavy-tailed quantity (a sample where two
/// short flows time out has a p99 of 100x the others), whose mean is set by rare samples and
/// which the DKW sample count (a bound on the composite's CDF, not on its moments) does not
/// control; the median is within the DKW band and the sample percentile is close to
/// median-unbiased for the flow-level percentile. NaN samples are left out; all-NaN gives NaN;
/// with too few samples for the interval both ends are NaN (JSON null, no ± in tables).
MetricEstimate summarise_composite(const std::vector<double>& values, double confidence);

}  // namespace swarm
