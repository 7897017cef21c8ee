// Prometheus metrics of the service, rendered in the text exposition format (version 0.0.4):
//   swarm_http_requests_total{route,method,code}     every response, counted by the logger
//   swarm_http_request_duration_seconds{route}       histogram of time spent in route handlers
//   swarm_jobs_queued / swarm_jobs_running           gauges, read when /metrics is scraped
//   swarm_jobs_finished_total{status}                done / failed / cancelled
//   swarm_job_crashes_total                          job processes that crashed (any attempt)
//   swarm_jobs_pruned_total                          finished jobs deleted by retention
//   swarm_estimator_samples_total                    (candidate x sample) units simulated
//   swarm_estimator_samples_per_second               rate of the most recently finished job
//   swarm_job_duration_seconds{status}               histogram of job run times (jobs that ran)
//   swarm_build_info{version}                        always 1
//   process_cpu_seconds_total, process_resident_memory_bytes, process_virtual_memory_bytes,
//   process_open_fds, process_max_fds, process_start_time_seconds   (Prometheus' standard
//   process metrics, from /proc/self; the service process only, not its job processes)
// Every status and every route label is present from the start, at 0: a rate() over a series
// that appears only with its first event misses that event.
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
    /// Job run times: a tiny incident takes 0.1 s, a large one up to the 600 s time limit.
    static constexpr std::array<double, 12> kJobBuckets = {0.1,  0.25, 0.5,  1.0,   2.5,   5.0,
                                                           10.0, 30.0, 60.0, 120.0, 300.0, 600.0};
    /// The terminal statuses, each counted from 0.
    static constexpr std::array<const char*, 3> kJobStatuses = {"done", "failed", "cancelled"};

    MetricsRegistry();

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
    template <std::size_t N>
    struct Histogram {
        std::array<std::uint64_t, N> counts{};  ///< non-cumulative per bucket
        std::uint64_t count = 0;
        double sum = 0.0;
        void observe(const std::array<double, N>& buckets, double value);
    };

    mutable std::mutex mutex_;
    std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
    std::map<std::string, Histogram<kBuckets.size()>> latency_;
    std::map<std::string, Histogram<kJobBuckets.size()>> job_duration_;
    std::map<std::string, std::uint64_t> jobs_finished_;
    double samples_per_second_ = 0.0;
    std::atomic<std::uint64_t> samples_total_{0};
    std::atomic<std::uint64_t> job_crashes_{0};
    std::atomic<std::uint64_t> jobs_pruned_{0};
};

}  // namespace swarm::service
