// Is the comparator's pick settled? (docs/model.md "Sample counts"; beyond the
// paper, which sizes samples up front with DKW, §3.3 and Appendix A.1.)
//
// Every candidate sees the same traffic, routing and transport draws in sample i (common random
// numbers), so the per-sample difference between the pick and another candidate carries little
// of the sampling noise both share. The rule, per other candidate C, with a Student-t bound on
// the mean paired difference d = (pick - C), oriented so that d > 0 favours the pick:
//   priority comparator, metrics in order, tolerance tau = tie_tolerance x |pick's estimate|:
//     lower bound of d > tau            -> the pick beats C on this metric: settled for C;
//     -tau <= lower, upper bound <= tau -> tied within the tolerance: the next metric decides,
//                                          and tied on every metric is settled (a tie);
//     otherwise                         -> not settled.
//   linear comparator (d = C's score - the pick's, scores per sample against the healthy
//     network's values of the same sample): lower bound > 0, or d identically 0 (the same
//     network), settles C.
// The pick is settled when it is settled against every other ranked candidate. The bounds are
// one-sided at level alpha / (candidates - 1), alpha = 1 - confidence (Bonferroni: every
// comparison holds at once at the requested confidence). Checking after each round of samples
// is not corrected for: the rounds grow geometrically to keep the number of looks small.
#pragma once

#include <cstddef>
#include <vector>

#include "swarm/incident.h"
#include "swarm/ranking.h"

namespace swarm {

/// Per-sample metric values, [scenario][sample][metric]; scenario 0 is the healthy network and
/// scenario c + 1 candidate c. NaN where a sample has no flow of the metric's kind.
using SampleValues = std::vector<std::vector<std::vector<double>>>;

/// The mean of the paired difference and its bounds at `level` (two-sided interval whose
/// each side is a one-sided bound at (1 - level) / 2). Samples where either value is NaN are
/// left out. Bounds are NaN with fewer than two pairs; all-equal pairs give a zero-width interval.
struct PairedInterval {
    double mean = 0.0;
    double low = 0.0;
    double high = 0.0;
    int pairs = 0;
};
PairedInterval paired_interval(const std::vector<double>& differences, double level);

/// Applies the rule above. `order` is the comparator's ranking of the candidates (best first,
/// indices into the candidates, i.e. scenario - 1); `eligible` flags ranked candidates;
/// `metrics` names the columns of `values`. Fills every field of Decision but `stopped_by`.
Decision decide(const ComparatorSpec& comparator, const std::vector<Metric>& metrics,
                const SampleValues& values, const std::vector<std::size_t>& order,
                const std::vector<char>& eligible, const std::vector<std::string>& names,
                double confidence);

}  // namespace swarm
