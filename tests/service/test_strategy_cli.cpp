// `swarm rank --strategy`: what the SWARM §4.1 baselines would pick, from the shell.
#include "service_test_support.h"

namespace swarm::test {
namespace {

const std::string kSwarm = SWARM_BINARY;
const std::filesystem::path kIncidents = std::filesystem::path(SWARM_SOURCE_DATA_DIR) / "incidents";

TEST(StrategyCli, EveryBaselinePicksForAShippedIncident) {
    TempDir dir;
    const CommandResult run = run_command(kSwarm + " rank --format json --strategy all " +
                                              (kIncidents / "scenario1-high-fcs.json").string(),
                                          dir.path());
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const json result = json::parse(run.out);
    EXPECT_EQ(result["incident"], "scenario1-high-fcs");
    ASSERT_EQ(result["strategies"].size(), 9u);
    // A ToR left with one uplink runs at about 84.5%: NetPilot-80 keeps the lossy link,
    // NetPilot-99 and CorrOpt-50 take it out (docs/baselines.md).
    std::map<std::string, json> by_name;
    for (const auto& s : result["strategies"]) by_name[s["strategy"]] = s["candidate"];
    EXPECT_EQ(by_name["NetPilot-80"], "no-action");
    EXPECT_EQ(by_name["NetPilot-99"], "disable-link");
    EXPECT_EQ(by_name["CorrOpt-50"], "disable-link");
    EXPECT_EQ(by_name["CorrOpt-75"], "no-action");
}

TEST(StrategyCli, UnknownStrategyIsBadUsage) {
    TempDir dir;
    const CommandResult run = run_command(
        kSwarm + " rank --strategy NetPilot-42 " + (kIncidents / "scenario1-low-fcs.json").string(),
        dir.path());
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_NE(run.err.find("unknown strategy \"NetPilot-42\""), std::string::npos) << run.err;
}

TEST(StrategyCli, BadIncidentFailsWithItsPath) {
    TempDir dir;
    write_file(dir / "bad.json", R"({"version": 1})");
    const CommandResult run =
        run_command(kSwarm + " rank --strategy all " + (dir / "bad.json").string(), dir.path());
    EXPECT_EQ(run.exit_code, 1);
    EXPECT_NE(run.err.find("$.name: required key is missing"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace swarm::test
