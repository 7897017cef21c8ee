#include "service/metrics_registry.h"

#include <cstdio>
#include <regex>
#include <sstream>

namespace swarm::service {

namespace {

std::string number(double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.17g", value);
    return buffer;
}

std::string bucket_label(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", value);
    return buffer;
}

}  // namespace

std::string MetricsRegistry::route_of(const std::string& path) {
    static const std::regex job(R"(/v1/rankings/[^/]+)");
    static const std::regex report(R"(/v1/rankings/[^/]+/report)");
    for (const char* fixed : {"/v1/rankings", "/healthz", "/readyz", "/metrics", "/openapi.json"}) {
        if (path == fixed) return fixed;
    }
    if (std::regex_match(path, job)) return "/v1/rankings/{id}";
    if (std::regex_match(path, report)) return "/v1/rankings/{id}/report";
    return "unmatched";
}

void MetricsRegistry::count_request(const std::string& route, const std::string& method,
                                    int status) {
    const std::lock_guard lock(mutex_);
    ++requests_[{route, method, status}];
}

void MetricsRegistry::observe_latency(const std::string& route, double seconds) {
    const std::lock_guard lock(mutex_);
    Histogram& h = latency_[route];
    for (std::size_t b = 0; b < kBuckets.size(); ++b) {
        if (seconds <= kBuckets[b]) {
            ++h.counts[b];
            break;
        }
    }
    ++h.count;
    h.sum += seconds;
}

void MetricsRegistry::job_finished(const std::string& status, std::uint64_t samples,
                                   double seconds) {
    const std::lock_guard lock(mutex_);
    ++jobs_finished_[status];
    if (samples > 0 && seconds > 0.0) samples_per_second_ = static_cast<double>(samples) / seconds;
}

std::string MetricsRegistry::render(const Gauges& gauges) const {
    const std::lock_guard lock(mutex_);
    std::ostringstream out;
    out << "# HELP swarm_http_requests_total HTTP responses by route template, method and status "
           "code.\n"
           "# TYPE swarm_http_requests_total counter\n";
    for (const auto& [key, count] : requests_) {
        const auto& [route, method, status] = key;
        out << "swarm_http_requests_total{route=\"" << route << "\",method=\"" << method
            << "\",code=\"" << status << "\"} " << count << "\n";
    }
    out << "# HELP swarm_http_request_duration_seconds Time spent in route handlers (includes "
           "?wait).\n"
           "# TYPE swarm_http_request_duration_seconds histogram\n";
    for (const auto& [route, h] : latency_) {
        std::uint64_t cumulative = 0;
        for (std::size_t b = 0; b < kBuckets.size(); ++b) {
            cumulative += h.counts[b];
            out << "swarm_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\""
                << bucket_label(kBuckets[b]) << "\"} " << cumulative << "\n";
        }
        out << "swarm_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} "
            << h.count << "\n"
            << "swarm_http_request_duration_seconds_sum{route=\"" << route << "\"} "
            << number(h.sum) << "\n"
            << "swarm_http_request_duration_seconds_count{route=\"" << route << "\"} " << h.count
            << "\n";
    }
    out << "# HELP swarm_jobs_queued Ranking jobs waiting for a worker.\n# TYPE swarm_jobs_queued "
           "gauge\n"
        << "swarm_jobs_queued " << gauges.queued << "\n"
        << "# HELP swarm_jobs_running Ranking jobs being estimated.\n# TYPE swarm_jobs_running "
           "gauge\n"
        << "swarm_jobs_running " << gauges.running << "\n"
        << "# HELP swarm_jobs_finished_total Ranking jobs that reached a terminal status.\n"
           "# TYPE swarm_jobs_finished_total counter\n";
    for (const auto& [status, count] : jobs_finished_) {
        out << "swarm_jobs_finished_total{status=\"" << status << "\"} " << count << "\n";
    }
    out << "# HELP swarm_job_crashes_total Job processes that crashed (each attempt).\n"
           "# TYPE swarm_job_crashes_total counter\n"
        << "swarm_job_crashes_total " << job_crashes_.load() << "\n"
        << "# HELP swarm_jobs_pruned_total Finished jobs deleted after the retention period.\n"
           "# TYPE swarm_jobs_pruned_total counter\n"
        << "swarm_jobs_pruned_total " << jobs_pruned_.load() << "\n";
    out << "# HELP swarm_estimator_samples_total (candidate x traffic x routing) samples "
           "simulated.\n"
           "# TYPE swarm_estimator_samples_total counter\n"
        << "swarm_estimator_samples_total " << samples_total_.load() << "\n"
        << "# HELP swarm_estimator_samples_per_second Samples per second of the most recently "
           "finished job.\n"
           "# TYPE swarm_estimator_samples_per_second gauge\n"
        << "swarm_estimator_samples_per_second " << number(samples_per_second_) << "\n";
    return out.str();
}

}  // namespace swarm::service
