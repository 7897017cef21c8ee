#include "service/job_zygote.h"

#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <sstream>
#include <vector>

#include "service/job_worker.h"

namespace swarm::cli {

namespace {

/// One request of the server (fork_server.h has the wire format).
struct Request {
    std::string kind;  ///< "run" or "signal"
    std::uint64_t token = 0;
    std::uint64_t value = 0;           ///< run: the memory limit in bytes; signal: the signal
    std::vector<std::string> options;  ///< run: the job's options
    std::vector<int> fds;              ///< run: the job's stdin and stdout
};

struct Child {
    pid_t pid;
    int output;  ///< the job's stdout: the verdict goes there once the child is reaped
};

std::vector<int> received_fds(msghdr& header) {
    std::vector<int> fds;
    for (cmsghdr* c = CMSG_FIRSTHDR(&header); c != nullptr; c = CMSG_NXTHDR(&header, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
        const std::size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (std::size_t i = 0; i < count; ++i) {
            int fd;
            std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
            fds.push_back(fd);
        }
    }
    return fds;
}

/// Receives one request; false once the server has closed the socket (or it failed).
bool receive(int socket, Request& request) {
    std::vector<char> buffer(std::size_t{1} << 16);
    iovec data{buffer.data(), buffer.size()};
    alignas(cmsghdr) char control[CMSG_SPACE(4 * sizeof(int))];
    msghdr header{};
    header.msg_iov = &data;
    header.msg_iovlen = 1;
    header.msg_control = control;
    header.msg_controllen = sizeof control;
    ssize_t n;
    do {
        n = ::recvmsg(socket, &header, MSG_CMSG_CLOEXEC);
    } while (n < 0 && errno == EINTR);
    if (n <= 0) return false;
    request = Request{};
    request.fds = received_fds(header);
    const std::string text(buffer.data(), static_cast<std::size_t>(n));
    const std::size_t newline = text.find('\n');
    std::istringstream head(text.substr(0, newline));
    head >> request.kind >> request.token >> request.value;
    if (newline == std::string::npos) return true;
    for (std::size_t start = newline + 1, end; start < text.size(); start = end + 1) {
        end = text.find('\0', start);
        if (end == std::string::npos) end = text.size();
        request.options.push_back(text.substr(start, end - start));
    }
    return true;
}

/// The job's options, parsed into `args` by `parser` (add_job_options), both built by the fork
/// server once: building a CLI11 parser took about a millisecond of every job. Then the job.
[[noreturn]] void run_job_with_options(const std::vector<std::string>& options, CLI::App& parser,
                                       JobArguments& args, JobResources& resources) {
    try {
        std::vector<std::string> words = {"job"};
        words.insert(words.end(), options.begin(), options.end());
        std::vector<char*> argv;
        for (std::string& word : words) argv.push_back(word.data());
        parser.parse(static_cast<int>(argv.size()), argv.data());
    } catch (const std::exception& e) {
        std::printf("error bad job options: %s\n", e.what());
        std::fflush(stdout);
        _exit(kWorkerExitFailed);
    }
    run_job_and_exit(args, resources);
}

/// In the new child: become the job's process, run the job, exit.
[[noreturn]] void run_child(const Request& request, pid_t fork_server, CLI::App& parser,
                            JobArguments& args, JobResources& resources) {
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGPIPE, SIG_DFL);
    if (::dup2(request.fds[0], 0) < 0 || ::dup2(request.fds[1], 1) < 0) _exit(127);
    // Nothing of the fork server's (its socket, other jobs' stdout) stays open in the job.
    ::close_range(3, ~0U, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != fork_server) _exit(127);
    if (request.value > 0) {
        const rlimit memory{request.value, request.value};
        ::setrlimit(RLIMIT_DATA, &memory);
    }
    run_job_with_options(request.options, parser, args, resources);
}

/// TBB's one-time start (its allocator, loaded with dlopen, and its thread manager), done once
/// here rather than in every child. An arena of one slot runs on this thread alone: no worker
/// thread is started, and the fork server stays single-threaded (children start theirs).
void start_tbb() {
    tbb::task_arena arena(1);
    arena.execute([] { tbb::parallel_for(0, 1, [](int) {}); });
}

void close_all(const std::vector<int>& fds) {
    for (int fd : fds) ::close(fd);
}

class ForkLoop {
   public:
    explicit ForkLoop(JobResources& resources) : resources_(resources), self_(::getpid()) {
        add_job_options(parser_, args_);
    }

