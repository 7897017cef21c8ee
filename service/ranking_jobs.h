// The asynchronous ranking jobs behind the REST API: accept (validate, persist, queue), run on
// the worker pool, each in its own child process forked by the fork server (job_process.h,
// fork_server.h), report progress, cancel,
// wait, retry or quarantine a job that crashed, prune old jobs, and recover after a restart.
// Knows nothing of HTTP: the server maps its outcomes to status codes.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "service/fork_server.h"
#include "service/job_process.h"
#include "service/job_queue.h"
#include "service/job_store.h"
#include "service/metrics_registry.h"
#include "service/problem_json.h"
#include "service/worker_pool.h"
#include "swarm/budget.h"

namespace swarm::service {

struct JobsConfig {
    std::filesystem::path db_path = "swarm-jobs.db";
    std::filesystem::path data_dir;       ///< cdfs/ for named flow-size CDFs, tables/
    std::filesystem::path tables_dir;     ///< the default transport table set
    std::filesystem::path worker_binary;  ///< the swarm executable: the fork server runs it
    std::size_t workers = 1;              ///< jobs estimated at the same time
    int threads_per_job = 0;              ///< RankOptions::threads; 0 = every core
    std::size_t max_queue = 64;           ///< queued jobs beyond this are refused (429)
    std::chrono::seconds job_time_limit{600};
    std::size_t job_memory_bytes = std::size_t{4} << 30;  ///< per job process; 0 = no limit
    int max_attempts = 3;  ///< starts (crashes, abrupt stops) before a job is quarantined
    std::chrono::seconds retention{7 * 24 * 3600};  ///< finished jobs kept this long; 0 = forever
    /// Finished jobs kept at most, newest first, whatever their age; 0 = no limit. With the
    /// retention period this bounds the database: a client that submits small rankings as fast
    /// as they finish cannot fill the disk within the period.
    std::size_t max_finished_jobs = 100000;
    /// Bytes the stored networks' bodies may take in all; a PUT beyond it gets 429
    /// network-store-full (DELETE /v1/networks/{name} frees space).
    std::size_t max_network_store_bytes = std::size_t{256} << 20;
    std::chrono::milliseconds kill_after{2000};  ///< SIGTERM -> SIGKILL of a stopping job
    WorkBudget budget;  ///< checked at acceptance (422 over-budget) and again when the job runs
    /// Bodies up to this size are validated in full on the HTTP thread (a bad incident gets its
    /// 422 at once). Larger ones get only the linear checks there (JSON syntax and depth, the
    /// topology's size against the budget); the job's own process validates the rest, and a job
    /// whose incident is invalid ends `failed` with the reader's message and JSON path. This
    /// keeps HTTP threads free of the expensive part: expanding a big fabric.
    std::size_t inline_validation_bytes = 256 * 1024;
    bool log_events = true;  ///< each job's start, end and crashes as JSON lines on stderr
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
    int samples_done =
        0;  ///< per candidate, while running (a done job's result has decision.samples)
};

struct SubmitOutcome {
    enum class Kind { Created, Replayed, Rejected };
    Kind kind = Kind::Rejected;
    JobView job;            ///< Created / Replayed
    Problem problem;        ///< Rejected
    int retry_after_s = 0;  ///< Rejected with 429
};

/// One page of GET /v1/rankings (JobStore::list).
struct JobPage {
    std::vector<JobView> jobs;
    std::optional<std::int64_t> next_before_seq;
};

/// PUT /v1/networks/{name}: the stored version, or why not.
struct PutNetworkOutcome {
    std::optional<StoredNetwork> network;
    Problem problem;  ///< when not stored
};

struct CancelOutcome {
    enum class Kind { NotFound, AlreadyFinished, Cancelled, Stopping };
    Kind kind = Kind::NotFound;
    std::optional<JobView> job;
};

class RankingJobs {
   public:
    /// Opens the store, queues the jobs a previous run left unfinished and starts the workers.
    /// `metrics` must outlive this object.
    RankingJobs(JobsConfig config, MetricsRegistry& metrics);
    ~RankingJobs();
    RankingJobs(const RankingJobs&) = delete;
    RankingJobs& operator=(const RankingJobs&) = delete;

    SubmitOutcome submit(const SubmitRequest& request);
    std::optional<JobView> get(const std::string& id) const;
    /// Returns once the job is finished, `timeout` has passed or the service is stopping.
    std::optional<JobView> wait(const std::string& id, std::chrono::milliseconds timeout) const;
    CancelOutcome cancel(const std::string& id);
    /// Newest first, of `status` only when given; see JobStore::list.
    JobPage list(std::optional<JobStatus> status, std::optional<std::int64_t> before_seq,
                 std::size_t limit) const;

    /// Validates and stores the next version of a network (stored_networks.h).
    PutNetworkOutcome put_network(const std::string& name, const std::string& body);
    /// Deletes every version of a stored network; false when there was none.
    bool delete_network(const std::string& name) { return store_.delete_network(name) > 0; }
    std::optional<StoredNetwork> network(const std::string& name,
                                         std::optional<std::int64_t> version) const {
        return store_.get_network(name, version);
    }

    MetricsRegistry::Gauges gauges() const;
    bool accepting() const { return !stopping_.load(); }
    /// The budget jobs were accepted under; whatever re-reads a stored incident must use it.
    const WorkBudget& budget() const { return config_.budget; }
    /// First step of a graceful stop: refuse new jobs and wake every waiter.
    void stop_accepting();
    /// Graceful stop: refuse new jobs, wake waiters, let running jobs finish for up to `grace`,
    /// then stop them and put them back in the queue (they run again on the next start).
    void shutdown(std::chrono::milliseconds grace);

   private:
    void run(const std::string& id, JobControl& control);
    WorkerCommand worker_command(const JobRecord& job) const;
    void record(const JobRecord& job, const WorkerOutcome& outcome, const JobControl& control,
                std::uint64_t samples, double seconds);
    void record_stop(const JobRecord& job, StopReason reason, std::uint64_t samples,
                     double seconds);
    void record_crash(const JobRecord& job, const std::string& what, std::uint64_t samples,
                      double seconds);
    /// A job reached a terminal status: metrics, waiters, and the job's log line.
    void finish(const JobRecord& job, const char* status, std::uint64_t samples, double seconds);
    JobView view_of(JobRecord record) const;
    /// The request body with a referenced stored network merged in (recorded in `job`), or
    /// the body itself. Throws IncidentError.
    std::string with_stored_network(const std::string& body, JobRecord& job) const;
    void notify_changed();
    int retry_after_seconds() const;
    void prune_periodically(std::stop_token stop);
    void prune_once();  ///< retention by age and by count
    void log(const nlohmann::json& event) const;

    JobsConfig config_;
    MetricsRegistry& metrics_;
    JobStore store_;
    JobQueue queue_;
    std::mutex submit_mutex_;  ///< serialises capacity check, insert and push
    mutable std::mutex changed_mutex_;
    mutable std::condition_variable changed_;
    std::uint64_t generation_ = 0;  ///< bumped on every status change, under changed_mutex_
    std::atomic<bool> stopping_{false};
    std::atomic<double> mean_job_seconds_{1.0};
    ForkServer forks_;                  ///< started with the service; outlives the pool
    std::unique_ptr<WorkerPool> pool_;  ///< its threads use everything above
    std::mutex prune_mutex_;
    std::condition_variable_any prune_wake_;
    std::jthread pruner_;  ///< retention (prune_periodically); stopped first
};

}  // namespace swarm::service
