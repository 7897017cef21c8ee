#include "estimator/clp_statistics.h"

#include <algorithm>
#include <boost/math/distributions/binomial.hpp>
#include <cmath>
#include <limits>
#include <numeric>

namespace swarm {

double percentile_of_sorted(const std::vector<double>& sorted, double percentile) {
    if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
    const double position = percentile / 100.0 * static_cast<double>(sorted.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, sorted.size() - 1);
    const double fraction = position - static_cast<double>(below);
    return sorted[below] + fraction * (sorted[above] - sorted[below]);
}

namespace {

double mean_of(const std::vector<double>& values) {
    if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
    return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

}  // namespace

std::vector<Metric> metrics_to_report(const ComparatorSpec& comparator,
                                      const std::vector<Metric>& extra) {
    std::vector<Metric> metrics = {*Metric::parse("p1_throughput"),
                                   *Metric::parse("avg_throughput"), *Metric::parse("p99_fct")};
    auto add = [&](const Metric& m) {
        if (std::find(metrics.begin(), metrics.end(), m) == metrics.end()) metrics.push_back(m);
    };
    if (const auto* p = std::get_if<PriorityComparatorSpec>(&comparator)) {
        for (const Metric& m : p->order) add(m);
    } else {
        for (const auto& [m, w] : std::get<LinearComparatorSpec>(comparator).weights) add(m);
    }
    for (const Metric& m : extra) add(m);
    return metrics;
}

std::vector<double> sample_metrics(FlowOutcomes& outcomes, const std::vector<Metric>& metrics) {
    std::sort(outcomes.long_throughput_bps.begin(), outcomes.long_throughput_bps.end());
    std::sort(outcomes.short_fct_s.begin(), outcomes.short_fct_s.end());
    std::vector<double> values;
    values.reserve(metrics.size());
    for (const Metric& metric : metrics) {
        const auto& data = metric.quantity == Metric::Quantity::Throughput
                               ? outcomes.long_throughput_bps
                               : outcomes.short_fct_s;
        values.push_back(metric.percentile ? percentile_of_sorted(data, *metric.percentile)
                                           : mean_of(data));
    }
    return values;
}

namespace {

/// P(Binomial(n, 1/2) <= k).
double half_binomial_cdf(int n, int k) {
    if (k < 0) return 0.0;
    if (k >= n) return 1.0;
    return boost::math::cdf(boost::math::binomial(static_cast<double>(n), 0.5),
                            static_cast<double>(k));
}

/// The largest j in [1, (n + 1) / 2] with P(Binomial(n, 1/2) <= j - 1) <= beta, or 0 if none
/// (bisection: the CDF grows with j).
int order_statistic_index(int n, double beta) {
    if (half_binomial_cdf(n, 0) > beta) return 0;
    int good = 1;
    int bad = (n + 1) / 2 + 1;
    while (bad - good > 1) {
        const int mid = good + (bad - good) / 2;
        (half_binomial_cdf(n, mid - 1) <= beta ? good : bad) = mid;
    }
    return good;
}

}  // namespace

MedianInterval median_interval(const std::vector<double>& values, double level) {
    std::vector<double> sorted;
    for (double v : values) {
        if (!std::isnan(v)) sorted.push_back(v);
    }
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (sorted.empty()) return {nan, nan, nan, 0};
    std::sort(sorted.begin(), sorted.end());
    const int n = static_cast<int>(sorted.size());
    const double median = percentile_of_sorted(sorted, 50.0);
    if (n >= 2 && sorted.front() == sorted.back()) return {median, median, median, n};
    const int j = order_statistic_index(n, (1.0 - level) / 2.0);
    if (j == 0) return {median, nan, nan, n};
    return {median, sorted[static_cast<std::size_t>(j - 1)],
            sorted[static_cast<std::size_t>(n - j)], n};
}

MetricEstimate summarise_composite(const std::vector<double>& values, double confidence) {
    const MedianInterval m = median_interval(values, confidence);
    return {m.median, m.low, m.high, m.n};
}

}  // namespace swarm
