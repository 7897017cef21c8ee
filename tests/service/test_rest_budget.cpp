// The REST side of issue 12's core fixes: over-budget incidents and deep nesting are refused at
// acceptance with a 422 naming the field and the limit, and a job's deadline stops it inside
// its one long sample rather than after it.
#include "service_test_support.h"

namespace swarm::test {
namespace {

const std::filesystem::path kCases =
    std::filesystem::path(SWARM_SOURCE_DIR) / "tests" / "data" / "robustness";

TEST(RestBudget, OverBudgetIncidentIs422NamingTheFieldAndTheLimit) {
    TestServer server;
    auto client = server.client();
    const json incident = json::parse(read_file(kCases / "budget-arrival-rate-1e308.json"));
    auto res = post_incident(*client, incident);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 422) << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/problem+json");
    const json problem = json::parse(res->body);
    EXPECT_EQ(problem["type"], "urn:swarm:problem:over-budget");
    EXPECT_EQ(problem["json_path"], "$.traffic.arrival_rate_per_server");
    EXPECT_NE(problem["detail"].get<std::string>().find("max_flows_per_sample of 20000000"),
              std::string::npos)
        << problem.dump();
}

TEST(RestBudget, AMillionNodeClosIsRefusedOnTheHttpThreadWithoutBuildingIt) {
    TestServer server;
    auto client = server.client();
    auto res = client->Post("/v1/rankings", read_file(kCases / "budget-clos-1e6-nodes.json"),
                            "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 422) << res->body;
    EXPECT_EQ(json::parse(res->body)["json_path"], "$.topology.clos");
}

TEST(RestBudget, TheServiceBudgetIsConfigurable) {
    TestServer server([](service::ServeConfig& c) { c.jobs.budget.max_servers = 10; });
    auto client = server.client();
    auto res = post_incident(*client, tiny_incident());
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 422) << res->body;
    EXPECT_NE(json::parse(res->body)["detail"].get<std::string>().find("max_servers of 10"),
              std::string::npos);
}

TEST(RestBudget, DeepNestingIs422AtTheDepthLimit) {
    TestServer server;
    auto client = server.client();
    auto res = client->Post("/v1/rankings", std::string(50'000, '['), "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 422) << res->body;
    const json problem = json::parse(res->body);
    EXPECT_TRUE(problem["json_path"].get<std::string>().starts_with("$[0][0][0]"))
        << problem.dump();
}

TEST(RestBudget, ADeadlineStopsAJobInsideItsOnlySample) {
    TestServer server;
    auto client = server.client();
    // One sample of 200 simulated seconds at the shipped load: minutes of work, so the job can
    // only end at its 0.3 s deadline if the epoch loop itself polls it.
    json incident = slow_incident("one-long-sample", 1);
    incident["traffic"]["duration_s"] = 200;
    incident["traffic"]["measure_window_s"] = {50, 150};
    auto res = post_incident(*client, incident, "?deadline_s=0.3");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 202) << res->body;
    const json job = wait_terminal(*client, json::parse(res->body)["id"]);
    EXPECT_EQ(job["status"], "failed");
    EXPECT_NE(job["error"].get<std::string>().find("deadline exceeded"), std::string::npos)
        << job.dump(2);
}

}  // namespace
}  // namespace swarm::test
