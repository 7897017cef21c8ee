// `swarm job-worker` (hidden): the fork server ("zygote") of `swarm serve` (fork_server.h has
// the server's side and the wire format). Started once by the server, it loads what every job
// shares (JobResources: the code, its static state, the transport tables), then serves requests
// on stdin, a SOCK_SEQPACKET socket: for each job it forks a child that runs exactly that job
// (job_worker.h) under its memory limit (RLIMIT_DATA) and exits; it signals children on request
// and reports each one's wait status on the job's stdout once it has reaped it. It stays single-
// threaded, so that fork() copies a consistent process; jobs start threads only in the child.
// It exits when the server closes the socket, and children die with it (PR_SET_PDEATHSIG).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace swarm::cli {

struct ForkServerArguments {
    std::string data_dir;
    std::string tables;  ///< the default table set (a name or a directory), as `serve --tables`
};

/// The hidden `job-worker` subcommand, filling `args`.
CLI::App* add_job_worker_command(CLI::App& app, ForkServerArguments& args);

/// Runs the fork server until stdin closes; returns the exit code.
int run_job_worker(const ForkServerArguments& args);

}  // namespace swarm::cli
