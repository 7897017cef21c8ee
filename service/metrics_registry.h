// Prometheus metrics of the service, rendered in the text exposition format (version 0.0.4):
//   swarm_http_requests_total{route,method,code}     every response, counted by the logger
//   swarm_http_request_duration_seconds{route}       histogram of time spent in route handlers
//   swarm_jobs_queued / swarm_jobs_running           gauges, read when /metrics is scraped
//   swarm_jobs_finished_total{status}                done / failed / cancelled
//   swarm_job_crashes_total                          job processes that crashed (any attempt)
//   swarm_jobs_pruned_total                          finished jobs deleted by retention
//   swarm_estimator_samples_total                    (candidate x sample) units simulated
//   swarm_estimator_samples_per_second               rate of the most recently finished job
// Route labels are templates ("/v1/rankings/{id}"), never raw paths, so cardinality is bounded.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace swarm::service {

class MetricsRegistry {
   public:
    static constexpr std::array<double, 14> kBuckets = {
        0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0};

    /// The route template of a request path; "unmatched" for anything the API does not serve.
    static std::string route_of(const std::string& path);

    void count_request(const std::string& route, const std::string& method, int status);
    void observe_latency(const std::string& route, double seconds);
    void add_samples(std::uint64_t samples) { samples_total_ += samples; }
    /// A job reached a terminal status; `samples` units ran in `seconds` of wall time.
    void job_finished(const std::string& status, std::uint64_t samples, double seconds);
    void job_crashed() { ++job_crashes_; }
    void jobs_pruned(std::size_t count) { jobs_pruned_ += count; }

    struct Gauges {
        std::size_t queued = 0;
        std::size_t running = 0;
    };
    std::string render(const Gauges& gauges) const;

   private:
    struct Histogram {
        std::array<std::uint64_t, kBuckets.size()> counts{};  ///< non-cumulative per bucket
        std::uint64_t count = 0;
        double sum = 0.0;
    };

    mutable std::mutex mutex_;
    std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
    std::map<std::string, Histogram> latency_;
    std::map<std::string, std::uint64_t> jobs_finished_;
    double samples_per_second_ = 0.0;
    std::atomic<std::uint64_t> samples_total_{0};
    std::atomic<std::uint64_t> job_crashes_{0};
    std::atomic<std::uint64_t> jobs_pruned_{0};
};

}  // namespace swarm::service
