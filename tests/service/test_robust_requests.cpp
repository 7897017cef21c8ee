// Issue 12, the requests that crashed swarm serve or got a 500, sent again byte for byte: every
// one now gets a 4xx problem+json that parses as JSON, is valid UTF-8 and carries no library
// exception text, and the server keeps answering.
#include <nlohmann/json.hpp>

#include "raw_http.h"
#include "service/problem_json.h"
#include "service_test_support.h"

namespace swarm::test {
namespace {

/// A problem+json answer with `status`, safe to show to a client; returns the problem.
json expect_problem(const std::string& raw, int status) {
    EXPECT_EQ(status_of(raw), status) << raw.substr(0, 600);
    EXPECT_NE(raw.find("Content-Type: application/problem+json"), std::string::npos) << raw;
    const std::string body = body_of(raw);
    EXPECT_EQ(service::printable_utf8(body), body) << "invalid UTF-8 in the body";
    EXPECT_EQ(body.find("json.exception"), std::string::npos) << body;
    EXPECT_EQ(body.find("what()"), std::string::npos) << body;
    const json problem = json::parse(body, nullptr, false);
    EXPECT_TRUE(problem.is_object()) << body;
    if (problem.is_object()) {
        EXPECT_EQ(problem.value("status", 0), status);
    }
    return problem;
}

void expect_alive(int port) {
    auto res = client_for(port)->Get("/healthz");
    ASSERT_TRUE(res) << "the server no longer answers";
    EXPECT_EQ(res->status, 200);
}

std::string get(const std::string& target) {
    return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
}

TEST(RobustRequests, InvalidUtf8InThePathIs404WithTheBytesEscapedNotACrash) {
    for (const bool auth : {false, true}) {
        TestServer server([&](service::ServeConfig& c) {
            if (auth) c.http.token = "secret";
        });
        // The bytes that are not UTF-8 come back as they were sent (%XX); the rest decoded.
        const std::vector<std::pair<std::string, std::string>> paths = {
            {"/%FF", "/%FF"},
            {"/v1/rankings/%FF", "/v1/rankings/%FF"},
            {"/healthz%FF", "/healthz%FF"},
            {"/%C3%28/%ED%A0%80", "/%C3(/%ED%A0%80"}};
        for (const auto& [path, instance] : paths) {
            const json problem =
                expect_problem(raw_request(server.port(), get(path)), auth ? 401 : 404);
            if (!auth) {
                EXPECT_EQ(problem["instance"], instance);
            }
            expect_alive(server.port());
        }
    }
}

TEST(RobustRequests, InvalidUtf8InBodyHeaderAndQueryIsAClientError) {
    TestServer server;
    const int port = server.port();
    const std::string json_type = "Content-Type: application/json\r\n";
    expect_problem(raw_request(port, post_request("{\"name\": \"\xff\xfe\"}", json_type)), 400);
    std::string incident = tiny_incident("NAME").dump();
    incident.replace(incident.find("NAME"), 4, "\xc3\x28");
    expect_problem(raw_request(port, post_request(incident, json_type)), 400);
    expect_problem(raw_request(port, post_request("{}", "Content-Type: application/\xff json\r\n")),
                   415);
    expect_problem(raw_request(port, post_request("{}", json_type, "/v1/rankings?wait=%FF")), 400);
    expect_problem(raw_request(port, post_request("{}", json_type, "/v1/rankings?seed=%FF")), 400);
    expect_problem(raw_request(port, get("/v1/rankings/abc?wait=%FF%FE")), 400);
    expect_alive(port);
}

TEST(RobustRequests, QueryNumbersAreStrictDecimals) {
    TestServer server;
    auto client = server.client();
    for (const char* query :
         {"?wait=0x10", "?wait=1e1", "?wait=+5", "?wait=%205", "?wait=5.", "?wait=inf", "?wait=nan",
          "?seed=0x10", "?seed=%2B1", "?seed=18446744073709551616", "?deadline_s=1e-3"}) {
        auto res = post_incident(*client, tiny_incident(), query);
        ASSERT_TRUE(res) << query;
        EXPECT_EQ(res->status, 400) << query << res->body;
        EXPECT_NE(res->body.find("invalid-parameter"), std::string::npos) << res->body;
    }
    auto ok = post_incident(*client, tiny_incident(), "?wait=0.5&seed=18446744073709551615");
    ASSERT_TRUE(ok);
    EXPECT_TRUE(ok->status == 200 || ok->status == 202) << ok->body;
}

TEST(RobustRequests, OnlyApplicationJsonIsJson) {
    TestServer server;
    auto client = server.client();
    const std::string body = tiny_incident().dump();
    for (const char* type : {"application/jsonfoo", "application/json-patch+json", "text/json",
                             "application/json; charset=latin1", "application/json5"}) {
        auto res = client->Post("/v1/rankings", body, type);
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, 415) << type;
    }
    for (const char* type :
         {"application/json", "Application/JSON", "application/json; charset=utf-8",
          "application/json;charset=\"UTF-8\"", "application/json ; foo=bar"}) {
        auto res = client->Post("/v1/rankings", body, type);
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, 202) << type << res->body;
    }
}

