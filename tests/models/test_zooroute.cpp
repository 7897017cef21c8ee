// ZooRoute (models/zooroute.h, docs/models/zooroute.md): the shared detection and TCP-resume
// helpers on hand-solved numbers, one flow's plan on a blackholed uplink, and the paper's
// behaviour on the shipped incident (data/incidents/zooroute-silent-blackhole.json): a short
// probe interval rescues the flows a silent blackhole swallows, the default interval is too slow
// for a 2 s run, and under severe capacity loss the rerouted flows only congest what is left.
#include <gtest/gtest.h>

#include <filesystem>

#include "../estimator/fixtures.h"
#include "estimator/helper/incident_reader.h"
#include "estimator/routing.h"
#include "estimator/transport_mix.h"
#include "model_test_support.h"
#include "models/builtin_models.h"
#include "models/probe_detection.h"
#include "models/tcp_resume.h"
#include "models/zooroute.h"
#include "swarm/rank.h"

namespace swarm {
namespace {

using testing::entry;
using testing::estimate;
using testing::flow_request;
using testing::incident_error;
using testing::shipped_incident;
using testing::side_metric;

// ---- shared helpers -------------------------------------------------------------------------------

TEST(TcpResume, FirstRetransmissionAfterTheMove) {
    // Retransmissions at 1.2, 1.6, 2.4, 4.0, ... for a path dead since 1.0.
    EXPECT_DOUBLE_EQ(tcp_resume_s(1.0, 1.05), 1.2);
    EXPECT_DOUBLE_EQ(tcp_resume_s(1.0, 1.2), 1.2);
    EXPECT_DOUBLE_EQ(tcp_resume_s(1.0, 1.3), 1.6);
    EXPECT_DOUBLE_EQ(tcp_resume_s(1.0, 2.5), 4.0);
    EXPECT_DOUBLE_EQ(tcp_resume_s(1.0, 0.5), 1.0);  // moved before the path died: no wait
    // Steps double up to 64 x 200 ms = 12.8 s: 0.2 + 0.4 + ... + 6.4 = 12.6, then 25.4, 38.2, ...
    EXPECT_NEAR(tcp_resume_s(0.0, 13.0), 25.4, 1e-9);
    EXPECT_NEAR(tcp_resume_s(0.0, 100.0), 25.4 + 6 * 12.8, 1e-9);
}

TEST(ProbeDetection, BlackholeTakesExactlyKProbesAfterAUniformPhase) {
    EXPECT_DOUBLE_EQ(round_trip_loss(1.0), 1.0);
    EXPECT_NEAR(round_trip_loss(0.05), 1.0 - 0.95 * 0.95, 1e-15);
    Rng rng(7);
    for (int i = 0; i < 100; ++i) {
        const double d = detection_delay_s(0.01, 1.0, 3, rng);
        EXPECT_GE(d, 0.03);
        EXPECT_LT(d, 0.04);
    }
}

TEST(ProbeDetection, LossyPathNeedsKOverQProbesOnAverage) {
    Rng rng(11);
    const double q = round_trip_loss(0.05);  // 0.0975
    double sum = 0.0;
    const int n = 20000;
    for (int i = 0; i < n; ++i) sum += probes_until_lost(q, 3, rng);
    // Mean 3 / q = 30.8, standard deviation sqrt(3 (1 - q)) / q = 16.9: 3 sigma of the mean is 0.36.
    EXPECT_NEAR(sum / n, 3.0 / q, 0.4);
}

// ---- one flow's plan --------------------------------------------------------------------------------

class ZooRoutePlan : public ::testing::Test {
   protected:
    /// The shipped blackhole incident with one candidate: ZooRoute with `action`'s parameters.
    void load(nlohmann::json action, double duration_s = 2.0) {
        nlohmann::json doc = shipped_incident("zooroute-silent-blackhole");
        action["type"] = "zooroute";
        doc["traffic"]["duration_s"] = duration_s;
        doc["candidates"] = {{{"name", "zooroute"}, {"actions", {action}}}};
        incident =
            std::make_unique<Incident>(read_incident(doc, SWARM_SOURCE_DATA_DIR, builtin_models()));
        state = std::make_unique<NetworkState>(incident->topology);
        for (const Failure& f : incident->failures) state->apply(f);
        routing = std::make_unique<Routing>(*state, 1500);
        const auto& model = std::get<ModelAction>(incident->candidates[0].actions[0]).model;
        policy = model->flow_policy(ModelContext{*incident, *state, *routing, mix, 1e-3});
        run = policy->start_run(5);
    }
    std::int32_t server(const char* tor, int i) const {
        const Topology& t = incident->topology;
        return t.servers_of_tor(testing::node(t, tor))[static_cast<std::size_t>(i)];
    }
    ChannelId hop(const char* a, const char* b) const {
        const Topology& t = incident->topology;
        return t.channel(testing::link(t, a, b), testing::node(t, a));
    }
    /// A flow from t0-0-0's first server to t0-0-1's whose default path takes the blackholed
    /// uplink (`bad`) or the other one.
    FlowRequest flow(double arrival_s, bool bad, std::uint64_t skip = 0) const {
        const std::int32_t src = server("t0-0-0", 0);
        const std::int32_t dst = server("t0-0-1", 0);
        for (std::uint64_t seed = 100 + skip;; ++seed) {
            std::vector<ChannelId> channels;
            Rng rng(seed);
            if ((routing->sample_path(src, dst, rng, channels).drop_rate >= 1.0) == bad) {
                return flow_request(src, dst, arrival_s, 1e6, seed);
            }
        }
    }

