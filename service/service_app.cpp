#include "service/service_app.h"

#include <stdexcept>

#include "estimator/transport_tables.h"

namespace swarm::service {

ServiceApp::ServiceApp(const ServeConfig& config)
    : tables_(std::make_unique<TransportTables>(TransportTables::load(config.tables_dir))),
      jobs_(std::make_unique<RankingJobs>(config.jobs, *tables_, metrics_)),
      http_(std::make_unique<HttpServer>(config.http, *jobs_, metrics_, config.jobs.data_dir)),
      port_(http_->bind()) {}

ServiceApp::~ServiceApp() { stop(std::chrono::milliseconds(0)); }

void ServiceApp::start() {
    listener_ = std::thread([this] { http_->listen(); });
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
    // Waiters (?wait=) return at once and readiness turns off; then no new connections; then
    // the workers get their grace period.
    jobs_->stop_accepting();
    http_->stop();
    if (listener_.joinable()) listener_.join();
    jobs_->shutdown(grace);
}

bool ServiceApp::serving() const { return http_->running(); }

}  // namespace swarm::service
