// The incident's "transport" section: congestion controls resolved to table sets (§D.1).
#include <gtest/gtest.h>

#include "estimator/helper/incident_reader.h"
#include "models/builtin_models.h"

namespace swarm {
namespace {

const std::filesystem::path kData = SWARM_SOURCE_DATA_DIR;

nlohmann::json base() {
    return nlohmann::json::parse(R"({
      "version": 1, "name": "t",
      "topology": {"clos": {"pods": 1, "tors_per_pod": 2, "aggs_per_pod": 1, "spines": 0,
                            "servers_per_tor": 2, "link_gbps": 10, "link_delay_us": 1}},
      "traffic": {"arrival_rate_per_server": 10, "flow_size_cdf": "dctcp-websearch"},
      "candidates": [{"name": "no-action"}]})");
}

std::string error_of(const nlohmann::json& doc) {
    try {
        read_incident(doc, kData, builtin_models());
    } catch (const IncidentError& e) {
        return e.what();
    }
    return "";
}

TEST(TransportSpec, AbsentMeansTheCallersDefault) {
    EXPECT_TRUE(read_incident(base(), kData, builtin_models()).transport.mix.empty());
}

TEST(TransportSpec, OneCongestionControlResolvesToItsTableSet) {
    nlohmann::json doc = base();
    doc["transport"] = {{"cc", "reno"}};
    const Incident incident = read_incident(doc, kData, builtin_models());
    ASSERT_EQ(incident.transport.mix.size(), 1u);
    EXPECT_EQ(incident.transport.mix[0].first, "analytic-reno");
    EXPECT_DOUBLE_EQ(incident.transport.mix[0].second, 1.0);
}

TEST(TransportSpec, MixKeepsProbabilities) {
    nlohmann::json doc = base();
    doc["transport"] = nlohmann::json::parse(R"({"mix": [{"cc": "reno", "probability": 1.0}]})");
    EXPECT_EQ(read_incident(doc, kData, builtin_models()).transport.mix.size(), 1u);
}

TEST(TransportSpec, BadSectionsNameThePath) {
    nlohmann::json doc = base();
    doc["transport"] = {{"cc", "quic-magic"}};
    EXPECT_NE(error_of(doc).find("$.transport.cc: no transport tables for congestion control "
                                 "\"quic-magic\"; available:"),
              std::string::npos)
        << error_of(doc);
    doc["transport"] = nlohmann::json::parse(R"({"mix": [{"cc": "reno", "probability": 0.5}]})");
    EXPECT_NE(error_of(doc).find("$.transport.mix: probabilities must sum to 1"), std::string::npos)
        << error_of(doc);
    doc["transport"] = nlohmann::json::parse(R"({"cc": "reno", "mix": []})");
    EXPECT_NE(error_of(doc).find("$.transport: give exactly one of"), std::string::npos)
        << error_of(doc);
    doc["transport"] = nlohmann::json::parse(
        R"({"mix": [{"cc": "reno", "probability": 0.5}, {"cc": "reno", "probability": 0.5}]})");
    EXPECT_NE(error_of(doc).find("$.transport.mix[1].cc: listed twice"), std::string::npos)
        << error_of(doc);
    doc["transport"] = nlohmann::json::parse(R"({"cc": "reno", "bogus": 1})");
    EXPECT_NE(error_of(doc).find("$.transport.bogus: unknown key"), std::string::npos)
        << error_of(doc);
}

}  // namespace
}  // namespace swarm

// ---- the mix in the estimator ---------------------------------------------------------------

#include "estimator/transport_mix.h"
#include "estimator/transport_tables.h"
#include "swarm/rank.h"

namespace swarm {
namespace {

std::shared_ptr<const TransportTables> analytic(const std::string& name = "analytic-reno") {
    auto tables = std::make_shared<TransportTables>(
        TransportTables::load(kData / "tables" / "analytic-reno"));
    tables->name = name;
    return tables;
}

TEST(TransportMix, FlowsSplitByProbabilityAndTheSplitIsStable) {
    const TransportMix mix({{analytic("a"), 0.25}, {analytic("b"), 0.75}});
    int a = 0;
    for (std::size_t f = 0; f < 20000; ++f) a += mix.for_flow(9, f).name == "a";
    EXPECT_NEAR(a, 5000, 300);  // binomial sd about 61
    EXPECT_EQ(&mix.for_flow(9, 123), &mix.for_flow(9, 123));
    EXPECT_EQ(mix.describe(), "a:0.25,b:0.75");
}

TEST(TransportMix, RejectsBadMixes) {
    using Sets = std::vector<std::pair<std::shared_ptr<const TransportTables>, double>>;
    EXPECT_THROW(TransportMix(Sets{}), std::invalid_argument);
    EXPECT_THROW(TransportMix(Sets{{analytic(), 0.5}}), std::invalid_argument);
    auto other_mtu = std::make_shared<TransportTables>(*analytic("jumbo"));
    other_mtu->mtu_bytes = 9000;
    EXPECT_THROW(TransportMix(Sets{{analytic(), 0.5}, {other_mtu, 0.5}}), std::invalid_argument);
}

TEST(TransportMix, RankUsesTheIncidentsSetsThroughTheLoader) {
    nlohmann::json doc = base();
    doc["traffic"]["duration_s"] = 0.4;
    doc["traffic"]["measure_window_s"] = {0.1, 0.3};
    doc["estimator"] = {{"epoch_ms", 1}, {"traffic_samples", 1}, {"routing_samples", 1}};
    doc["transport"] = {{"cc", "reno"}};
    const Incident incident = read_incident(doc, kData, builtin_models());
    const auto tables = analytic("default-set");
    EXPECT_THROW(rank(incident, *tables), std::invalid_argument);  // names a set, no loader
    RankOptions options;
    std::vector<std::string> asked;
    options.table_sets = [&](const std::string& set) {
        asked.push_back(set);
        return analytic(set);
    };
    const Ranking r = rank(incident, *tables, options);
    EXPECT_EQ(asked, std::vector<std::string>{"analytic-reno"});
    EXPECT_EQ(r.tables, "analytic-reno");
}

}  // namespace
}  // namespace swarm
