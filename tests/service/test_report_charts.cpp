// The report's charts (service/report_charts.h): round ticks, log axes only where values span a
// decade, tails on a log probability axis, whiskers at the interval ends.
#include <gtest/gtest.h>

#include <cmath>

#include "service/report_charts.h"

namespace swarm::service::charts {
namespace {

std::string unit(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", v);
    return text;
}

TEST(ReportCharts, LinearAxisHasRoundEndsAndTicks) {
    const Scale s = choose_scale(1.37e9, 4.21e9, true);  // 3x span: stays linear
    EXPECT_FALSE(s.log);
    EXPECT_DOUBLE_EQ(s.lo, 1e9);
    EXPECT_DOUBLE_EQ(s.hi, 5e9);
    EXPECT_EQ(ticks(s), (std::vector<double>{1e9, 2e9, 3e9, 4e9, 5e9}));
    const Scale small = choose_scale(0.00231, 0.00262, true);
    EXPECT_FALSE(small.log);
    for (double t : ticks(small)) {
        const double steps = t / 0.00005;
        EXPECT_NEAR(steps, std::round(steps), 1e-6) << t;  // multiples of a 1-2-5 step
    }
}

TEST(ReportCharts, LogAxisWhereValuesSpanDecades) {
    const Scale s = choose_scale(3.1e-4, 0.42, true);
    EXPECT_TRUE(s.log);
    EXPECT_DOUBLE_EQ(s.lo, 1e-4);
    EXPECT_DOUBLE_EQ(s.hi, 1.0);
    ASSERT_EQ(ticks(s).size(), 5u);  // decades only over 4 decades
    EXPECT_NEAR(ticks(s)[2], 1e-2, 1e-15);
    EXPECT_NEAR(s.fraction(1e-2), 0.5, 1e-12);
    EXPECT_FALSE(choose_scale(3.1e-4, 0.42, false).log);  // not where log is not allowed
    const Scale two = choose_scale(2e6, 9e7, true);       // under 2 decades: 1, 2, 5 per decade
    EXPECT_EQ(ticks(two), (std::vector<double>{1e6, 2e6, 5e6, 1e7, 2e7, 5e7, 1e8}));
}

TEST(ReportCharts, DistributionChartOverlaysEverySeries) {
    DistributionChart chart{"FCT", "flow completion time", true, unit, {}};
    chart.series.push_back({"a", "#0072B2", false, {{1e-3, 1}, {2e-3, 50}, {9e-2, 99}}});
    chart.series.push_back({"healthy", "#666666", true, {{1e-3, 1}, {1.5e-3, 50}, {3e-3, 99}}});
    const std::string svg = distribution_chart(chart);
    EXPECT_NE(svg.find("<title>a</title>"), std::string::npos);
    EXPECT_NE(svg.find("class=\"series healthy\""), std::string::npos);
    EXPECT_NE(svg.find("(log scale)"), std::string::npos) << "1 ms to 90 ms spans a decade";
    EXPECT_NE(svg.find("flows slower than this (log)"), std::string::npos);
    EXPECT_NE(svg.find(">1%<"), std::string::npos);
}

TEST(ReportCharts, DotPlotHasWhiskersAndHealthyLine) {
    DotPlot plot{"p1_throughput",
                 true,
                 unit,
                 {{"no-action", 5, 4, 6, "#0072B2"}, {"drain", NAN, NAN, NAN, "#D55E00"}},
                 7};
    const std::string svg = dot_plot(plot);
    EXPECT_NE(svg.find("no-action: 5 [4, 6]"), std::string::npos);
    EXPECT_NE(svg.find("healthy-line"), std::string::npos);
    EXPECT_NE(svg.find(">drain<"), std::string::npos) << "an unmeasured candidate keeps its row";
    EXPECT_NE(svg.find("higher is better"), std::string::npos);
}

}  // namespace
}  // namespace swarm::service::charts
