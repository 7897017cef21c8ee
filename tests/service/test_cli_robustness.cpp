// `swarm rank` on the inputs of issue 12 that made it crash, hang or run without limits: it
// must answer each with one clear error and exit 2 (bad input) or 1 (a batch with failures),
// never a signal (std::system reports a crashed child's shell as 128 + the signal number).
#include <sys/stat.h>

#include "service_test_support.h"

namespace swarm::test {
namespace {

const std::string kSwarm = SWARM_BINARY;
const std::filesystem::path kCases =
    std::filesystem::path(SWARM_SOURCE_DIR) / "tests" / "data" / "robustness";

CommandResult rank_file(const std::filesystem::path& file, const TempDir& dir,
                        const std::string& flags = "") {
    return run_command(kSwarm + " rank " + flags + " " + file.string(), dir.path());
}

TEST(CliRobustness, PartitionedHealthyNetworkIsABadInputNotASegfault) {
    TempDir dir;
    const CommandResult run = rank_file(kCases / "tor-chain-partitioned.json", dir);
    EXPECT_EQ(run.exit_code, 2) << run.out << run.err;  // was 139 (SIGSEGV in summarise())
    EXPECT_NE(run.err.find("$.topology: the healthy network"), std::string::npos) << run.err;
}

TEST(CliRobustness, OverBudgetFilesNameTheFieldAndTheLimit) {
    TempDir dir;
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"budget-arrival-rate-1e308.json", "$.traffic.arrival_rate_per_server"},
        {"budget-duration-1e300.json", "max_flows_per_sample"},
        {"budget-epoch-1e-308.json", "max_epochs_per_sample"},
        {"budget-clos-1e6-nodes.json", "$.topology.clos: 1000000 servers"},
    };
    for (const auto& [file, expected] : cases) {
        const CommandResult run = rank_file(kCases / file, dir);
        EXPECT_EQ(run.exit_code, 2) << file << ": " << run.err;
        EXPECT_NE(run.err.find(expected), std::string::npos) << file << ": " << run.err;
        EXPECT_NE(run.err.find("work budget"), std::string::npos) << file << ": " << run.err;
    }
}

TEST(CliRobustness, BudgetOptionsChangeTheLimits) {
    TempDir dir;
    const std::string file =
        (std::filesystem::path(SWARM_SOURCE_DATA_DIR) / "incidents" / "scenario1-low-fcs.json")
            .string();
    const CommandResult run =
        run_command(kSwarm + " rank --sampling dkw --max-samples 3 " + file, dir.path());
    EXPECT_EQ(run.exit_code, 2) << run.err;
    EXPECT_NE(run.err.find("max_samples of 3"), std::string::npos) << run.err;
    // Adaptive sampling (the default) stops there instead.
    const CommandResult capped =
        run_command(kSwarm + " rank --format json --max-samples 3 " + file, dir.path());
    ASSERT_EQ(capped.exit_code, 0) << capped.err;
    const json decision = json::parse(capped.out)["decision"];
    EXPECT_EQ(decision["samples"], 3);
    EXPECT_EQ(decision["stopped_by"], "sample_cap");
}

TEST(CliRobustness, DeeplyNestedFileIsRejectedAtTheDepthLimit) {
    TempDir dir;
    write_file(dir / "deep.json", std::string(200'000, '['));  // took 90 s to reject
    const CommandResult run = rank_file(dir / "deep.json", dir);
    EXPECT_EQ(run.exit_code, 2) << run.err;
    EXPECT_NE(run.err.find("nest more than 64 levels"), std::string::npos) << run.err;
}

TEST(CliRobustness, NegativeSeedIsAnError) {
    TempDir dir;
    write_file(dir / "one.json", tiny_incident("seeded").dump());
    const CommandResult run = rank_file(dir / "one.json", dir, "--seed -1");  // was 2^64 - 1
    EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
    EXPECT_NE(run.err.find("--seed"), std::string::npos) << run.err;
}

// The network store's limit is in MiB and shifted into bytes: a value whose byte count would
// overflow (and wrap to a small limit) is refused before the server starts.
TEST(CliRobustness, AnOverflowingNetworkStoreLimitIsAnError) {
    TempDir dir;
    for (const char* value : {"99999999999999", "0", "16777217"}) {
        const CommandResult run =
            run_command(kSwarm + " serve --port 0 --db " + (dir / "jobs.db").string() +
                            " --max-network-store-mb " + value,
                        dir.path());
        EXPECT_EQ(run.exit_code, 2) << value << run.out << run.err;
        EXPECT_NE(run.err.find("--max-network-store-mb"), std::string::npos) << run.err;
    }
}

TEST(CliRobustness, BatchReportsLinkLoopsFifosAndBrokenLinks) {
    TempDir dir;
    const auto incidents = dir / "incidents";
    std::filesystem::create_directory(incidents);
    write_file(incidents / "a.json", tiny_incident("alpha").dump());
    std::filesystem::create_symlink("loop.json", incidents / "loop.json");  // aborted the batch
    std::filesystem::create_symlink("missing.json", incidents / "broken.json");
    ASSERT_EQ(mkfifo((incidents / "pipe.json").c_str(), 0600), 0);  // was silently skipped
    const CommandResult run =
        run_command(kSwarm + " rank --format json " + incidents.string(), dir.path());
    EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
    EXPECT_NE(run.err.find("] ok     a.json"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("FAILED loop.json: cannot read"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("a symbolic link loop"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("FAILED broken.json: cannot read"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("a broken symbolic link"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("FAILED pipe.json: cannot read"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("a FIFO"), std::string::npos) << run.err;
}

TEST(CliRobustness, AFifoGivenAsTheOnlyFileDoesNotBlock) {
    TempDir dir;
    ASSERT_EQ(mkfifo((dir / "pipe.json").c_str(), 0600), 0);
    const CommandResult run = rank_file(dir / "pipe.json", dir);
    EXPECT_EQ(run.exit_code, 2) << run.err;
    EXPECT_NE(run.err.find("a FIFO, not a regular file"), std::string::npos) << run.err;
}

TEST(CliRobustness, OneSampleHasNoInterval) {
    TempDir dir;
    json incident = tiny_incident("one-sample");
    incident["estimator"]["traffic_samples"] = 1;
    incident["estimator"]["routing_samples"] = 1;
    write_file(dir / "one.json", incident.dump());
    const CommandResult run = rank_file(dir / "one.json", dir, "--format json");
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const json result = json::parse(run.out);
    const json& p1 = result["healthy"]["p1_throughput_bps"];
    EXPECT_EQ(p1["samples"], 1);
    EXPECT_TRUE(p1["estimate"].is_number());
    EXPECT_TRUE(p1["ci_low"].is_null());
    EXPECT_TRUE(p1["ci_high"].is_null());
    const CommandResult table = rank_file(dir / "one.json", dir);
    ASSERT_EQ(table.exit_code, 0) << table.err;
    const std::string rows = table.out.substr(0, table.out.find("± is the half-width"));
    EXPECT_EQ(rows.find("±"), std::string::npos) << table.out;
}

}  // namespace
}  // namespace swarm::test
