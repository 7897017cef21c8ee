// The embedded library as a user gets it: install into a fresh prefix, build examples/embed as
// a separate CMake project against it, run it, and compare with the CLI.
#include "install_support.h"

namespace swarm::test {
namespace {

TEST(EmbedExample, InstallsBuildsAndRanksLikeTheCli) {
    TempDir dir;
    const std::string cmake = SWARM_CMAKE_COMMAND;
    const auto prefix = dir / "prefix";
    const auto build = dir / "build";
    CommandResult install = install_swarm(prefix, dir.path());
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

    // The same example without CMake: pkg-config alone, from the installed (relocatable) swarm.pc,
    // and a compile that sees no nlohmann or Boost include path (the public headers need neither).
    const std::string pkg = installed_pkg_config(prefix);
    CommandResult flags = run_command(pkg + "--cflags --libs swarm", dir.path());
    ASSERT_EQ(flags.exit_code, 0) << flags.err;
    EXPECT_EQ(flags.out.find("nlohmann"), std::string::npos) << flags.out;
    CommandResult data = run_command(pkg + "--variable=datadir swarm", dir.path());
    ASSERT_EQ(data.exit_code, 0) << data.err;
    std::string data_dir = data.out.substr(0, data.out.find_last_not_of("\n") + 1);
    CommandResult plain =
        run_command("c++ -std=c++20 -O1 -DEMBED_SWARM_DATA_DIR='\"" + data_dir + "\"' " +
                        std::string(SWARM_SOURCE_DIR) + "/examples/embed/main.cpp -o " +
                        (dir / "embed_pkgconfig").string() + " $(" + pkg + "--cflags --libs swarm)",
                    dir.path());
    ASSERT_EQ(plain.exit_code, 0) << plain.out << plain.err;
    CommandResult plain_ran = run_command(
        (dir / "embed_pkgconfig").string() + " " + (dir / "incident.json").string(), dir.path());
    ASSERT_EQ(plain_ran.exit_code, 0) << plain_ran.err;
    EXPECT_EQ(without_elapsed(json::parse(plain_ran.out)), without_elapsed(embedded));

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

TEST(EmbedExample, MovedInstallationFindsItsData) {
    TempDir dir;
    const auto prefix = dir / "prefix";
    CommandResult install = install_swarm(prefix, dir.path());
    ASSERT_EQ(install.exit_code, 0) << install.out << install.err;
    const auto moved = dir / "elsewhere";
    std::filesystem::rename(prefix, moved);
    // A flow-size CDF only the moved installation has: found only if its data is the one used.
    const auto cdfs = moved / "share" / "swarm" / "data" / "cdfs";
    std::filesystem::copy_file(cdfs / "dctcp-websearch.cdf", cdfs / "only-here.cdf");
    json incident = tiny_incident("relocated");
    incident["traffic"]["flow_size_cdf"] = "only-here";
    write_file(dir / "incident.json", incident.dump());
    CommandResult ran = run_command("env -u SWARM_DATA_DIR " + (moved / "bin" / "swarm").string() +
                                        " validate " + (dir / "incident.json").string(),
                                    dir.path());
    EXPECT_EQ(ran.exit_code, 0) << ran.err;
    EXPECT_TRUE(std::filesystem::exists(moved / "share" / "swarm" / "data" / "schema" /
                                        "incident.schema.json"));
}

}  // namespace
}  // namespace swarm::test
