// Command-line conventions (docs/api.md, "The command line"): `swarm validate`, `swarm convert`
// of imported topologies, `--format csv`, `-` for stdin, strategy names in any letter case and
// `--tables` by set name.
#include <cstdlib>
#include <sstream>

#include "service_test_support.h"

namespace swarm::test {
namespace {

const std::string kSwarm = SWARM_BINARY;
const std::filesystem::path kIncidents = std::filesystem::path(SWARM_SOURCE_DATA_DIR) / "incidents";

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        out.push_back(line);
    }
    return out;
}

TEST(CliConventions, ValidateReportsEachFile) {
    TempDir dir;
    write_file(dir / "bad.json", R"({"version": 1})");
    const CommandResult run =
        run_command(kSwarm + " validate " + (kIncidents / "import-containerlab.json").string() +
                        " " + (dir / "bad.json").string(),
                    dir.path());
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_NE(run.out.find("import-containerlab.json: ok (import-containerlab: 14 nodes, 17 links, "
                           "1 failures, 3 candidates)"),
              std::string::npos)
        << run.out;
    EXPECT_NE(run.err.find("error: " + (dir / "bad.json").string() + ": $"), std::string::npos)
        << run.err;
}

TEST(CliConventions, ConvertWritesTheExplicitFormThatRanksAlike) {
    TempDir dir;
    const std::string incident = (kIncidents / "import-graphml.json").string();
    const CommandResult convert = run_command(
        kSwarm + " convert " + incident + " --out " + (dir / "c.json").string(), dir.path());
    ASSERT_EQ(convert.exit_code, 0) << convert.err;
    const json converted = json::parse(read_file(dir / "c.json"));
    EXPECT_FALSE(converted["topology"].contains("import"));
    EXPECT_EQ(converted["topology"]["nodes"].size(), 6u);
    EXPECT_EQ(converted["topology"]["links"].size(), 9u);
    EXPECT_EQ(converted["topology"]["server_link_gbps"], 25);
    EXPECT_EQ(converted["failures"], json::parse(read_file(incident))["failures"]);

    const std::string options = " --format json --threads 1 --seed 3";
    const CommandResult original = run_command(kSwarm + " rank " + incident + options, dir.path());
    const CommandResult again =
        run_command(kSwarm + " rank " + (dir / "c.json").string() + options, dir.path());
    ASSERT_EQ(original.exit_code, 0) << original.err;
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(without_elapsed(json::parse(original.out)), without_elapsed(json::parse(again.out)));
}

TEST(CliConventions, CsvHasOneRowPerCandidateAndMetric) {
    TempDir dir;
    json incident = tiny_incident("tiny, \"quoted\"");
    incident["estimator"]["traffic_samples"] = 6;  // the median's interval needs six at 95%
    write_file(dir / "tiny.json", incident.dump());
    const CommandResult run =
        run_command(kSwarm + " rank " + (dir / "tiny.json").string() + " --format csv", dir.path());
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const auto rows = lines(run.out);
    ASSERT_EQ(rows.size(), 1u + 3u * 3u + 3u);  // header, 3 candidates x 3 metrics, healthy x 3
    EXPECT_EQ(rows[0],
              "incident,candidate,rank,connected,metric,unit,estimate,ci_low,ci_high,samples");
    EXPECT_EQ(rows[1].rfind("\"tiny, \"\"quoted\"\"\",", 0), 0u) << rows[1];
    EXPECT_NE(rows[1].find(",1,true,p1_throughput,bit/s,"), std::string::npos) << rows[1];
    EXPECT_NE(rows.back().find(",(healthy),,true,p99_fct,s,"), std::string::npos) << rows.back();
    // The estimate columns are the JSON contract's values, to full precision.
    const CommandResult as_json = run_command(
        kSwarm + " rank " + (dir / "tiny.json").string() + " --format json", dir.path());
    const json best = json::parse(as_json.out)["ranking"][0]["metrics"]["p1_throughput_bps"];
    const std::string values = rows[1].substr(rows[1].find(",bit/s,") + 7);
    char* end = nullptr;
    EXPECT_EQ(std::strtod(values.c_str(), &end), best["estimate"].get<double>()) << rows[1];
    EXPECT_EQ(std::strtod(end + 1, &end), best["ci_low"].get<double>()) << rows[1];
    EXPECT_EQ(std::strtod(end + 1, &end), best["ci_high"].get<double>()) << rows[1];
}

