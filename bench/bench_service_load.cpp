// One question: how long does a client wait for the ranking of a small incident through the
// REST API (POST /v1/rankings?wait=...) at 1, 16 and 64 concurrent clients? Prints p50 / p99
// latency and throughput per concurrency level as a Markdown table (docs/performance.md,
// "Service latency").
//
//   bench_service_load [--quick] [--requests N] [--url HOST:PORT] [--workers W]
//
// Without --url it starts the service in process on a free loopback port with a temporary
// database (W workers, one estimator thread each); with --url it loads a running `swarm serve`.
// The incident is data/incidents/scenario1-low-fcs.json cut to 1 x 1 samples and 0.3 s.
#include <httplib.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <latch>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "service/service_app.h"

namespace {

using Clock = std::chrono::steady_clock;

std::string small_incident() {
    std::ifstream in(std::filesystem::path(SWARM_SOURCE_DATA_DIR) / "incidents" /
                     "scenario1-low-fcs.json");
    std::stringstream text;
    text << in.rdbuf();
    nlohmann::json incident = nlohmann::json::parse(text.str());
    incident["name"] = "bench-small";
    incident["traffic"]["duration_s"] = 0.3;
    incident["traffic"]["measure_window_s"] = {0.1, 0.2};
    incident["estimator"]["traffic_samples"] = 1;
    incident["estimator"]["routing_samples"] = 1;
    return incident.dump();
}

double percentile(std::vector<double> values, double p) {
    std::sort(values.begin(), values.end());
    const double rank = p / 100.0 * static_cast<double>(values.size() - 1);
    const auto lo = static_cast<std::size_t>(rank);
    const std::size_t hi = std::min(lo + 1, values.size() - 1);
    return values[lo] + (values[hi] - values[lo]) * (rank - static_cast<double>(lo));
}

struct Level {
    int concurrency = 0;
    int requests = 0;
    int failed = 0;
    double p50_ms = 0, p99_ms = 0, max_ms = 0, seconds = 0;
};

Level run_level(const std::string& host, int port, int concurrency, int requests,
                const std::string& body) {
    std::vector<double> latencies(static_cast<std::size_t>(requests), 0.0);
    std::atomic<int> next{0};
    std::atomic<int> failed{0};
    std::latch start(concurrency + 1);
    std::vector<std::jthread> clients;
    for (int c = 0; c < concurrency; ++c) {
        clients.emplace_back([&] {
            httplib::Client client(host, port);
            client.set_keep_alive(true);
            client.set_tcp_nodelay(true);
            client.set_read_timeout(120, 0);
            start.arrive_and_wait();
            for (int i = next++; i < requests; i = next++) {
                const auto t0 = Clock::now();
                auto res = client.Post(("/v1/rankings?wait=60&seed=" + std::to_string(i)).c_str(),
                                       body, "application/json");
                latencies[static_cast<std::size_t>(i)] =
                    std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
                if (!res || res->status != 200) ++failed;
            }
        });
    }
    const auto t0 = Clock::now();
    start.arrive_and_wait();
    clients.clear();  // joins
    Level level;
    level.concurrency = concurrency;
    level.requests = requests;
    level.failed = failed.load();
    level.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    level.p50_ms = percentile(latencies, 50);
    level.p99_ms = percentile(latencies, 99);
    level.max_ms = *std::max_element(latencies.begin(), latencies.end());
    return level;
}

}  // namespace

int main(int argc, char** argv) {
    int requests = 400;
    int workers = 2;
    std::string url;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--quick") {
            requests = 64;
        } else if (arg == "--requests" && i + 1 < argc) {
            requests = std::atoi(argv[++i]);
        } else if (arg == "--workers" && i + 1 < argc) {
            workers = std::atoi(argv[++i]);
        } else if (arg == "--url" && i + 1 < argc) {
            url = argv[++i];
        } else {
            std::fprintf(stderr,
                         "usage: %s [--quick] [--requests N] [--url HOST:PORT] [--workers W]\n",
                         argv[0]);
            return 2;
        }
    }

    std::string host = "127.0.0.1";
    int port = 0;
    std::unique_ptr<swarm::service::ServiceApp> app;
    std::filesystem::path db_dir;
    if (!url.empty()) {
        host = url.substr(0, url.rfind(':'));
        port = std::atoi(url.c_str() + url.rfind(':') + 1);
    } else {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "swarm-bench-XXXXXX").string();
        db_dir = mkdtemp(pattern.data());
        swarm::service::ServeConfig config;
        config.http.port = 0;
        config.http.threads = 80;
        config.jobs.db_path = db_dir / "jobs.db";
        config.jobs.data_dir = SWARM_SOURCE_DATA_DIR;
        config.jobs.workers = static_cast<std::size_t>(workers);
        config.jobs.threads_per_job = 1;
        config.jobs.max_queue = 10000;
        config.jobs.tables_dir =
            std::filesystem::path(SWARM_SOURCE_DATA_DIR) / "tables" / "analytic-reno";
        config.jobs.worker_binary = SWARM_BINARY;
        app = std::make_unique<swarm::service::ServiceApp>(config);
        app->start();
        port = app->port();
    }

    const std::string body = small_incident();
    run_level(host, port, 4, 16, body);  // warm-up: connections, allocator, page cache
    std::printf(
        "| concurrency | requests | p50 (ms) | p99 (ms) | max (ms) | throughput (req/s) | failed "
        "|\n");
    std::printf("|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int concurrency : {1, 16, 64}) {
        const Level l = run_level(host, port, concurrency, requests, body);
        std::printf("| %d | %d | %.1f | %.1f | %.1f | %.0f | %d |\n", l.concurrency, l.requests,
                    l.p50_ms, l.p99_ms, l.max_ms, l.requests / l.seconds, l.failed);
        std::fflush(stdout);
    }
    if (app) {
        app->stop(std::chrono::milliseconds(0));
        app.reset();
        std::filesystem::remove_all(db_dir);
    }
    return 0;
}
