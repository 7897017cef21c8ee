// The parent's side of a job run in a child process (`swarm job-worker`, job_worker.h): start
// it, feed it the incident, read its progress and result, stop it on request, and tell a crash
// (killed by a signal, unexpected exit) from a job that merely failed.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace swarm::service {

struct WorkerCommand {
    std::filesystem::path binary;        ///< the swarm executable
    std::vector<std::string> arguments;  ///< after argv[0], e.g. {"job-worker", "--threads", "2"}
    std::size_t memory_limit_bytes =
        0;  ///< RLIMIT_DATA of the child (heap + anonymous maps); 0 = none
};

struct WorkerOutcome {
    enum class Kind {
        Done,     ///< result_json holds {"ranking": ..., "curves": ...}
        Failed,   ///< the worker reported why (`error`): bad input, out of memory; retrying won't
                  ///< help
        Stopped,  ///< stopped because `should_stop` asked (whatever way it then ended)
        Crashed,  ///< killed by a signal or exited without a verdict; `error` says how
    };
    Kind kind = Kind::Crashed;
    std::string result_json;
    std::string error;
};

struct WorkerHooks {
    /// From the supervising thread: the fraction of the work planned so far and the samples
    /// done per candidate.
    std::function<void(double fraction, int samples_done)> progress;
    /// Polled about every 100 ms; once true, the worker gets SIGTERM (it stops at the estimator's
    /// next cancellation check) and, `kill_after` later, SIGKILL.
    std::function<bool()> should_stop;
    std::chrono::milliseconds kill_after{2000};
};

/// Runs the worker to its end with `input` on its stdin. Blocks the calling thread; throws
/// std::runtime_error only when the process cannot be started (pipe, memfd or fork failing).
WorkerOutcome run_worker(const WorkerCommand& command, const std::string& input,
                         const WorkerHooks& hooks);

}  // namespace swarm::service
