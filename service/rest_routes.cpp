#include "service/rest_routes.h"

#include <httplib.h>

#include <cmath>

#include "estimator/helper/incident_reader.h"
#include "models/builtin_models.h"
#include "service/job_json.h"
#include "service/openapi_document.h"
#include "service/report_html.h"
#include "service/request_parsing.h"
#include "service/structured_log.h"

namespace swarm::service {

namespace {

constexpr const char* kJsonType = "application/json";
constexpr std::size_t kDefaultPageSize = 50;
constexpr std::size_t kMaxPageSize = 1000;

void send_json(httplib::Response& res, int status, const nlohmann::json& body) {
    res.status = status;
    res.set_content(json_text(body), kJsonType);
}

Problem not_found(const std::string& id) {
    return {404, "job-not-found", "No such ranking job", "no job has id " + id, ""};
}

std::chrono::milliseconds to_ms(double seconds) {
    return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(seconds * 1000.0)));
}

void check_json_body(const httplib::Request& req, const char* what) {
    const std::string type = req.get_header_value("Content-Type");
    if (!type.empty() && !is_json_media_type(type)) {
        throw Problem{415, "unsupported-media-type",
                      std::string("Send the ") + what + " as application/json",
                      "got Content-Type " + type, ""};
    }
}

nlohmann::json network_json(const StoredNetwork& network, bool with_body) {
    const std::string self =
        "/v1/networks/" + network.name + "?version=" + std::to_string(network.version);
    nlohmann::json out = {{"name", network.name},
                          {"version", network.version},
                          {"created_at", rfc3339(network.created_ms)},
                          {"links", {{"self", self}}}};
    if (with_body) out["network"] = nlohmann::json::parse(network.body_json);
    return out;
}

SubmitRequest submit_request(const httplib::Request& req, const std::string& body) {
    check_json_body(req, "incident");
    SubmitRequest request;
    request.body = body;
    request.seed = seed_parameter(req);
    request.deadline_s = seconds_parameter(req, "deadline_s", 7 * 24 * 3600.0);
    if (request.deadline_s && *request.deadline_s <= 0.0)
        throw bad_parameter("deadline_s", "must be > 0");
    request.idempotency_key = idempotency_key(req);
    return request;
}

}  // namespace

RestRoutes::RestRoutes(RouteLimits limits, RankingJobs& jobs, MetricsRegistry& metrics,
                       std::filesystem::path data_dir)
    : limits_(limits),
      jobs_(jobs),
      metrics_(metrics),
      data_dir_(std::move(data_dir)),
      waiters_(std::max<std::ptrdiff_t>(1, limits.max_waiters)) {}

void RestRoutes::healthz(const httplib::Request& req, httplib::Response& res) {
    check_parameters(req, {});
    send_json(res, 200, {{"status", "ok"}});
}

void RestRoutes::readyz(const httplib::Request& req, httplib::Response& res) const {
    check_parameters(req, {});
    const bool ready = jobs_.accepting();
    send_json(res, ready ? 200 : 503, {{"status", ready ? "ready" : "shutting down"}});
}

void RestRoutes::metrics(const httplib::Request& req, httplib::Response& res) const {
    check_parameters(req, {});
    res.set_content(metrics_.render(jobs_.gauges()), "text/plain; version=0.0.4; charset=utf-8");
}

void RestRoutes::openapi(const httplib::Request& req, httplib::Response& res) {
    check_parameters(req, {});
    res.set_content(std::string(openapi_json()), kJsonType);
}

void RestRoutes::submit(const httplib::Request& req, httplib::Response& res,
                        const std::string& body) {
    check_parameters(req, {"wait", "seed", "deadline_s"});
    const SubmitRequest request = submit_request(req, body);
    const std::optional<double> wait = seconds_parameter(req, "wait", limits_.max_wait_s);
    SubmitOutcome outcome = jobs_.submit(request);
    if (outcome.kind == SubmitOutcome::Kind::Rejected) {
        if (outcome.retry_after_s > 0)
            res.set_header("Retry-After", std::to_string(outcome.retry_after_s));
        throw outcome.problem;
    }
    JobView view = outcome.job;
    if (wait && *wait > 0.0) view = wait_for(view.record.id, *wait, res).value_or(view);
    res.set_header("Location", "/v1/rankings/" + view.record.id);
    if (outcome.kind == SubmitOutcome::Kind::Replayed)
        res.set_header("Idempotent-Replayed", "true");
    send_json(res, is_terminal(view.record.status) ? 200 : 202, job_json(view));
}

