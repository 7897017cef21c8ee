// One ranking job of `swarm serve`, run in a single-use child process forked by the fork server
// (job_zygote.h), so that a crash, a runaway allocation or a hang in the estimator costs the job,
// never the server (docs/api.md, "Jobs run in child processes"). The server (job_process.h)
// passes the incident as stdin, reads the protocol below from stdout and stops the job with
// SIGTERM (cooperative: RankOptions::cancel), then SIGKILL. A job's deadline
// (--deadline-unix-ms) is the ranking's time budget and deadline: the job stops itself then and
// returns the ranking of the samples done with its decision (RankOptions::time_budget_s,
// RankOptions::deadline); it reports an error only when not one sample of every candidate was
// done.
//
// Protocol, one line each on stdout:
//   progress <fraction> <samples>       after every (candidate x sample) unit; samples done
//                                       per candidate
//   result {"ranking": ..., "curves": ...}   the finished job; exit 0
//   error <sentence>                    the job cannot be done (bad input, out of memory); exit 4
// Exit 3 (no line): stopped by SIGTERM.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "estimator/helper/table_set_cache.h"
#include "estimator/transport_tables.h"
#include "swarm/budget.h"

namespace swarm::cli {

inline constexpr int kWorkerExitCancelled = 3;
inline constexpr int kWorkerExitFailed = 4;

/// The options of one job (the server's worker_command): after the fork, in the child.
struct JobArguments {
    int threads = 0;
    std::optional<std::uint64_t> seed;
    std::optional<std::int64_t> deadline_unix_ms;  ///< the job's deadline, system clock
    WorkBudget
        budget;  ///< the server's budget, passed on so the child checks what the server accepted
};

/// Adds the options of JobArguments to `app`.
void add_job_options(CLI::App& app, JobArguments& args);

/// What every job reads and the fork server loads once, before it forks: the data directory,
/// the server's default table set and every set under <data-dir>/tables (an incident may name
/// one). A set that does not load is loaded again, and fails, in the job that asks for it.
struct JobResources {
    JobResources(const std::string& data_dir_flag, const std::string& tables_flag);
    std::filesystem::path data_dir;
    std::optional<TransportTables> tables;
    std::string tables_error;  ///< why `tables` did not load: every job fails with it
    TableSetCache table_sets;
};

/// Runs one job: the incident from stdin, the protocol above on stdout; then ends the process
/// with the exit code (_exit: the fork server's state, which the child shares, is not torn down).
/// Test hook (tests/service/test_job_isolation.cpp): when the incident's name equals the
/// environment variable SWARM_TEST_CRASH_INCIDENT, the job writes through a null pointer
/// before ranking: a real SIGSEGV standing in for any future estimator crash.
[[noreturn]] void run_job_and_exit(const JobArguments& args, JobResources& resources);

}  // namespace swarm::cli
