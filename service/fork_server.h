// The server's side of the fork server ("zygote"; docs/api.md, "Jobs run in child processes"):
// one `swarm job-worker` process, exec'd once, that has loaded the code and the transport
// tables and forks a fresh single-use child for every job (job_zygote.h). The server process,
// which is multithreaded, is never forked for a job; it only exec's the fork server.
//
// Wire format on the control socket (SOCK_SEQPACKET, one message per request):
//   "run <token> <memory-limit-bytes>\n" then the job's options separated by '\0', with two
//       descriptors attached (SCM_RIGHTS): the job's stdin and its stdout;
//   "signal <token> <signo>"
// The fork server answers on the job's stdout, after the child's own lines: "\nexit <status>\n"
// once it has reaped the child (<status> as waitpid returns it), or "\nspawn-failed <why>\n";
// then it closes its copy, so the job's stdout reaches EOF only when the verdict is in.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

namespace swarm::service {

struct ForkServerCommand {
    std::filesystem::path binary;      ///< the swarm executable, run as `swarm job-worker`
    std::filesystem::path data_dir;    ///< cdfs/ and tables/
    std::filesystem::path tables_dir;  ///< the default table set; empty = the built-in default
};

class ForkServer {
   public:
    /// Starts the fork server. Throws std::runtime_error when it cannot be started.
    explicit ForkServer(ForkServerCommand command);
    /// Closes the control socket: the fork server exits, and children still running die with
    /// it (PR_SET_PDEATHSIG). Reaps it.
    ~ForkServer();
    ForkServer(const ForkServer&) = delete;
    ForkServer& operator=(const ForkServer&) = delete;

    /// Has a new child run one job: `options` are the job-worker options of job_worker.h, the
    /// child's stdin is `input_fd` and its stdout `output_fd` (both duplicated into the fork
    /// server; the caller closes its copies). Restarts the fork server first when it has died.
    /// Returns the job's token for signal(). Throws std::runtime_error when the fork server
    /// cannot be (re)started or reached.
    std::uint64_t run(const std::vector<std::string>& options, std::size_t memory_limit_bytes,
                      int input_fd, int output_fd);
    /// Sends `signo` to the job's child if it is still running. The fork server, its parent,
    /// sends it, so a pid reused after the child ended is never hit.
    void signal(std::uint64_t token, int signo);
    /// Kills the fork server (and with it every running child); the next run() restarts it.
    /// For a fork server that stopped answering.
    void kill_server();
    /// Process id of the running fork server, -1 when none (tests, logs).
    pid_t pid() const;

   private:
    void start_locked();
    void stop_locked(bool kill_first);
    bool send_locked(const std::string& message, const int* fds, std::size_t fd_count);

    ForkServerCommand command_;
    mutable std::mutex mutex_;
    pid_t pid_ = -1;
    int socket_ = -1;
    std::uint64_t next_token_ = 1;
};

}  // namespace swarm::service
