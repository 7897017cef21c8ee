#include "service/http_server.h"

#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <chrono>
#include <cmath>
#include <ctime>
#include <limits>

#include "estimator/helper/incident_reader.h"
#include "models/builtin_models.h"
#include "service/bearer_auth.h"
#include "service/openapi_document.h"
#include "service/problem_json.h"
#include "service/report_html.h"

namespace swarm::service {

namespace {

constexpr const char* kJsonType = "application/json";
constexpr const char* kIdPattern = "([0-9A-Za-z_-]{1,64})";

void send_json(httplib::Response& res, int status, const nlohmann::json& body) {
    res.status = status;
    res.set_content(body.dump(2) + "\n", kJsonType);
}

void send_problem(const httplib::Request& req, httplib::Response& res, const Problem& problem) {
    res.status = problem.status;
    res.set_content(problem.to_json(req.path).dump(2) + "\n", kProblemContentType);
}

std::string rfc3339(std::int64_t unix_ms) {
    const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[96];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  static_cast<int>(unix_ms % 1000));
    return text;
}

nlohmann::json time_or_null(std::int64_t unix_ms) {
    return unix_ms > 0 ? nlohmann::json(rfc3339(unix_ms)) : nlohmann::json(nullptr);
}

nlohmann::json job_json(const JobView& view) {
    const JobRecord& job = view.record;
    const std::string self = "/v1/rankings/" + job.id;
    nlohmann::json out = {{"id", job.id},
                          {"status", to_string(job.status)},
                          {"incident", job.incident_name},
                          {"progress", view.progress},
                          {"created_at", rfc3339(job.created_ms)},
                          {"started_at", time_or_null(job.started_ms)},
                          {"finished_at", time_or_null(job.finished_ms)},
                          {"deadline", job.deadline_ms ? nlohmann::json(rfc3339(*job.deadline_ms))
                                                       : nlohmann::json(nullptr)},
                          {"seed", job.seed ? nlohmann::json(*job.seed) : nlohmann::json(nullptr)},
                          {"attempts", job.attempts},
                          {"links", {{"self", self}}}};
    if (job.status == JobStatus::Done) {
        out["result"] = nlohmann::json::parse(job.result_json);
        out["links"]["report"] = self + "/report";
    }
    if (job.status == JobStatus::Failed || job.status == JobStatus::Cancelled)
        out["error"] = job.error;
    return out;
}

Problem not_found(const std::string& id) {
    return {404, "job-not-found", "No such ranking job", "no job has id " + id, ""};
}

Problem bad_parameter(const std::string& name, const std::string& what) {
    return {400, "invalid-parameter", "Invalid query parameter",
            "query parameter " + name + ": " + what, ""};
}

/// A non-negative finite number from the query string, or nullopt when absent. Throws the
/// Problem to send when present but invalid.
std::optional<double> seconds_parameter(const httplib::Request& req, const std::string& name,
                                        double max_value) {
    if (!req.has_param(name.c_str())) return std::nullopt;
    const std::string text = req.get_param_value(name.c_str());
    std::size_t used = 0;
    double value = 0.0;
    try {
        value = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size() || text.empty() || !std::isfinite(value) || value < 0.0) {
        throw bad_parameter(name, "expected a number of seconds >= 0, got \"" + text + "\"");
    }
    if (value > max_value)
        throw bad_parameter(name, "at most " + std::to_string(static_cast<long long>(max_value)) +
                                      " s, got " + text);
    return value;
}

std::optional<std::uint64_t> seed_parameter(const httplib::Request& req) {
    if (!req.has_param("seed")) return std::nullopt;
    const std::string text = req.get_param_value("seed");
    const bool digits = !text.empty() && text.size() <= 20 &&
                        text.find_first_not_of("0123456789") == std::string::npos;
    if (digits) {
        try {
            return std::stoull(text);
        } catch (const std::exception&) {
        }
    }
    throw bad_parameter("seed", "expected an integer in [0, 2^64-1], got \"" + text + "\"");
}

std::chrono::milliseconds to_ms(double seconds) {
    return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(seconds * 1000.0)));
}

}  // namespace

