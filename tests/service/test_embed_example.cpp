// The embedded library as a user gets it: install into a fresh prefix, build examples/embed as
// a separate CMake project against it, run it, and compare with the CLI.
#include "service_test_support.h"

namespace swarm::test {
namespace {

TEST(EmbedExample, InstallsBuildsAndRanksLikeTheCli) {
    TempDir dir;
    const std::string cmake = SWARM_CMAKE_COMMAND;
    const auto prefix = dir / "prefix";
    const auto build = dir / "build";
    CommandResult install = run_command(
        cmake + " --install " + std::string(SWARM_BUILD_DIR) + " --prefix " + prefix.string(),
        dir.path());
    ASSERT_EQ(install.exit_code, 0) << install.out << install.err;
    EXPECT_TRUE(std::filesystem::exists(prefix / "include" / "swarm" / "swarm.h"));
    EXPECT_TRUE(std::filesystem::exists(prefix / "lib" / "cmake" / "swarm" / "swarmConfig.cmake"));
    EXPECT_TRUE(std::filesystem::exists(prefix / "share" / "swarm" / "data" / "tables" /
                                        cli::kDefaultTableSet));
    EXPECT_FALSE(std::filesystem::exists(prefix / "include" / "estimator"))
        << "internal headers must not be installed";

    CommandResult configure = run_command(
        cmake + " -S " + std::string(SWARM_SOURCE_DIR) + "/examples/embed -B " + build.string() +
            " -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=" + prefix.string(),
        dir.path());
    ASSERT_EQ(configure.exit_code, 0) << configure.out << configure.err;
    CommandResult compile = run_command(cmake + " --build " + build.string() + " -j2", dir.path());
    ASSERT_EQ(compile.exit_code, 0) << compile.out << compile.err;

    // The example reads cdfs/ and tables/ from the installation (swarm_DATA_DIR).
    const json incident = tiny_incident("embedded");
    write_file(dir / "incident.json", incident.dump());
    CommandResult ran = run_command(
        (build / "embed_rank").string() + " " + (dir / "incident.json").string(), dir.path());
    ASSERT_EQ(ran.exit_code, 0) << ran.err;
    EXPECT_NE(ran.err.find("best: "), std::string::npos) << ran.err;
    const json embedded = json::parse(ran.out);

    CommandResult cli = run_command(
        std::string(SWARM_BINARY) + " rank --format json " + (dir / "incident.json").string(),
        dir.path());
    ASSERT_EQ(cli.exit_code, 0) << cli.err;
    EXPECT_EQ(without_elapsed(embedded), without_elapsed(json::parse(cli.out)));

    CommandResult in_code = run_command((build / "embed_rank").string() + " --in-code", dir.path());
    ASSERT_EQ(in_code.exit_code, 0) << in_code.err;
    EXPECT_EQ(json::parse(in_code.out)["incident"], "built-in-code");

    json bad = incident;
    bad["traffic"]["arrival_rate_per_server"] = -1;
    write_file(dir / "bad.json", bad.dump());
    CommandResult invalid = run_command(
        (build / "embed_rank").string() + " " + (dir / "bad.json").string(), dir.path());
    EXPECT_EQ(invalid.exit_code, 2);
    EXPECT_NE(invalid.err.find("invalid incident at $.traffic.arrival_rate_per_server"),
              std::string::npos)
        << invalid.err;
}

}  // namespace
}  // namespace swarm::test
