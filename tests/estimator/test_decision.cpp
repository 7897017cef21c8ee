// The decision rule (estimator/decision.h) on hand-made per-sample values: paired intervals
// against a hand-computed t interval; beats, ties, open cases and NaN metrics under the priority
// comparator; the linear comparator; one sample leaves everything open.
#include <gtest/gtest.h>

#include <cmath>

#include "estimator/decision.h"

namespace swarm {
namespace {

Metric metric(const char* name) { return *Metric::parse(name); }

TEST(Decision, PairedIntervalIsTheStudentTIntervalOfTheDifferences) {
    // Differences 1, 2, 3: mean 2, sd 1, se 1/sqrt(3); t(2) at 0.975 = 4.302653.
    const PairedInterval d = paired_interval({1.0, 2.0, 3.0, std::nan("")}, 0.95);
    EXPECT_EQ(d.pairs, 3);
    EXPECT_DOUBLE_EQ(d.mean, 2.0);
    EXPECT_NEAR(d.high - d.mean, 4.302653 / std::sqrt(3.0), 1e-6);
    EXPECT_NEAR(d.mean - d.low, 4.302653 / std::sqrt(3.0), 1e-6);

    const PairedInterval one = paired_interval({5.0}, 0.95);
    EXPECT_DOUBLE_EQ(one.mean, 5.0);
    EXPECT_TRUE(std::isnan(one.low) && std::isnan(one.high));  // one sample: no interval

    const PairedInterval same = paired_interval({0.5, 0.5}, 0.95);
    EXPECT_DOUBLE_EQ(same.low, 0.5);
    EXPECT_DOUBLE_EQ(same.high, 0.5);
}

// Values [scenario][sample][metric] with metrics (p1_throughput, p99_fct); scenario 0 healthy.
SampleValues table(const std::vector<std::vector<std::pair<double, double>>>& scenarios) {
    SampleValues v;
    for (const auto& samples : scenarios) {
        std::vector<std::vector<double>> rows;
        for (const auto& [a, b] : samples) rows.push_back({a, b});
        v.push_back(rows);
    }
    return v;
}

const std::vector<Metric> kMetrics = {metric("p1_throughput"), metric("p99_fct")};
const std::vector<std::string> kNames = {"a", "b", "c"};

PriorityComparatorSpec priority(double tolerance) {
    return {{kMetrics[0], kMetrics[1]}, tolerance};
}

TEST(Decision, PriorityPickBeatsBeyondTheTolerance) {
    // a's p1 is 100 +- noise shared with b, which is 20 lower (tolerance 10% of 100 = 10).
    const SampleValues v = table({{{1, 1}, {1, 1}, {1, 1}, {1, 1}},
                                  {{100, 1}, {110, 1}, {90, 1}, {100, 1}},
                                  {{80, 1}, {89, 1}, {71, 1}, {80, 1}}});
    const Decision d = decide(priority(0.1), kMetrics, v, {0, 1}, {1, 1}, kNames, 0.95);
    EXPECT_TRUE(d.settled);
    EXPECT_EQ(d.pick, "a");
    EXPECT_EQ(d.runner_up, "b");
    EXPECT_EQ(d.samples, 4);
    ASSERT_EQ(d.margins.size(), 2u);
    EXPECT_DOUBLE_EQ(d.margins[0].margin, 20.0);
    EXPECT_GT(d.margins[0].ci_low, 10.0);
    // Differences 20, 21, 19, 20 (se 0.408) and one other candidate: a one-sided 95% bound,
    // 20 - t(3, 0.95) x 0.408 = 19.04 > 10.
    EXPECT_NEAR(d.margins[0].ci_low, 20.0 - 2.353363 * std::sqrt(2.0 / 3.0) / 2.0, 1e-5);
}

TEST(Decision, PriorityTieOnTheFirstMetricDefersToTheNext) {
    // p1 within 1 of each other (tolerance 10): tied; the FCT then decides (lower is better).
    const SampleValues base = table({{{1, 1}, {1, 1}, {1, 1}},
                                     {{100, 1.0}, {100, 1.1}, {100, 0.9}},
                                     {{99, 2.0}, {99.5, 2.1}, {100.5, 1.9}}});
    EXPECT_TRUE(decide(priority(0.1), kMetrics, base, {0, 1}, {1, 1}, kNames, 0.95).settled);
    // Same FCT as well: tied on every metric, which settles the choice too.
    const SampleValues tied = table({{{1, 1}, {1, 1}, {1, 1}},
                                     {{100, 1.0}, {100, 1.1}, {100, 0.9}},
                                     {{99, 1.0}, {99.5, 1.1}, {100.5, 0.9}}});
    EXPECT_TRUE(decide(priority(0.1), kMetrics, tied, {0, 1}, {1, 1}, kNames, 0.95).settled);
}

TEST(Decision, PriorityStraddlingTheToleranceIsOpen) {
    // b is about 10 lower: right at the tolerance, with noise across it.
    const SampleValues v = table(
        {{{1, 1}, {1, 1}, {1, 1}}, {{100, 1}, {100, 1}, {100, 1}}, {{85, 1}, {95, 1}, {90, 1}}});
    const Decision d = decide(priority(0.1), kMetrics, v, {0, 1}, {1, 1}, kNames, 0.95);
    EXPECT_FALSE(d.settled);
    EXPECT_EQ(d.unsettled, std::vector<std::string>{"b"});
}

TEST(Decision, OneSampleIsNeverSettledAndHasNoInterval) {
    const SampleValues v = table({{{1, 1}}, {{100, 1}}, {{10, 1}}});
    const Decision d = decide(priority(0.1), kMetrics, v, {0, 1}, {1, 1}, kNames, 0.95);
    EXPECT_FALSE(d.settled);
    EXPECT_DOUBLE_EQ(d.margins[0].margin, 90.0);
    EXPECT_TRUE(std::isnan(d.margins[0].ci_low));
}

TEST(Decision, IneligibleCandidatesAreNotCompared) {
    const SampleValues v = table({{{1, 1}, {1, 1}}, {{100, 1}, {101, 1}}, {{99, 1}, {140, 1}}});
    const Decision d = decide(priority(0.1), kMetrics, v, {0, 1}, {1, 0}, kNames, 0.95);
    EXPECT_TRUE(d.settled);
    EXPECT_TRUE(d.runner_up.empty());
}

TEST(Decision, MoreCandidatesWidenEachComparison) {
    // Bonferroni: with three others each bound is one-sided at 5% / 3.
    const SampleValues two = table(
        {{{1, 1}, {1, 1}, {1, 1}}, {{100, 1}, {100, 1}, {100, 1}}, {{80, 1}, {86, 1}, {83, 1}}});
    const Decision d2 = decide(priority(0.1), kMetrics, two, {0, 1}, {1, 1}, kNames, 0.95);
    SampleValues four = two;
    four.push_back(four[2]);
    four.push_back(four[2]);
    const Decision d4 = decide(priority(0.1), kMetrics, four, {0, 1, 2, 3}, {1, 1, 1, 1},
                               {"a", "b", "c", "d"}, 0.95);
    EXPECT_LT(d4.margins[0].ci_low, d2.margins[0].ci_low);
}

TEST(Decision, LinearSettlesOnAPositiveBoundOrIdenticalNetworks) {
    const LinearComparatorSpec linear{{{kMetrics[0], 1.0}}};
    // Scores healthy / value: a's 1.0, b's about 1.25.
    const SampleValues v = table({{{100, 1}, {110, 1}, {90, 1}},
                                  {{100, 1}, {110, 1}, {90, 1}},
                                  {{80, 1}, {88, 1}, {72, 1}}});
    EXPECT_TRUE(decide(linear, kMetrics, v, {0, 1}, {1, 1}, kNames, 0.95).settled);
    const SampleValues same = table({{{100, 1}, {110, 1}}, {{50, 1}, {60, 1}}, {{50, 1}, {60, 1}}});
    EXPECT_TRUE(decide(linear, kMetrics, same, {0, 1}, {1, 1}, kNames, 0.95).settled);
    const SampleValues noisy = table({{{100, 1}, {100, 1}, {100, 1}},
                                      {{100, 1}, {90, 1}, {100, 1}},
                                      {{95, 1}, {100, 1}, {95, 1}}});
    EXPECT_FALSE(decide(linear, kMetrics, noisy, {0, 1}, {1, 1}, kNames, 0.95).settled);
}

}  // namespace
}  // namespace swarm
