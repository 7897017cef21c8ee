#include "service/job_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <thread>

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

/// Child side between fork and exec: async-signal-safe calls only.
[[noreturn]] void exec_child(int stdin_fd, int stdout_fd, pid_t parent, char* const* argv,
                             const rlimit* memory) {
    if (::dup2(stdin_fd, 0) < 0 || ::dup2(stdout_fd, 1) < 0) _exit(127);
    // Nothing else of the server's (listening socket, database, other jobs' pipes) leaks in.
    ::close_range(3, ~0U, 0);
    // The job dies with the server instead of running on as an orphan.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) _exit(127);
    if (memory) ::setrlimit(RLIMIT_DATA, memory);
    ::execv(argv[0], argv);
    _exit(127);
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
        }
    }
    const std::function<void(double, int)>& progress_;
    std::string buffer_;
};

/// SIGTERM once asked to stop, SIGKILL `kill_after` later.
class Stopper {
   public:
    Stopper(pid_t pid, const WorkerHooks& hooks) : pid_(pid), hooks_(hooks) {}
    void poll() {
        if (!asked_ && hooks_.should_stop && hooks_.should_stop()) {
            asked_ = true;
            asked_at_ = Clock::now();
            ::kill(pid_, SIGTERM);
        }
        if (asked_ && !killed_ && Clock::now() - asked_at_ >= hooks_.kill_after) {
            killed_ = true;
            ::kill(pid_, SIGKILL);
        }
    }
    bool asked() const { return asked_; }

   private:
    pid_t pid_;
    const WorkerHooks& hooks_;
    bool asked_ = false;
    Clock::time_point asked_at_{};
    bool killed_ = false;
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

WorkerOutcome verdict(int status, const Protocol& protocol, bool stop_asked) {
    WorkerOutcome outcome;
    const bool exited = WIFEXITED(status);
    if (exited && WEXITSTATUS(status) == 0 && protocol.result) {
        outcome.kind = WorkerOutcome::Kind::Done;
        outcome.result_json = *protocol.result;
    } else if (stop_asked) {
        outcome.kind = WorkerOutcome::Kind::Stopped;
    } else if (exited && WEXITSTATUS(status) == cli::kWorkerExitFailed && protocol.error) {
        outcome.kind = WorkerOutcome::Kind::Failed;
        outcome.error = *protocol.error;
    } else {
        outcome.kind = WorkerOutcome::Kind::Crashed;
        outcome.error = describe_exit(status);
    }
    return outcome;
}

}  // namespace

WorkerOutcome run_worker(const WorkerCommand& command, const std::string& input,
                         const WorkerHooks& hooks) {
    // Everything the child needs exists before fork: after it, no allocation.
    std::vector<std::string> args = {command.binary.string()};
    args.insert(args.end(), command.arguments.begin(), command.arguments.end());
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const rlimit memory{command.memory_limit_bytes, command.memory_limit_bytes};
    const rlimit* memory_limit = command.memory_limit_bytes > 0 ? &memory : nullptr;

    Fd stdin_file = input_file(input);
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) fail("pipe2");
    Fd read_end(pipe_fds[0]);
    Fd write_end(pipe_fds[1]);
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) fail("fork");
    if (pid == 0) exec_child(stdin_file.get(), write_end.get(), parent, argv.data(), memory_limit);
    write_end.reset();
    stdin_file.reset();

    Protocol protocol(hooks.progress);
    Stopper stopper(pid, hooks);
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
    // The pipe is closed: the worker has ended or is about to (or closed stdout and hangs,
    // which the stopper still bounds).
    int status = 0;
    for (pid_t r; (r = ::waitpid(pid, &status, WNOHANG)) == 0 || (r < 0 && errno == EINTR);) {
        stopper.poll();
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return verdict(status, protocol, stopper.asked());
}

}  // namespace swarm::service
