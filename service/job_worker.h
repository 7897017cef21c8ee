// `swarm job-worker` (hidden): runs ONE ranking job of `swarm serve` in a child process, so that
// a crash, a runaway allocation or a hang in the estimator costs the job, never the server
// (docs/api.md, "Jobs run in child processes"). The parent (job_process.h) writes the incident
// to stdin, reads the protocol below from stdout and stops the job with SIGTERM (cooperative:
// RankOptions::cancel), then SIGKILL.
//
// Protocol, one line each on stdout:
//   progress <fraction>                 after every (candidate x sample) unit
//   result {"ranking": ..., "curves": ...}   the finished job; exit 0
//   error <sentence>                    the job cannot be done (bad input, out of memory); exit 4
// Exit 3 (no line): stopped by SIGTERM.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "swarm/budget.h"

namespace swarm::cli {

inline constexpr int kWorkerExitCancelled = 3;
inline constexpr int kWorkerExitFailed = 4;

struct JobWorkerArguments {
    std::string data_dir;
    std::string tables;
    int threads = 0;
    std::optional<std::uint64_t> seed;
    WorkBudget
        budget;  ///< the server's budget, passed on so the child checks what the server accepted
};

/// Test hook (tests/service/test_job_isolation.cpp): when the incident's name equals the
/// environment variable SWARM_TEST_CRASH_INCIDENT, the worker writes through a null pointer
/// before ranking: a real SIGSEGV standing in for any future estimator crash.
int run_job_worker(const JobWorkerArguments& args);

/// The hidden `job-worker` subcommand, filling `args`.
CLI::App* add_job_worker_command(CLI::App& app, JobWorkerArguments& args);

}  // namespace swarm::cli
