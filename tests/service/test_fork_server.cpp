// The fork server (service/fork_server.h, service/job_zygote.h) on a real `swarm serve`: jobs
// run in children of one long-lived `swarm job-worker` process, a job whose child is killed is
// retried and then quarantined, a killed fork server is restarted and the next job runs, and
// nothing of a job is left behind. (The REST result equal to the CLI's for the same seed is
// RestApi.*MatchesTheCli*, test_rest_api.cpp, which now runs through the fork server.)
#include <dirent.h>

#include "service_test_support.h"

namespace swarm::test {
namespace {

/// The processes whose parent is `parent`, from /proc/<pid>/stat.
std::vector<pid_t> children_of(pid_t parent) {
    std::vector<pid_t> children;
    DIR* proc = opendir("/proc");
    if (proc == nullptr) return children;
    while (const dirent* entry = readdir(proc)) {
        const pid_t pid = std::atoi(entry->d_name);
        if (pid <= 0) continue;
        const std::string stat = read_file("/proc/" + std::string(entry->d_name) + "/stat");
        // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
        const std::size_t end = stat.rfind(')');
        if (end == std::string::npos) continue;
        char state = 0;
        int ppid = 0;
        if (std::sscanf(stat.c_str() + end + 1, " %c %d", &state, &ppid) == 2 && ppid == parent &&
            state != 'Z')
            children.push_back(pid);
    }
    closedir(proc);
    return children;
}

/// Waits for exactly one child of `parent` (other than `not_this`), or returns -1.
pid_t only_child(pid_t parent, pid_t not_this = -1, std::chrono::seconds timeout = 30s) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
        std::vector<pid_t> children = children_of(parent);
        std::erase(children, not_this);
        if (children.size() == 1) return children.front();
        std::this_thread::sleep_for(20ms);
    }
    return -1;
}

/// Running (or sleeping): not gone and not a zombie (whoever its parent now is may not reap).
bool alive(pid_t pid) {
    const std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
    const std::size_t end = stat.rfind(')');
    return end != std::string::npos && stat.size() > end + 2 && stat[end + 2] != 'Z';
}

std::string cmdline(pid_t pid) {
    std::string text = read_file("/proc/" + std::to_string(pid) + "/cmdline");
    std::replace(text.begin(), text.end(), '\0', ' ');
    return text;
}

/// `swarm serve` as a child process, and its fork server, the server's only child at start.
class ServedWithForkServer {
   public:
    explicit ServedWithForkServer(std::vector<std::string> extra = {})
        : server_(dir_ / "jobs.db", dir_ / "serve.log", std::move(extra)) {
        if (server_.port() > 0) forks_ = only_child(server_.pid());
    }
    bool started() const { return server_.port() > 0 && forks_ > 0; }
    std::string log() const { return read_file(dir_ / "serve.log"); }
    ChildServer& server() { return server_; }
    pid_t forks() const { return forks_; }
    std::unique_ptr<httplib::Client> client() const { return client_for(server_.port()); }

   private:
    TempDir dir_;
    ChildServer server_;
    pid_t forks_ = -1;
};

/// A small job submitted now is done.
void expect_a_job_runs(httplib::Client& client, const std::string& name) {
    auto res = post_incident(client, tiny_incident(name), "?wait=60");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << res->body;
    EXPECT_EQ(json::parse(res->body)["status"], "done") << res->body;
}

TEST(ForkServer, JobsRunInChildrenOfOneForkServerThatOutlivesThem) {
    // Started with the server, before any job: the only child of the server.
    ServedWithForkServer served;
    ASSERT_TRUE(served.started()) << served.log();
    const pid_t forks = served.forks();
    const pid_t server = served.server().pid();
    EXPECT_NE(cmdline(forks).find("job-worker"), std::string::npos) << cmdline(forks);

    auto client = served.client();
    auto res = post_incident(*client, slow_incident("watched", 4));
    ASSERT_TRUE(res);
    const std::string id = json::parse(res->body)["id"];
    ASSERT_TRUE(wait_running(*client, id));
    // The job is a child of the fork server, not of the server.
    EXPECT_EQ(children_of(server), std::vector<pid_t>{forks});
    EXPECT_EQ(children_of(forks).size(), 1u);
    EXPECT_EQ(wait_terminal(*client, id)["status"], "done");

    expect_a_job_runs(*client, "second");
    // The same fork server for every job, and no child left behind.
    EXPECT_EQ(children_of(server), std::vector<pid_t>{forks});
    for (int i = 0; i < 100 && !children_of(forks).empty(); ++i) std::this_thread::sleep_for(20ms);
    EXPECT_TRUE(children_of(forks).empty());
}

