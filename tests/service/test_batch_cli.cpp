// `swarm rank` as operators use it from a shell: single files unchanged, batches of files and
// directories with per-file errors, progress, a summary table and exit codes.
#include "service_test_support.h"

namespace swarm::test {
namespace {

const std::string kSwarm = SWARM_BINARY;

TEST(BatchCli, OneFileStillPrintsItsRankingOnStdout) {
    TempDir dir;
    write_file(dir / "one.json", tiny_incident("single").dump());
    const CommandResult json_run =
        run_command(kSwarm + " rank --format json " + (dir / "one.json").string(), dir.path());
    ASSERT_EQ(json_run.exit_code, 0) << json_run.err;
    EXPECT_EQ(json_run.err, "");
    const json result = json::parse(json_run.out);
    EXPECT_EQ(result["incident"], "single");

    const CommandResult table =
        run_command(kSwarm + " rank " + (dir / "one.json").string(), dir.path());
    ASSERT_EQ(table.exit_code, 0);
    EXPECT_TRUE(table.out.starts_with("incident single: 1 traffic x 1 routing samples"))
        << table.out;
    EXPECT_NE(table.out.find("(healthy)"), std::string::npos);
}

TEST(BatchCli, ABadFileIsReportedWithoutStoppingTheOthers) {
    TempDir dir;
    std::filesystem::create_directory(dir / "incidents");
    write_file(dir / "incidents" / "a.json", tiny_incident("alpha").dump());
    write_file(dir / "incidents" / "b.json", "{\"version\": 1, \"name\": \"broken\"");
    json invalid = tiny_incident("gamma");
    invalid["failures"][0]["drop_rate"] = 2;
    write_file(dir / "incidents" / "c.json", invalid.dump());
    write_file(dir / "incidents" / "notes.txt", "not an incident");
    write_file(dir / "d.json", tiny_incident("delta").dump());

    const CommandResult run = run_command(kSwarm + " rank " + (dir / "incidents").string() + " " +
                                              (dir / "d.json").string() + " --out " +
                                              (dir / "out").string() + " --jobs 2 --format json",
                                          dir.path());
    EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
    // Results of the good files, nothing for the bad ones.
    EXPECT_EQ(json::parse(read_file(dir / "out" / "a.json"))["incident"], "alpha");
    EXPECT_EQ(json::parse(read_file(dir / "out" / "d.json"))["incident"], "delta");
    EXPECT_FALSE(std::filesystem::exists(dir / "out" / "b.json"));
    EXPECT_FALSE(std::filesystem::exists(dir / "out" / "c.json"));
    // stderr is not a terminal here: plain progress lines, one per file.
    EXPECT_NE(run.err.find("] ok     a.json"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("] FAILED b.json: $: malformed JSON"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("] FAILED c.json: $.failures[0].drop_rate: must be in [0, 1]"),
              std::string::npos)
        << run.err;
    EXPECT_EQ(run.err.find("\033["), std::string::npos) << "no terminal escapes in a log";
    // The summary table on stdout.
    EXPECT_NE(run.out.find("file"), std::string::npos);
    EXPECT_NE(run.out.find("alpha"), std::string::npos);
    EXPECT_NE(run.out.find("FAILED"), std::string::npos);
    EXPECT_NE(run.out.find("2 of 4 incidents ranked, 2 failed"), std::string::npos) << run.out;
}

TEST(BatchCli, AllGoodIsExitZeroAndResultsGoToStdoutWithoutOut) {
    TempDir dir;
    write_file(dir / "a.json", tiny_incident("alpha").dump());
    write_file(dir / "b.json", tiny_incident("beta").dump());
    const CommandResult run =
        run_command(kSwarm + " rank --format json " + (dir / "a.json").string() + " " +
                        (dir / "b.json").string(),
                    dir.path());
    ASSERT_EQ(run.exit_code, 0) << run.err;
    // JSON Lines in input order; the summary went to stderr.
    std::istringstream lines(run.out);
    std::string first, second;
    std::getline(lines, first);
    std::getline(lines, second);
    EXPECT_EQ(json::parse(first)["incident"], "alpha");
    EXPECT_EQ(json::parse(second)["incident"], "beta");
    EXPECT_NE(run.err.find("2 of 2 incidents ranked"), std::string::npos) << run.err;
}

TEST(BatchCli, BadUsageIsExitTwo) {
    TempDir dir;
    write_file(dir / "a.json", tiny_incident().dump());
    EXPECT_EQ(
        run_command(kSwarm + " rank " + (dir / "missing.json").string(), dir.path()).exit_code, 2);
    EXPECT_EQ(run_command(kSwarm + " rank " + (dir / "a.json").string() + " --jobs 0", dir.path())
                  .exit_code,
              2);
    EXPECT_EQ(
        run_command(kSwarm + " rank " + (dir / "a.json").string() + " --format yaml", dir.path())
            .exit_code,
        2);
    EXPECT_EQ(run_command(kSwarm + " rank", dir.path()).exit_code, 2);
    EXPECT_EQ(run_command(kSwarm + " frobnicate", dir.path()).exit_code, 2);
    std::filesystem::create_directory(dir / "empty");
    const CommandResult empty =
        run_command(kSwarm + " rank " + (dir / "empty").string(), dir.path());
    EXPECT_EQ(empty.exit_code, 2);
    EXPECT_NE(empty.err.find("no *.json incident files"), std::string::npos);
}

TEST(BatchCli, HelpDescribesEveryOption) {
    TempDir dir;
    const CommandResult top = run_command(kSwarm + " --help", dir.path());
    EXPECT_EQ(top.exit_code, 0);
    EXPECT_NE(top.out.find("rank"), std::string::npos);
    EXPECT_NE(top.out.find("serve"), std::string::npos);
    const CommandResult rank = run_command(kSwarm + " rank --help", dir.path());
    EXPECT_EQ(rank.exit_code, 0);
    for (const char* option : {"--format", "--threads", "--seed", "--data-dir", "--tables", "--out",
                               "--jobs", "--report"}) {
        EXPECT_NE(rank.out.find(option), std::string::npos) << option;
    }
    const CommandResult serve = run_command(kSwarm + " serve --help", dir.path());
    EXPECT_EQ(serve.exit_code, 0);
    for (const char* option : {"--host", "--port", "--db", "--token-file", "--workers",
                               "--threads-per-job", "--max-queue", "--max-body-bytes",
                               "--job-time-limit", "--http-threads", "--max-wait", "--grace"}) {
        EXPECT_NE(serve.out.find(option), std::string::npos) << option;
    }
}

}  // namespace
}  // namespace swarm::test