    const TransportMix mix{testing::tables("ns3-cubic")};
    std::unique_ptr<Incident> incident;
    std::unique_ptr<NetworkState> state;
    std::unique_ptr<Routing> routing;
    std::shared_ptr<const FlowPolicy> policy;
    std::unique_ptr<FlowPolicyRun> run;
    FlowPlan plan;
};

TEST_F(ZooRoutePlan, BlackholedFlowWaitsForTcpThenTakesAWorkingPort) {
    load({{"probe_interval_ms", 10}});
    // Detected within 10 ms x (U + 3) < 40 ms, but TCP retransmits only at arrival + 200 ms.
    ASSERT_TRUE(run->plan(flow(0.1, true), plan));
    ASSERT_EQ(plan.legs().size(), 2u);
    EXPECT_DOUBLE_EQ(plan.legs()[0].start_s, 0.1);
    EXPECT_TRUE(plan.legs()[0].stalled());
    EXPECT_DOUBLE_EQ(plan.legs()[1].start_s, 0.1 + kGuestRtoMinS);
    EXPECT_EQ(plan.legs()[1].drop_rate, 0.0);
    const auto& moved = plan.legs()[1].channels;
    EXPECT_NE(std::find(moved.begin(), moved.end(), hop("t0-0-0", "t1-0-1")), moved.end());
    // The pair has learned the bad path (full mode from the first detection, 3 more lost
    // probes: before 0.18 s): a later flow hashed onto it starts on a working port.
    plan.clear();
    ASSERT_TRUE(run->plan(flow(0.5, true, 50), plan));
    ASSERT_EQ(plan.legs().size(), 1u);
    EXPECT_DOUBLE_EQ(plan.legs()[0].start_s, 0.5);
    EXPECT_EQ(plan.legs()[0].drop_rate, 0.0);
    // A flow on a working path is left to the default routing.
    plan.clear();
    EXPECT_FALSE(run->plan(flow(0.6, false), plan));
}

TEST_F(ZooRoutePlan, DefaultIntervalMovesOnlyAfterSecondsOfBackoff) {
    // I = 1 s, k = 3: detected in [3.1, 4.1) s; retransmissions at 0.3, 0.7, 1.5, 3.1, 6.3 s.
    load(nlohmann::json::object(), 10.0);
    ASSERT_TRUE(run->plan(flow(0.1, true), plan));
    ASSERT_EQ(plan.legs().size(), 2u);
    EXPECT_NEAR(plan.legs()[1].start_s, 6.3, 1e-9);
    // In a 2 s run nothing moves.
    load(nlohmann::json::object(), 2.0);
    plan.clear();
    EXPECT_FALSE(run->plan(flow(0.1, true), plan));
}

TEST_F(ZooRoutePlan, ServersOutsideHostsAreNotGoverned) {
    load({{"probe_interval_ms", 10}, {"hosts", {"t0-0-1"}}});
    EXPECT_FALSE(run->plan(flow(0.1, true), plan));
}

// ---- behaviour on the shipped incident ------------------------------------------------------------

Ranking rank_doc(const nlohmann::json& doc) {
    const Incident incident = read_incident(doc, SWARM_SOURCE_DATA_DIR, builtin_models());
    return rank(incident, testing::tables("ns3-cubic"), RankOptions{});
}

TEST(ZooRouteBehaviour, ShortProbingRescuesASilentBlackholeAndTheDefaultIsTooSlow) {
    const Ranking r = rank_doc(shipped_incident("zooroute-silent-blackhole"));
    // No action: the blackholed long flows deliver nothing, their short flows wait to the horizon.
    EXPECT_EQ(estimate(r, "no-action", "p1_throughput"), 0.0);
    EXPECT_GT(estimate(r, "no-action", "p99_fct"), 1.0);
    // 10 ms probing: about 28% of the flows move, the tail comes back (> 1 Gbps at p1, a p99 FCT
    // of milliseconds, not seconds) and the average gains > 15%.
    EXPECT_GT(estimate(r, "zooroute-10ms", "p1_throughput"), 1e9);
    EXPECT_LT(estimate(r, "zooroute-10ms", "p99_fct"), 0.01);
    EXPECT_GT(estimate(r, "zooroute-10ms", "avg_throughput"),
              1.15 * estimate(r, "no-action", "avg_throughput"));
    EXPECT_NEAR(side_metric(r, "zooroute-10ms", "rerouted_fraction"), 0.29, 0.03);
    EXPECT_LT(entry(r, "zooroute-10ms").rank, entry(r, "no-action").rank);
    // ... and ties taking the link down (within the incident's 10% tie tolerance).
    for (const char* m : {"p1_throughput", "avg_throughput", "p99_fct"}) {
        EXPECT_NEAR(estimate(r, "zooroute-10ms", m), estimate(r, "disable-link", m),
                    0.1 * estimate(r, "disable-link", m))
            << m;
    }
    // The default 1 s interval detects after about 3.5 s: in a 2 s run nothing moves.
    for (const char* m : {"p1_throughput", "avg_throughput", "p99_fct"}) {
        EXPECT_EQ(estimate(r, "zooroute-default", m), estimate(r, "no-action", m)) << m;
    }
    EXPECT_EQ(side_metric(r, "zooroute-default", "rerouted_fraction"), 0.0);
    // Probing costs 1/I: 100x more packets at 10 ms than at 1 s (more: the pairs go to full mode).
    EXPECT_GT(side_metric(r, "zooroute-10ms", "probe_packets_per_s"),
              100.0 * side_metric(r, "zooroute-default", "probe_packets_per_s"));
}

TEST(ZooRouteBehaviour, SevereCapacityLossLeavesReroutedFlowsNowhereToGo) {
    nlohmann::json doc = shipped_incident("zooroute-silent-blackhole");
    const Ranking before = rank_doc(doc);
    // The other uplink keeps 2 Gbps for about 3.7 Gbps of leaving traffic (§3 "severe network
    // capacity loss").
    doc["failures"].push_back(
        {{"type", "link_capacity"}, {"link", {"t0-0-0", "t1-0-1"}}, {"fraction", 0.2}});
    const Ranking after = rank_doc(doc);
    const double gain_before = estimate(before, "zooroute-10ms", "avg_throughput") /
                               estimate(before, "no-action", "avg_throughput");
    const double gain_after = estimate(after, "zooroute-10ms", "avg_throughput") /
                              estimate(after, "no-action", "avg_throughput");
    EXPECT_GT(gain_before, 1.15);
    EXPECT_LT(gain_after, 1.02);  // its edge on the average is gone: the same 2 Gbps, shared
    // Moving the demand away (drain the ToR) now beats it by far; before, they were close.
    EXPECT_LT(estimate(before, "drain-tor", "p1_throughput"),
              1.25 * estimate(before, "zooroute-10ms", "p1_throughput"));
    EXPECT_GT(estimate(after, "drain-tor", "p1_throughput"),
              10.0 * estimate(after, "zooroute-10ms", "p1_throughput"));
    EXPECT_GT(estimate(after, "drain-tor", "avg_throughput"),
              1.5 * estimate(after, "zooroute-10ms", "avg_throughput"));
    EXPECT_EQ(after.ranking.front().candidate, "drain-tor");
}

TEST(ZooRouteBehaviour, LossBelowTheThresholdIsLeftAloneAndOverheadFollowsTheMode) {
    nlohmann::json doc = shipped_incident("zooroute-silent-blackhole");
    doc["failures"] = {
        {{"type", "link_loss"}, {"link", {"t0-0-0", "t1-0-0"}}, {"drop_rate", 0.01}}};
    const nlohmann::json base = {{"type", "zooroute"}, {"probe_interval_ms", 10}};
    auto with = [&](const char* key, const nlohmann::json& value) {
        nlohmann::json a = base;
        a[key] = value;
        return a;
    };
    doc["candidates"] = {
        {{"name", "no-action"}, {"actions", nlohmann::json::array()}},
        {{"name", "partial"}, {"actions", {base}}},
        {{"name", "above-threshold"}, {"actions", {with("loss_threshold", 0.02)}}},
        {{"name", "full"}, {"actions", {with("mode", "full")}}},
        {{"name", "learning"}, {"actions", {with("srcport_learning", true)}}},
        {{"name", "slower"}, {"actions", {with("probe_interval_ms", 20)}}},
    };
    const Ranking r = rank_doc(doc);
    // 1% loss under a 2% threshold is not a failure for ZooRoute: exactly no action.
    for (const char* m : {"p1_throughput", "avg_throughput", "p99_fct"}) {
        EXPECT_EQ(estimate(r, "above-threshold", m), estimate(r, "no-action", m)) << m;
    }
    EXPECT_EQ(side_metric(r, "above-threshold", "rerouted_fraction"), 0.0);
    // At the threshold the lossy flows move after about I (0.5 + 3 / 0.02) = 1.5 s: some do.
    EXPECT_GT(side_metric(r, "partial", "rerouted_fraction"), 0.05);
    EXPECT_GT(estimate(r, "partial", "p1_throughput"), estimate(r, "no-action", "p1_throughput"));
    // SrcPort learning halves the probes exactly; full mode from the start probes N_p = 16
    // ports of every pair all the time: 56 pairs x 16 x 2 / 10 ms = 179,200 packets/s.
    EXPECT_DOUBLE_EQ(side_metric(r, "learning", "probe_packets_per_s"),
                     0.5 * side_metric(r, "partial", "probe_packets_per_s"));
    EXPECT_NEAR(side_metric(r, "full", "probe_packets_per_s"), 56 * 16 * 2 / 0.01, 1.0);
    EXPECT_GT(side_metric(r, "full", "probe_packets_per_s"),
              2.0 * side_metric(r, "partial", "probe_packets_per_s"));
    // Twice the interval, fewer probes (about half; learning is slower too, so not exactly).
    EXPECT_LT(side_metric(r, "slower", "probe_packets_per_s"),
              0.7 * side_metric(r, "partial", "probe_packets_per_s"));
}

TEST(ZooRouteBehaviour, SameResultWhateverTheThreadCount) {
    nlohmann::json doc = shipped_incident("zooroute-silent-blackhole");
    doc["candidates"] = {doc["candidates"][3], doc["candidates"][5]};
    const Incident incident = read_incident(doc, SWARM_SOURCE_DATA_DIR, builtin_models());
    RankOptions one;
    one.threads = 1;
    RankOptions two;
    two.threads = 2;
    const Ranking a = rank(incident, testing::tables("ns3-cubic"), one);
    const Ranking b = rank(incident, testing::tables("ns3-cubic"), two);
    for (const auto& c : a.ranking) {
        EXPECT_EQ(estimate(c.metrics, "p1_throughput"), estimate(b, c.candidate, "p1_throughput"));
        EXPECT_EQ(c.side_metrics, entry(b, c.candidate).side_metrics);
    }
}

// ---- parameters -----------------------------------------------------------------------------------

TEST(ZooRouteParams, BadValuesNameTheirPath) {
    auto error = [](const char* key, const nlohmann::json& value) {
        nlohmann::json doc = shipped_incident("zooroute-silent-blackhole");
        doc["candidates"][3]["actions"][0][key] = value;
        return incident_error(doc);
    };
    EXPECT_EQ(error("probe_interval_ms", 0),
              "$.candidates[3].actions[0].probe_interval_ms: must be in (0, 60000], got 0");
    EXPECT_EQ(error("probes_to_detect", 0),
              "$.candidates[3].actions[0].probes_to_detect: must be in [1, 100], got 0");
    EXPECT_EQ(error("loss_threshold", 1.5),
              "$.candidates[3].actions[0].loss_threshold: must be in (0, 1], got 1.5");
    EXPECT_EQ(
        error("mode", "half"),
        "$.candidates[3].actions[0].mode: unknown value \"half\"; expected one of: partial, full");
    EXPECT_EQ(error("hosts", nlohmann::json::array({"t1-0-0"})),
              "$.candidates[3].actions[0].hosts[0]: \"t1-0-0\" is neither a server nor a ToR");
    EXPECT_EQ(error("probe_bytes", 10),
              "$.candidates[3].actions[0].probe_bytes: must be in [64, 9000], got 10");
    EXPECT_NE(error("group_size", 4)
                  .find("$.candidates[3].actions[0].group_size: unknown key \"group_size\""),
              std::string::npos);
    // Two ZooRoute actions in one candidate steer the same hosts.
    nlohmann::json doc = shipped_incident("zooroute-silent-blackhole");
    doc["candidates"][3]["actions"].push_back({{"type", "zooroute"}, {"hosts", {"t0-0-1"}}});
    EXPECT_NE(incident_error(doc).find("$.candidates[3].actions[1]: steers the flows of"),
              std::string::npos);
}

}  // namespace
}  // namespace swarm
