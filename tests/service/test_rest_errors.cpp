// Every error the REST API returns, as RFC 9457 problem details, plus the job controls that
// end in an error or a non-2xx answer: deadlines, time limits, cancellation, idempotency, limits.
#include "service_test_support.h"

namespace swarm::test {
namespace {

json problem_of(const httplib::Result& res, int status) {
    EXPECT_TRUE(res);
    if (!res) return {};
    EXPECT_EQ(res->status, status) << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/problem+json") << res->body;
    const json problem = json::parse(res->body);
    EXPECT_EQ(problem["status"], status);
    EXPECT_TRUE(problem["type"].get<std::string>().starts_with("urn:swarm:problem:"))
        << problem.dump();
    EXPECT_FALSE(problem["title"].get<std::string>().empty());
    return problem;
}

TEST(RestErrors, InvalidIncidentIs422NamingTheJsonPath) {
    TestServer server;
    auto client = server.client();
    json incident = tiny_incident();
    incident["failures"][0]["drop_rate"] = 1.5;
    const json problem = problem_of(post_incident(*client, incident), 422);
    EXPECT_EQ(problem["type"], "urn:swarm:problem:invalid-incident");
    EXPECT_EQ(problem["json_path"], "$.failures[0].drop_rate");
    EXPECT_EQ(problem["pointer"], "/failures/0/drop_rate");
    EXPECT_EQ(problem["instance"], "/v1/rankings");
    EXPECT_NE(problem["detail"].get<std::string>().find("must be in [0, 1], got 1.5"),
              std::string::npos)
        << problem.dump();

    json unknown_key = tiny_incident();
    unknown_key["estimator"]["confidance"] = 0.9;
    EXPECT_EQ(problem_of(post_incident(*client, unknown_key), 422)["json_path"],
              "$.estimator.confidance");
}

TEST(RestErrors, MalformedJsonIs400AtTheRoot) {
    TestServer server;
    auto client = server.client();
    const json problem =
        problem_of(client->Post("/v1/rankings", "{\"version\": 1,", "application/json"), 400);
    EXPECT_EQ(problem["type"], "urn:swarm:problem:malformed-json");
    EXPECT_EQ(problem["json_path"], "$");
    EXPECT_EQ(problem["pointer"], "");
}

TEST(RestErrors, WrongMediaTypeIs415) {
    TestServer server;
    auto client = server.client();
    problem_of(client->Post("/v1/rankings", tiny_incident().dump(), "text/plain"), 415);
}

TEST(RestErrors, BodyOverTheLimitIs413) {
    TestServer server([](service::ServeConfig& c) { c.http.max_body_bytes = 1000; });
    auto client = server.client();
    const json problem = problem_of(post_incident(*client, tiny_incident()), 413);
    EXPECT_EQ(problem["type"], "urn:swarm:problem:payload-too-large");
}

TEST(RestErrors, BadQueryParametersAre400) {
    TestServer server;
    auto client = server.client();
    for (const char* query :
         {"?wait=abc", "?wait=-1", "?wait=100000", "?seed=-3", "?seed=1e3", "?deadline_s=0"}) {
        const json problem = problem_of(post_incident(*client, tiny_incident(), query), 400);
        EXPECT_EQ(problem["type"], "urn:swarm:problem:invalid-parameter") << query;
    }
    problem_of(
        post_incident(*client, tiny_incident(), "", {{"Idempotency-Key", std::string(300, 'k')}}),
        400);
}

TEST(RestErrors, UnknownJobAndUnknownRouteAre404) {
    TestServer server;
    auto client = server.client();
    EXPECT_EQ(problem_of(client->Get("/v1/rankings/0123abcd"), 404)["type"],
              "urn:swarm:problem:job-not-found");
    problem_of(client->Delete("/v1/rankings/0123abcd"), 404);
    problem_of(client->Get("/v1/rankings/0123abcd/report"), 404);
    EXPECT_EQ(problem_of(client->Get("/v2/whatever"), 404)["type"], "urn:swarm:problem:not-found");
}

TEST(RestErrors, CancellingAFinishedJobIs409AndAReportNeedsAFinishedJob) {
    TestServer server;
    auto client = server.client();
    auto res = post_incident(*client, tiny_incident(), "?wait=60");
    ASSERT_TRUE(res);
    const std::string id = json::parse(res->body)["id"];
    EXPECT_EQ(problem_of(client->Delete(("/v1/rankings/" + id).c_str()), 409)["type"],
              "urn:swarm:problem:job-finished");

    auto slow = post_incident(*client, slow_incident("slow-report", 12));
    ASSERT_TRUE(slow);
    const std::string slow_id = json::parse(slow->body)["id"];
    EXPECT_EQ(problem_of(client->Get(("/v1/rankings/" + slow_id + "/report").c_str()), 409)["type"],
              "urn:swarm:problem:job-not-done");
    ASSERT_TRUE(client->Delete(("/v1/rankings/" + slow_id).c_str()));
}

TEST(RestErrors, DeleteCancelsARunningJob) {
    TestServer server;
    auto client = server.client();
    auto res = post_incident(*client, slow_incident("cancel-me", 14));
    ASSERT_TRUE(res);
    const std::string id = json::parse(res->body)["id"];
    ASSERT_TRUE(wait_running(*client, id));
    auto cancel = client->Delete(("/v1/rankings/" + id).c_str());
    ASSERT_TRUE(cancel);
    ASSERT_TRUE(cancel->status == 200 || cancel->status == 202) << cancel->body;
    const json job = wait_terminal(*client, id);
    EXPECT_EQ(job["status"], "cancelled");
    EXPECT_EQ(job["error"], "cancelled by request");
    EXPECT_FALSE(job.contains("result"));
}

TEST(RestErrors, ARunningJobReportsItsSamplesDone) {
    TestServer server;
    auto client = server.client();
    auto res = post_incident(*client, slow_incident("count-me", 14));
    ASSERT_TRUE(res);
    const std::string id = json::parse(res->body)["id"];
    json job;
    const auto until = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < until) {
        job = json::parse(client->Get(("/v1/rankings/" + id).c_str())->body);
        if (job["status"] != "queued" && job["samples_done"].get<int>() > 0) break;
        std::this_thread::sleep_for(20ms);
    }
    EXPECT_EQ(job["status"], "running") << job.dump(2);
    EXPECT_GT(job["samples_done"].get<int>(), 0) << job.dump(2);
    EXPECT_LT(job["samples_done"].get<int>(), 14 * 14);
    EXPECT_GT(job["progress"].get<double>(), 0.0);
    ASSERT_TRUE(client->Delete(("/v1/rankings/" + id).c_str()));
}

TEST(RestErrors, DeleteCancelsAQueuedJob) {
    TestServer server;
    auto client = server.client();
    auto first = post_incident(*client, slow_incident("occupy-the-worker", 14));
    auto second = post_incident(*client, tiny_incident("never-runs"));
    ASSERT_TRUE(first && second);
    const std::string id = json::parse(second->body)["id"];
    auto cancel = client->Delete(("/v1/rankings/" + id).c_str());
    ASSERT_TRUE(cancel);
    EXPECT_EQ(cancel->status, 200) << cancel->body;
    EXPECT_EQ(json::parse(cancel->body)["status"], "cancelled");
    ASSERT_TRUE(client->Delete(
        ("/v1/rankings/" + json::parse(first->body)["id"].get<std::string>()).c_str()));
}

TEST(RestErrors, AJobPastItsDeadlineReturnsTheRankingSoFar) {
    // The deadline is the ranking's time budget and deadline: the job is done with the ranking
    // of the samples finished by then and a decision saying what stopped it. Two mirror-image
    // candidates (one uplink of the same healthy ToR each) with no tie tolerance never settle:
    // their paired differences have median 0, and at confidence 1 - 1e-6 a one-sided bound needs
    // 21 samples and is crossed with probability 5e-7. Epsilon 0.01 caps the run at 72,543
    // samples: far more than 3 s allow, while the first round (4 samples) takes well under.
    TestServer server;
    auto client = server.client();
    json incident = shipped_incident();
    incident["name"] = "late";
    incident["candidates"] = json::parse(R"([
      {"name": "disable-a", "actions": [{"type": "disable_link", "link": ["t0-0-1", "t1-0-0"]}]},
      {"name": "disable-b", "actions": [{"type": "disable_link", "link": ["t0-0-1", "t1-0-1"]}]}])");
    incident["comparator"]["tie_tolerance"] = 0.0;
    incident["estimator"]["epsilon"] = 0.01;
    incident["estimator"]["confidence"] = 0.999999;
    auto res = post_incident(*client, incident, "?deadline_s=3");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 202) << res->body;
    const json accepted = json::parse(res->body);
    EXPECT_FALSE(accepted["deadline"].is_null());
    const json job = wait_terminal(*client, accepted["id"]);
    ASSERT_EQ(job["status"], "done") << job.dump(2);
    const json& decision = job["result"]["decision"];
    EXPECT_FALSE(decision["settled"].get<bool>());
    const std::string stopped_by = decision["stopped_by"];
    EXPECT_TRUE(stopped_by == "deadline" || stopped_by == "time_budget") << stopped_by;
    EXPECT_GE(decision["samples"].get<int>(), 4);
    EXPECT_LT(decision["samples"].get<int>(), 72543);
    EXPECT_EQ(job["samples_done"], decision["samples"]);
}

