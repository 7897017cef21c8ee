// Bearer-token auth: 401 without or with a wrong token, 200 with the right one, probes open.
#include "service/bearer_auth.h"
#include "service_test_support.h"

namespace swarm::test {
namespace {

constexpr const char* kToken = "s3cret-token-for-tests";

TEST(Auth, RequestsWithoutTheTokenAre401AndProbesStayOpen) {
    TestServer server([](service::ServeConfig& c) { c.http.token = kToken; });
    auto anonymous = server.client();
    auto res = post_incident(*anonymous, tiny_incident());
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401);
    EXPECT_EQ(res->get_header_value("WWW-Authenticate"), "Bearer realm=\"swarm\"");
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/problem+json");
    EXPECT_EQ(json::parse(res->body)["type"], "urn:swarm:problem:unauthorized");
    for (const char* path : {"/metrics", "/openapi.json", "/v1/rankings/abc"}) {
        auto r = anonymous->Get(path);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 401) << path;
    }
    auto health = anonymous->Get("/healthz");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
    auto ready = anonymous->Get("/readyz");
    ASSERT_TRUE(ready);
    EXPECT_EQ(ready->status, 200);

    auto wrong = server.client(std::string(kToken) + "x");
    auto w = post_incident(*wrong, tiny_incident());
    ASSERT_TRUE(w);
    EXPECT_EQ(w->status, 401);
    auto prefix = server.client(std::string(kToken).substr(0, 5));
    auto p = prefix->Get("/metrics");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->status, 401);

    auto good = server.client(kToken);
    auto ok = post_incident(*good, tiny_incident(), "?wait=60");
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->status, 200) << ok->body;
    EXPECT_NE(metrics_with(*good, {"code=\"401\""}).find("code=\"401\""), std::string::npos);
}

TEST(Auth, TokenComesFromAFileOrTheEnvironment) {
    TempDir dir;
    write_file(dir / "token", "  abc123\n");
    EXPECT_EQ(service::load_api_token((dir / "token").string()), "abc123");
    write_file(dir / "empty", "\n");
    EXPECT_THROW(service::load_api_token((dir / "empty").string()), std::runtime_error);
    EXPECT_THROW(service::load_api_token((dir / "missing").string()), std::runtime_error);
    setenv("SWARM_API_TOKEN", "from-env", 1);
    EXPECT_EQ(service::load_api_token(""), "from-env");
    unsetenv("SWARM_API_TOKEN");
    EXPECT_EQ(service::load_api_token(""), std::nullopt);
}

TEST(Auth, ComparisonIsExactAndCaseSensitive) {
    EXPECT_TRUE(service::constant_time_equal("abc", "abc"));
    EXPECT_FALSE(service::constant_time_equal("abd", "abc"));
    EXPECT_FALSE(service::constant_time_equal("ab", "abc"));
    EXPECT_FALSE(service::constant_time_equal("abcd", "abc"));
    EXPECT_FALSE(service::constant_time_equal("", "abc"));
    EXPECT_TRUE(service::authorized("Bearer abc", "abc"));
    EXPECT_TRUE(service::authorized("bearer abc", "abc"));
    EXPECT_FALSE(service::authorized("Bearer ABC", "abc"));
    EXPECT_FALSE(service::authorized("Basic abc", "abc"));
    EXPECT_FALSE(service::authorized("", "abc"));
}

}  // namespace
}  // namespace swarm::test
