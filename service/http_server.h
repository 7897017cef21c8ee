// The HTTP front end of the REST API (cpp-httplib): listeners, thread pools, limits, timeouts,
// bearer auth, problem details for every error, request metrics. The routes themselves are in
// rest_routes.h; docs/api.md describes them and the limits, docs/openapi.yaml is the schema.
// clang-format off
//   POST   /v1/rankings               submit an incident (?wait, ?seed, ?deadline_s)
//   GET    /v1/rankings/{id}          status, progress, result (?wait)
//   DELETE /v1/rankings/{id}          cancel
//   GET    /v1/rankings/{id}/report   the HTML report of a finished job
//   GET    /healthz  /readyz  /metrics  /openapi.json
// clang-format on
// With a health port, /healthz and /readyz are also served by a second listener with threads
// of its own, which slow or waiting clients of the main port cannot occupy.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "service/metrics_registry.h"
#include "service/ranking_jobs.h"
#include "service/rest_routes.h"

namespace httplib {
class Server;
class Stream;
struct Request;
struct Response;
}  // namespace httplib

namespace swarm::service {

struct HttpConfig {
    std::string host = "127.0.0.1";
    int port = 8080;                       ///< 0 = any free port (see HttpServer::bind)
    std::optional<int> health_port;        ///< a second listener for /healthz, /readyz; 0 = any
    std::size_t max_body_bytes = 1 << 20;  ///< larger bodies get 413, whatever the encoding
    std::size_t threads = 16;  ///< connections served at once (waiting ?wait requests hold one)
    double max_wait_s = 60.0;  ///< ceiling on ?wait=
    /// Requests in ?wait at once; 0 = half the threads. Beyond it ?wait answers at once.
    std::size_t max_waiters = 0;
    int read_timeout_s = 5;            ///< a client silent this long while sending is disconnected
    int write_timeout_s = 5;           ///< a client not reading for this long is disconnected
    std::optional<std::string> token;  ///< bearer token; none = no auth
    bool access_log = true;            ///< a JSON line per response on stderr (structured_log.h)
};

class StreamServer;  ///< httplib::Server that also serves an in-memory stream

class HttpServer {
   public:
    /// `jobs` and `metrics` must outlive the server.
    HttpServer(HttpConfig config, RankingJobs& jobs, MetricsRegistry& metrics,
               std::filesystem::path data_dir);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    /// Binds the listening sockets; returns the main port (useful with port 0). Throws on
    /// failure.
    int bind();
    /// The health listener's port once bound; nullopt without one.
    std::optional<int> health_port() const { return bound_health_port_; }
    /// Serves until stop(). Call after bind(), from one thread each.
    void listen();
    void listen_health();
    /// Stops accepting connections and returns once in-flight requests are answered.
    void stop();
    bool running() const;
    /// Answers the requests read from `stream` as the main listener would answer them on one
    /// connection (parser, auth, routing, limits, handlers), without a socket; responses are
    /// written to `stream`. Returns after the last request or when the connection would close.
    /// For the HTTP fuzz target (fuzz/http_fuzz.cpp).
    void serve_stream(httplib::Stream& stream);

   private:
    void install_handlers();
    void install_routes();
    void install_health_routes();
    /// Runs `handler`, times it for the latency histogram, turns a thrown Problem into its
    /// response.
    template <typename Handler>
    void handle(const char* route, const httplib::Request& req, httplib::Response& res,
                Handler&& handler);

    HttpConfig config_;
    MetricsRegistry& metrics_;
    RestRoutes routes_;
    std::unique_ptr<StreamServer> server_;
    std::unique_ptr<httplib::Server> health_server_;  ///< with a health port only
    std::optional<int> bound_health_port_;
    int listen_fd_ = -1;  ///< the main listening socket, once httplib has created it
};

}  // namespace swarm::service