TEST(RestErrors, AJobOverThePerJobTimeLimitFails) {
    TestServer server(
        [](service::ServeConfig& c) { c.jobs.job_time_limit = std::chrono::seconds(1); });
    auto client = server.client();
    auto res = post_incident(*client, slow_incident("too-long", 20));
    ASSERT_TRUE(res);
    const json job = wait_terminal(*client, json::parse(res->body)["id"]);
    EXPECT_EQ(job["status"], "failed");
    EXPECT_EQ(job["error"], "per-job time limit of 1 s exceeded");
}

TEST(RestErrors, AFullQueueIs429WithRetryAfter) {
    TestServer server([](service::ServeConfig& c) { c.jobs.max_queue = 1; });
    auto client = server.client();
    auto running = post_incident(*client, slow_incident("runs", 14));
    ASSERT_TRUE(running);
    ASSERT_TRUE(wait_running(*client, json::parse(running->body)["id"]));
    auto queued = post_incident(*client, tiny_incident("queued"));
    ASSERT_TRUE(queued);
    EXPECT_EQ(queued->status, 202);
    auto refused = post_incident(*client, tiny_incident("refused"));
    const json problem = problem_of(refused, 429);
    EXPECT_EQ(problem["type"], "urn:swarm:problem:queue-full");
    ASSERT_TRUE(refused->has_header("Retry-After"));
    EXPECT_GE(std::stoi(refused->get_header_value("Retry-After")), 1);
    ASSERT_TRUE(client->Delete(
        ("/v1/rankings/" + json::parse(running->body)["id"].get<std::string>()).c_str()));
}

