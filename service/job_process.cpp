#include "service/job_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <stdexcept>

#include "service/job_worker.h"

namespace swarm::service {

namespace {

using Clock = std::chrono::steady_clock;

/// A file descriptor closed on scope exit.
class Fd {
   public:
    explicit Fd(int fd = -1) : fd_(fd) {}
    ~Fd() { reset(); }
    Fd(Fd&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }
    void reset() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

   private:
    int fd_;
};

[[noreturn]] void fail(const char* what) {
    throw std::runtime_error(std::string("cannot start a job worker: ") + what + ": " +
                             std::strerror(errno));
}

/// The incident in an anonymous in-memory file, rewound: the child's stdin. Unlike a pipe it
/// needs no writer running alongside the reader, whatever the size.
Fd input_file(const std::string& input) {
    Fd fd(memfd_create("swarm-job-input", MFD_CLOEXEC));
    if (fd.get() < 0) fail("memfd_create");
    for (std::size_t done = 0; done < input.size();) {
        const ssize_t n = ::write(fd.get(), input.data() + done, input.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) fail("write");
        done += static_cast<std::size_t>(n);
    }
    if (::lseek(fd.get(), 0, SEEK_SET) != 0) fail("lseek");
    return fd;
}

/// Reads the worker's lines as they come.
class Protocol {
   public:
    explicit Protocol(const std::function<void(double, int)>& progress) : progress_(progress) {}
    void feed(const char* data, std::size_t size) {
        buffer_.append(data, size);
        std::size_t start = 0;
        for (std::size_t end; (end = buffer_.find('\n', start)) != std::string::npos;
             start = end + 1)
            line(buffer_.substr(start, end - start));
        buffer_.erase(0, start);
    }
    std::optional<std::string> result;
    std::optional<std::string> error;
    std::optional<int> exit_status;          ///< from the fork server, once it reaped the child
    std::optional<std::string> spawn_error;  ///< from the fork server: no child was started

   private:
    void line(const std::string& text) {
        const std::size_t space = text.find(' ');
        const std::string kind = text.substr(0, space);
        const std::string payload = space == std::string::npos ? "" : text.substr(space + 1);
        if (kind == "progress" && progress_) {
            char* rest = nullptr;
            const double fraction = std::strtod(payload.c_str(), &rest);
            progress_(fraction, static_cast<int>(std::strtol(rest, nullptr, 10)));
        } else if (kind == "result") {
            result = payload;
        } else if (kind == "error") {
            error = payload;
        } else if (kind == "exit") {
            exit_status = static_cast<int>(std::strtol(payload.c_str(), nullptr, 10));
        } else if (kind == "spawn-failed") {
            spawn_error = payload;
        }
    }
    const std::function<void(double, int)>& progress_;
    std::string buffer_;
};

/// SIGTERM once asked to stop, SIGKILL `kill_after` later (both sent by the fork server, the
/// child's parent). A child still not reaped another `kill_after` later means the fork server
/// itself no longer answers: it is killed (its children with it) and restarted for the next job.
class Stopper {
   public:
    Stopper(ForkServer& forks, std::uint64_t token, const WorkerHooks& hooks)
        : forks_(forks), token_(token), hooks_(hooks) {}
    void poll() {
        if (!asked_ && hooks_.should_stop && hooks_.should_stop()) {
            asked_ = true;
            asked_at_ = Clock::now();
            forks_.signal(token_, SIGTERM);
        }
        if (!asked_) return;
        const auto since = Clock::now() - asked_at_;
        if (step_ == 0 && since >= hooks_.kill_after) {
            step_ = 1;
            forks_.signal(token_, SIGKILL);
        }
        if (step_ == 1 && since >= 2 * hooks_.kill_after) {
            step_ = 2;
            forks_.kill_server();
        }
    }
    bool asked() const { return asked_; }

   private:
    ForkServer& forks_;
    std::uint64_t token_;
    const WorkerHooks& hooks_;
    bool asked_ = false;
    Clock::time_point asked_at_{};
    int step_ = 0;  ///< 0: SIGTERM at most, 1: SIGKILL sent, 2: fork server killed
};

std::string describe_exit(int status) {
    if (WIFSIGNALED(status)) {
        const int signal = WTERMSIG(status);
        const char* name = sigdescr_np(signal);
        return "the estimator crashed (signal " + std::to_string(signal) + ", " +
               (name ? name : "unknown") + ")";
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) return "the job worker could not start";
    return "the job worker exited with status " +
           std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + " and no result";
}

WorkerOutcome verdict(const Protocol& protocol, bool stop_asked) {
    WorkerOutcome outcome;
    const std::optional<int> status = protocol.exit_status;
    const bool exited = status && WIFEXITED(*status);
    if (exited && WEXITSTATUS(*status) == 0 && protocol.result) {
        outcome.kind = WorkerOutcome::Kind::Done;
        outcome.result_json = *protocol.result;
    } else if (stop_asked) {
        outcome.kind = WorkerOutcome::Kind::Stopped;
    } else if (exited && WEXITSTATUS(*status) == cli::kWorkerExitFailed && protocol.error) {
        outcome.kind = WorkerOutcome::Kind::Failed;
        outcome.error = *protocol.error;
    } else {
        outcome.kind = WorkerOutcome::Kind::Crashed;
        outcome.error = status                 ? describe_exit(*status)
                        : protocol.spawn_error ? "the job could not start: " + *protocol.spawn_error
                                               : "the fork server (swarm job-worker) ended before "
                                                 "the job did";
    }
    return outcome;
}

}  // namespace

WorkerOutcome run_worker(ForkServer& forks, const WorkerCommand& command, const std::string& input,
                         const WorkerHooks& hooks) {
    Fd stdin_file = input_file(input);
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) fail("pipe2");
    Fd read_end(pipe_fds[0]);
    Fd write_end(pipe_fds[1]);
    const std::uint64_t token =
        forks.run(command.arguments, command.memory_limit_bytes, stdin_file.get(), write_end.get());
    write_end.reset();
    stdin_file.reset();

    // The stdout reaches its end once the child has ended and the fork server has written its
    // verdict (or the fork server is gone).
    Protocol protocol(hooks.progress);
    Stopper stopper(forks, token, hooks);
    char chunk[65536];
    for (bool open = true; open;) {
        pollfd p{read_end.get(), POLLIN, 0};
        const int ready = ::poll(&p, 1, 100);
        if (ready > 0) {
            const ssize_t n = ::read(read_end.get(), chunk, sizeof chunk);
            if (n > 0) protocol.feed(chunk, static_cast<std::size_t>(n));
            open = n > 0 || (n < 0 && errno == EINTR);
        }
        stopper.poll();
    }
    return verdict(protocol, stopper.asked());
}

}  // namespace swarm::service
