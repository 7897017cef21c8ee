#include "tools/tables/ns3/runner.h"

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <stdexcept>

namespace swarm::ns3tables {

ResultCache::ResultCache(std::filesystem::path file) : file_(std::move(file)) {
    if (file_.empty()) {
        return;  // in memory only
    }
    if (file_.has_parent_path()) {
        std::filesystem::create_directories(file_.parent_path());
    }
    std::ifstream in(file_);
    std::string line;
    while (std::getline(in, line)) {
        const auto tab = line.find('\t');
        // Only complete lines count: the writer ends every record with "\t.".
        if (tab == std::string::npos || line.size() < tab + 3 ||
            line.compare(line.size() - 2, 2, "\t.") != 0) {
            continue;
        }
        values_[line.substr(0, tab)] = line.substr(tab + 1, line.size() - tab - 3);
    }
    out_.open(file_, std::ios::app);
    if (!out_) {
        throw std::runtime_error(file_.string() + ": cannot open for appending");
    }
}

const std::string& ResultCache::get(const std::string& key) const {
    const auto it = values_.find(key);
    if (it == values_.end()) {
        throw std::runtime_error("no result for job '" + key + "'");
    }
    return it->second;
}

void ResultCache::put(const std::string& key, const std::string& value) {
    values_[key] = value;
    if (out_.is_open()) {
        out_ << key << '\t' << value << "\t.\n" << std::flush;
    }
}

namespace {

struct Child {
    pid_t pid = -1;
    int fd = -1;
    const Job* job = nullptr;
    std::string output;
};

/// Forks a child that runs the job and writes its result (or "ERROR <what>") to a pipe.
Child spawn(const Job& job) {
    int fds[2];
    if (pipe(fds) != 0) {
        throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    }
    std::cout.flush();
    std::fflush(nullptr);  // or the child would inherit, and never write, buffered output
    const pid_t pid = fork();
    if (pid < 0) {
        throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    }
    if (pid == 0) {
        close(fds[0]);
        std::string text;
        int status = 0;
        try {
            text = job.work();
        } catch (const std::exception& e) {
            text = std::string("ERROR ") + e.what();
            status = 1;
        }
        for (std::size_t done = 0; done < text.size();) {
            const ssize_t n = write(fds[1], text.data() + done, text.size() - done);
            if (n <= 0) {
                _exit(2);
            }
            done += static_cast<std::size_t>(n);
        }
        _exit(status);  // no destructors, no atexit: ns-3's teardown is not needed
    }
    close(fds[1]);
    return Child{pid, fds[0], &job, {}};
}

/// Reads what is available; returns false at end of file.
bool drain(Child& child) {
    char buffer[4096];
    const ssize_t n = read(child.fd, buffer, sizeof buffer);
    if (n > 0) {
        child.output.append(buffer, static_cast<std::size_t>(n));
        return true;
    }
    return n < 0 && errno == EINTR;
}

void finish(Child& child, ResultCache& cache) {
    close(child.fd);
    int status = 0;
    while (waitpid(child.pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || child.output.empty() ||
        child.output.find('\n') != std::string::npos) {
        throw std::runtime_error("job '" + child.job->key + "' failed (status " +
                                 std::to_string(status) + "): " + child.output);
    }
    cache.put(child.job->key, child.output);
}

class Progress {
   public:
    Progress(std::string label, std::size_t total) : label_(std::move(label)), total_(total) {}
    void tick() {
        ++done_;
        const double elapsed = seconds();
        if (done_ == total_ || elapsed - last_report_ >= 30.0) {
            last_report_ = elapsed;
            const double eta =
                elapsed / static_cast<double>(done_) * static_cast<double>(total_ - done_);
            std::fprintf(stderr, "[%s] %zu/%zu jobs, %.0f s elapsed, ~%.0f s left\n",
                         label_.c_str(), done_, total_, elapsed, eta);
        }
    }

   private:
    double seconds() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    }
    std::string label_;
    std::size_t total_;
    std::size_t done_ = 0;
    double last_report_ = 0.0;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace

void run_jobs(const std::vector<Job>& jobs, int parallel, ResultCache& cache,
              const std::string& label) {
    std::vector<const Job*> todo;
    for (const Job& job : jobs) {
        if (!cache.has(job.key)) {
            todo.push_back(&job);
        }
    }
    if (todo.empty()) {
        return;
    }
    std::fprintf(stderr, "[%s] %zu jobs (%zu cached), %d in parallel\n", label.c_str(), todo.size(),
                 jobs.size() - todo.size(), parallel);
    Progress progress(label, todo.size());
    std::vector<Child> running;
    std::size_t next = 0;
    while (next < todo.size() || !running.empty()) {
        while (next < todo.size() && static_cast<int>(running.size()) < parallel) {
            running.push_back(spawn(*todo[next++]));
        }
        std::vector<pollfd> fds;
        for (const Child& c : running) {
            fds.push_back({c.fd, POLLIN, 0});
        }
        if (poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) {
            throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
        }
        for (std::size_t i = running.size(); i-- > 0;) {
            if (fds[i].revents == 0 || drain(running[i])) {
                continue;
            }
            finish(running[i], cache);
            running.erase(running.begin() + static_cast<std::ptrdiff_t>(i));
            progress.tick();
        }
    }
}

}  // namespace swarm::ns3tables
