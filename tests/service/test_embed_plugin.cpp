// An operator's own mitigation model as a user plugs it in: install swarm into a fresh prefix,
// compile examples/embed/plugin_model.cpp (the "replace_cable" model) with nothing but the
// installed swarm.pc, and rank an incident whose candidates name the model.
#include "install_support.h"

namespace swarm::test {
namespace {

/// The tiny shipped scenario with its link t0-0-0 - t1-0-0 at 5% loss, and candidates that
/// replace that cable at once or after 0.15 s, or after disabling the link (infeasible).
json plugin_incident() {
    json incident = tiny_incident("plugin");
    incident["failures"][0]["drop_rate"] = 0.05;
    const json lossy = {"t0-0-0", "t1-0-0"};
    incident["candidates"] = {
        {{"name", "no-action"}, {"actions", json::array()}},
        {{"name", "replace-now"}, {"actions", {{{"type", "replace_cable"}, {"link", lossy}}}}},
        {{"name", "replace-later"},
         {"actions", {{{"type", "replace_cable"}, {"link", lossy}, {"after_s", 0.15}}}}},
        {{"name", "replace-disabled"},
         {"actions",
          {{{"type", "disable_link"}, {"link", lossy}},
           {{"type", "replace_cable"}, {"link", lossy}}}}}};
    return incident;
}

const json& candidate(const json& ranking, const std::string& name) {
    for (const json& c : ranking["ranking"]) {
        if (c["candidate"] == name) return c;
    }
    throw std::runtime_error("no candidate " + name + " in " + ranking.dump());
}

TEST(EmbedPlugin, AnInstalledConsumerRegistersAModelAndRanksWithIt) {
    TempDir dir;
    const auto prefix = dir / "prefix";
    CommandResult install = install_swarm(prefix, dir.path());
    ASSERT_EQ(install.exit_code, 0) << install.out << install.err;
    ASSERT_TRUE(std::filesystem::exists(prefix / "include" / "swarm" / "model_plugin.h"));
    EXPECT_FALSE(std::filesystem::exists(prefix / "include" / "estimator"));

    // pkg-config alone: no CMake, no nlohmann or Boost include path, no internal header.
    const std::string pkg = installed_pkg_config(prefix);
    CommandResult data = run_command(pkg + "--variable=datadir swarm", dir.path());
    ASSERT_EQ(data.exit_code, 0) << data.err;
    const std::string data_dir = data.out.substr(0, data.out.find_last_not_of("\n") + 1);
    const auto program = dir / "embed_plugin";
    CommandResult compile = run_command(
        "c++ -std=c++20 -O1 -Wall -Wextra -Werror -DEMBED_SWARM_DATA_DIR='\"" + data_dir + "\"' " +
            std::string(SWARM_SOURCE_DIR) + "/examples/embed/plugin_model.cpp -o " +
            program.string() + " $(" + pkg + "--cflags --libs swarm)",
        dir.path());
    ASSERT_EQ(compile.exit_code, 0) << compile.out << compile.err;

    write_file(dir / "incident.json", plugin_incident().dump());
    CommandResult ran =
        run_command(program.string() + " " + (dir / "incident.json").string(), dir.path());
    ASSERT_EQ(ran.exit_code, 0) << ran.err;
    const json ranking = json::parse(ran.out);
    // Replacing the lossy cable at once removes the failure: it ranks first, with the healthy
    // network's throughput tail; replacing it later helps less.
    EXPECT_EQ(ranking["ranking"][0]["candidate"], "replace-now") << ran.out;
    const double now =
        candidate(ranking, "replace-now")["metrics"]["p1_throughput_bps"]["estimate"];
    const double later =
        candidate(ranking, "replace-later")["metrics"]["p1_throughput_bps"]["estimate"];
    const double none = candidate(ranking, "no-action")["metrics"]["p1_throughput_bps"]["estimate"];
    EXPECT_GT(now, none);
    EXPECT_GE(now, later);
    const json& disabled = candidate(ranking, "replace-disabled");
    EXPECT_EQ(disabled["connected"], false);
    EXPECT_EQ(disabled["reason"],
              "replace_cable: the link is down or disabled: a new cable repairs loss, not an "
              "outage");

    // The model's parameters are read like every other field: errors name their JSON path.
    json bad = plugin_incident();
    bad["candidates"][2]["actions"][0]["after_s"] = -1;
    write_file(dir / "bad.json", bad.dump());
    CommandResult invalid =
        run_command(program.string() + " " + (dir / "bad.json").string(), dir.path());
    EXPECT_EQ(invalid.exit_code, 2);
    EXPECT_NE(invalid.err.find("invalid incident at $.candidates[2].actions[0].after_s: "
                               "$.candidates[2].actions[0].after_s: must be in [0, 3600], got -1"),
              std::string::npos)
        << invalid.err;
}

}  // namespace
}  // namespace swarm::test
