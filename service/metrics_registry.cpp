#include "service/metrics_registry.h"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

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

/// Histogram lines of one labelled series, cumulative as Prometheus wants them.
template <std::size_t N, typename H>
void render_histogram(std::ostream& out, const char* name, const std::string& labels,
                      const std::array<double, N>& buckets, const H& h) {
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b < N; ++b) {
        cumulative += h.counts[b];
        out << name << "_bucket{" << labels << ",le=\"" << bucket_label(buckets[b]) << "\"} "
            << cumulative << "\n";
    }
    out << name << "_bucket{" << labels << ",le=\"+Inf\"} " << h.count << "\n"
        << name << "_sum{" << labels << "} " << number(h.sum) << "\n"
        << name << "_count{" << labels << "} " << h.count << "\n";
}

/// The standard process metrics of the Prometheus client libraries, from /proc/self/stat
/// (proc(5): fields 14-15 utime/stime and 22 starttime in clock ticks, 23 vsize in bytes,
/// 24 rss in pages) and /proc/stat's btime. Nothing is written where /proc cannot be read.
void render_process_metrics(std::ostream& out) {
    std::ifstream stat_file("/proc/self/stat");
    std::string stat((std::istreambuf_iterator<char>(stat_file)), {});
    const std::size_t paren = stat.rfind(')');  // the command name may hold spaces
    if (paren == std::string::npos) return;
    std::istringstream fields(stat.substr(paren + 2));
    std::vector<std::string> f((std::istream_iterator<std::string>(fields)), {});
    if (f.size() < 22) return;  // f[0] is field 3 (state)
    const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
    const double cpu = (std::stod(f[11]) + std::stod(f[12])) / ticks;
    double boot_time = 0.0;
    std::ifstream proc_stat("/proc/stat");
    for (std::string key; proc_stat >> key;) {
        if (key == "btime") {
            proc_stat >> boot_time;
            break;
        }
    }
    std::size_t open_fds = 0;
    std::error_code error;
    for (auto it = std::filesystem::directory_iterator("/proc/self/fd", error);
         !error && it != std::filesystem::directory_iterator(); it.increment(error)) {
        ++open_fds;
    }
    rlimit files{};
    getrlimit(RLIMIT_NOFILE, &files);
    out << "# HELP process_cpu_seconds_total User and system CPU time of the service process.\n"
           "# TYPE process_cpu_seconds_total counter\n"
        << "process_cpu_seconds_total " << number(cpu) << "\n"
        << "# HELP process_resident_memory_bytes Resident memory of the service process.\n"
           "# TYPE process_resident_memory_bytes gauge\n"
        << "process_resident_memory_bytes " << number(std::stod(f[21]) * page) << "\n"
        << "# HELP process_virtual_memory_bytes Virtual memory of the service process.\n"
           "# TYPE process_virtual_memory_bytes gauge\n"
        << "process_virtual_memory_bytes " << f[20] << "\n"
        << "# HELP process_start_time_seconds Start of the service process, Unix time.\n"
           "# TYPE process_start_time_seconds gauge\n"
        << "process_start_time_seconds " << number(boot_time + std::stod(f[19]) / ticks) << "\n"
        << "# HELP process_open_fds Open file descriptors.\n# TYPE process_open_fds gauge\n"
        << "process_open_fds " << open_fds << "\n"
        << "# HELP process_max_fds The limit on open file descriptors.\n"
           "# TYPE process_max_fds gauge\n"
        << "process_max_fds " << number(static_cast<double>(files.rlim_cur)) << "\n";
}

}  // namespace

template <std::size_t N>
void MetricsRegistry::Histogram<N>::observe(const std::array<double, N>& buckets, double value) {
    for (std::size_t b = 0; b < N; ++b) {
        if (value <= buckets[b]) {
            ++counts[b];
            break;
        }
    }
    ++count;
    sum += value;
}

MetricsRegistry::MetricsRegistry() {
    for (const char* status : kJobStatuses) {
        jobs_finished_[status] = 0;
        job_duration_[status] = {};
    }
}

std::string MetricsRegistry::route_of(const std::string& path) {
    static const std::regex job(R"(/v1/rankings/[^/]+)");
    static const std::regex report(R"(/v1/rankings/[^/]+/report)");
    static const std::regex network(R"(/v1/networks/[^/]+)");
    for (const char* fixed : {"/v1/rankings", "/healthz", "/readyz", "/metrics", "/openapi.json"}) {
        if (path == fixed) return fixed;
    }
    if (std::regex_match(path, job)) return "/v1/rankings/{id}";
    if (std::regex_match(path, report)) return "/v1/rankings/{id}/report";
    if (std::regex_match(path, network)) return "/v1/networks/{name}";
    return "unmatched";
}

void MetricsRegistry::count_request(const std::string& route, const std::string& method,
                                    int status) {
    const std::lock_guard lock(mutex_);
    ++requests_[{route, method, status}];
}

void MetricsRegistry::observe_latency(const std::string& route, double seconds) {
    const std::lock_guard lock(mutex_);
    latency_[route].observe(kBuckets, seconds);
}

void MetricsRegistry::job_finished(const std::string& status, std::uint64_t samples,
                                   double seconds) {
    const std::lock_guard lock(mutex_);
    ++jobs_finished_[status];
    if (seconds > 0.0) job_duration_[status].observe(kJobBuckets, seconds);  // it ran
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
        render_histogram(out, "swarm_http_request_duration_seconds", "route=\"" + route + "\"",
                         kBuckets, h);
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
    out << "# HELP swarm_job_duration_seconds Wall time of ranking jobs that ran, by final "
           "status.\n# TYPE swarm_job_duration_seconds histogram\n";
    for (const auto& [status, h] : job_duration_) {
        render_histogram(out, "swarm_job_duration_seconds", "status=\"" + status + "\"",
                         kJobBuckets, h);
    }
    out << "# HELP swarm_build_info The running swarm's version (the value is always 1).\n"
           "# TYPE swarm_build_info gauge\n"
        << "swarm_build_info{version=\"" << SWARM_VERSION << "\"} 1\n";
    render_process_metrics(out);
    return out.str();
}

}  // namespace swarm::service
