// The server's side of a job run in a child process (job_worker.h), forked by the fork server
// (fork_server.h): have it started, feed it the incident, read its progress and result, stop it
// on request, and tell a crash (killed by a signal, unexpected exit) from a job that merely
// failed.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "service/fork_server.h"

namespace swarm::service {

struct WorkerCommand {
    std::vector<std::string>
        arguments;  ///< the job's options (job_worker.h), e.g. {"--threads", "2"}
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

/// Runs the job to its end with `input` on its stdin, in a child of `forks`. Blocks the calling
/// thread; throws std::runtime_error only when the job cannot be started (pipe or memfd failing,
/// the fork server unreachable).
WorkerOutcome run_worker(ForkServer& forks, const WorkerCommand& command, const std::string& input,
                         const WorkerHooks& hooks);

}  // namespace swarm::service
