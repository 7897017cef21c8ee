// How mitigation models enter an incident and a ranking (estimator/mitigation/model_registry.h,
// the incident reader): state edits, phases and side metrics in a ranking, thread-count
// independence, unknown types, parameter errors with their JSON paths, overlapping policies.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "estimator/helper/incident_reader.h"
#include "estimator/mitigation/model_registry.h"
#include "model_test_support.h"
#include "models/builtin_models.h"
#include "swarm/rank.h"

namespace swarm {
namespace {

using namespace testing;  // fixtures.h and model_test_support.h

TEST(ModelRanking, ModelsEditStatePhasesAndReportCosts) {
    const Incident incident =
        read_incident(small_incident(), SWARM_SOURCE_DATA_DIR, test_registry());
    RankOptions options;
    const Ranking r = rank(incident, tables("analytic-reno"), options);
    // A repair at time 0 is the healthy network, sample for sample (common random numbers).
    EXPECT_DOUBLE_EQ(estimate(entry(r, "repair").metrics, "p1_throughput"),
                     estimate(r.healthy, "p1_throughput"));
    EXPECT_DOUBLE_EQ(estimate(entry(r, "repair").metrics, "p99_fct"),
                     estimate(r.healthy, "p99_fct"));
    // 5% loss hurts the tail; a repair a quarter into the window helps, less than one at once.
    // (The average need not follow: flows stuck behind the loss all resume at the repair and
    // crowd the flows arriving then.)
    const double none = estimate(entry(r, "no-action").metrics, "p1_throughput");
    const double later = estimate(entry(r, "repair-later").metrics, "p1_throughput");
    const double now = estimate(entry(r, "repair").metrics, "p1_throughput");
    EXPECT_LT(none, later);
    EXPECT_LT(later, now);
    EXPECT_GT(estimate(entry(r, "no-action").metrics, "p99_fct"),
              estimate(entry(r, "repair-later").metrics, "p99_fct"));
    // A repair in the first epoch, long before the window, is the repair at once.
    const double early = estimate(entry(r, "repair-early").metrics, "avg_throughput");
    EXPECT_NEAR(early, estimate(entry(r, "repair").metrics, "avg_throughput"), 1e-3 * early);
    // Infeasible: reported, not ranked.
    EXPECT_FALSE(entry(r, "cannot-repair").connected);
    EXPECT_EQ(entry(r, "cannot-repair").reason, "repair: no technician on site");
    EXPECT_EQ(r.ranking.back().candidate, "cannot-repair");
    // A policy that keeps every flow on its default path changes nothing but reports its cost.
    EXPECT_DOUBLE_EQ(estimate(entry(r, "count").metrics, "avg_throughput"),
                     estimate(entry(r, "no-action").metrics, "avg_throughput"));
    ASSERT_EQ(entry(r, "count").side_metrics.size(), 1u);
    EXPECT_GT(entry(r, "count").side_metrics[0].second, 0.0);
    EXPECT_TRUE(entry(r, "no-action").side_metrics.empty());
}

TEST(ModelRanking, ResultsDoNotDependOnTheThreadCount) {
    const Incident incident =
        read_incident(small_incident(), SWARM_SOURCE_DATA_DIR, test_registry());
    RankOptions one;
    one.threads = 1;
    RankOptions two;
    two.threads = 2;
    const Ranking a = rank(incident, tables("analytic-reno"), one);
    const Ranking b = rank(incident, tables("analytic-reno"), two);
    ASSERT_EQ(a.ranking.size(), b.ranking.size());
    for (std::size_t i = 0; i < a.ranking.size(); ++i) {
        EXPECT_EQ(a.ranking[i].candidate, b.ranking[i].candidate);
        for (std::size_t m = 0; m < a.ranking[i].metrics.size(); ++m) {
            EXPECT_EQ(a.ranking[i].metrics[m].second.estimate,
                      b.ranking[i].metrics[m].second.estimate);
        }
        EXPECT_EQ(a.ranking[i].side_metrics, b.ranking[i].side_metrics);
    }
}

std::string read_error(const nlohmann::json& doc) {
    try {
        read_incident(doc, SWARM_SOURCE_DATA_DIR, test_registry());
    } catch (const IncidentError& e) {
        return e.what();
    }
    return "";
}

TEST(ModelIncident, UnknownTypeListsClassicAndModelTypes) {
    nlohmann::json doc = small_incident();
    doc["candidates"][1]["actions"][0]["type"] = "reboot";
    EXPECT_EQ(
        read_error(doc),
        "$.candidates[1].actions[0].type: unknown action type \"reboot\"; known types: count, "
        "disable_link, disable_node, enable_link, enable_node, move_traffic, repair, set_wcmp");
}

TEST(ModelIncident, ShippedModelsAreAllKnownTypes) {
    nlohmann::json doc = small_incident();
    doc["candidates"][1]["actions"][0]["type"] = "reboot";
    std::string message;
    try {
        read_incident(doc, SWARM_SOURCE_DATA_DIR, builtin_models());
    } catch (const IncidentError& e) {
        message = e.what();
    }
    for (const std::string& type : builtin_models().types())
        EXPECT_NE(message.find(type), std::string::npos) << type;
}

TEST(ModelIncident, SchemaListsEveryShippedModel) {
    std::ifstream in(std::filesystem::path(SWARM_SOURCE_DATA_DIR) / "schema" /
                     "incident.schema.json");
    const nlohmann::json schema = nlohmann::json::parse(in);
    std::vector<std::string> listed =
        schema.at("$defs").at("model_action").at("properties").at("type").at("enum");
    std::sort(listed.begin(), listed.end());
    EXPECT_EQ(listed, builtin_models().types());  // types() is sorted (a std::map)
}

TEST(ModelIncident, BadParametersNameTheirPath) {
    nlohmann::json doc = small_incident();
    doc["candidates"][2]["actions"][0]["after_ms"] = -1;
    EXPECT_EQ(read_error(doc), "$.candidates[2].actions[0].after_ms: must be >= 0, got -1");
    doc = small_incident();
    doc["candidates"][1]["actions"][0]["colour"] = "red";
    EXPECT_EQ(
        read_error(doc),
        "$.candidates[1].actions[0].colour: unknown key \"colour\" for action type \"repair\"; "
        "allowed keys: type, link, after_ms, feasible");
    doc = small_incident();
    doc["candidates"][1]["actions"][0]["feasible"] = "yes";
    EXPECT_EQ(read_error(doc),
              "$.candidates[1].actions[0].feasible: expected a boolean, got string \"yes\"");
    doc = small_incident();
    doc["candidates"][5]["actions"][0]["hosts"] = {"t9-9-9"};
    EXPECT_EQ(read_error(doc), "$.candidates[5].actions[0].hosts[0]: unknown node \"t9-9-9\"");
    doc = small_incident();
    doc["candidates"][1]["actions"][0].erase("link");
    EXPECT_EQ(read_error(doc), "$.candidates[1].actions[0].link: required key is missing");
}

TEST(ModelIncident, TwoPoliciesMayNotSteerOneServer) {
    nlohmann::json doc = small_incident();
    doc["candidates"][5]["actions"].push_back({{"type", "count"}, {"hosts", {"t0-0-0-h1"}}});
    EXPECT_EQ(read_error(doc),
              "$.candidates[5].actions[1]: steers the flows of \"t0-0-0-h1\", which "
              "$.candidates[5].actions[0] already steers");
    doc = small_incident();
    doc["candidates"][5]["actions"].push_back({{"type", "count"}, {"hosts", {"t0-0-1"}}});
    EXPECT_EQ(read_error(doc), "");
}

TEST(ModelIncident, ModelsAreCandidateActionsOnly) {
    nlohmann::json doc = small_incident();
    doc["ongoing_mitigations"] = {{{"type", "count"}, {"hosts", {"t0-0-0"}}}};
    EXPECT_NE(read_error(doc).find("$.ongoing_mitigations[0].type: unknown action type \"count\""),
              std::string::npos);
}

TEST(ModelIncident, BlackholeFailuresAreRead) {
    nlohmann::json doc = small_incident();
    doc["failures"] = {{{"type", "link_blackhole"}, {"link", {"t0-0-0", "t1-0-0"}}},
                       {{"type", "node_blackhole"}, {"node", "t1-1-0"}}};
    const Incident incident = read_incident(doc, SWARM_SOURCE_DATA_DIR, test_registry());
    ASSERT_EQ(incident.failures.size(), 2u);
    EXPECT_TRUE(std::holds_alternative<LinkBlackhole>(incident.failures[0]));
    EXPECT_TRUE(std::holds_alternative<NodeBlackhole>(incident.failures[1]));
}

TEST(ModelRegistryTest, RejectsADuplicateType) {
    ModelRegistry registry = test_registry();
    EXPECT_THROW(registry.add({"repair", {}, nullptr}), std::invalid_argument);
}

}  // namespace
}  // namespace swarm