TEST(RobustRequests, IdempotencyKeysArePrintableAscii) {
    TestServer server;
    const int port = server.port();
    const std::string body = tiny_incident().dump();
    const std::string json_type = "Content-Type: application/json\r\n";
    expect_problem(raw_request(port, post_request(body, json_type + "Idempotency-Key: k\xff\r\n")),
                   400);
    expect_problem(raw_request(port, post_request(body, json_type + "Idempotency-Key: " +
                                                            std::string(256, 'k') + "\r\n")),
                   400);
    EXPECT_EQ(status_of(raw_request(
                  port, post_request(body, json_type + "Idempotency-Key: order 42/retry\r\n"))),
              202);
}

TEST(RobustRequests, ChunkedBodiesObeyTheBodyLimit) {
    TestServer server([](service::ServeConfig& c) { c.http.max_body_bytes = 64 * 1024; });
    const int port = server.port();
    const std::string headers =
        "POST /v1/rankings HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\n\r\n";
    // 2 MiB in 64 KiB chunks: refused once the limit is passed, without keeping the rest.
    RawConnection big(port);
    ASSERT_TRUE(big.connected());
    big.send(headers + chunked(std::string(2 << 20, ' '), 64 * 1024));
    expect_problem(big.receive_all(std::chrono::seconds(20)), 413);
    // Under the limit, chunked is fine.
    EXPECT_EQ(status_of(raw_request(port, headers + chunked(tiny_incident().dump(), 1000))), 202);
    // Other routes do not read bodies of unknown length at all.
    expect_problem(raw_request(port,
                               "DELETE /v1/rankings/abc HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                               "Transfer-Encoding: chunked\r\n\r\n" +
                                   chunked(std::string(100000, 'x'), 4096)),
                   411);
    expect_alive(port);
}

TEST(RobustRequests, ContentLengthOverTheLimitIs413) {
    TestServer server([](service::ServeConfig& c) { c.http.max_body_bytes = 1000; });
    expect_problem(raw_request(server.port(), post_request(std::string(5000, ' '),
                                                           "Content-Type: application/json\r\n")),
                   413);
    expect_alive(server.port());
}

TEST(RobustRequests, DeepNestingIsRejected) {
#if !__has_include("estimator/budget.h")
    // Before the reader's depth limit (issue 12, robust-core branch, with estimator/budget.h)
    // 50,000 levels cost 4.3 GB: not a request to send to a server inside the test process.
    GTEST_SKIP() << "needs the incident reader's JSON depth limit";
#endif
    TestServer server;
    auto client = server.client();
    // Answered at all within a generous bound: the issue saw 21 CPU s and 4.3 GB for 50,000.
    client->set_read_timeout(30, 0);
    for (const std::size_t depth : {std::size_t{50000}, std::size_t{200000}}) {
        auto res = client->Post("/v1/rankings", std::string(depth, '['), "application/json");
        ASSERT_TRUE(res) << depth;
        EXPECT_EQ(res->status, 400) << res->body.substr(0, 300);
    }
    expect_alive(server.port());
}

}  // namespace
}  // namespace swarm::test
