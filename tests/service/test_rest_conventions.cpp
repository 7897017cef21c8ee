// HTTP conventions over a real server: the job list with paging and a status filter, 405 with
// Allow, unknown query parameters refused, AIP-151 done/metadata, the Prometheus metrics every
// scraper expects, and the structured access and job log.
#include "service_test_support.h"

namespace swarm::test {
namespace {

json problem_of(const httplib::Result& res, int status) {
    EXPECT_TRUE(res);
    if (!res) return json::object();
    EXPECT_EQ(res->status, status) << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/problem+json");
    return json::parse(res->body);
}

std::string submit_done(httplib::Client& client, const std::string& name) {
    auto res = post_incident(client, tiny_incident(name), "?wait=60");
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no response");
    return res ? json::parse(res->body).value("id", std::string()) : std::string();
}

TEST(RestConventions, ListPagesNewestFirstAndFiltersByStatus) {
    TestServer server;
    auto client = server.client();
    const std::string first = submit_done(*client, "first");
    const std::string second = submit_done(*client, "second");
    const std::string third = submit_done(*client, "third");

    auto res = client->Get("/v1/rankings?page_size=2");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    const json page1 = json::parse(res->body);
    ASSERT_EQ(page1["rankings"].size(), 2u);
    EXPECT_EQ(page1["rankings"][0]["id"], third);
    EXPECT_EQ(page1["rankings"][1]["id"], second);
    EXPECT_FALSE(page1["rankings"][0].contains("result")) << "a list entry carries no result";
    EXPECT_EQ(page1["rankings"][0]["links"]["self"], "/v1/rankings/" + third);
    const std::string token = page1["next_page_token"];
    ASSERT_FALSE(token.empty());

    res = client->Get(("/v1/rankings?page_size=2&page_token=" + token).c_str());
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    const json page2 = json::parse(res->body);
    ASSERT_EQ(page2["rankings"].size(), 1u);
    EXPECT_EQ(page2["rankings"][0]["id"], first);
    EXPECT_EQ(page2["next_page_token"], "") << "the last page has an empty token (AIP-158)";

    res = client->Get("/v1/rankings?status=done");
    ASSERT_TRUE(res);
    EXPECT_EQ(json::parse(res->body)["rankings"].size(), 3u);
    res = client->Get("/v1/rankings?status=queued");
    ASSERT_TRUE(res);
    EXPECT_EQ(json::parse(res->body)["rankings"].size(), 0u);

    EXPECT_NE(problem_of(client->Get("/v1/rankings?status=finished"), 400)["detail"]
                  .get<std::string>()
                  .find("status"),
              std::string::npos);
    problem_of(client->Get("/v1/rankings?page_size=0"), 400);
    problem_of(client->Get("/v1/rankings?page_size=1001"), 400);
    problem_of(client->Get("/v1/rankings?page_token=abc"), 400);
}

TEST(RestConventions, WrongMethodIs405WithAllow) {
    TestServer server;
    auto client = server.client();
    const std::string id = submit_done(*client, "methods");

    auto res = client->Put("/v1/rankings", "{}", "application/json");
    EXPECT_EQ(problem_of(res, 405)["type"], "urn:swarm:problem:method-not-allowed");
    EXPECT_EQ(res->get_header_value("Allow"), "GET, HEAD, POST");

    res = client->Post(("/v1/rankings/" + id).c_str(), "{}", "application/json");
    problem_of(res, 405);
    EXPECT_EQ(res->get_header_value("Allow"), "GET, HEAD, DELETE");

    res = client->Delete("/metrics");
    problem_of(res, 405);
    EXPECT_EQ(res->get_header_value("Allow"), "GET, HEAD");

    res = client->Delete(("/v1/rankings/" + id + "/report").c_str());
    problem_of(res, 405);
    EXPECT_EQ(res->get_header_value("Allow"), "GET, HEAD");

    // A path the API does not serve stays 404, whatever the method.
    problem_of(client->Get("/v1/nothing"), 404);
    problem_of(client->Delete("/v1/nothing"), 404);
}

TEST(RestConventions, UnknownOrRepeatedQueryParametersAreRefused) {
    TestServer server;
    auto client = server.client();
    const std::string id = submit_done(*client, "parameters");

    json p = problem_of(client->Get(("/v1/rankings/" + id + "?wiat=30").c_str()), 400);
    EXPECT_EQ(p["type"], "urn:swarm:problem:invalid-parameter");
    EXPECT_NE(p["detail"].get<std::string>().find("\"wiat\""), std::string::npos) << p.dump();
    EXPECT_NE(p["detail"].get<std::string>().find("wait"), std::string::npos) << p.dump();

    p = problem_of(post_incident(*client, tiny_incident(), "?seed=1&seed=2"), 400);
    EXPECT_NE(p["detail"].get<std::string>().find("more than once"), std::string::npos) << p.dump();
    problem_of(post_incident(*client, tiny_incident(), "?sede=1"), 400);
    problem_of(client->Get("/metrics?format=json"), 400);
    problem_of(client->Get("/healthz?verbose=1"), 400);
    problem_of(client->Delete(("/v1/rankings/" + id + "?force=1").c_str()), 400);

    // The known ones still work.
    auto res = client->Get(("/v1/rankings/" + id + "?wait=0").c_str());
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
}

TEST(RestConventions, JobsHaveAip151DoneAndMetadata) {
    TestServer server;
    auto client = server.client();
    auto res = post_incident(*client, slow_incident("aip151", 4));
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 202) << res->body;
    const json accepted = json::parse(res->body);
    const std::string id = accepted["id"];
    EXPECT_EQ(accepted["name"], "rankings/" + id);
    EXPECT_EQ(accepted["done"], false);
    EXPECT_EQ(accepted["metadata"]["incident"], "aip151");
    EXPECT_EQ(accepted["metadata"]["attempts"], 0);
    EXPECT_FALSE(accepted.contains("result"));

