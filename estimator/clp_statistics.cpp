#include "estimator/clp_statistics.h"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
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

MetricEstimate summarise_composite(const std::vector<double>& values, double confidence) {
    std::vector<double> finite;
    for (double v : values) {
        if (!std::isnan(v)) finite.push_back(v);
    }
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (finite.empty()) return {nan, nan, nan, 0};
    const double n = static_cast<double>(finite.size());
    const double mean = mean_of(finite);
    // One sample says nothing about its spread: the interval is undefined, not zero-width.
    if (finite.size() == 1) return {mean, nan, nan, 1};
    double squares = 0.0;
    for (double v : finite) squares += (v - mean) * (v - mean);
    const double standard_error = std::sqrt(squares / (n - 1.0) / n);
    const boost::math::students_t t(n - 1.0);
    const double half_width = boost::math::quantile(t, 0.5 + confidence / 2.0) * standard_error;
    // Throughputs and completion times are never negative; a heavy tail (a few samples with a
    // timeout in their p99) can stretch the symmetric t-interval below 0, which says nothing
    // more than 0 does, so the interval is cut at the support.
    const bool non_negative = *std::min_element(finite.begin(), finite.end()) >= 0.0;
    const double low = non_negative ? std::max(0.0, mean - half_width) : mean - half_width;
    return {mean, low, mean + half_width, static_cast<int>(finite.size())};
}

}  // namespace swarm
