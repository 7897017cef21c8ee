// The happy path over real HTTP: submit, poll, wait, result, report, health, metrics, OpenAPI.
#include "service_test_support.h"

namespace swarm::test {
namespace {

TEST(RestApi, SubmitAnswers202WithLocationThenTheJobFinishes) {
    TestServer server;
    auto client = server.client();
    auto res = post_incident(*client, tiny_incident("happy"));
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 202) << res->body;
    const json job = json::parse(res->body);
    const std::string id = job["id"];
    EXPECT_EQ(res->get_header_value("Location"), "/v1/rankings/" + id);
    EXPECT_TRUE(job["status"] == "queued" || job["status"] == "running" || job["status"] == "done");
    EXPECT_EQ(job["incident"], "happy");

    const json done = wait_terminal(*client, id);
    ASSERT_EQ(done["status"], "done") << done.dump(2);
    EXPECT_DOUBLE_EQ(done["progress"].get<double>(), 1.0);
    EXPECT_EQ(done["attempts"], 1);
    const json& result = done["result"];
    EXPECT_EQ(result["incident"], "happy");
    EXPECT_EQ(result["ranking"].size(), 3u);
    EXPECT_EQ(result["swarm_version"], SWARM_VERSION);
    EXPECT_EQ(result["tables"], cli::kDefaultTableSet);
    EXPECT_EQ(done["links"]["report"], "/v1/rankings/" + id + "/report");
}

TEST(RestApi, WaitReturnsTheResultInOneCall) {
    TestServer server;
    auto client = server.client();
    auto res = post_incident(*client, tiny_incident("one-call"), "?wait=60&seed=7");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    const json job = json::parse(res->body);
    EXPECT_EQ(job["status"], "done");
    EXPECT_EQ(job["seed"], 7);
    EXPECT_EQ(job["result"]["seed"], 7);
    EXPECT_FALSE(res->get_header_value("Location").empty());
}

// "Submit the shipped incidents over REST and get the same rankings as the CLI."
TEST(RestApi, ShippedIncidentGivesExactlyTheCliJson) {
    TempDir scratch;
    const auto file =
        std::filesystem::path(SWARM_SOURCE_DATA_DIR) / "incidents" / "scenario1-low-fcs.json";
    const CommandResult cli =
        run_command(std::string(SWARM_BINARY) + " rank --format json --threads 2 " + file.string(),
                    scratch.path());
    ASSERT_EQ(cli.exit_code, 0) << cli.err;

    TestServer server;
    auto client = server.client();
    auto res = client->Post("/v1/rankings?wait=60", read_file(file), "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    const json job = json::parse(res->body);
    ASSERT_EQ(job["status"], "done");
    EXPECT_EQ(without_elapsed(job["result"]), without_elapsed(json::parse(cli.out)));
    // Explanations included: the REST result is the CLI's JSON but for the wall time.
    json rest_result = job["result"];
    json cli_result = json::parse(cli.out);
    rest_result.erase("elapsed_s");
    cli_result.erase("elapsed_s");
    EXPECT_TRUE(rest_result["ranking"][0].contains("explanation"));
    EXPECT_EQ(rest_result, cli_result);
}

// The shipped model incident of the bug-tolerant router (docs/models/bug-tolerant-router.md)
// ranks over REST exactly as from the CLI; 3 x 3 samples keep the two runs short, and the
// order asserted is far beyond their noise: BTR keeps the blackholed racks' short flows alive
// (p99 FCT ~2.4 ms against seconds without it), and draining costs capacity (p1 throughput).
TEST(RestApi, BugTolerantRouterIncidentRanksAsFromTheCli) {
    TempDir scratch;
    json incident = json::parse(read_file(std::filesystem::path(SWARM_SOURCE_DATA_DIR) /
                                          "incidents" / "btr-agg-blackhole.json"));
    incident["estimator"]["traffic_samples"] = 3;
    incident["estimator"]["routing_samples"] = 3;
    const auto file = scratch / "btr.json";
    write_file(file, incident.dump());
    const CommandResult cli =
        run_command(std::string(SWARM_BINARY) + " rank --format json --threads 2 " + file.string(),
                    scratch.path());
    ASSERT_EQ(cli.exit_code, 0) << cli.err;

    TestServer server;
    auto client = server.client();
    auto res = client->Post("/v1/rankings?wait=60", incident.dump(), "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    const json job = json::parse(res->body);
    ASSERT_EQ(job["status"], "done");
    EXPECT_EQ(without_elapsed(job["result"]), without_elapsed(json::parse(cli.out)));
    const json& ranking = job["result"]["ranking"];
    ASSERT_EQ(ranking.size(), 6u);
    EXPECT_EQ(ranking[0]["candidate"].get<std::string>().rfind("btr-r", 0), 0u) << ranking.dump(2);
    EXPECT_EQ(ranking[5]["candidate"], "no-action") << ranking.dump(2);
    const auto p1 = [&](const std::string& name) {
        for (const json& c : ranking) {
            if (c["candidate"] == name)
                return c["metrics"]["p1_throughput_bps"]["estimate"].get<double>();
        }
        ADD_FAILURE() << name;
        return 0.0;
    };
    EXPECT_LT(p1("drain"), 0.5 * p1("btr-r3-continuous-majority"));
}

TEST(RestApi, ReportOfAFinishedJobIsOneSelfContainedPage) {
    TestServer server;
    auto client = server.client();
    auto res = post_incident(*client, tiny_incident("report-me"), "?wait=60");
    ASSERT_TRUE(res);
    const std::string id = json::parse(res->body)["id"];
    auto report = client->Get(("/v1/rankings/" + id + "/report").c_str());
    ASSERT_TRUE(report);
    ASSERT_EQ(report->status, 200);
    EXPECT_EQ(report->get_header_value("Content-Type"), "text/html; charset=utf-8");
    EXPECT_NE(report->body.find("<svg"), std::string::npos);
    EXPECT_NE(report->body.find("report-me"), std::string::npos);
    EXPECT_EQ(report->body.find("src=\"http"), std::string::npos);
    EXPECT_EQ(report->body.find("href=\"http"), std::string::npos);
}

TEST(RestApi, HealthReadinessAndMetrics) {
    TestServer server;
    auto client = server.client();
    auto health = client->Get("/healthz");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
    auto ready = client->Get("/readyz");
    ASSERT_TRUE(ready);
    EXPECT_EQ(ready->status, 200);
    ASSERT_TRUE(post_incident(*client, tiny_incident(), "?wait=60"));
    ASSERT_TRUE(client->Get("/v1/rankings/does-not-exist"));

    auto metrics = client->Get("/metrics");
    ASSERT_TRUE(metrics);
    ASSERT_EQ(metrics->status, 200);
    EXPECT_EQ(metrics->get_header_value("Content-Type"),
              "text/plain; version=0.0.4; charset=utf-8");
    const std::vector<std::string> expected = {
        "swarm_http_requests_total{route=\"/v1/rankings\",method=\"POST\",code=\"200\"} 1",
        "swarm_http_requests_total{route=\"/v1/rankings/{id}\",method=\"GET\",code=\"404\"} 1",
        "swarm_http_requests_total{route=\"/healthz\",method=\"GET\",code=\"200\"} 1",
        "swarm_http_request_duration_seconds_bucket{route=\"/v1/rankings\",le=\"+Inf\"} 1",
        "swarm_http_request_duration_seconds_count{route=\"/v1/rankings\"} 1",
        "swarm_jobs_queued 0",
        "swarm_jobs_running 0",
        "swarm_jobs_finished_total{status=\"done\"} 1",
        "# TYPE swarm_estimator_samples_total counter",
        "swarm_estimator_samples_per_second "};
    const std::string text = metrics_with(*client, expected);
    for (const std::string& series : expected) {
        EXPECT_NE(text.find(series), std::string::npos) << "missing: " << series << "\n" << text;
    }
    EXPECT_EQ(text.find("swarm_estimator_samples_total 0\n"), std::string::npos)
        << "samples were counted";
}

// The served document is docs/openapi.yaml converted at build time; it must describe every route.
TEST(RestApi, OpenApiDocumentIsServedAndCoversEveryRoute) {
    TestServer server;
    auto client = server.client();
    auto res = client->Get("/openapi.json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200);
    const json served = json::parse(res->body);
    EXPECT_EQ(served, json::parse(read_file(SWARM_OPENAPI_JSON)));
    EXPECT_EQ(served["openapi"], "3.1.0");
    EXPECT_EQ(served["info"]["version"], SWARM_VERSION);
    for (const char* path :
         {"/v1/rankings", "/v1/rankings/{id}", "/v1/rankings/{id}/report", "/v1/networks/{name}",
          "/healthz", "/readyz", "/metrics", "/openapi.json"}) {
        EXPECT_TRUE(served["paths"].contains(path)) << path;
    }
    // Each path's operations are exactly the methods the server allows there (the Allow header
    // of a 405; httplib answers HEAD wherever it answers GET). A PATCH carries a body: httplib
    // 0.11 refuses a bodiless one before routing.
    const std::pair<const char*, const char*> concrete[] = {
        {"/v1/rankings", "/v1/rankings"},
        {"/v1/rankings/{id}", "/v1/rankings/abc"},
        {"/v1/rankings/{id}/report", "/v1/rankings/abc/report"},
        {"/v1/networks/{name}", "/v1/networks/abc"},
        {"/healthz", "/healthz"},
        {"/metrics", "/metrics"}};
    for (const auto& [templ, path] : concrete) {
        auto patch = client->Patch(path, "{}", "application/json");
        ASSERT_TRUE(patch);
        ASSERT_EQ(patch->status, 405) << path;
        std::string documented = "GET, HEAD";
        for (const char* method : {"post", "put", "delete"}) {
            if (!served["paths"][templ].contains(method)) continue;
            std::string upper(method);
            for (char& c : upper) c = static_cast<char>(std::toupper(c));
            documented += ", " + upper;
        }
        EXPECT_EQ(patch->get_header_value("Allow"), documented) << templ;
    }
    // The incident schema is the real one (data/schema/), inlined, not a summary of it.
    const json schema = json::parse(read_file(std::filesystem::path(SWARM_SOURCE_DATA_DIR) /
                                              "schema" / "incident.schema.json"));
    const json& incident = served["components"]["schemas"]["Incident"];
    EXPECT_EQ(incident["required"], schema["required"]);
    EXPECT_EQ(incident["properties"].size(), schema["properties"].size());
    EXPECT_EQ(incident["$defs"].size(), schema["$defs"].size());
    EXPECT_TRUE(served["paths"]["/v1/rankings/{id}"].contains("delete"));
    // Every $ref resolves.
    std::function<void(const json&)> check = [&](const json& node) {
        if (node.is_object()) {
            if (node.contains("$ref")) {
                const std::string ref = node["$ref"];
                ASSERT_EQ(ref.rfind("#/", 0), 0u) << ref;
                EXPECT_NO_THROW((void)served.at(json::json_pointer(ref.substr(1)))) << ref;
            }
            for (const auto& [key, value] : node.items()) check(value);
        } else if (node.is_array()) {
            for (const json& value : node) check(value);
        }
    };
    check(served);
}

}  // namespace
}  // namespace swarm::test