HttpServer::HttpServer(HttpConfig config, RankingJobs& jobs, MetricsRegistry& metrics,
                       std::filesystem::path data_dir)
    : config_(std::move(config)),
      jobs_(jobs),
      metrics_(metrics),
      data_dir_(std::move(data_dir)),
      server_(std::make_unique<httplib::Server>()) {
    const std::size_t threads = std::max<std::size_t>(1, config_.threads);
    server_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    server_->set_payload_max_length(config_.max_body_bytes);
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
    install_routes();
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
    return port;
}

void HttpServer::listen() { server_->listen_after_bind(); }

void HttpServer::stop() {
    if (server_) server_->stop();
}

bool HttpServer::running() const { return server_->is_running(); }

void HttpServer::install_routes() {
    httplib::Server& s = *server_;

    // Every response is counted once, whoever produced it (route, auth, httplib's own 404/413).
    s.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
        metrics_.count_request(MetricsRegistry::route_of(req.path), req.method, res.status);
    });

    // Responses httplib produced itself (no route, body too large, unparsable request) get a
    // problem body too; responses with a body already are left alone.
    s.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request& req,
                                                                httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        Problem p{res.status, "http-error", "HTTP error", "status " + std::to_string(res.status),
                  ""};
        if (res.status == 400)
            p = {400, "bad-request", "Bad Request", "the request could not be parsed", ""};
        if (res.status == 404)
            p = {404, "not-found", "Not Found", "no route for " + req.method + " " + req.path, ""};
        if (res.status == 413)
            p = {413, "payload-too-large", "Request body too large", "the body exceeds the limit",
                 ""};
        send_problem(req, res, p);
        return httplib::Server::HandlerResponse::Handled;
    }));

    s.set_exception_handler(
        [](const httplib::Request& req, httplib::Response& res, std::exception_ptr error) {
            std::string what = "unknown error";
            try {
                std::rethrow_exception(error);
            } catch (const std::exception& e) {
                what = e.what();
            } catch (...) {
            }
            send_problem(req, res, {500, "internal-error", "Internal error", what, ""});
        });

    if (config_.token) {
        s.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
            if (req.path == "/healthz" || req.path == "/readyz")
                return httplib::Server::HandlerResponse::Unhandled;
            if (authorized(req.get_header_value("Authorization"), *config_.token)) {
                return httplib::Server::HandlerResponse::Unhandled;
            }
            res.set_header("WWW-Authenticate", "Bearer realm=\"swarm\"");
            send_problem(req, res,
                         {401, "unauthorized", "Missing or wrong bearer token",
                          "send the header Authorization: Bearer <token>", ""});
            return httplib::Server::HandlerResponse::Handled;
        });
    }

    // Times a handler for the latency histogram and turns a thrown Problem into its response.
    auto timed = [this](const char* route, auto handler) {
        return [this, route, handler](const httplib::Request& req, httplib::Response& res) {
            const auto start = std::chrono::steady_clock::now();
            try {
                handler(req, res);
            } catch (const Problem& p) {
                send_problem(req, res, p);
            }
            metrics_.observe_latency(
                route,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        };
    };

    s.Get("/healthz", timed("/healthz", [](const httplib::Request&, httplib::Response& res) {
              send_json(res, 200, {{"status", "ok"}});
          }));

    s.Get("/readyz", timed("/readyz", [this](const httplib::Request&, httplib::Response& res) {
              const bool ready = jobs_.accepting();
              send_json(res, ready ? 200 : 503, {{"status", ready ? "ready" : "shutting down"}});
          }));

    s.Get("/metrics", timed("/metrics", [this](const httplib::Request&, httplib::Response& res) {
              res.set_content(metrics_.render(jobs_.gauges()),
                              "text/plain; version=0.0.4; charset=utf-8");
          }));

    s.Get("/openapi.json",
          timed("/openapi.json", [](const httplib::Request&, httplib::Response& res) {
              res.set_content(std::string(openapi_json()), kJsonType);
          }));

    s.Post("/v1/rankings",
           timed("/v1/rankings", [this](const httplib::Request& req, httplib::Response& res) {
               const std::string type = req.get_header_value("Content-Type");
               if (!type.empty() && type.rfind("application/json", 0) != 0) {
                   throw Problem{415, "unsupported-media-type",
                                 "Send the incident as application/json",
                                 "got Content-Type " + type, ""};
               }
               SubmitRequest request;
               request.body = req.body;
               request.seed = seed_parameter(req);
               const std::optional<double> wait =
                   seconds_parameter(req, "wait", config_.max_wait_s);
               request.deadline_s = seconds_parameter(req, "deadline_s", 7 * 24 * 3600.0);
               if (request.deadline_s && *request.deadline_s <= 0.0) {
                   throw bad_parameter("deadline_s", "must be > 0");
               }
               if (req.has_header("Idempotency-Key")) {
                   const std::string key = req.get_header_value("Idempotency-Key");
                   if (key.empty() || key.size() > 255) {
                       throw Problem{400, "invalid-idempotency-key", "Invalid Idempotency-Key",
                                     "the key must have 1 to 255 characters", ""};
                   }
                   request.idempotency_key = key;
               }
               SubmitOutcome outcome = jobs_.submit(request);
               if (outcome.kind == SubmitOutcome::Kind::Rejected) {
                   if (outcome.retry_after_s > 0)
                       res.set_header("Retry-After", std::to_string(outcome.retry_after_s));
                   throw outcome.problem;
               }
               JobView view = outcome.job;
               if (wait && *wait > 0.0)
                   view = jobs_.wait(view.record.id, to_ms(*wait)).value_or(view);
               res.set_header("Location", "/v1/rankings/" + view.record.id);
               if (outcome.kind == SubmitOutcome::Kind::Replayed)
                   res.set_header("Idempotent-Replayed", "true");
               send_json(res, is_terminal(view.record.status) ? 200 : 202, job_json(view));
           }));

    const std::string job_route = std::string("/v1/rankings/") + kIdPattern;
    s.Get(job_route,
          timed("/v1/rankings/{id}", [this](const httplib::Request& req, httplib::Response& res) {
              const std::string id = req.matches[1];
              const std::optional<double> wait = seconds_parameter(req, "wait", config_.max_wait_s);
              const std::optional<JobView> view =
                  wait && *wait > 0.0 ? jobs_.wait(id, to_ms(*wait)) : jobs_.get(id);
              if (!view) throw not_found(id);
              send_json(res, 200, job_json(*view));
          }));

    s.Delete(
        job_route,
        timed("/v1/rankings/{id}", [this](const httplib::Request& req, httplib::Response& res) {
            const std::string id = req.matches[1];
            const CancelOutcome outcome = jobs_.cancel(id);
            switch (outcome.kind) {
                case CancelOutcome::Kind::NotFound:
                    throw not_found(id);
                case CancelOutcome::Kind::AlreadyFinished:
                    throw Problem{409, "job-finished", "The job has already finished",
                                  "job " + id + " is " + to_string(outcome.job->record.status), ""};
                case CancelOutcome::Kind::Cancelled:
                    send_json(res, 200, job_json(*outcome.job));
                    return;
                case CancelOutcome::Kind::Stopping:
                    send_json(res, 202, job_json(*outcome.job));
                    return;
            }
        }));

    s.Get(job_route + "/report",
          timed("/v1/rankings/{id}/report",
                [this](const httplib::Request& req, httplib::Response& res) {
                    const std::string id = req.matches[1];
                    const std::optional<JobView> view = jobs_.get(id);
                    if (!view) throw not_found(id);
                    if (view->record.status != JobStatus::Done) {
                        throw Problem{
                            409, "job-not-done", "The report needs a finished ranking",
                            std::string("job ") + id + " is " + to_string(view->record.status), ""};
                    }
                    ReportEntry entry{"job " + id,
                                      read_incident_text(view->record.incident_json, data_dir_, builtin_models()),
                                      nlohmann::json::parse(view->record.result_json),
                                      nlohmann::json::parse(view->record.curves_json)};
                    res.set_content(render_report_html({entry}), "text/html; charset=utf-8");
                }));
}

}  // namespace swarm::service
