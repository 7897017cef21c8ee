#include <gtest/gtest.h>

#include "estimator/dkw.h"

namespace swarm {
namespace {

TEST(Dkw, SampleCountsMatchTheInequality) {
    // n >= ln(2 / alpha) / (2 eps^2): ln(40) / 0.005 = 737.78 -> 738.
    EXPECT_EQ(dkw_sample_count(0.95, 0.05), 738);
    // ln(200) / (2 * 1e-4) = 26491.6 -> 26492.
    EXPECT_EQ(dkw_sample_count(0.99, 0.01), 26492);
    // ln(20) / (2 * 0.04) = 37.45 -> 38.
    EXPECT_EQ(dkw_sample_count(0.90, 0.2), 38);
}

TEST(Dkw, EpsilonInvertsTheCount) {
    for (double eps : {0.3, 0.1, 0.05, 0.02}) {
        const int n = dkw_sample_count(0.95, eps);
        EXPECT_LE(dkw_epsilon(0.95, n), eps);
        EXPECT_GT(dkw_epsilon(0.95, n - 1), eps);
    }
}

TEST(Dkw, DefaultSplitCoversTheCount) {
    const SampleCounts c = default_sample_counts(738, nullptr, nullptr);
    EXPECT_EQ(c.traffic, 28);
    EXPECT_EQ(c.routing, 27);
    EXPECT_GE(c.traffic * c.routing, 738);
    const int traffic = 4;
    const SampleCounts fixed = default_sample_counts(738, &traffic, nullptr);
    EXPECT_EQ(fixed.traffic, 4);
    EXPECT_EQ(fixed.routing, 185);
}

}  // namespace
}  // namespace swarm