void RestRoutes::list(const httplib::Request& req, httplib::Response& res) const {
    check_parameters(req, {"page_size", "page_token", "status"});
    const std::size_t page_size = page_size_parameter(req, kDefaultPageSize, kMaxPageSize);
    std::optional<JobStatus> status;
    if (req.has_param("status")) {
        status = parse_job_status(req.get_param_value("status"));
        if (!status)
            throw bad_parameter("status",
                                "expected one of queued, running, done, failed, cancelled");
    }
    const JobPage page = jobs_.list(status, page_token_parameter(req), page_size);
    nlohmann::json rankings = nlohmann::json::array();
    for (const JobView& view : page.jobs) rankings.push_back(job_summary_json(view));
    send_json(res, 200,
              {{"rankings", std::move(rankings)},
               {"next_page_token",
                page.next_before_seq ? std::to_string(*page.next_before_seq) : std::string()}});
}

void RestRoutes::get_job(const httplib::Request& req, httplib::Response& res) {
    check_parameters(req, {"wait"});
    const std::string id = req.matches[1];
    const std::optional<double> wait = seconds_parameter(req, "wait", limits_.max_wait_s);
    const std::optional<JobView> view =
        wait && *wait > 0.0 ? wait_for(id, *wait, res) : jobs_.get(id);
    if (!view) throw not_found(id);
    send_json(res, 200, job_json(*view));
}

void RestRoutes::cancel_job(const httplib::Request& req, httplib::Response& res) {
    check_parameters(req, {});
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
}

void RestRoutes::report(const httplib::Request& req, httplib::Response& res) const {
    check_parameters(req, {});
    const std::string id = req.matches[1];
    const std::optional<JobView> view = jobs_.get(id);
    if (!view) throw not_found(id);
    if (view->record.status != JobStatus::Done) {
        throw Problem{409, "job-not-done", "The report needs a finished ranking",
                      std::string("job ") + id + " is " + to_string(view->record.status), ""};
    }
    ReportEntry entry{
        "job " + id,
        read_incident_text(view->record.incident_json, data_dir_, builtin_models(), jobs_.budget()),
        nlohmann::json::parse(view->record.result_json),
        nlohmann::json::parse(view->record.curves_json)};
    res.set_content(render_report_html({entry}), "text/html; charset=utf-8");
}

void RestRoutes::put_network(const httplib::Request& req, httplib::Response& res) {
    check_parameters(req, {});
    check_json_body(req, "network");
    const PutNetworkOutcome outcome = jobs_.put_network(req.matches[1], req.body);
    if (!outcome.network) throw outcome.problem;
    res.set_header("Location",
                   network_json(*outcome.network, false)["links"]["self"].get<std::string>());
    send_json(res, 201, network_json(*outcome.network, false));
}

void RestRoutes::get_network(const httplib::Request& req, httplib::Response& res) const {
    check_parameters(req, {"version"});
    const std::string name = req.matches[1];
    const std::optional<std::int64_t> version = version_parameter(req);
    const std::optional<StoredNetwork> network = jobs_.network(name, version);
    if (!network) {
        throw Problem{404, "network-not-found", "No such stored network",
                      "no network " + name +
                          (version ? " with version " + std::to_string(*version) : std::string()),
                      ""};
    }
    send_json(res, 200, network_json(*network, true));
}

void RestRoutes::delete_network(const httplib::Request& req, httplib::Response& res) {
    check_parameters(req, {});
    const std::string name = req.matches[1];
    if (!jobs_.delete_network(name))
        throw Problem{404, "network-not-found", "No such stored network", "no network " + name, ""};
    res.status = 204;
}

std::optional<JobView> RestRoutes::wait_for(const std::string& id, double seconds,
                                            httplib::Response& res) {
    if (!waiters_.try_acquire()) {
        res.set_header("Retry-After", "1");
        return jobs_.get(id);
    }
    struct Release {
        std::counting_semaphore<>& slots;
        ~Release() { slots.release(); }
    } release{waiters_};
    return jobs_.wait(id, to_ms(seconds));
}

}  // namespace swarm::service
