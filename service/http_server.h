// The REST API over RankingJobs (cpp-httplib): routes, bearer auth, body-size limit, problem
// details, request metrics. docs/api.md describes every route; docs/openapi.yaml is the schema.
// clang-format off
//   POST   /v1/rankings               submit an incident -> 202 + Location (?wait, ?seed, ?deadline_s)
//   GET    /v1/rankings/{id}          status, progress, result (?wait)
//   DELETE /v1/rankings/{id}          cancel
//   GET    /v1/rankings/{id}/report   the HTML report of a finished job
//   GET    /healthz  /readyz  /metrics  /openapi.json
// clang-format on
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "service/metrics_registry.h"
#include "service/ranking_jobs.h"

namespace httplib {
class Server;
}

namespace swarm::service {

struct HttpConfig {
    std::string host = "127.0.0.1";
    int port = 8080;                       ///< 0 = any free port (see HttpServer::bind)
    std::size_t max_body_bytes = 1 << 20;  ///< larger bodies get 413
    std::size_t threads = 16;  ///< connections served at once (waiting ?wait requests hold one)
    double max_wait_s = 60.0;  ///< ceiling on ?wait=
    std::optional<std::string> token;  ///< bearer token; none = no auth
};

class HttpServer {
   public:
    /// `jobs` and `metrics` must outlive the server.
    HttpServer(HttpConfig config, RankingJobs& jobs, MetricsRegistry& metrics,
               std::filesystem::path data_dir);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    /// Binds the listening socket; returns the port (useful with port 0). Throws on failure.
    int bind();
    /// Serves until stop(). Call after bind().
    void listen();
    /// Stops accepting connections and returns once in-flight requests are answered.
    void stop();
    bool running() const;

   private:
    void install_routes();

    HttpConfig config_;
    RankingJobs& jobs_;
    MetricsRegistry& metrics_;
    std::filesystem::path data_dir_;
    std::unique_ptr<httplib::Server> server_;
    int listen_fd_ = -1;  ///< the listening socket, once httplib has created it
};

}  // namespace swarm::service
