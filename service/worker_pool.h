// A fixed number of worker threads that take job ids from the JobQueue and run them (each
// supervising the job's child process, job_process.h). The pool keeps a JobControl per running
// job so that the API can read its progress and ask it to stop (cancel, deadline, time limit,
// shutdown); the supervising thread polls the flag and stops the process.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "service/job_queue.h"

namespace swarm::service {

enum class StopReason { None, Cancelled, Deadline, TimeLimit, Shutdown };

struct JobControl {
    std::atomic<bool> cancel{false};    ///< polled by the thread supervising the job's process
    std::atomic<double> progress{0.0};  ///< fraction of samples done
    std::atomic<int> samples_done{0};   ///< per candidate (RankProgress::samples_done)
    std::atomic<StopReason> reason{StopReason::None};

    /// The first reason wins (a job past its deadline and then cancelled reports the deadline).
    void request_stop(StopReason why) {
        StopReason expected = StopReason::None;
        reason.compare_exchange_strong(expected, why);
        cancel.store(true);
    }
};

class WorkerPool {
   public:
    using Runner = std::function<void(const std::string& id, JobControl& control)>;

    /// Starts `workers` threads (at least 1) running `runner` on each popped id.
    WorkerPool(JobQueue& queue, std::size_t workers, Runner runner);
    /// Shuts down with no grace period (running jobs are asked to stop).
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    /// Asks a running job to stop; false when it is not running.
    bool request_stop(const std::string& id, StopReason why);
    std::optional<double> progress(const std::string& id) const;
    std::optional<int> samples_done(const std::string& id) const;
    std::size_t running() const;

    /// Closes the queue, lets running jobs finish for up to `grace`, then asks the rest to
    /// stop (StopReason::Shutdown) and joins the threads. Idempotent.
    void shutdown(std::chrono::milliseconds grace);

   private:
    void work();

    JobQueue& queue_;
    Runner runner_;
    mutable std::mutex mutex_;
    std::condition_variable idle_;
    std::map<std::string, std::shared_ptr<JobControl>> running_;
    std::vector<std::thread> threads_;
    bool shut_down_ = false;
};

}  // namespace swarm::service
