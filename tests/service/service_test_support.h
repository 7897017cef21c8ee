// Shared fixtures of the service tests: temporary directories, small incidents, an in-process
// service on a free loopback port (stopped and joined by its destructor), and the real
// `swarm serve` binary as a child process for the kill/restart and SIGTERM tests.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "service/data_paths.h"
#include "service/service_app.h"

namespace swarm::test {

using nlohmann::json;
using namespace std::chrono_literals;

/// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
   public:
    TempDir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "swarm-service-test-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

   private:
    std::filesystem::path path_;
};

inline std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

inline void write_file(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

inline json shipped_incident() {
    return json::parse(read_file(std::filesystem::path(SWARM_SOURCE_DATA_DIR) / "incidents" /
                                 "scenario1-low-fcs.json"));
}

/// The shipped scenario cut down to one sample and 0.3 simulated seconds: a few milliseconds.
inline json tiny_incident(const std::string& name = "tiny") {
    json incident = shipped_incident();
    incident["name"] = name;
    incident["traffic"]["duration_s"] = 0.3;
    incident["traffic"]["measure_window_s"] = {0.1, 0.2};
    incident["estimator"]["traffic_samples"] = 1;
    incident["estimator"]["routing_samples"] = 1;
    return incident;
}

/// Slow enough to be caught in the middle (several seconds on a busy 2-core machine), with
/// progress reported after every sample.
inline json slow_incident(const std::string& name = "slow", int samples = 10) {
    json incident = shipped_incident();
    incident["name"] = name;
    incident["estimator"]["traffic_samples"] = samples;
    incident["estimator"]["routing_samples"] = samples;
    return incident;
}

inline service::ServeConfig test_config(const std::filesystem::path& dir) {
    service::ServeConfig config;
    config.http.host = "127.0.0.1";
    config.http.port = 0;
    config.http.threads = 8;
    config.jobs.db_path = dir / "jobs.db";
    config.jobs.data_dir = SWARM_SOURCE_DATA_DIR;
    config.jobs.workers = 1;
    config.jobs.threads_per_job = 2;
    // As `swarm serve` without --tables, so that the service and the CLI rank alike.
    config.jobs.tables_dir =
        std::filesystem::path(SWARM_SOURCE_DATA_DIR) / "tables" / cli::kDefaultTableSet;
    config.jobs.worker_binary = SWARM_BINARY;
    // The JSON logs are checked against `swarm serve` (RestConventions); here they would only
    // bury the test output.
    config.http.access_log = false;
    config.jobs.log_events = false;
    return config;
}

inline std::unique_ptr<httplib::Client> client_for(
    int port, std::optional<std::string> token = std::nullopt) {
    auto client = std::make_unique<httplib::Client>("127.0.0.1", port);
    client->set_read_timeout(120, 0);
    client->set_write_timeout(30, 0);
    client->set_connection_timeout(10, 0);
    if (token) client->set_bearer_token_auth(token->c_str());
    return client;
}

/// The service in this process on a free port; stops (no grace) and joins on destruction.
class TestServer {
   public:
    explicit TestServer(const std::function<void(service::ServeConfig&)>& adjust = {}) {
        service::ServeConfig config = test_config(dir_.path());
        if (adjust) adjust(config);
        app_ = std::make_unique<service::ServiceApp>(config);
        app_->start();
    }
    ~TestServer() { app_->stop(0ms); }
    int port() const { return app_->port(); }
    std::unique_ptr<httplib::Client> client(std::optional<std::string> token = std::nullopt) const {
        return client_for(port(), std::move(token));
    }
    service::ServiceApp& app() { return *app_; }
    const TempDir& dir() const { return dir_; }

   private:
    TempDir dir_;
    std::unique_ptr<service::ServiceApp> app_;
};

inline httplib::Result post_incident(httplib::Client& client, const json& incident,
                                     const std::string& query = "",
                                     const httplib::Headers& headers = {}) {
    return client.Post(("/v1/rankings" + query).c_str(), headers, incident.dump(),
                       "application/json");
}

/// Polls GET ?wait until the job reaches a terminal status (or `timeout`); returns the last
/// body. Like a well-behaved client it pauses when the server answers with Retry-After.
inline json wait_terminal(httplib::Client& client, const std::string& id,
                          std::chrono::seconds timeout = 120s) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    json job;
    while (std::chrono::steady_clock::now() < until) {
        auto res = client.Get(("/v1/rankings/" + id + "?wait=5").c_str());
        if (res && res->status == 200) {
            job = json::parse(res->body);
            const std::string status = job["status"];
            if (status == "done" || status == "failed" || status == "cancelled") return job;
            // Answered without waiting (too many waiters): back off as Retry-After asks.
            if (res->has_header("Retry-After")) std::this_thread::sleep_for(200ms);
        } else {
            std::this_thread::sleep_for(50ms);
        }
    }
    return job;
}