    void handle(const Request& request) {
        if (request.kind == "run" && request.fds.size() == 2) return start(request);
        close_all(request.fds);
        if (request.kind != "signal") return;
        const auto child = running_.find(request.token);
        if (child != running_.end()) ::kill(child->second.pid, static_cast<int>(request.value));
    }

    /// Reaps every child that has ended and sends its verdict.
    void reap() {
        int status = 0;
        for (pid_t pid; (pid = ::waitpid(-1, &status, WNOHANG)) > 0;) {
            for (auto it = running_.begin(); it != running_.end(); ++it) {
                if (it->second.pid != pid) continue;
                // The newline ends a line the child left unfinished when it was killed.
                ::dprintf(it->second.output, "\nexit %d\n", status);
                ::close(it->second.output);
                running_.erase(it);
                break;
            }
        }
    }

   private:
    void start(const Request& request) {
        const pid_t pid = ::fork();
        if (pid == 0) run_child(request, self_, parser_, args_, resources_);
        ::close(request.fds[0]);
        if (pid < 0) {
            ::dprintf(request.fds[1], "\nspawn-failed fork: %s\n", std::strerror(errno));
            ::close(request.fds[1]);
            return;
        }
        running_[request.token] = Child{pid, request.fds[1]};
    }

    JobResources& resources_;
    const pid_t self_;
    JobArguments args_;  ///< parsed into by each child, in its own copy
    CLI::App parser_;
    std::map<std::uint64_t, Child> running_;
};

}  // namespace

CLI::App* add_job_worker_command(CLI::App& app, ForkServerArguments& args) {
    CLI::App* worker =
        app.add_subcommand("job-worker", "The fork server of swarm serve (internal)");
    worker->group("");  // hidden from --help
    worker->add_option("--data-dir", args.data_dir);
    worker->add_option("--tables", args.tables);
    return worker;
}

int run_job_worker(const ForkServerArguments& args) {
    JobResources resources(args.data_dir, args.tables);
    start_tbb();
    ForkLoop loop(resources);
    // Free heap pages go back to the system: a job's allocations then get fresh pages rather
    // than copies of the fork server's (copy-on-write faults were a fifth of a small job).
    ::malloc_trim(0);
    // A job's stdout whose reader is gone gives EPIPE here, not the end of every job.
    ::signal(SIGPIPE, SIG_IGN);
    sigset_t children;
    sigemptyset(&children);
    sigaddset(&children, SIGCHLD);
    ::sigprocmask(SIG_BLOCK, &children, nullptr);
    const int children_fd = ::signalfd(-1, &children, SFD_CLOEXEC | SFD_NONBLOCK);
    if (children_fd < 0) {
        std::perror("swarm job-worker: signalfd");
        return 1;
    }
    for (;;) {
        pollfd watched[2] = {{0, POLLIN, 0}, {children_fd, POLLIN, 0}};
        if (::poll(watched, 2, -1) < 0) {
            if (errno == EINTR) continue;
            std::perror("swarm job-worker: poll");
            return 1;
        }
        if (watched[1].revents & POLLIN) {
            signalfd_siginfo info;
            while (::read(children_fd, &info, sizeof info) > 0) {
            }
            loop.reap();
        }
        if (watched[0].revents != 0) {
            Request request;
            if (!receive(0, request)) return 0;  // the server is gone; the children follow
            loop.handle(request);
        }
    }
}

}  // namespace swarm::cli
