// The REST API's route handlers, one per route (docs/api.md): each parses the request
// (request_parsing.h), calls RankingJobs and renders the answer (job_json.h). A client mistake
// is thrown as a Problem; HttpServer turns it into the response. No HTTP plumbing here (limits,
// auth, timeouts, listeners: http_server.h).
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <semaphore>
#include <string>

#include "service/metrics_registry.h"
#include "service/ranking_jobs.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace swarm::service {

struct RouteLimits {
    double max_wait_s = 60.0;        ///< ceiling on ?wait=
    std::ptrdiff_t max_waiters = 8;  ///< requests waiting at once; beyond, ?wait answers at once
};

class RestRoutes {
   public:
    /// `jobs` and `metrics` must outlive the routes.
    RestRoutes(RouteLimits limits, RankingJobs& jobs, MetricsRegistry& metrics,
               std::filesystem::path data_dir);

    static void healthz(const httplib::Request& req, httplib::Response& res);
    void readyz(const httplib::Request& req, httplib::Response& res) const;
    void metrics(const httplib::Request& req, httplib::Response& res) const;
    static void openapi(const httplib::Request& req, httplib::Response& res);
    /// POST /v1/rankings; `body` is the request body, already read within the size limit.
    void submit(const httplib::Request& req, httplib::Response& res, const std::string& body);
    /// GET /v1/rankings: jobs newest first, without results (AIP-158 paging: page_size,
    /// page_token, next_page_token), of one status with ?status=.
    void list(const httplib::Request& req, httplib::Response& res) const;
    void get_job(const httplib::Request& req, httplib::Response& res);
    void cancel_job(const httplib::Request& req, httplib::Response& res);
    void report(const httplib::Request& req, httplib::Response& res) const;
    /// PUT /v1/networks/{name}: stores the body as the network's next version (201).
    void put_network(const httplib::Request& req, httplib::Response& res);
    /// GET /v1/networks/{name}: the latest version, or ?version=N.
    void get_network(const httplib::Request& req, httplib::Response& res) const;
    /// DELETE /v1/networks/{name}: every version (204; 404 when there is none). Jobs that
    /// referenced it keep their merged incident.
    void delete_network(const httplib::Request& req, httplib::Response& res);

   private:
    /// The job after waiting up to `seconds` for it to finish; without waiting when
    /// max_waiters requests already wait (each holds an HTTP thread), with `Retry-After: 1` on
    /// `res` so that clients poll instead of asking again at once.
    std::optional<JobView> wait_for(const std::string& id, double seconds, httplib::Response& res);

    RouteLimits limits_;
    RankingJobs& jobs_;
    MetricsRegistry& metrics_;
    std::filesystem::path data_dir_;
    std::counting_semaphore<> waiters_;
};

}  // namespace swarm::service
