#include "service/http_server.h"

#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "service/bearer_auth.h"
#include "service/problem_json.h"
#include "service/structured_log.h"

namespace swarm::service {

namespace {

constexpr const char* kIdPattern = "([0-9A-Za-z_-]{1,64})";
constexpr const char* kNamePattern = "([0-9A-Za-z._-]{1,64})";
constexpr std::size_t kHealthThreads = 2;

void send_problem(const httplib::Request& req, httplib::Response& res, const Problem& problem) {
    res.status = problem.status;
    res.set_content(problem.body(req.path), kProblemContentType);
}

Problem payload_too_large(std::size_t limit) {
    return {413, "payload-too-large", "Request body too large",
            "the body exceeds the limit of " + std::to_string(limit) + " bytes", ""};
}

/// The request body, read through httplib's ContentReader so that the limit holds for every
/// transfer encoding: httplib itself checks only Content-Length and would read a chunked body
/// of any size into memory. An unread rest closes the connection.
std::string read_body(httplib::Response& res, const httplib::ContentReader& reader,
                      std::size_t limit) {
    std::string body;
    bool too_large = false;
    const bool complete = reader([&](const char* data, std::size_t size) {
        too_large = body.size() + size > limit;
        if (!too_large) body.append(data, size);
        return !too_large;
    });
    if (complete) return body;
    res.set_header("Connection", "close");
    if (too_large || res.status == 413) throw payload_too_large(limit);
    throw Problem{400, "bad-request", "Bad Request", "the request body could not be read", ""};
}

/// The methods a route template answers (RFC 9110 §15.5.6: the Allow header of a 405); empty
/// for a path the API does not serve. httplib answers HEAD wherever it answers GET.
std::string allowed_methods(const std::string& route) {
    if (route == "/v1/rankings") return "GET, HEAD, POST";
    if (route == "/v1/rankings/{id}") return "GET, HEAD, DELETE";
    if (route == "/v1/networks/{name}") return "GET, HEAD, PUT, DELETE";
    if (route == "unmatched") return "";
    return "GET, HEAD";
}

bool allows(const std::string& allowed, const std::string& method) {
    for (std::size_t at = 0; at < allowed.size();) {
        const std::size_t comma = allowed.find(',', at);
        if (allowed.substr(at, comma - at) == method) return true;
        at = comma == std::string::npos ? comma : comma + 2;
    }
    return false;
}

/// Problem bodies for what httplib answers itself (no route, body too large, unparsable
/// request); responses with a body already are left alone. A path the API serves, asked with
/// another method, is 405 with Allow (httplib says 404).
httplib::Server::HandlerResponse problem_for_status(const httplib::Request& req,
                                                    httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    const std::string allowed = allowed_methods(MetricsRegistry::route_of(req.path));
    if (res.status == 404 && !allowed.empty() && !allows(allowed, req.method)) {
        res.set_header("Allow", allowed);
        send_problem(req, res,
                     {405, "method-not-allowed", "Method Not Allowed",
                      req.method + " is not served here; this path takes " + allowed, ""});
        return httplib::Server::HandlerResponse::Handled;
    }
    Problem p{res.status, "http-error", "HTTP error", "status " + std::to_string(res.status), ""};
    if (res.status == 400)
        p = {400, "bad-request", "Bad Request", "the request could not be parsed", ""};
    if (res.status == 404)
        p = {404, "not-found", "Not Found", "no route for " + req.method + " " + req.path, ""};
    if (res.status == 413)
        p = {413, "payload-too-large", "Request body too large", "the body exceeds the limit", ""};
    send_problem(req, res, p);
    return httplib::Server::HandlerResponse::Handled;
}

/// A bug, not a client mistake: the exception's text goes to the log, never to the client.
void internal_error(const httplib::Request& req, httplib::Response& res, std::exception_ptr error) {
    std::string what = "unknown exception";
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        what = e.what();
    } catch (...) {
    }
    std::fprintf(stderr, "swarm: internal error in %s %s: %s\n", req.method.c_str(),
                 printable_utf8(req.path).c_str(), printable_utf8(what).c_str());
    send_problem(req, res,
                 {500, "internal-error", "Internal error",
                  "the server failed to handle the request; the log has the cause", ""});
}

/// One JSON line per response (structured_log.h): what a log pipeline needs to answer "who
/// asked what, and how did it go", with the path made printable and the query's names only
/// (values can be long or private).
void access_log(const httplib::Request& req, const httplib::Response& res,
                const std::string& route) {
    nlohmann::json line = {{"event", "http_request"},
                           {"method", printable_utf8(req.method)},
                           {"path", printable_utf8(req.path)},
                           {"route", route},
                           {"status", res.status},
                           {"bytes", res.body.size()},
                           {"remote", req.remote_addr}};
    if (!req.params.empty()) {
        nlohmann::json names = nlohmann::json::array();
        for (const auto& [name, value] : req.params) names.push_back(printable_utf8(name));
        line["query"] = names;
    }
    const std::string timing = res.get_header_value("Server-Timing");
    if (const std::size_t at = timing.find("dur="); at != std::string::npos) {
        line["duration_ms"] = std::strtod(timing.c_str() + at + 4, nullptr);
    }
    log_event(line);
}

void configure(httplib::Server& server, std::size_t threads, const HttpConfig& config) {
    server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    server.set_payload_max_length(config.max_body_bytes);
    server.set_read_timeout(config.read_timeout_s, 0);
    server.set_write_timeout(config.write_timeout_s, 0);
    server.set_error_handler(httplib::Server::HandlerWithResponse(problem_for_status));
    server.set_exception_handler(internal_error);
}

}  // namespace

