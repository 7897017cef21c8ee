#include "estimator/decision.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "estimator/comparator.h"

namespace swarm {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// The composite estimate of metric column m (its median over samples; NaN without data).
double column_estimate(const std::vector<std::vector<double>>& samples, std::size_t m) {
    std::vector<double> column;
    column.reserve(samples.size());
    for (const auto& sample : samples) column.push_back(sample[m]);
    return median_interval(column, 0.0).median;
}

std::size_t column_of(const std::vector<Metric>& metrics, const Metric& metric) {
    return static_cast<std::size_t>(std::find(metrics.begin(), metrics.end(), metric) -
                                    metrics.begin());
}

/// Per-sample differences on metric column m, positive when `pick` is better.
std::vector<double> oriented_differences(const SampleValues& values, std::size_t pick,
                                         std::size_t other, std::size_t m, bool higher_is_better) {
    const auto& a = values[pick + 1];
    const auto& b = values[other + 1];
    std::vector<double> d(a.size());
    for (std::size_t i = 0; i < a.size(); ++i)
        d[i] = higher_is_better ? a[i][m] - b[i][m] : b[i][m] - a[i][m];
    return d;
}

/// How one metric leaves the comparison of the pick with another candidate.
enum class Verdict { Beats, Tied, Open };

Verdict judge(const MedianInterval& d, double tolerance) {
    if (d.n == 0) return Verdict::Tied;  // neither has flows of this kind (NaN vs NaN)
    if (std::isnan(d.low)) return Verdict::Open;
    if (d.low > tolerance) return Verdict::Beats;
    if (d.low >= -tolerance && d.high <= tolerance) return Verdict::Tied;
    return Verdict::Open;
}

bool settled_priority(const PriorityComparatorSpec& spec, const std::vector<Metric>& metrics,
                      const SampleValues& values, std::size_t pick, std::size_t other,
                      double level) {
    for (const Metric& metric : spec.order) {
        const std::size_t m = column_of(metrics, metric);
        const double pick_estimate = column_estimate(values[pick + 1], m);
        const double tolerance = spec.tie_tolerance * std::abs(pick_estimate);
        const MedianInterval d = paired_interval(
            oriented_differences(values, pick, other, m, metric.higher_is_better()), level);
        // The pick measured flows the other did not (or the reverse): the comparator's NaN is worst.
        const double other_estimate = column_estimate(values[other + 1], m);
        if (std::isnan(pick_estimate) != std::isnan(other_estimate))
            return !std::isnan(pick_estimate);
        const Verdict verdict = judge(d, std::isfinite(tolerance) ? tolerance : 0.0);
        if (verdict == Verdict::Beats) return true;
        if (verdict == Verdict::Open) return false;
    }
    return true;  // tied within the tolerance on every metric
}

/// The linear comparator's score of one sample (estimator/comparator.h's linear_score on the
/// sample's values, against the healthy network's values of the same sample).
double sample_score(const LinearComparatorSpec& spec, const std::vector<Metric>& metrics,
                    const std::vector<double>& sample, const std::vector<double>& healthy) {
    MetricEstimates mine;
    MetricEstimates reference;
    for (const auto& [metric, weight] : spec.weights) {
        const std::size_t m = column_of(metrics, metric);
        mine.emplace_back(metric, MetricEstimate{sample[m], kNaN, kNaN, 1});
        reference.emplace_back(metric, MetricEstimate{healthy[m], kNaN, kNaN, 1});
    }
    return linear_score(spec, mine, reference);
}

bool settled_linear(const LinearComparatorSpec& spec, const std::vector<Metric>& metrics,
                    const SampleValues& values, std::size_t pick, std::size_t other, double level) {
    const std::size_t n = values[0].size();
    std::vector<double> d(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double mine = sample_score(spec, metrics, values[pick + 1][i], values[0][i]);
        const double theirs = sample_score(spec, metrics, values[other + 1][i], values[0][i]);
        d[i] = std::isinf(mine) || std::isinf(theirs) ? kNaN : theirs - mine;
    }
    if (std::all_of(d.begin(), d.end(), [](double x) { return x == 0.0; }))
        return true;  // identical
    const MedianInterval interval = paired_interval(d, level);
    return !std::isnan(interval.low) && interval.low > 0.0;
}

std::vector<Metric> comparator_metrics(const ComparatorSpec& comparator) {
    if (const auto* p = std::get_if<PriorityComparatorSpec>(&comparator)) return p->order;
    std::vector<Metric> out;
    for (const auto& [metric, weight] : std::get<LinearComparatorSpec>(comparator).weights)
        out.push_back(metric);
    return out;
}

}  // namespace

Decision decide(const ComparatorSpec& comparator, const std::vector<Metric>& metrics,
                const SampleValues& values, const std::vector<std::size_t>& order,
                const std::vector<char>& eligible, const std::vector<std::string>& names,
                double confidence) {
    Decision decision;
    decision.confidence = confidence;
    decision.samples = values.empty() ? 0 : static_cast<int>(values[0].size());
    std::vector<std::size_t> ranked;
    for (std::size_t c : order) {
        if (eligible[c]) ranked.push_back(c);
    }
    if (ranked.empty()) return decision;
    const std::size_t pick = ranked.front();
    decision.pick = names[pick];
    // Each one-sided bound at alpha / (others): a two-sided interval at 1 - 2 alpha / (others).
    const double others = static_cast<double>(std::max<std::size_t>(1, ranked.size() - 1));
    const double level = std::max(0.0, 1.0 - 2.0 * (1.0 - confidence) / others);
    for (std::size_t k = 1; k < ranked.size(); ++k) {
        const std::size_t other = ranked[k];
        const bool settled = std::holds_alternative<PriorityComparatorSpec>(comparator)
                                 ? settled_priority(std::get<PriorityComparatorSpec>(comparator),
                                                    metrics, values, pick, other, level)
                                 : settled_linear(std::get<LinearComparatorSpec>(comparator),
                                                  metrics, values, pick, other, level);
        if (!settled) decision.unsettled.push_back(names[other]);
    }
    decision.settled = decision.unsettled.empty();
    if (ranked.size() < 2) return decision;
    const std::size_t runner_up = ranked[1];
    decision.runner_up = names[runner_up];
    for (const Metric& metric : comparator_metrics(comparator)) {
        const std::size_t m = column_of(metrics, metric);
        const MedianInterval d = paired_interval(
            oriented_differences(values, pick, runner_up, m, metric.higher_is_better()), level);
        decision.margins.push_back({metric, d.median, d.low, d.high});
    }
    return decision;
}

}  // namespace swarm
