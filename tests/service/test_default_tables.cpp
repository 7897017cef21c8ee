// The default transport table set, through the real `swarm` binary: it is the measured ns3-cubic
// set (docs/tables.md), and under it SWARM Scenario 1 still flips with the drop rate as the paper
// says: at 1e-4 leaving the lossy link alone beats disabling it, at 5e-2 disabling wins.
#include "service_test_support.h"

namespace swarm::test {
namespace {

const std::string kSwarm = SWARM_BINARY;

/// The shipped incident ranked with the default tables. 3 x 3 samples instead of the shipped
/// 7 x 7 keep the two rankings near a second each; the gaps asserted below (2x and 500x on p1
/// throughput) are far beyond that sampling noise (checked at seeds 1 to 3).
json rank_shipped(const std::string& name, const TempDir& dir) {
    json incident = json::parse(
        read_file(std::filesystem::path(SWARM_SOURCE_DATA_DIR) / "incidents" / (name + ".json")));
    incident["estimator"]["traffic_samples"] = 3;
    incident["estimator"]["routing_samples"] = 3;
    write_file(dir / (name + ".json"), incident.dump());
    const CommandResult run = run_command(
        kSwarm + " rank --format json " + (dir / (name + ".json")).string(), dir.path());
    EXPECT_EQ(run.exit_code, 0) << run.err;
    return json::parse(run.out);
}

double p1_throughput_bps(const json& ranking, const std::string& candidate) {
    for (const auto& entry : ranking["ranking"]) {
        if (entry["candidate"] == candidate) {
            return entry["metrics"]["p1_throughput_bps"]["estimate"];
        }
    }
    ADD_FAILURE() << "no candidate " << candidate << " in " << ranking.dump(2);
    return 0.0;
}

TEST(DefaultTables, AreTheMeasuredNs3CubicSetAndScenario1FlipsWithTheDropRate) {
    TempDir dir;
    const json low = rank_shipped("scenario1-low-fcs", dir);
    EXPECT_EQ(low["tables"], "ns3-cubic");
    EXPECT_EQ(low["ranking"][0]["candidate"], "no-action") << low.dump(2);
    EXPECT_GT(p1_throughput_bps(low, "no-action"), 1.5 * p1_throughput_bps(low, "disable-link"));

    const json high = rank_shipped("scenario1-high-fcs", dir);
    EXPECT_EQ(high["tables"], "ns3-cubic");
    EXPECT_EQ(high["ranking"][0]["candidate"], "disable-link") << high.dump(2);
    EXPECT_GT(p1_throughput_bps(high, "disable-link"),
              100.0 * p1_throughput_bps(high, "no-action"));
}

}  // namespace
}  // namespace swarm::test
