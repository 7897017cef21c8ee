// `swarm serve` assembled: metrics, the job service and the HTTP server, in the order they
// depend on each other. Used by the serve command, the service tests and the load bench, so all
// three run exactly the same service.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <thread>

#include "service/http_server.h"
#include "service/metrics_registry.h"
#include "service/ranking_jobs.h"

namespace swarm::service {

struct ServeConfig {
    HttpConfig http;
    JobsConfig jobs;  ///< jobs.tables_dir: the default transport table set directory
};

class ServiceApp {
   public:
    /// Checks the tables, opens (and locks) the database, recovering unfinished jobs, binds
    /// the sockets. Throws std::runtime_error on any of those failing.
    explicit ServiceApp(const ServeConfig& config);
    /// Stops with no grace period.
    ~ServiceApp();
    ServiceApp(const ServiceApp&) = delete;
    ServiceApp& operator=(const ServiceApp&) = delete;

    int port() const { return port_; }
    std::optional<int> health_port() const { return http_->health_port(); }
    /// Serves on background threads; returns once the server accepts connections.
    void start();
    /// Graceful stop: readiness off and new rankings refused with 503 at once, while the
    /// listeners keep answering; running jobs get `grace` to finish (otherwise they are
    /// re-queued for the next start); then the listeners close. Idempotent.
    void stop(std::chrono::milliseconds grace);
    bool serving() const;

   private:
    MetricsRegistry metrics_;
    std::unique_ptr<RankingJobs> jobs_;
    std::unique_ptr<HttpServer> http_;
    int port_ = 0;
    std::thread listener_;
    std::thread health_listener_;
    bool stopped_ = false;
};

}  // namespace swarm::service
