#include "service/fork_server.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace swarm::service {

namespace {

[[noreturn]] void fail(const char* what) {
    throw std::runtime_error(std::string("cannot start the fork server (swarm job-worker): ") +
                             what + ": " + std::strerror(errno));
}

/// Child side between fork and exec: async-signal-safe calls only.
[[noreturn]] void exec_fork_server(int control_fd, pid_t parent, char* const* argv,
                                   char* const* envp) {
    if (::dup2(control_fd, 0) < 0) _exit(127);
    // Nothing of the server's (listening sockets, the database, job pipes) leaks in.
    ::close_range(3, ~0U, 0);
    // The fork server, and through it every job, dies with the server. (The signal comes when
    // the forking *thread* ends: the thread that built the ForkServer, or a pool worker that
    // restarted it; both outlive every job.)
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) _exit(127);
    // The server blocks SIGTERM and SIGINT in every thread; the fork server starts clean.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execve(argv[0], argv, envp);
    _exit(127);
}

}  // namespace

ForkServer::ForkServer(ForkServerCommand command) : command_(std::move(command)) {
    const std::lock_guard lock(mutex_);
    start_locked();
}

ForkServer::~ForkServer() {
    const std::lock_guard lock(mutex_);
    stop_locked(false);
}

void ForkServer::start_locked() {
    std::vector<std::string> args = {command_.binary.string(), "job-worker", "--data-dir",
                                     command_.data_dir.string()};
    if (!command_.tables_dir.empty())
        args.insert(args.end(), {"--tables", command_.tables_dir.string()});
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    // The dynamic linker resolves every symbol at start (LD_BIND_NOW) rather than at each first
    // call: once in the fork server instead of again in every child.
    std::vector<std::string> environment = {"LD_BIND_NOW=1"};
    for (char** entry = environ; *entry != nullptr; ++entry) {
        if (std::strncmp(*entry, "LD_BIND_NOW=", 12) != 0) environment.emplace_back(*entry);
    }
    std::vector<char*> envp;
    for (std::string& e : environment) envp.push_back(e.data());
    envp.push_back(nullptr);

    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0) fail("socketpair");
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        fail("fork");
    }
    if (pid == 0) exec_fork_server(fds[1], parent, argv.data(), envp.data());
    ::close(fds[1]);
    socket_ = fds[0];
    pid_ = pid;
}

void ForkServer::stop_locked(bool kill_first) {
    if (socket_ >= 0) ::close(socket_);  // the fork server exits at end of input
    socket_ = -1;
    if (pid_ < 0) return;
    if (kill_first) ::kill(pid_, SIGKILL);
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() >= until) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    pid_ = -1;
}

bool ForkServer::send_locked(const std::string& message, const int* fds, std::size_t fd_count) {
    iovec data{const_cast<char*>(message.data()), message.size()};
    msghdr header{};
    header.msg_iov = &data;
    header.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(2 * sizeof(int))] = {};
    if (fd_count > 0) {
        header.msg_control = control;
        header.msg_controllen = CMSG_SPACE(fd_count * sizeof(int));
        cmsghdr* rights = CMSG_FIRSTHDR(&header);
        rights->cmsg_level = SOL_SOCKET;
        rights->cmsg_type = SCM_RIGHTS;
        rights->cmsg_len = CMSG_LEN(fd_count * sizeof(int));
        std::memcpy(CMSG_DATA(rights), fds, fd_count * sizeof(int));
    }
    for (;;) {
        const ssize_t sent = ::sendmsg(socket_, &header, MSG_NOSIGNAL);
        if (sent >= 0) return static_cast<std::size_t>(sent) == message.size();
        if (errno != EINTR) return false;
    }
}

std::uint64_t ForkServer::run(const std::vector<std::string>& options,
                              std::size_t memory_limit_bytes, int input_fd, int output_fd) {
    const int fds[2] = {input_fd, output_fd};
    const std::lock_guard lock(mutex_);
    const std::uint64_t token = next_token_++;
    std::string message =
        "run " + std::to_string(token) + " " + std::to_string(memory_limit_bytes) + "\n";
    for (const std::string& option : options) message.append(option).push_back('\0');
    for (int attempt = 0; attempt < 2; ++attempt) {
        int status = 0;
        if (pid_ > 0 && ::waitpid(pid_, &status, WNOHANG) == pid_) pid_ = -1;  // it died
        if (pid_ < 0) {
            stop_locked(false);
            start_locked();
        }
        if (send_locked(message, fds, 2)) return token;
        stop_locked(true);  // unreachable: kill it and start afresh
    }
    throw std::runtime_error("cannot reach the fork server (swarm job-worker): " +
                             std::string(std::strerror(errno)));
}

void ForkServer::signal(std::uint64_t token, int signo) {
    const std::lock_guard lock(mutex_);
    if (socket_ < 0) return;
    // A fork server that is gone took the child with it: nothing left to signal.
    send_locked("signal " + std::to_string(token) + " " + std::to_string(signo), nullptr, 0);
}

void ForkServer::kill_server() {
    const std::lock_guard lock(mutex_);
    stop_locked(true);
}

pid_t ForkServer::pid() const {
    const std::lock_guard lock(mutex_);
    return pid_;
}

}  // namespace swarm::service
