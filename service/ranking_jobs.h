// The asynchronous ranking jobs behind the REST API: accept (validate, persist, queue), run on
// the worker pool, report progress, cancel, wait, and recover after a restart. Knows nothing of
// HTTP: the server maps its outcomes to status codes.
#pragma once

#include "estimator/helper/table_set_cache.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "service/job_queue.h"
#include "service/job_store.h"
#include "service/metrics_registry.h"
#include "service/problem_json.h"
#include "service/worker_pool.h"

namespace swarm {
struct TransportTables;
}

namespace swarm::service {

struct JobsConfig {
    std::filesystem::path db_path = "swarm-jobs.db";
    std::filesystem::path data_dir;  ///< cdfs/ for named flow-size CDFs
    std::size_t workers = 1;         ///< jobs estimated at the same time
    int threads_per_job = 0;         ///< RankOptions::threads; 0 = every core
    std::size_t max_queue = 64;      ///< queued jobs beyond this are refused (429)
    std::chrono::seconds job_time_limit{600};
};

struct SubmitRequest {
    std::string body;  ///< incident JSON
    std::optional<std::string> idempotency_key;
    std::optional<std::uint64_t> seed;
    std::optional<double> deadline_s;  ///< relative to acceptance
};

/// A job as the API shows it: the stored record plus live progress.
struct JobView {
    JobRecord record;
    double progress = 0.0;
    int samples_done = 0;  ///< per candidate, while running (a done job's result has decision.samples)
};

struct SubmitOutcome {
    enum class Kind { Created, Replayed, Rejected };
    Kind kind = Kind::Rejected;
    JobView job;            ///< Created / Replayed
    Problem problem;        ///< Rejected
    int retry_after_s = 0;  ///< Rejected with 429
};

struct CancelOutcome {
    enum class Kind { NotFound, AlreadyFinished, Cancelled, Stopping };
    Kind kind = Kind::NotFound;
    std::optional<JobView> job;
};

class RankingJobs {
   public:
    /// Opens the store, queues the jobs a previous run left unfinished and starts the workers.
    /// `tables` and `metrics` must outlive this object.
    RankingJobs(JobsConfig config, const TransportTables& tables, MetricsRegistry& metrics);
    ~RankingJobs();
    RankingJobs(const RankingJobs&) = delete;
    RankingJobs& operator=(const RankingJobs&) = delete;

    SubmitOutcome submit(const SubmitRequest& request);
    std::optional<JobView> get(const std::string& id) const;
    /// Returns once the job is finished, `timeout` has passed or the service is stopping.
    std::optional<JobView> wait(const std::string& id, std::chrono::milliseconds timeout) const;
    CancelOutcome cancel(const std::string& id);

    MetricsRegistry::Gauges gauges() const;
    bool accepting() const { return !stopping_.load(); }
    /// First step of a graceful stop: refuse new jobs and wake every waiter.
    void stop_accepting();
    /// Graceful stop: refuse new jobs, wake waiters, let running jobs finish for up to `grace`,
    /// then stop them and put them back in the queue (they run again on the next start).
    void shutdown(std::chrono::milliseconds grace);

   private:
    void run(const std::string& id, JobControl& control);
    void finish(const std::string& id, const char* status, std::uint64_t samples, double seconds);
    void notify_changed();
    int retry_after_seconds() const;

    JobsConfig config_;
    const TransportTables& tables_;
    TableSetCache table_sets_;  ///< sets an incident's `transport` section names
    MetricsRegistry& metrics_;
    JobStore store_;
    JobQueue queue_;
    std::mutex submit_mutex_;  ///< serialises capacity check, insert and push
    mutable std::mutex changed_mutex_;
    mutable std::condition_variable changed_;
    std::uint64_t generation_ = 0;  ///< bumped on every status change, under changed_mutex_
    std::atomic<bool> stopping_{false};
    std::atomic<double> mean_job_seconds_{1.0};
    std::unique_ptr<WorkerPool> pool_;  ///< last: its threads use everything above
};

}  // namespace swarm::service