TEST(CliConventions, EachCandidateSaysWhyItRanksAboveTheNext) {
    TempDir dir;
    write_file(dir / "tiny.json", tiny_incident("why").dump());
    const CommandResult run = run_command(
        kSwarm + " rank " + (dir / "tiny.json").string() + " --format json", dir.path());
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const json ranking = json::parse(run.out)["ranking"];
    ASSERT_EQ(ranking.size(), 3u);
    for (std::size_t i = 0; i < 2; ++i) {
        const json& e = ranking[i]["explanation"];
        EXPECT_EQ(e["next"], ranking[i + 1]["candidate"]);
        const std::string metric = e["decided_by"];
        // Both values are the contract's own estimates of that metric.
        const std::string key = metric + (metric.ends_with("fct") ? "_s" : "_bps");
        EXPECT_EQ(e["value"], ranking[i]["metrics"][key]["estimate"]) << e;
        EXPECT_EQ(e["next_value"], ranking[i + 1]["metrics"][key]["estimate"]) << e;
    }
    // The last one has nothing below it; a partitioned one gets no diagnosis either.
    if (ranking[2].contains("explanation")) {
        EXPECT_FALSE(ranking[2]["explanation"].contains("next"));
    }
    for (const json& candidate : ranking) {
        if (!candidate["connected"].get<bool>()) continue;
        const json& e = candidate["explanation"];
        EXPECT_LE(e["busiest_channels"].size(), 3u);
        EXPECT_FALSE(e["busiest_channels"].empty());
        EXPECT_NE(e["busiest_channels"][0]["channel"].get<std::string>().find(" → "),
                  std::string::npos);
        // The one lossy link, in both directions.
        ASSERT_EQ(e["failed_elements"].size(), 2u) << e;
        EXPECT_EQ(e["failed_elements"][0]["element"], "t0-0-0 → t1-0-0");
        for (const char* f : {"loss_limited_fraction", "crossing_failed_fraction"}) {
            EXPECT_GE(e[f].get<double>(), 0.0);
            EXPECT_LE(e[f].get<double>(), 1.0);
        }
    }
    const CommandResult table =
        run_command(kSwarm + " rank " + (dir / "tiny.json").string(), dir.path());
    EXPECT_NE(table.out.find("of flows cross a failed element"), std::string::npos) << table.out;
    EXPECT_NE(table.out.find("why:\n  " + ranking[0]["candidate"].get<std::string>() +
                             " ranks above " + ranking[1]["candidate"].get<std::string>() + " on "),
              std::string::npos)
        << table.out;
}

TEST(CliConventions, StdinStrategyCaseAndTableSetNames) {
    TempDir dir;
    write_file(dir / "tiny.json", tiny_incident("from-stdin").dump());
    const CommandResult run = run_command(
        kSwarm + " rank - --format json --tables analytic-reno < " + (dir / "tiny.json").string(),
        dir.path());
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_EQ(json::parse(run.out)["incident"], "from-stdin");
    EXPECT_EQ(json::parse(run.out)["tables"], "analytic-reno");
    const CommandResult strategy =
        run_command(kSwarm + " rank --format json --strategy netpilot-80 --strategy CORROPT-50 " +
                        (kIncidents / "scenario1-high-fcs.json").string(),
                    dir.path());
    ASSERT_EQ(strategy.exit_code, 0) << strategy.err;
    const json picks = json::parse(strategy.out)["strategies"];
    EXPECT_EQ(picks[0]["strategy"], "NetPilot-80");
    EXPECT_EQ(picks[1]["strategy"], "CorrOpt-50");
    const CommandResult validate =
        run_command(kSwarm + " validate - < " + (dir / "tiny.json").string(), dir.path());
    EXPECT_EQ(validate.exit_code, 0) << validate.err;
}

TEST(CliConventions, HelpNamesWhatOutWrites) {
    TempDir dir;
    const CommandResult help = run_command(kSwarm + " rank --help", dir.path());
    EXPECT_NE(help.out.find(".txt, .json or .csv"), std::string::npos) << help.out;
    EXPECT_NE(help.out.find("- for stdin"), std::string::npos) << help.out;
}

}  // namespace
}  // namespace swarm::test
