// The composite estimate and its confidence interval (SWARM §3.3, Fig. 4: each sample's metric,
// then the mean over samples with a Student-t interval), on hand-computed cases.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "estimator/clp_statistics.h"

namespace swarm {
namespace {

TEST(CompositeEstimate, StudentTIntervalAroundTheMean) {
    // Mean 12, sample sd 1, standard error 1/sqrt(3), t(0.975, 2 dof) = 4.302653.
    const MetricEstimate e = summarise_composite({11.0, 12.0, 13.0}, 0.95);
    EXPECT_DOUBLE_EQ(e.estimate, 12.0);
    EXPECT_NEAR(e.ci_high - 12.0, 4.302653 / std::sqrt(3.0), 1e-5);
    EXPECT_NEAR(12.0 - e.ci_low, 4.302653 / std::sqrt(3.0), 1e-5);
    EXPECT_EQ(e.samples, 3);
}

TEST(CompositeEstimate, NonNegativeMetricsKeepTheIntervalAtOrAboveZero) {
    // Mean 2, sd sqrt(20), se 2, t(0.975, 4) = 2.776445: the symmetric interval would start
    // at -3.55; a p99 FCT cannot be negative.
    const MetricEstimate e = summarise_composite({0.0, 0.0, 0.0, 0.0, 10.0}, 0.95);
    EXPECT_DOUBLE_EQ(e.estimate, 2.0);
    EXPECT_EQ(e.ci_low, 0.0);
    EXPECT_NEAR(e.ci_high, 2.0 + 2.776445 * 2.0, 1e-5);
    // Values that can be negative keep the symmetric interval.
    const MetricEstimate signed_values = summarise_composite({-1.0, -1.0, -1.0, -1.0, 9.0}, 0.95);
    EXPECT_NEAR(signed_values.ci_low, 1.0 - 2.776445 * 2.0, 1e-5);
}

TEST(CompositeEstimate, SamplesWithoutFlowsAreSkipped) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const MetricEstimate one = summarise_composite({nan, 5.0, nan}, 0.95);
    EXPECT_EQ(one.samples, 1);
    EXPECT_EQ(one.estimate, 5.0);
    // One sample: no interval (issue 12 found zero-width ones), JSON null and no ± in tables.
    EXPECT_TRUE(std::isnan(one.ci_low));
    EXPECT_TRUE(std::isnan(one.ci_high));
    const MetricEstimate none = summarise_composite({nan, nan}, 0.95);
    EXPECT_EQ(none.samples, 0);
    EXPECT_TRUE(std::isnan(none.estimate));
}

TEST(CompositeEstimate, PercentilesInterpolateBetweenOrderStatistics) {
    EXPECT_DOUBLE_EQ(percentile_of_sorted({1.0, 2.0, 3.0, 4.0, 5.0}, 50.0), 3.0);
    EXPECT_DOUBLE_EQ(percentile_of_sorted({1.0, 2.0, 3.0, 4.0, 5.0}, 99.0), 4.96);
    EXPECT_DOUBLE_EQ(percentile_of_sorted({10.0, 20.0}, 1.0), 10.1);
}

}  // namespace
}  // namespace swarm
