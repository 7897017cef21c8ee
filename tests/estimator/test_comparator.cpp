// Priority and linear comparators (SWARM §3.2, §4.1, Appendix D.3).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "estimator/comparator.h"

namespace swarm {
namespace {

Metric m(const char* name) { return *Metric::parse(name); }

MetricEstimates estimates(double p1_tput, double avg_tput, double p99_fct) {
    auto e = [](double v) { return MetricEstimate{v, v, v, 1}; };
    return {{m("p1_throughput"), e(p1_tput)},
            {m("avg_throughput"), e(avg_tput)},
            {m("p99_fct"), e(p99_fct)}};
}

PriorityComparatorSpec priority(std::vector<const char*> order, double tolerance = 0.1) {
    PriorityComparatorSpec spec;
    for (const char* name : order) spec.order.push_back(m(name));
    spec.tie_tolerance = tolerance;
    return spec;
}

TEST(PriorityComparator, FirstMetricDecidesOutsideTolerance) {
    const std::vector<MetricEstimates> c = {estimates(100, 5, 1.0), estimates(200, 1, 9.0)};
    const auto order =
        order_candidates(priority({"p1_throughput", "avg_throughput", "p99_fct"}), c, {}, {1, 1});
    EXPECT_EQ(order, (std::vector<std::size_t>{1, 0}));
}

TEST(PriorityComparator, TieWithinToleranceGoesToNextMetric) {
    // 95 is within 10% of 100 on p1 throughput; then p99 FCT (lower is better) decides.
    const std::vector<MetricEstimates> c = {estimates(100, 5, 2.0), estimates(95, 5, 1.0),
                                            estimates(80, 9, 0.1)};
    const auto order = order_candidates(priority({"p1_throughput", "p99_fct"}), c, {}, {1, 1, 1});
    EXPECT_EQ(order, (std::vector<std::size_t>{1, 0, 2}));
}

TEST(PriorityComparator, TieOnEveryMetricFallsBackToExactValues) {
    const std::vector<MetricEstimates> c = {estimates(96, 5, 1.0), estimates(100, 5, 1.0)};
    const auto order = order_candidates(priority({"p1_throughput", "p99_fct"}), c, {}, {1, 1});
    EXPECT_EQ(order, (std::vector<std::size_t>{1, 0}));
}

TEST(PriorityComparator, NanIsWorstAndIneligibleComeLast) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const std::vector<MetricEstimates> c = {
        estimates(nan, 5, 1.0), estimates(1, 5, 1.0), {}, estimates(2, 5, 1.0)};
    const auto order = order_candidates(priority({"p1_throughput"}), c, {}, {1, 1, 0, 1});
    EXPECT_EQ(order, (std::vector<std::size_t>{3, 1, 0, 2}));
}

TEST(PriorityComparator, ZeroToleranceIsStrict) {
    const std::vector<MetricEstimates> c = {estimates(100, 1, 1.0), estimates(99.9, 9, 1.0)};
    EXPECT_EQ(order_candidates(priority({"p1_throughput", "avg_throughput"}, 0.0), c, {}, {1, 1}),
              (std::vector<std::size_t>{0, 1}));
    EXPECT_EQ(order_candidates(priority({"p1_throughput", "avg_throughput"}, 0.1), c, {}, {1, 1}),
              (std::vector<std::size_t>{1, 0}));
}

TEST(LinearComparator, NormalisesByHealthyAndInvertsThroughput) {
    LinearComparatorSpec spec;
    spec.weights = {{m("p1_throughput"), 1.0}, {m("avg_throughput"), 1.0}, {m("p99_fct"), 1.0}};
    const MetricEstimates healthy = estimates(100, 10, 1.0);
    // Score = 100/p1 + 10/avg + fct/1.
    EXPECT_DOUBLE_EQ(linear_score(spec, estimates(50, 10, 2.0), healthy), 2.0 + 1.0 + 2.0);
    EXPECT_DOUBLE_EQ(linear_score(spec, healthy, healthy), 3.0);
    const std::vector<MetricEstimates> c = {estimates(50, 10, 2.0), estimates(100, 5, 1.5),
                                            estimates(100, 10, 1.0)};
    EXPECT_EQ(order_candidates(spec, c, healthy, {1, 1, 1}), (std::vector<std::size_t>{2, 1, 0}));
}

TEST(LinearComparator, ZeroWeightIgnoresMetric) {
    LinearComparatorSpec spec;
    spec.weights = {{m("p99_fct"), 1.0}, {m("p1_throughput"), 0.0}};
    const MetricEstimates healthy = estimates(100, 10, 1.0);
    EXPECT_DOUBLE_EQ(linear_score(spec, estimates(1, 1, 3.0), healthy), 3.0);
}

}  // namespace
}  // namespace swarm
