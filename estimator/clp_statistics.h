// From flow outcomes to CLP metrics: per-sample statistics (a percentile or the mean of
// long-flow throughput or short-flow FCT) and the composite distribution of each statistic
// across samples, summarised as an estimate with a confidence interval (SWARM §3.3, Fig. 4).
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

/// The composite of one metric over samples: its mean, and a Student-t confidence interval of
/// the mean at `confidence`. NaN samples are left out; all-NaN gives NaN; with one sample the
/// interval is undefined and both ends are NaN (JSON null, no ± in tables).
MetricEstimate summarise_composite(const std::vector<double>& values, double confidence);

}  // namespace swarm
