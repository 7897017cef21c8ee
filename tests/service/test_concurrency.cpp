// 200 requests in parallel: none lost, none mixed up. Every job carries its own incident name
// and seed, and each result must come back with exactly those.
#include <atomic>
#include <latch>
#include <set>

#include "service_test_support.h"

namespace swarm::test {
namespace {

TEST(Concurrency, TwoHundredParallelSubmissionsAndWaitsAreNeitherLostNorMixedUp) {
    constexpr int kRequests = 200;
    TestServer server([](service::ServeConfig& c) {
        c.http.threads = 32;
        c.jobs.max_queue = 1000;
        c.jobs.workers = 4;  // each job is a short single-threaded process
        c.jobs.threads_per_job = 1;
    });

    // 200 POSTs at once, each from its own client.
    std::vector<std::string> ids(kRequests);
    std::vector<int> statuses(kRequests, 0);
    {
        std::latch start(kRequests);
        std::vector<std::jthread> threads;
        for (int i = 0; i < kRequests; ++i) {
            threads.emplace_back([&, i] {
                auto client = server.client();
                const json incident = tiny_incident("job-" + std::to_string(i));
                start.arrive_and_wait();
                auto res = post_incident(*client, incident, "?seed=" + std::to_string(1000 + i));
                if (!res) {
                    statuses[static_cast<std::size_t>(i)] = -static_cast<int>(res.error());
                    return;
                }
                statuses[static_cast<std::size_t>(i)] = res->status;
                if (res->status == 202 || res->status == 200)
                    ids[static_cast<std::size_t>(i)] = json::parse(res->body)["id"];
            });
        }
    }
    for (int i = 0; i < kRequests; ++i)
        ASSERT_EQ(statuses[static_cast<std::size_t>(i)], 202) << "request " << i;
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(),
              static_cast<std::size_t>(kRequests));

    // 200 GETs with ?wait at once; each must see its own incident and seed.
    std::atomic<int> matched{0};
    std::vector<std::string> problems(kRequests);
    {
        std::latch start(kRequests);
        std::vector<std::jthread> threads;
        for (int i = 0; i < kRequests; ++i) {
            threads.emplace_back([&, i] {
                auto client = server.client();
                start.arrive_and_wait();
                const json job = wait_terminal(*client, ids[static_cast<std::size_t>(i)]);
                const std::string name = "job-" + std::to_string(i);
                if (job.value("status", "") != "done") {
                    problems[static_cast<std::size_t>(i)] = "not done: " + job.dump();
                } else if (job["incident"] != name || job["result"]["incident"] != name ||
                           job["result"]["seed"] != 1000 + i || job["seed"] != 1000 + i) {
                    problems[static_cast<std::size_t>(i)] = "mixed up: " + job.dump();
                } else {
                    ++matched;
                }
            });
        }
    }
    for (int i = 0; i < kRequests; ++i)
        EXPECT_EQ(problems[static_cast<std::size_t>(i)], "") << "job " << i;
    EXPECT_EQ(matched.load(), kRequests);

    const std::vector<std::string> expected = {
        "swarm_jobs_finished_total{status=\"done\"} 200\n",
        "swarm_http_requests_total{route=\"/v1/rankings\",method=\"POST\",code=\"202\"} 200\n"};
    const std::string text = metrics_with(*server.client(), expected);
    for (const std::string& series : expected)
        EXPECT_NE(text.find(series), std::string::npos) << series << text;
}

}  // namespace
}  // namespace swarm::test