/// httplib answers one request of a connection in its protected process_request(); exposing it
/// lets a fuzz target drive the whole request path from memory, as httplib's own fuzzers do.
class StreamServer final : public httplib::Server {
   public:
    void serve_stream(httplib::Stream& stream) {
        // Keep-alive, as on a socket: requests follow each other until one asks to close or
        // the stream ends (httplib then fails to read a request line). Bounded like a socket's
        // keep-alive count, so no input loops.
        for (std::size_t i = 0; i < keep_alive_max_count_ && stream.is_readable(); ++i) {
            bool closed = false;
            if (!process_request(stream, false, closed, nullptr) || closed) return;
        }
    }
};

HttpServer::HttpServer(HttpConfig config, RankingJobs& jobs, MetricsRegistry& metrics,
                       std::filesystem::path data_dir)
    : config_(std::move(config)),
      metrics_(metrics),
      routes_(
          RouteLimits{config_.max_wait_s,
                      static_cast<std::ptrdiff_t>(
                          config_.max_waiters > 0 ? config_.max_waiters
                                                  : std::max<std::size_t>(1, config_.threads / 2))},
          jobs, metrics, std::move(data_dir)),
      server_(std::make_unique<StreamServer>()) {
    configure(*server_, std::max<std::size_t>(1, config_.threads), config_);
    // SO_REUSEADDR but not httplib's default SO_REUSEPORT: a second `swarm serve` on the same
    // port must fail to bind rather than silently share the port. The descriptor is kept to
    // raise the listen backlog after binding (see bind()).
    server_->set_socket_options([this](int fd) {
        const int yes = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        // httplib writes headers and body separately; with Nagle's algorithm and the client's
        // delayed ACK that costs ~40 ms per response. Accepted sockets inherit the option.
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
        listen_fd_ = fd;
    });
    install_handlers();
    install_routes();
    if (config_.health_port) {
        health_server_ = std::make_unique<httplib::Server>();
        configure(*health_server_, kHealthThreads, config_);
        install_health_routes();
    }
}

HttpServer::~HttpServer() { stop(); }

int HttpServer::bind() {
    int port = config_.port;
    if (port == 0) {
        port = server_->bind_to_any_port(config_.host);
        if (port <= 0) throw std::runtime_error("cannot bind " + config_.host + " to any port");
    } else if (!server_->bind_to_port(config_.host, port)) {
        throw std::runtime_error("cannot bind " + config_.host + ":" + std::to_string(port));
    }
    // httplib listens with a backlog of 5: a burst of clients (controllers retrying together)
    // would overflow it and see resets. listen() again on the bound socket raises it.
    if (listen_fd_ >= 0) ::listen(listen_fd_, SOMAXCONN);
    if (health_server_) {
        const int wanted = *config_.health_port;
        bound_health_port_ = wanted == 0 ? health_server_->bind_to_any_port(config_.host)
                             : health_server_->bind_to_port(config_.host, wanted) ? wanted
                                                                                  : -1;
        if (*bound_health_port_ <= 0)
            throw std::runtime_error("cannot bind the health port " + config_.host + ":" +
                                     std::to_string(wanted));
    }
    return port;
}

void HttpServer::listen() { server_->listen_after_bind(); }

void HttpServer::listen_health() {
    if (health_server_) health_server_->listen_after_bind();
}

void HttpServer::stop() {
    if (server_) server_->stop();
    if (health_server_) health_server_->stop();
}

void HttpServer::serve_stream(httplib::Stream& stream) { server_->serve_stream(stream); }

bool HttpServer::running() const {
    return server_->is_running() && (!health_server_ || health_server_->is_running());
}

