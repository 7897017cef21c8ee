// End to end: the behaviour the paper reports (§2, §4, Appendix D.1), partitions, and
// determinism across thread counts.
#include <gtest/gtest.h>

#include <cmath>

#include "estimator/comparator.h"
#include "estimator/helper/incident_reader.h"
#include "estimator/helper/ranking_json.h"
#include "estimator/transport_tables.h"
#include "models/builtin_models.h"
#include "swarm/rank.h"
#include "testbed_incident.h"

namespace swarm {
namespace {

const std::filesystem::path kData = SWARM_SOURCE_DATA_DIR;

const TransportTables& tables() {
    static const TransportTables t = TransportTables::load(kData / "tables" / "analytic-reno");
    return t;
}

/// The testbed Clos under load: 120 flows/s per server of web-search traffic puts the ToR
/// uplinks at about 42% and a ToR with one uplink left at about 84%.
nlohmann::json loaded_incident(double drop_rate) {
    nlohmann::json doc = testing::testbed_lossy_uplink("t0-t1-loss", drop_rate, 1.5, {0.5, 1.0});
    doc["comparator"] = {{"type", "priority"},
                         {"order", {"p1_throughput", "avg_throughput", "p99_fct"}}};
    doc["estimator"] = {
        {"epoch_ms", 1}, {"traffic_samples", 3}, {"routing_samples", 2}, {"seed", 7}};
    return doc;
}

Ranking rank_json(const nlohmann::json& document, int threads = 0) {
    RankOptions options;
    options.threads = threads;
    return rank(read_incident(document, kData, builtin_models()), tables(), options);
}

double p1(const CandidateResult& c) {
    return estimate_of(c.metrics, *Metric::parse("p1_throughput"));
}

TEST(RankBehaviour, LowDropRateNoActionBeatsDisablingOnP1Throughput) {
    const Ranking r = rank_json(loaded_incident(1e-4));
    ASSERT_EQ(r.ranking.size(), 2u);
    EXPECT_EQ(r.ranking[0].candidate, "no-action");
    EXPECT_GT(p1(r.ranking[0]), 1.1 * p1(r.ranking[1]));
}

TEST(RankBehaviour, HighDropRateDisablingWins) {
    const Ranking r = rank_json(loaded_incident(5e-2));
    ASSERT_EQ(r.ranking.size(), 2u);
    EXPECT_EQ(r.ranking[0].candidate, "disable-link");
    EXPECT_GT(p1(r.ranking[0]), 10.0 * p1(r.ranking[1]));
}

TEST(RankBehaviour, PartitioningCandidateRanksLastAndSaysWhy) {
    nlohmann::json doc = loaded_incident(1e-4);
    doc["candidates"].push_back(nlohmann::json::parse(R"({"name": "cut-off-rack", "actions": [
        {"type": "disable_link", "link": ["t0-0-0", "t1-0-0"]},
        {"type": "disable_link", "link": ["t0-0-0", "t1-0-1"]}]})"));
    doc["candidates"][0].swap(doc["candidates"][2]);  // put it first in the input
    const Ranking r = rank_json(doc);
    ASSERT_EQ(r.ranking.size(), 3u);
    EXPECT_EQ(r.ranking.back().candidate, "cut-off-rack");
    EXPECT_FALSE(r.ranking.back().connected);
    EXPECT_NE(r.ranking.back().reason.find("t0-0-0"), std::string::npos);
    EXPECT_TRUE(r.ranking[0].connected);
}

TEST(RankBehaviour, DrainingAToRMovesItsDemandInsteadOfDroppingIt) {
    nlohmann::json doc = loaded_incident(1e-4);
    doc["failures"] =
        nlohmann::json::parse(R"([{"type": "node_loss", "node": "t0-0-0", "drop_rate": 0.05}])");
    doc["candidates"] = nlohmann::json::parse(R"([{"name": "no-action", "actions": []},
        {"name": "drain", "actions": [{"type": "disable_node", "node": "t0-0-0"}]}])");
    const Ranking r = rank_json(doc);
    ASSERT_EQ(r.ranking.size(), 2u);
    EXPECT_EQ(r.ranking[0].candidate, "drain");
    EXPECT_TRUE(r.ranking[0].connected);
}

TEST(RankDeterminism, IdenticalWhateverTheThreadCount) {
    const nlohmann::json doc = loaded_incident(1e-3);
    nlohmann::json one = to_json(rank_json(doc, 1));
    nlohmann::json two = to_json(rank_json(doc, 2));
    nlohmann::json four = to_json(rank_json(doc, 4));
    for (auto* j : {&one, &two, &four}) j->erase("elapsed_s");
    EXPECT_EQ(one.dump(), two.dump());
    EXPECT_EQ(one.dump(), four.dump());
}

TEST(RankDeterminism, SeedChangesTheSamples) {
    const nlohmann::json doc = loaded_incident(1e-3);
    RankOptions options;
    options.seed = 99;
    const Ranking a = rank_json(doc);
    const Ranking b = rank(read_incident(doc, kData, builtin_models()), tables(), options);
    EXPECT_EQ(b.seed, 99u);
    EXPECT_NE(p1(a.ranking[0]), p1(b.ranking[0]));
}

TEST(RankContract, HealthyAndSampleCountsAreReported) {
    const Ranking r = rank_json(loaded_incident(1e-4));
    EXPECT_EQ(r.traffic_samples, 3);
    EXPECT_EQ(r.routing_samples, 2);
    EXPECT_EQ(r.dkw_samples, 738);
    const nlohmann::json j = to_json(r);
    for (const char* metric : {"p1_throughput_bps", "avg_throughput_bps", "p99_fct_s"}) {
        EXPECT_TRUE(j["healthy"].contains(metric)) << metric;
        const auto& m = j["ranking"][0]["metrics"][metric];
        EXPECT_LE(m["ci_low"].get<double>(), m["estimate"].get<double>());
        EXPECT_GE(m["ci_high"].get<double>(), m["estimate"].get<double>());
    }
    // The failure only hurts: the healthy network is at least as good on p1 throughput.
    EXPECT_GE(estimate_of(r.healthy, *Metric::parse("p1_throughput")), 0.9 * p1(r.ranking[0]));
}

TEST(RankCancel, CancelTokenStopsTheRun) {
    std::atomic<bool> cancel{true};
    RankOptions options;
    options.cancel = &cancel;
    EXPECT_THROW(
        rank(read_incident(loaded_incident(1e-4), kData, builtin_models()), tables(), options),
        RankCancelled);
}

TEST(RankCancel, PassedDeadlineStopsTheRun) {
    RankOptions options;
    options.deadline = std::chrono::steady_clock::now();
    EXPECT_THROW(
        rank(read_incident(loaded_incident(1e-4), kData, builtin_models()), tables(), options),
        RankDeadlineExceeded);
}

}  // namespace
}  // namespace swarm
