// Is the comparator's pick settled? (docs/model.md "Sample counts"; beyond the
// paper, which sizes samples up front with DKW, §3.3 and Appendix A.1.)
//
// Every candidate sees the same traffic, routing and transport draws in sample i (common random
// numbers), so the per-sample difference between the pick and another candidate carries little
// of the sampling noise both share. The rule, per other candidate C, with a distribution-free
// bound on the median paired difference d = (pick - C), oriented so that d > 0 favours the pick
// (the median, as the composite estimate: a mean with a Student-t bound settled on samples that
// had not yet met a rare heavy-tailed one, docs/model.md "Sample counts"):
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

#include "estimator/clp_statistics.h"
#include "swarm/incident.h"
#include "swarm/ranking.h"

namespace swarm {

/// Per-sample metric values, [scenario][sample][metric]; scenario 0 is the healthy network and
/// scenario c + 1 candidate c. NaN where a sample has no flow of the metric's kind.
using SampleValues = std::vector<std::vector<std::vector<double>>>;

/// The paired difference's median and its bounds at `level` (median_interval of
/// estimator/clp_statistics.h: a two-sided interval whose each side is a one-sided bound at
/// (1 - level) / 2, from order statistics, valid whatever the distribution's tails). Samples
/// where either value is NaN are left out.
inline MedianInterval paired_interval(const std::vector<double>& differences, double level) {
    return median_interval(differences, level);
}

/// Applies the rule above. `order` is the comparator's ranking of the candidates (best first,
/// indices into the candidates, i.e. scenario - 1); `eligible` flags ranked candidates;
/// `metrics` names the columns of `values`. Fills every field of Decision but `stopped_by`.
Decision decide(const ComparatorSpec& comparator, const std::vector<Metric>& metrics,
                const SampleValues& values, const std::vector<std::size_t>& order,
                const std::vector<char>& eligible, const std::vector<std::string>& names,
                double confidence);

}  // namespace swarm
