#include "estimator/comparator.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace swarm {

double estimate_of(const MetricEstimates& estimates, const Metric& metric) {
    for (const auto& [m, e] : estimates) {
        if (m == metric) return e.estimate;
    }
    return std::numeric_limits<double>::quiet_NaN();
}

namespace {

/// True when a is strictly better than b on this metric (NaN is worst).
bool better(const Metric& metric, double a, double b) {
    if (std::isnan(a)) return false;
    if (std::isnan(b)) return true;
    return metric.higher_is_better() ? a > b : a < b;
}

/// True when `value` is within the tie tolerance of `best` (paper §4.1: within 10% = tied).
bool tied_with_best(const Metric& metric, double value, double best, double tolerance) {
    if (std::isnan(best)) return std::isnan(value);
    if (std::isnan(value)) return false;
    if (metric.higher_is_better()) return value >= best - tolerance * std::abs(best);
    return value <= best + tolerance * std::abs(best);
}

std::size_t pick_priority_best(const PriorityComparatorSpec& spec,
                               const std::vector<MetricEstimates>& estimates,
                               std::vector<std::size_t> pool) {
    for (const Metric& metric : spec.order) {
        double best = std::numeric_limits<double>::quiet_NaN();
        for (std::size_t c : pool) {
            const double v = estimate_of(estimates[c], metric);
            if (better(metric, v, best)) best = v;
        }
        std::erase_if(pool, [&](std::size_t c) {
            return !tied_with_best(metric, estimate_of(estimates[c], metric), best,
                                   spec.tie_tolerance);
        });
    }
    // Tied on every metric within tolerance: the exact values decide, in priority order,
    // then the input order.
    return *std::min_element(pool.begin(), pool.end(), [&](std::size_t a, std::size_t b) {
        for (const Metric& metric : spec.order) {
            const double va = estimate_of(estimates[a], metric);
            const double vb = estimate_of(estimates[b], metric);
            if (better(metric, va, vb)) return true;
            if (better(metric, vb, va)) return false;
        }
        return a < b;
    });
}

std::vector<std::size_t> order_priority(const PriorityComparatorSpec& spec,
                                        const std::vector<MetricEstimates>& estimates,
                                        std::vector<std::size_t> pool) {
    // Tolerance-based ties are not transitive, so no sort: pick the best of the rest, repeatedly.
    std::vector<std::size_t> order;
    while (!pool.empty()) {
        const std::size_t best = pick_priority_best(spec, estimates, pool);
        order.push_back(best);
        std::erase(pool, best);
    }
    return order;
}

}  // namespace

double linear_score(const LinearComparatorSpec& spec, const MetricEstimates& estimates,
                    const MetricEstimates& healthy) {
    double score = 0.0;
    for (const auto& [metric, weight] : spec.weights) {
        if (weight == 0.0) continue;
        const double value = estimate_of(estimates, metric);
        const double reference = estimate_of(healthy, metric);
        if (std::isnan(value) || std::isnan(reference))
            return std::numeric_limits<double>::infinity();
        const double ratio = metric.higher_is_better() ? reference / value : value / reference;
        score += weight * ratio;
    }
    return score;
}

std::vector<std::size_t> order_candidates(const ComparatorSpec& comparator,
                                          const std::vector<MetricEstimates>& estimates,
                                          const MetricEstimates& healthy,
                                          const std::vector<char>& eligible) {
    std::vector<std::size_t> pool;
    std::vector<std::size_t> excluded;
    for (std::size_t c = 0; c < estimates.size(); ++c) (eligible[c] ? pool : excluded).push_back(c);

    std::vector<std::size_t> order;
    if (const auto* priority = std::get_if<PriorityComparatorSpec>(&comparator)) {
        order = order_priority(*priority, estimates, pool);
    } else {
        const auto& linear = std::get<LinearComparatorSpec>(comparator);
        std::vector<double> scores(estimates.size());
        for (std::size_t c : pool) scores[c] = linear_score(linear, estimates[c], healthy);
        order = pool;
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
    }
    order.insert(order.end(), excluded.begin(), excluded.end());
    return order;
}

PairDecision explain_order(const ComparatorSpec& comparator, const MetricEstimates& a,
                           const MetricEstimates& b, const MetricEstimates& healthy) {
    if (const auto* linear = std::get_if<LinearComparatorSpec>(&comparator)) {
        return {std::nullopt, linear_score(*linear, a, healthy), linear_score(*linear, b, healthy),
                false, true};
    }
    const auto& priority = std::get<PriorityComparatorSpec>(comparator);
    for (const Metric& metric : priority.order) {
        const double va = estimate_of(a, metric), vb = estimate_of(b, metric);
        if (!tied_with_best(metric, vb, va, priority.tie_tolerance))
            return {metric, va, vb, false, false};
    }
    for (const Metric& metric : priority.order) {
        const double va = estimate_of(a, metric), vb = estimate_of(b, metric);
        if (better(metric, va, vb) || better(metric, vb, va)) return {metric, va, vb, true, false};
    }
    if (priority.order.empty()) return {};
    const Metric& first = priority.order.front();
    return {first, estimate_of(a, first), estimate_of(b, first), true, false};
}

}  // namespace swarm
