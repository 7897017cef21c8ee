// Durable ranking jobs: SQLite (WAL mode) holds every accepted job, its
// incident and, once finished, its result. A job is written before the API answers 202, so a
// crash after that loses nothing: on start-up, jobs still queued or running are queued again.
// One connection behind a mutex: the service's write rate is a few rows per ranking.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "service/database_lock.h"

struct sqlite3;

namespace swarm::service {

enum class JobStatus { Queued, Running, Done, Failed, Cancelled };

const char* to_string(JobStatus status);
std::optional<JobStatus> parse_job_status(const std::string& text);
inline bool is_terminal(JobStatus s) {
    return s == JobStatus::Done || s == JobStatus::Failed || s == JobStatus::Cancelled;
}

struct JobRecord {
    std::string id;
    JobStatus status = JobStatus::Queued;
    std::string incident_name;
    std::string incident_json;          ///< the request body, verbatim
    std::optional<std::uint64_t> seed;  ///< ?seed= override
    std::optional<std::string> idempotency_key;
    std::string
        request_fingerprint;      ///< of body + options, to reject a key reused for another request
    std::int64_t created_ms = 0;  ///< Unix time in milliseconds
    std::int64_t started_ms = 0;  ///< 0 = not started
    std::int64_t finished_ms = 0;  ///< 0 = not finished
    std::optional<std::int64_t> deadline_ms;
    std::string result_json;  ///< the CLI JSON contract (docs/api.md), when done
    std::string curves_json;  ///< percentile curves for the report, when done
    std::string error;        ///< why it failed or was cancelled
    int attempts = 0;         ///< how many times a worker started it
    /// The stored network the incident referenced (PUT /v1/networks/{name}), if any; the
    /// incident_json above already has its sections merged in.
    std::optional<std::string> network_name;
    std::int64_t network_version = 0;
};

/// One version of a stored network (PUT /v1/networks/{name}): topology, traffic, routing and
/// ongoing mitigations that incidents reference instead of repeating them. Versions are
/// immutable and numbered from 1.
struct StoredNetwork {
    std::string name;
    std::int64_t version = 0;
    std::string body_json;
    std::int64_t created_ms = 0;
};

class JobStore {
   public:
    /// Opens (creating if needed) the database at `path` and becomes its only owner
    /// (DatabaseLock). Throws std::runtime_error, also when another process owns it.
    explicit JobStore(const std::filesystem::path& path);
    ~JobStore();
    JobStore(const JobStore&) = delete;
    JobStore& operator=(const JobStore&) = delete;

    struct Inserted {
        JobRecord job;
        bool created = false;  ///< false: the idempotency key was known and `job` is the first job
    };
    /// Inserts `job`, unless it carries an idempotency key already stored: then returns that job.
    Inserted insert(const JobRecord& job);

    std::optional<JobRecord> get(const std::string& id) const;
    std::optional<JobRecord> find_by_idempotency_key(const std::string& key) const;
    /// queued -> running; false when the job is no longer queued (cancelled meanwhile).
    bool mark_running(const std::string& id, std::int64_t now_ms);
    /// running -> done / queued or running -> failed; no effect on a job cancelled meanwhile.
    void mark_done(const std::string& id, const std::string& result_json,
                   const std::string& curves_json, std::int64_t now_ms);
    void mark_failed(const std::string& id, const std::string& error, std::int64_t now_ms);
    /// queued or running -> cancelled; false when it had already finished.
    bool mark_cancelled(const std::string& id, const std::string& reason, std::int64_t now_ms);
    /// running -> queued (shutdown before the job finished, or a crashed attempt that may be
    /// retried: it runs again). `note` (why) is kept in `error` until the job finishes.
    void requeue(const std::string& id, const std::string& note = "");
    /// Start-up recovery: a job still `running` was interrupted by the end of the previous
    /// process. It is queued again, unless it has had `max_attempts` starts: then it fails as
    /// quarantined. Returns the queued jobs' ids, oldest first.
    std::vector<std::string> recover_unfinished(int max_attempts, std::int64_t now_ms);
    /// Retention: deletes finished (done, failed, cancelled) jobs that finished before
    /// `before_ms`; returns how many.
    std::size_t prune_finished(std::int64_t before_ms);
    /// Retention by count: deletes the finished jobs beyond the `keep` that finished last;
    /// returns how many.
    std::size_t prune_finished_beyond(std::size_t keep);
    std::size_t count(JobStatus status) const;

    /// Stores `body_json` as the next version of network `name` (1 for a new name) and returns
    /// it, unless the networks' bodies would then take more than `max_store_bytes` in all:
    /// then stores nothing and returns nullopt.
    std::optional<StoredNetwork> put_network(const std::string& name, const std::string& body_json,
                                             std::int64_t now_ms, std::size_t max_store_bytes);
    /// Deletes every version of network `name`; returns how many there were.
    std::size_t delete_network(const std::string& name);
    /// The version asked for, or the latest without one; nullopt when there is none.
    std::optional<StoredNetwork> get_network(const std::string& name,
                                             std::optional<std::int64_t> version) const;

    /// One page of jobs, newest first (GET /v1/rankings): at most `limit` jobs accepted before
    /// the job with sequence number `before_seq` (none: from the newest), of `status` only when
    /// given. `next_before_seq` continues the listing; none when this page is the last.
    struct Page {
        std::vector<JobRecord> jobs;
        std::optional<std::int64_t> next_before_seq;
    };
    Page list(std::optional<JobStatus> status, std::optional<std::int64_t> before_seq,
              std::size_t limit) const;

   private:
    struct Closer {
        void operator()(sqlite3* db) const;
    };
    void exec(const char* sql);
    bool has_column(const char* table, const char* column) const;

    DatabaseLock lock_;  ///< first: nothing touches the file before it is ours
    mutable std::mutex mutex_;
    std::unique_ptr<sqlite3, Closer> db_;
};

}  // namespace swarm::service