TEST(RestErrors, IdempotencyKeyReturnsTheFirstJobAndRejectsADifferentBody) {
    TestServer server;
    auto client = server.client();
    const httplib::Headers key = {{"Idempotency-Key", "controller-42-attempt"}};
    auto first = post_incident(*client, tiny_incident("idem"), "", key);
    auto retry = post_incident(*client, tiny_incident("idem"), "", key);
    ASSERT_TRUE(first && retry);
    EXPECT_EQ(first->status, 202);
    EXPECT_TRUE(retry->status == 202 || retry->status == 200);
    EXPECT_EQ(json::parse(first->body)["id"], json::parse(retry->body)["id"]);
    EXPECT_EQ(retry->get_header_value("Idempotent-Replayed"), "true");
    EXPECT_FALSE(first->has_header("Idempotent-Replayed"));

    const json problem = problem_of(post_incident(*client, tiny_incident("another"), "", key), 422);
    EXPECT_EQ(problem["type"], "urn:swarm:problem:idempotency-key-reused");

    // Only one analysis ran.
    wait_terminal(*client, json::parse(first->body)["id"]);
    const std::string text =
        metrics_with(*client, {"swarm_jobs_finished_total{status=\"done\"} 1\n"});
    EXPECT_NE(text.find("swarm_jobs_finished_total{status=\"done\"} 1\n"), std::string::npos)
        << text;
}

TEST(ProblemJson, JsonPathsBecomeJsonPointers) {
    EXPECT_EQ(service::json_path_to_pointer("$"), "");
    EXPECT_EQ(service::json_path_to_pointer("$.failures[0].drop_rate"), "/failures/0/drop_rate");
    EXPECT_EQ(service::json_path_to_pointer("$.routing.weights[0].weights[\"t1-0-0\"]"),
              "/routing/weights/0/weights/t1-0-0");
    EXPECT_EQ(service::json_path_to_pointer("$.comparator.weights[\"a/b~c\"]"),
              "/comparator/weights/a~1b~0c");
}

}  // namespace
}  // namespace swarm::test
