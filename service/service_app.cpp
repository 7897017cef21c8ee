#include "service/service_app.h"

#include <stdexcept>

#include "estimator/transport_tables.h"

namespace swarm::service {

namespace {

/// Jobs load the tables in their own processes; loading them once here turns a missing or
/// broken table set into a start-up error instead of a failure of every job.
const JobsConfig& with_checked_tables(const JobsConfig& config) {
    TransportTables::load(config.tables_dir);
    return config;
}

}  // namespace

ServiceApp::ServiceApp(const ServeConfig& config)
    : jobs_(std::make_unique<RankingJobs>(with_checked_tables(config.jobs), metrics_)),
      http_(std::make_unique<HttpServer>(config.http, *jobs_, metrics_, config.jobs.data_dir)),
      port_(http_->bind()) {}

ServiceApp::~ServiceApp() { stop(std::chrono::milliseconds(0)); }

void ServiceApp::start() {
    listener_ = std::thread([this] { http_->listen(); });
    if (http_->health_port()) health_listener_ = std::thread([this] { http_->listen_health(); });
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!http_->running()) {
        if (std::chrono::steady_clock::now() > give_up)
            throw std::runtime_error("the HTTP server did not start");
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
}

void ServiceApp::stop(std::chrono::milliseconds grace) {
    if (stopped_) return;
    stopped_ = true;
    // Waiters (?wait=) return at once, readiness turns off and POSTs get 503 while the workers
    // have their grace period; clients see answers, not refused connections. Then the
    // listeners close.
    jobs_->stop_accepting();
    jobs_->shutdown(grace);
    http_->stop();
    if (listener_.joinable()) listener_.join();
    if (health_listener_.joinable()) health_listener_.join();
}

bool ServiceApp::serving() const { return http_->running(); }

}  // namespace swarm::service
