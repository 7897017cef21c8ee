// The real `swarm serve` binary: SIGKILL in the middle of a job, restart, and nothing is lost;
// SIGTERM stops gracefully.
#include "service_test_support.h"

namespace swarm::test {
namespace {

TEST(Process, SigkillMidJobThenRestartServesOldResultsAndReRunsTheUnfinishedJob) {
    TempDir dir;
    const auto db = dir / "jobs.db";
    std::string done_id, interrupted_id, queued_id;
    json done_result;
    {
        ChildServer server(db, dir / "first.log");
        ASSERT_GT(server.port(), 0) << read_file(dir / "first.log");
        auto client = client_for(server.port());
        auto done = post_incident(*client, tiny_incident("finished-before-crash"), "?wait=60");
        ASSERT_TRUE(done);
        ASSERT_EQ(done->status, 200) << done->body;
        done_id = json::parse(done->body)["id"];
        done_result = json::parse(done->body)["result"];

        auto slow = post_incident(*client, slow_incident("interrupted", 10));
        auto queued = post_incident(*client, tiny_incident("queued-behind"));
        ASSERT_TRUE(slow && queued);
        interrupted_id = json::parse(slow->body)["id"];
        queued_id = json::parse(queued->body)["id"];
        ASSERT_TRUE(wait_running(*client, interrupted_id)) << read_file(dir / "first.log");
        EXPECT_EQ(server.signal_and_wait(SIGKILL), -SIGKILL);
    }
    ChildServer restarted(db, dir / "second.log");
    ASSERT_GT(restarted.port(), 0) << read_file(dir / "second.log");
    auto client = client_for(restarted.port());

    auto old = client->Get(("/v1/rankings/" + done_id).c_str());
    ASSERT_TRUE(old);
    ASSERT_EQ(old->status, 200);
    EXPECT_EQ(json::parse(old->body)["status"], "done");
    EXPECT_EQ(json::parse(old->body)["result"], done_result);

    const json rerun = wait_terminal(*client, interrupted_id);
    EXPECT_EQ(rerun["status"], "done") << rerun.dump(2);
    EXPECT_EQ(rerun["attempts"], 2);
    EXPECT_EQ(rerun["result"]["incident"], "interrupted");
    const json behind = wait_terminal(*client, queued_id);
    EXPECT_EQ(behind["status"], "done");
    EXPECT_EQ(behind["attempts"], 1);
}

TEST(Process, SigtermLetsTheRunningJobFinishAndExitsCleanly) {
    TempDir dir;
    const auto db = dir / "jobs.db";
    std::string id;
    {
        ChildServer server(db, dir / "serve.log", {"--grace", "120"});
        ASSERT_GT(server.port(), 0) << read_file(dir / "serve.log");
        auto client = client_for(server.port());
        auto res = post_incident(*client, slow_incident("finish-on-term", 6));
        ASSERT_TRUE(res);
        id = json::parse(res->body)["id"];
        ASSERT_TRUE(wait_running(*client, id));
        EXPECT_EQ(server.signal_and_wait(SIGTERM, std::chrono::seconds(120)), 0)
            << read_file(dir / "serve.log");
        EXPECT_NE(read_file(dir / "serve.log").find("SIGTERM: stopping"), std::string::npos);
    }
    // The job finished during the grace period: the next start serves it without re-running it.
    ChildServer again(db, dir / "again.log");
    auto client = client_for(again.port());
    auto res = client->Get(("/v1/rankings/" + id).c_str());
    ASSERT_TRUE(res);
    const json job = json::parse(res->body);
    EXPECT_EQ(job["status"], "done") << job.dump(2);
    EXPECT_EQ(job["attempts"], 1);
}

TEST(Process, SigtermWithoutGraceRequeuesTheRunningJobForTheNextStart) {
    TempDir dir;
    const auto db = dir / "jobs.db";
    std::string id;
    {
        ChildServer server(db, dir / "serve.log", {"--grace", "0"});
        ASSERT_GT(server.port(), 0);
        auto client = client_for(server.port());
        auto res = post_incident(*client, slow_incident("requeued", 10));
        ASSERT_TRUE(res);
        id = json::parse(res->body)["id"];
        ASSERT_TRUE(wait_running(*client, id));
        EXPECT_EQ(server.signal_and_wait(SIGTERM), 0);
    }
    ChildServer again(db, dir / "again.log");
    auto client = client_for(again.port());
    const json job = wait_terminal(*client, id);
    EXPECT_EQ(job["status"], "done") << job.dump(2);
    EXPECT_EQ(job["attempts"], 2);
}

}  // namespace
}  // namespace swarm::test
