// `swarm serve` assembled: transport tables, metrics, the job service and the HTTP server, in
// the order they depend on each other. Used by the serve command, the service tests and the
// load bench, so all three run exactly the same service.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

#include "service/http_server.h"
#include "service/metrics_registry.h"
#include "service/ranking_jobs.h"

namespace swarm {
struct TransportTables;
}

namespace swarm::service {

struct ServeConfig {
    HttpConfig http;
    JobsConfig jobs;
    std::filesystem::path tables_dir;  ///< a transport table set directory
};

class ServiceApp {
   public:
    /// Loads the tables, opens the database (recovering unfinished jobs), binds the socket.
    /// Throws std::runtime_error on any of those failing.
    explicit ServiceApp(const ServeConfig& config);
    /// Stops with no grace period.
    ~ServiceApp();
    ServiceApp(const ServiceApp&) = delete;
    ServiceApp& operator=(const ServiceApp&) = delete;

    int port() const { return port_; }
    /// Serves on a background thread; returns once the server accepts connections.
    void start();
    /// Graceful stop: readiness off, no new connections, in-flight requests answered, running
    /// jobs given `grace` to finish and otherwise re-queued for the next start. Idempotent.
    void stop(std::chrono::milliseconds grace);
    bool serving() const;

   private:
    std::unique_ptr<TransportTables> tables_;
    MetricsRegistry metrics_;
    std::unique_ptr<RankingJobs> jobs_;
    std::unique_ptr<HttpServer> http_;
    int port_ = 0;
    std::thread listener_;
    bool stopped_ = false;
};

}  // namespace swarm::service
