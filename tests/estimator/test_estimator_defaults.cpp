// Settings derived from the fabric when the incident leaves them out (estimator_defaults.h):
// the flow-size statistics they rest on, hand-solved; the epoch rule at three line rates; the
// reader filling in what is missing and warning about a coarse explicit epoch.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "estimator/flow_size_cdf_library.h"
#include "estimator/helper/estimator_defaults.h"
#include "estimator/helper/incident_reader.h"
#include "models/builtin_models.h"

namespace swarm {
namespace {

using json = nlohmann::json;

TEST(EstimatorDefaults, MeanAboveIsTheConditionalMeanOfTheInterpolatedCdf) {
    // Uniform on [0, 100] with mass 0.5, then uniform on [100, 300] with mass 0.5.
    const FlowSizeSampler sizes(FlowSizeCdf{"t", {{0.0, 0.0}, {100.0, 0.5}, {300.0, 1.0}}});
    EXPECT_DOUBLE_EQ(sizes.mean_above(200.0), 250.0);
    EXPECT_DOUBLE_EQ(sizes.mean_above(50.0), (0.25 * 75.0 + 0.5 * 200.0) / 0.75);
    EXPECT_DOUBLE_EQ(sizes.mean_above(0.0), sizes.mean());
    EXPECT_TRUE(std::isnan(sizes.mean_above(300.0)));
    EXPECT_DOUBLE_EQ(sizes.max_bytes(), 300.0);
}

json incident_at(double gbps) {
    return {{"version", 1},
            {"name", "defaults"},
            {"topology",
             {{"clos",
               {{"pods", 2},
                {"tors_per_pod", 2},
                {"aggs_per_pod", 2},
                {"spines", 2},
                {"servers_per_tor", 4},
                {"link_gbps", gbps},
                {"link_delay_us", 1}}}}},
            {"traffic", {{"arrival_rate_per_server", 100}, {"flow_size_cdf", "dctcp-websearch"}}},
            {"candidates", json::array({{{"name", "no-action"}, {"actions", json::array()}}})}};
}

Incident read(const json& doc) {
    return read_incident(doc, SWARM_SOURCE_DATA_DIR, builtin_models());
}

TEST(EstimatorDefaults, EpochIsANiceValueBelowHalfTheMeanLongFlowTime) {
    // Web-search long flows average 3.94 MB: 3.15 ms at 10 Gb/s, 31.5 ms at 1, 0.315 ms at 100.
    EXPECT_DOUBLE_EQ(read(incident_at(10)).estimator.epoch.value, 1e-3);
    EXPECT_DOUBLE_EQ(read(incident_at(1)).estimator.epoch.value, 10e-3);
    EXPECT_DOUBLE_EQ(read(incident_at(100)).estimator.epoch.value, 0.1e-3);
    EXPECT_TRUE(read(incident_at(10)).warnings.empty());
}

TEST(EstimatorDefaults, HorizonCoversWarmUpWindowAndCoolDown) {
    const Incident incident = read(incident_at(10));
    // 16 servers x 100 flows/s x 42.9% long = 687 long flows/s: 2000 of them take 2.91 s.
    const double warmup = 0.072;  // 3 x the 30 MB flow's 24 ms
    EXPECT_NEAR(incident.traffic.window_start.value, warmup, 1e-12);
    EXPECT_NEAR(incident.traffic.window_end.value - warmup, 2.913, 1e-12);  // whole epochs
    EXPECT_NEAR(incident.traffic.duration.value, incident.traffic.window_end.value + warmup, 1e-12);
}

TEST(EstimatorDefaults, ExplicitSettingsStayAndACoarseEpochIsFlagged) {
    json doc = incident_at(10);
    doc["estimator"] = {{"epoch_ms", 200}};
    doc["traffic"]["duration_s"] = 4;
    const Incident incident = read(doc);
    EXPECT_DOUBLE_EQ(incident.estimator.epoch.value, 0.2);
    EXPECT_DOUBLE_EQ(incident.traffic.duration.value, 4.0);
    EXPECT_DOUBLE_EQ(incident.traffic.window_start.value, 1.0);  // the middle half, as before
    ASSERT_EQ(incident.warnings.size(), 1u);
    EXPECT_NE(incident.warnings[0].find("epoch_ms 200"), std::string::npos) << incident.warnings[0];
    EXPECT_NE(incident.warnings[0].find("use 1 ms"), std::string::npos) << incident.warnings[0];

    doc["estimator"] = {{"epoch_ms", 2}};
    EXPECT_TRUE(read(doc).warnings.empty());  // 2 ms < 3.15 ms: fine
}

TEST(EstimatorDefaults, AnExplicitWindowGetsACoolDownAfterIt) {
    json doc = incident_at(10);
    doc["traffic"]["measure_window_s"] = {0.5, 1.5};
    const Incident incident = read(doc);
    EXPECT_DOUBLE_EQ(incident.traffic.window_start.value, 0.5);
    EXPECT_NEAR(incident.traffic.duration.value, 1.5 + 0.072, 1e-12);
}

}  // namespace
}  // namespace swarm