TEST(ForkServer, AJobWhoseChildIsKilledIsRetriedThenQuarantined) {
    ServedWithForkServer served({"--max-attempts", "2"});
    ASSERT_TRUE(served.started()) << served.log();
    const pid_t forks = served.forks();
    auto client = served.client();
    auto res = post_incident(*client, slow_incident("killed-twice", 10));
    ASSERT_TRUE(res);
    const std::string id = json::parse(res->body)["id"];
    pid_t previous = -1;
    for (int attempt = 1; attempt <= 2; ++attempt) {
        ASSERT_TRUE(wait_running(*client, id)) << "attempt " << attempt;
        // A job's process is new on every attempt.
        const pid_t job = only_child(forks, previous);
        ASSERT_GT(job, 0) << "attempt " << attempt;
        ASSERT_EQ(kill(job, SIGKILL), 0);
        previous = job;
    }
    const json job = wait_terminal(*client, id);
    EXPECT_EQ(job["status"], "failed") << job.dump(2);
    EXPECT_EQ(job["attempts"], 2) << job.dump(2);
    EXPECT_NE(job.value("error", "").find("quarantined after 2 attempts"), std::string::npos)
        << job.dump(2);
    EXPECT_NE(job.value("error", "").find("signal 9"), std::string::npos) << job.dump(2);
    // The server and its fork server live on and run the next job.
    EXPECT_EQ(only_child(served.server().pid()), forks);
    expect_a_job_runs(*client, "after");
}

TEST(ForkServer, AKilledForkServerIsRestartedAndTheInterruptedJobRunsAgain) {
    ServedWithForkServer served({"--max-attempts", "2"});
    ASSERT_TRUE(served.started()) << served.log();
    const pid_t forks = served.forks();
    auto client = served.client();
    auto res = post_incident(*client, slow_incident("orphaned", 3));
    ASSERT_TRUE(res);
    const std::string id = json::parse(res->body)["id"];
    ASSERT_TRUE(wait_running(*client, id));
    const pid_t job_process = only_child(forks);
    ASSERT_GT(job_process, 0);
    ASSERT_EQ(kill(forks, SIGKILL), 0);

    // The job's process died with its fork server (PR_SET_PDEATHSIG); the job counts one crashed
    // attempt and runs again in a child of a new fork server.
    const json job = wait_terminal(*client, id);
    EXPECT_EQ(job["status"], "done") << job.dump(2);
    EXPECT_EQ(job["attempts"], 2) << job.dump(2);
    EXPECT_FALSE(alive(job_process)) << "the interrupted job's process still runs";
    const pid_t restarted = only_child(served.server().pid(), forks);
    EXPECT_GT(restarted, 0);
    EXPECT_NE(restarted, forks);
    expect_a_job_runs(*client, "next");
}

TEST(ForkServer, StoppingTheServerEndsTheForkServer) {
    ServedWithForkServer served({"--grace", "0"});
    ASSERT_TRUE(served.started()) << served.log();
    const pid_t forks = served.forks();
    EXPECT_EQ(served.server().signal_and_wait(SIGTERM), 0);
    // Reaped by the server before it exited, or killed with it: gone either way.
    bool gone = false;
    for (int i = 0; i < 100 && !gone; ++i) {
        gone = !alive(forks);
        if (!gone) std::this_thread::sleep_for(20ms);
    }
    EXPECT_TRUE(gone);
}

}  // namespace
}  // namespace swarm::test