/// Polls GET until the job is running with some progress.
inline bool wait_running(httplib::Client& client, const std::string& id,
                         std::chrono::seconds timeout = 60s) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
        auto res = client.Get(("/v1/rankings/" + id).c_str());
        if (res && res->status == 200) {
            const json job = json::parse(res->body);
            if (job["status"] == "running" && job["progress"].get<double>() > 0.0) return true;
            if (job["status"] != "queued" && job["status"] != "running") return false;
        }
        std::this_thread::sleep_for(20ms);
    }
    return false;
}

/// GET /metrics until it contains every one of `series` (request counters are updated just
/// after a response is written, so a client can be a moment ahead of them); returns the text.
inline std::string metrics_with(httplib::Client& client, const std::vector<std::string>& series,
                                std::chrono::seconds timeout = 10s) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    std::string text;
    while (std::chrono::steady_clock::now() < until) {
        auto res = client.Get("/metrics");
        if (res && res->status == 200) {
            text = res->body;
            bool all = true;
            for (const std::string& s : series) all = all && text.find(s) != std::string::npos;
            if (all) return text;
        }
        std::this_thread::sleep_for(20ms);
    }
    return text;
}

/// The JSON contract without the one field that differs between runs, and without the
/// per-candidate explanations that only `swarm rank` adds (docs/api.md, "Explanations"), so the
/// CLI's result compares with the REST service's and the embedded library's.
inline json without_elapsed(json result) {
    result.erase("elapsed_s");
    if (result.contains("ranking")) {
        for (json& entry : result["ranking"]) entry.erase("explanation");
    }
    return result;
}

struct CommandResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

/// Runs a command line through /bin/sh with stdout and stderr captured to files.
inline CommandResult run_command(const std::string& command, const std::filesystem::path& scratch) {
    const auto out = scratch / "cmd.stdout";
    const auto err = scratch / "cmd.stderr";
    const int status = std::system((command + " >" + out.string() + " 2>" + err.string()).c_str());
    CommandResult result;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.out = read_file(out);
    result.err = read_file(err);
    return result;
}

/// `swarm serve` as a child process on a free port, stderr in a file. The destructor kills it
/// (SIGKILL) if it still runs.
class ChildServer {
   public:
    ChildServer(const std::filesystem::path& db, const std::filesystem::path& log,
                std::vector<std::string> extra = {}) {
        std::vector<std::string> args = {SWARM_BINARY,
                                         "serve",
                                         "--port",
                                         "0",
                                         "--db",
                                         db.string(),
                                         "--data-dir",
                                         SWARM_SOURCE_DATA_DIR,
                                         "--threads-per-job",
                                         "2"};
        args.insert(args.end(), extra.begin(), extra.end());
        // Everything the child needs is prepared before fork: after it, only async-signal-safe
        // calls.
        std::vector<char*> argv;
        for (std::string& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        const std::string log_path = log.string();
        pid_ = fork();
        if (pid_ == 0) {
            const int fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (fd >= 0) dup2(fd, 2);
            execv(argv[0], argv.data());
            _exit(127);
        }
        // The port is in the start-up line: "serving on http://127.0.0.1:<port> (...", and
        // the health port, if any, in "health on port <port>".
        const auto until = std::chrono::steady_clock::now() + 30s;
        while (std::chrono::steady_clock::now() < until && port_ == 0 && !reaped_) {
            const std::string text = read_file(log);
            const std::size_t at = text.find("serving on http://127.0.0.1:");
            if (at != std::string::npos) port_ = std::atoi(text.c_str() + at + 28);
            const std::size_t health = text.find("health on port ");
            if (health != std::string::npos) health_port_ = std::atoi(text.c_str() + health + 15);
            int status = 0;
            if (port_ == 0 && waitpid(pid_, &status, WNOHANG) == pid_) {
                reaped_ = true;
                exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
            }
            if (port_ == 0) std::this_thread::sleep_for(20ms);
        }
    }
    ~ChildServer() {
        if (pid_ > 0 && !reaped_) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
        }
    }
    ChildServer(const ChildServer&) = delete;
    ChildServer& operator=(const ChildServer&) = delete;

    int port() const { return port_; }
    int health_port() const { return health_port_; }
    pid_t pid() const { return pid_; }
    /// The exit code when the server ended before it served (e.g. refused to start).
    std::optional<int> exit_code() const { return exit_code_; }
    /// Sends `signal` and waits for the exit; returns the exit code, or -signal if killed.
    int signal_and_wait(int signal, std::chrono::seconds timeout = 60s) {
        kill(pid_, signal);
        const auto until = std::chrono::steady_clock::now() + timeout;
        int status = 0;
        while (std::chrono::steady_clock::now() < until) {
            if (waitpid(pid_, &status, WNOHANG) == pid_) {
                reaped_ = true;
                return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
            }
            std::this_thread::sleep_for(20ms);
        }
        return -1000;  // did not exit in time; the destructor kills it
    }

   private:
    pid_t pid_ = -1;
    int port_ = 0;
    int health_port_ = 0;
    bool reaped_ = false;
    std::optional<int> exit_code_;
};

}  // namespace swarm::test