    const json done = wait_terminal(*client, id);
    ASSERT_EQ(done["status"], "done") << done.dump();
    EXPECT_EQ(done["done"], true);
    EXPECT_DOUBLE_EQ(done["metadata"]["progress"].get<double>(), 1.0);
    EXPECT_EQ(done["metadata"]["status"], "done");
    EXPECT_EQ(done["metadata"]["finished_at"], done["finished_at"]);
    EXPECT_TRUE(done["result"].is_object());
}

TEST(RestConventions, MetricsHaveBuildInfoProcessAndJobDurations) {
    TestServer server;
    auto client = server.client();
    // Before any job: every terminal status is there at 0.
    const std::string fresh = metrics_with(*client, {"swarm_build_info"});
    for (const char* status : {"done", "failed", "cancelled"}) {
        EXPECT_NE(fresh.find(std::string("swarm_jobs_finished_total{status=\"") + status + "\"} 0"),
                  std::string::npos)
            << status << "\n"
            << fresh;
        EXPECT_NE(fresh.find(std::string("swarm_job_duration_seconds_count{status=\"") + status +
                             "\"} 0"),
                  std::string::npos)
            << status;
    }
    EXPECT_NE(fresh.find(std::string("swarm_build_info{version=\"") + SWARM_VERSION + "\"} 1"),
              std::string::npos);
    for (const char* series : {"process_cpu_seconds_total ", "process_resident_memory_bytes ",
                               "process_start_time_seconds ", "process_open_fds ",
                               "process_max_fds ", "process_virtual_memory_bytes "}) {
        const std::size_t at = fresh.find(std::string("\n") + series);
        ASSERT_NE(at, std::string::npos) << series;
        EXPECT_GT(std::stod(fresh.substr(at + 1 + std::string(series).size())), 0.0) << series;
    }
    EXPECT_NE(fresh.find("# TYPE swarm_job_duration_seconds histogram"), std::string::npos);

    submit_done(*client, "timed");
    const std::string after =
        metrics_with(*client, {"swarm_job_duration_seconds_count{status=\"done\"} 1"});
    EXPECT_NE(after.find("swarm_job_duration_seconds_count{status=\"done\"} 1"), std::string::npos)
        << after;
    EXPECT_NE(after.find("swarm_job_duration_seconds_bucket{status=\"done\",le=\"+Inf\"} 1"),
              std::string::npos);
    EXPECT_NE(after.find("swarm_jobs_finished_total{status=\"done\"} 1"), std::string::npos);
}

TEST(RestConventions, AccessAndJobLogsAreJsonLines) {
    TempDir dir;
    ChildServer server(dir / "jobs.db", dir / "serve.log");
    ASSERT_GT(server.port(), 0) << read_file(dir / "serve.log");
    auto client = client_for(server.port());
    const std::string id = submit_done(*client, "logged");
    ASSERT_FALSE(id.empty());
    auto res = client->Get(("/v1/rankings/" + id + "?wait=0").c_str());
    ASSERT_TRUE(res);
    EXPECT_FALSE(res->get_header_value("Server-Timing").empty());
    ASSERT_EQ(server.signal_and_wait(SIGTERM), 0);

    std::istringstream log(read_file(dir / "serve.log"));
    bool request = false, started = false, finished = false;
    for (std::string line; std::getline(log, line);) {
        if (line.empty() || line.front() != '{') continue;  // the start-up lines are text
        const json event = json::parse(line);               // every JSON-looking line parses
        ASSERT_TRUE(event.contains("ts")) << line;
        if (event["event"] == "http_request" && event["route"] == "/v1/rankings/{id}" &&
            event["method"] == "GET") {
            request = true;
            EXPECT_EQ(event["status"], 200);
            EXPECT_EQ(event["path"], "/v1/rankings/" + id);
            EXPECT_EQ(event["query"], json::array({"wait"}));
            EXPECT_GE(event["duration_ms"].get<double>(), 0.0);
            EXPECT_GT(event["bytes"].get<int>(), 0);
        }
        if (event["event"] == "job_started" && event["job"] == id) started = true;
        if (event["event"] == "job_finished" && event["job"] == id) {
            finished = true;
            EXPECT_EQ(event["status"], "done");
            EXPECT_EQ(event["incident"], "logged");
            EXPECT_GT(event["seconds"].get<double>(), 0.0);
        }
    }
    EXPECT_TRUE(request && started && finished) << read_file(dir / "serve.log");
}

}  // namespace
}  // namespace swarm::test