template <typename Handler>
void HttpServer::handle(const char* route, const httplib::Request& req, httplib::Response& res,
                        Handler&& handler) {
    const auto start = std::chrono::steady_clock::now();
    try {
        handler();
    } catch (const Problem& p) {
        send_problem(req, res, p);
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    metrics_.observe_latency(route, seconds);
    // RFC 9110-style timing for the client, and what the access log reports as duration.
    char timing[48];
    std::snprintf(timing, sizeof timing, "app;dur=%.3f", seconds * 1000.0);
    res.set_header("Server-Timing", timing);
}

void HttpServer::install_handlers() {
    // Every response is counted once, whoever produced it (route, auth, httplib's own 404/413).
    server_->set_logger([this](const httplib::Request& req, const httplib::Response& res) {
        const std::string route = MetricsRegistry::route_of(req.path);
        metrics_.count_request(route, req.method, res.status);
        if (config_.access_log) access_log(req, res, route);
    });
    // Runs before any body is read: unauthenticated bodies are never read, and a chunked body
    // is read only by the route that enforces the size limit on it (POST /v1/rankings).
    server_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
        const bool health = req.path == "/healthz" || req.path == "/readyz";
        if (config_.token && !health &&
            !authorized(req.get_header_value("Authorization"), *config_.token)) {
            res.set_header("WWW-Authenticate", "Bearer realm=\"swarm\"");
            send_problem(req, res,
                         {401, "unauthorized", "Missing or wrong bearer token",
                          "send the header Authorization: Bearer <token>", ""});
            return httplib::Server::HandlerResponse::Handled;
        }
        // PUT /v1/networks/{name} takes a body too, of a known length (httplib reads it within
        // the payload limit).
        const bool takes_body = req.method == "POST" && req.path == "/v1/rankings";
        if (!takes_body && req.has_header("Transfer-Encoding")) {
            res.set_header("Connection", "close");
            send_problem(req, res,
                         {411, "length-required", "Length Required",
                          "only POST /v1/rankings reads a body of unknown length", ""});
            return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
    });
}

void HttpServer::install_routes() {
    httplib::Server& s = *server_;
    const std::string job = std::string("/v1/rankings/") + kIdPattern;
    s.Get("/healthz", [this](const httplib::Request& req, httplib::Response& res) {
        handle("/healthz", req, res, [&] { RestRoutes::healthz(req, res); });
    });
    s.Get("/readyz", [this](const httplib::Request& req, httplib::Response& res) {
        handle("/readyz", req, res, [&] { routes_.readyz(req, res); });
    });
    s.Get("/metrics", [this](const httplib::Request& req, httplib::Response& res) {
        handle("/metrics", req, res, [&] { routes_.metrics(req, res); });
    });
    s.Get("/openapi.json", [this](const httplib::Request& req, httplib::Response& res) {
        handle("/openapi.json", req, res, [&] { RestRoutes::openapi(req, res); });
    });
    s.Post("/v1/rankings", [this](const httplib::Request& req, httplib::Response& res,
                                  const httplib::ContentReader& reader) {
        handle("/v1/rankings", req, res,
               [&] { routes_.submit(req, res, read_body(res, reader, config_.max_body_bytes)); });
    });
    s.Get("/v1/rankings", [this](const httplib::Request& req, httplib::Response& res) {
        handle("/v1/rankings", req, res, [&] { routes_.list(req, res); });
    });
    s.Get(job, [this](const httplib::Request& req, httplib::Response& res) {
        handle("/v1/rankings/{id}", req, res, [&] { routes_.get_job(req, res); });
    });
    s.Delete(job, [this](const httplib::Request& req, httplib::Response& res) {
        handle("/v1/rankings/{id}", req, res, [&] { routes_.cancel_job(req, res); });
    });
    s.Get(job + "/report", [this](const httplib::Request& req, httplib::Response& res) {
        handle("/v1/rankings/{id}/report", req, res, [&] { routes_.report(req, res); });
    });
    const std::string network = std::string("/v1/networks/") + kNamePattern;
    s.Put(network, [this](const httplib::Request& req, httplib::Response& res) {
        handle("/v1/networks/{name}", req, res, [&] { routes_.put_network(req, res); });
    });
    s.Get(network, [this](const httplib::Request& req, httplib::Response& res) {
        handle("/v1/networks/{name}", req, res, [&] { routes_.get_network(req, res); });
    });
    s.Delete(network, [this](const httplib::Request& req, httplib::Response& res) {
        handle("/v1/networks/{name}", req, res, [&] { routes_.delete_network(req, res); });
    });
}

void HttpServer::install_health_routes() {
    // Not timed into the route histogram (handle()): that one describes the main port.
    auto answer = [](auto route) {
        return [route](const httplib::Request& req, httplib::Response& res) {
            try {
                route(req, res);
            } catch (const Problem& p) {
                send_problem(req, res, p);
            }
        };
    };
    health_server_->Get("/healthz", answer(RestRoutes::healthz));
    health_server_->Get("/readyz",
                        answer([this](const httplib::Request& req, httplib::Response& res) {
                            routes_.readyz(req, res);
                        }));
}

}  // namespace swarm::service
