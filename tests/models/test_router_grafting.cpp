// Router grafting (models/router_grafting.h, docs/models/router-grafting.md): the three stretches
// of a flow towards the peer (old path, tunnel through A, new exit) with hand-solved routes and
// throughputs, traffic from the peer moving at once, the ranking against the classic actions,
// placement reasons and parameter errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "../estimator/fixtures.h"
#include "estimator/epoch_simulator.h"
#include "estimator/helper/incident_reader.h"
#include "estimator/mitigation/model_registry.h"
#include "model_test_support.h"
#include "models/builtin_models.h"
#include "models/router_grafting.h"
#include "swarm/rank.h"

namespace swarm {
namespace {

using namespace testing;  // fixtures.h and model_test_support.h

// Binary-exact times: phases start on epoch boundaries (kExactEpoch = 2^-7 s).
constexpr double kLinkMoved = 0.0078125;  // t_L: link_migration_ms = 7.8125
constexpr double kImported = 0.0703125;   // t_I = t_L + import_s (0.0625)
constexpr double kHop = 1e-6;             // link delay
constexpr double kMtu10G = 1500 * 8 / 10e9;

class GraftingTest : public ::testing::Test {
   protected:
    Topology topo = testbed_clos(2);
    Incident incident;  // the policy context only
    const TransportMix transport{tables("analytic-reno")};

    std::shared_ptr<const MitigationModel> make(double import_s = 0.0625,
                                                const char* peer = "t0-0-0",
                                                const char* from = "t1-0-0",
                                                const char* to = "t1-0-1") {
        nlohmann::json params = {
            {"type", "router_grafting"},   {"peer", peer},        {"from", from}, {"to", to},
            {"link_migration_ms", 7.8125}, {"import_s", import_s}};
        const ModelSpec* spec = builtin_models().find("router_grafting");
        return spec->make(ModelParams(params, "$.graft", topo, spec->keys));
    }
    std::int32_t server(const char* tor) { return topo.servers_of_tor(node(topo, tor))[0]; }
    ChannelId hop(const char* a, const char* b) {
        return topo.channel(link(topo, a, b), node(topo, a));
    }
    /// The first routing seed whose draw for flow 0 from `src` to `dst` crosses a -> b.
    std::uint64_t seed_crossing(const Routing& routing, const char* src, const char* dst,
                                const char* a, const char* b) {
        for (std::uint64_t seed = 0;; ++seed) {
            Rng rng(derive_seed(seed, {0}));
            std::vector<ChannelId> channels;
            routing.sample_path(server(src), server(dst), rng, channels);
            if (std::find(channels.begin(), channels.end(), hop(a, b)) != channels.end())
                return seed;
        }
    }
    /// A 1 MB flow at t = 0 whose own ECMP draw from `src` to `dst` crosses a -> b.
    FlowRequest request_crossing(const Routing& routing, const char* src, const char* dst,
                                 const char* a, const char* b) {
        FlowRequest r;
        r.src_server = server(src);
        r.dst_server = server(dst);
        r.size_bytes = 1e6;
        r.path_seed = derive_seed(seed_crossing(routing, src, dst, a, b), {0});
        return r;
    }
    /// One long flow of `bits` at t = 0, with the routing seed given.
    double throughput(const NetworkState& state, const MitigationModel& model, const char* src,
                      const char* dst, double bits, std::uint64_t routing_seed) {
        const FlowOutcomes out = run_one_flow(model, state, server(src), server(dst), bits / 8,
                                              kExactEpoch, routing_seed);
        EXPECT_EQ(out.long_throughput_bps.size(), 1u);
        return out.long_throughput_bps.empty() ? 0.0 : out.long_throughput_bps[0];
    }
};

/// The switches a leg crosses, by name.
std::vector<std::string> switches(const Topology& topo, const RouteLeg& leg) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i + 1 < leg.channels.size(); ++i) {
        const Link& l = topo.link(leg.channels[i] / 2);
        out.push_back(topo.node(leg.channels[i] % 2 == 0 ? l.b : l.a).name);
    }
    return out;
}

TEST_F(GraftingTest, TowardsThePeerOldPathThenTunnelThenNewExit) {
    NetworkState state(topo);
    state.apply(Failure{LinkLoss{link(topo, "t0-0-0", "t1-0-0"), 0.01}});
    const Routing routing(state, 1500);
    const auto model = make();
    const auto policy = model->flow_policy({incident, state, routing, transport, kExactEpoch});
    ASSERT_TRUE(policy);
    auto run = policy->start_run(1);
    FlowRequest r = request_crossing(routing, "t0-0-1", "t0-0-0", "t1-0-0", "t0-0-0");
    FlowPlan plan;
    ASSERT_TRUE(run->plan(r, plan));
    const auto legs = plan.legs();
    ASSERT_EQ(legs.size(), 3u);
    // Before t_L: the old path, with the lossy link; 4 links of 1 us and 4 MTUs at 10 Gbps.
    EXPECT_EQ(legs[0].start_s, 0.0);
    EXPECT_EQ(switches(topo, legs[0]), (std::vector<std::string>{"t0-0-1", "t1-0-0", "t0-0-0"}));
    EXPECT_NEAR(legs[0].drop_rate, 0.01, 1e-12);
    EXPECT_NEAR(legs[0].base_rtt_s, 8 * kHop + 4 * kMtu10G, 1e-15);
    // [t_L, t_I): A tunnels to B through a spine (valley-free), B hands over on the moved
    // circuit, which runs beside t0-0-0 - t1-0-1 (20 Gbps): 6 links, +6.4 us of RTT less the
    // faster MTU. No loss: the fault was in A's port.
    EXPECT_EQ(legs[1].start_s, kLinkMoved);
    const std::vector<std::string> tunnel = switches(topo, legs[1]);
    ASSERT_EQ(tunnel.size(), 5u);
    EXPECT_EQ(tunnel[0], "t0-0-1");
    EXPECT_EQ(tunnel[1], "t1-0-0");
    EXPECT_TRUE(tunnel[2] == "t2-0" || tunnel[2] == "t2-1") << tunnel[2];
    EXPECT_EQ(tunnel[3], "t1-0-1");
    EXPECT_EQ(tunnel[4], "t0-0-0");
    EXPECT_EQ(legs[1].drop_rate, 0.0);
    EXPECT_NEAR(legs[1].base_rtt_s, 12 * kHop + 5 * kMtu10G + kMtu10G / 2, 1e-15);
    // From t_I: the new exit, t0-0-1 -> t1-0-1 -> t0-0-0.
    EXPECT_EQ(legs[2].start_s, kImported);
    EXPECT_EQ(switches(topo, legs[2]), (std::vector<std::string>{"t0-0-1", "t1-0-1", "t0-0-0"}));
    EXPECT_EQ(legs[2].drop_rate, 0.0);
    EXPECT_NEAR(legs[2].base_rtt_s, 8 * kHop + 3 * kMtu10G + kMtu10G / 2, 1e-15);

    // A flow that starts while the tunnel is up: tunnel, then the new exit.
    r.arrival_s = 0.03;
    plan.clear();
    ASSERT_TRUE(run->plan(r, plan));
    ASSERT_EQ(plan.legs().size(), 2u);
    EXPECT_EQ(plan.legs()[0].start_s, 0.03);
    EXPECT_EQ(switches(topo, plan.legs()[0]).size(), 5u);
    EXPECT_EQ(plan.legs()[1].start_s, kImported);
    // After t_I, and flows that never cross A -> peer, are the network's.
    r.arrival_s = kImported;
    EXPECT_FALSE(run->plan(r, plan));
    r.arrival_s = 0.0;
    r.path_seed = derive_seed(seed_crossing(routing, "t0-0-1", "t0-0-0", "t1-0-1", "t0-0-0"), {0});
    EXPECT_FALSE(run->plan(r, plan));
    std::swap(r.src_server, r.dst_server);  // from the peer: re-routed by the phase at t_L
    EXPECT_FALSE(run->plan(r, plan));
    std::vector<std::pair<std::string, double>> costs;
    run->side_metrics(1.0, costs);
    EXPECT_EQ(costs, (std::vector<std::pair<std::string, double>>{{"grafting_done_s", kImported},
                                                                  {"tunnelled_new_flows", 1.0}}));
}

TEST_F(GraftingTest, SpineSessionOfAnAggregationSwitch) {
    // Peer t1-0-0 moves its session from spine t2-0 to spine t2-1. A flow from pod 1 to t0-0-0
    // that came down t2-0 -> t1-0-0 is tunnelled t2-0 -> (an aggregation switch other than the
    // peer) -> t2-1, then down the grafted circuit: 2 links more than its old path.
    NetworkState state(topo);
    const Routing routing(state, 1500);
    const auto model = make(0.0625, "t1-0-0", "t2-0", "t2-1");
    const auto policy = model->flow_policy({incident, state, routing, transport, kExactEpoch});
    auto run = policy->start_run(1);
    FlowRequest r = request_crossing(routing, "t0-1-0", "t0-0-0", "t2-0", "t1-0-0");
    FlowPlan plan;
    ASSERT_TRUE(run->plan(r, plan));
    ASSERT_EQ(plan.legs().size(), 3u);
    const std::vector<std::string> old = switches(topo, plan.legs()[0]);
    const std::vector<std::string> tunnel = switches(topo, plan.legs()[1]);
    ASSERT_EQ(old.size(), 5u);
    ASSERT_EQ(tunnel.size(), 7u);
    EXPECT_EQ(std::vector<std::string>(tunnel.begin(), tunnel.begin() + 3),
              std::vector<std::string>(old.begin(), old.begin() + 3));
    EXPECT_EQ(tunnel[2], "t2-0");
    EXPECT_EQ(topo.node(node(topo, tunnel[3].c_str())).tier, 1);
    EXPECT_NE(tunnel[3], "t1-0-0");
    EXPECT_EQ(tunnel[4], "t2-1");
    EXPECT_EQ(tunnel[5], "t1-0-0");
    EXPECT_EQ(tunnel[6], "t0-0-0");
    EXPECT_NEAR(plan.legs()[1].base_rtt_s,
                plan.legs()[0].base_rtt_s + 4 * kHop + 2 * kMtu10G - kMtu10G / 2, 1e-15);
    // After t_I the pod-1 flow comes down t2-1 (doubled circuit) or another way, never t2-0 ->
    // t1-0-0.
    const std::vector<std::string> now = switches(topo, plan.legs()[2]);
    for (std::size_t i = 0; i + 1 < now.size(); ++i)
        EXPECT_FALSE(now[i] == "t2-0" && now[i + 1] == "t1-0-0");
}

TEST_F(GraftingTest, TunnelPhaseShowsInThroughput) {
    // A's spine links at 1 Gbps: the tunnel is the bottleneck, the old and new paths are not.
    NetworkState state(topo);
    state.apply(Failure{LinkCapacity{link(topo, "t1-0-0", "t2-0"), 0.1}});
    state.apply(Failure{LinkCapacity{link(topo, "t1-0-0", "t2-1"), 0.1}});
    const Routing routing(state, 1500);
    const std::uint64_t seed = seed_crossing(routing, "t0-0-1", "t0-0-0", "t1-0-0", "t0-0-0");
    // The simulator charges a planned flow the RTT of its last leg (the new exit, whose
    // grafted hop has twice the capacity).
    const double rtt = 8 * kHop + 3 * kMtu10G + kMtu10G / 2;
    // 1 Gbit: 78.125 Mbit by t_L at 10 Gbps, 62.5 Mbit through the tunnel until t_I at 1 Gbps,
    // the remaining 859.375 Mbit at 10 Gbps in 85.9375 ms: done at 0.15625 s.
    EXPECT_NEAR(throughput(state, *make(), "t0-0-1", "t0-0-0", 1e9, seed), 1e9 / (0.15625 + rtt),
                1.0);
    // Routes imported at once (import_s 0): no tunnel, done at t_L + 92.1875 ms = 0.1 s.
    EXPECT_NEAR(throughput(state, *make(0.0), "t0-0-1", "t0-0-0", 1e9, seed), 1e9 / (0.1 + rtt),
                1.0);
}

TEST_F(GraftingTest, TrafficFromThePeerMovesAtOnce) {
    // The circuit at 1 Gbps on A's side until it moves at t_L.
    NetworkState state(topo);
    state.apply(Failure{LinkCapacity{link(topo, "t0-0-0", "t1-0-0"), 0.1}});
    const Routing routing(state, 1500);
    const std::uint64_t seed = seed_crossing(routing, "t0-0-0", "t0-0-1", "t0-0-0", "t1-0-0");
    const double rtt = 8 * kHop + 1500 * 8 / 1e9 + 3 * kMtu10G;
    // 100 Mbit: 7.8125 Mbit by t_L at 1 Gbps, then 92.1875 Mbit at 10 Gbps through t1-0-1
    // (whatever import_s): done at 0.01703125 s.
    EXPECT_NEAR(throughput(state, *make(), "t0-0-0", "t0-0-1", 100e6, seed),
                100e6 / (0.01703125 + rtt), 1.0);
    EXPECT_NEAR(throughput(state, *make(1.0), "t0-0-0", "t0-0-1", 100e6, seed),
                100e6 / (0.01703125 + rtt), 1.0);
}

TEST_F(GraftingTest, GraftAddsTheCircuitBesideTheOtherAndItsWeight) {
    NetworkState state(topo);
    const auto made = make();
    dynamic_cast<const RouterGrafting&>(*made).graft(state);
    EXPECT_FALSE(state.link_usable(link(topo, "t0-0-0", "t1-0-0")));
    EXPECT_EQ(state.link_capacity_bps(link(topo, "t0-0-0", "t1-0-1")), 20e9);
    const auto slot = [&](const char* a, const char* b) {
        const auto& adjacent = topo.adjacent(node(topo, a));
        for (std::size_t i = 0; i < adjacent.size(); ++i) {
            if (adjacent[i].node == node(topo, b)) return i;
        }
        return adjacent.size();
    };
    EXPECT_EQ(state.weight(node(topo, "t0-0-0"), slot("t0-0-0", "t1-0-1")), 2.0);
    EXPECT_EQ(state.weight(node(topo, "t1-0-1"), slot("t1-0-1", "t0-0-0")), 2.0);
}

// ---- in a ranking -------------------------------------------------------------------------------

nlohmann::json example() {
    std::ifstream in(std::filesystem::path(SWARM_SOURCE_DATA_DIR) / "incidents" /
                     "router-grafting-lossy-uplink.json");
    nlohmann::json doc = nlohmann::json::parse(in);
    doc["estimator"]["traffic_samples"] = 3;
    doc["estimator"]["routing_samples"] = 2;
    return doc;
}

TEST(GraftingRanking, GraftingRemovesTheLossWithoutLosingTheCircuit) {
    nlohmann::json doc = example();
    for (auto& c : doc["candidates"]) {
        for (auto& a : c["actions"]) a.erase("start_s");  // graft at t = 0: the window is after it
    }
    RankOptions options;
    const Ranking r = rank(read_incident(doc, SWARM_SOURCE_DATA_DIR, builtin_models()),
                           tables("ns3-cubic"), options);
    const double none = estimate(entry(r, "no-action").metrics, "p1_throughput");
    const double graft = estimate(entry(r, "router-grafting").metrics, "p1_throughput");
    const double disable = estimate(entry(r, "disable-link").metrics, "p1_throughput");
    EXPECT_GT(graft, 10.0 * none);
    // No p99-FCT assertion on no-action: its short-flow timeouts (drawn per flow) reach a
    // sample's p99 in one sample of these six, which put the mean at 11 ms; the composite's
    // median (2.4 ms) is the typical sample's, like grafting's. The loss shows in p1.
    EXPECT_LT(estimate(entry(r, "router-grafting").metrics, "p99_fct"), 0.005);
    // In a full Clos grafting gains over disable-link only the moved circuit's capacity: t0-0-0
    // keeps 20 Gbps of uplink where the drain of the link leaves 10 Gbps.
    EXPECT_GE(graft, 0.9 * disable);
    EXPECT_GE(estimate(entry(r, "router-grafting").metrics, "avg_throughput"),
              estimate(entry(r, "disable-link").metrics, "avg_throughput"));
    // A slow import (1 s of tunnel through a spine) costs little: the detour has room.
    const double slow_fct = estimate(entry(r, "router-grafting-slow-import").metrics, "p99_fct");
    const double fct = estimate(entry(r, "router-grafting").metrics, "p99_fct");
    EXPECT_NEAR(slow_fct, fct, 0.05 * fct);
}

std::string read_error(const nlohmann::json& action) {
    nlohmann::json doc = example();
    doc["candidates"][1]["actions"] = {action};
    return incident_error(doc);
}

TEST(GraftingParameters, BadParametersNameTheirPath) {
    const std::string at = "$.candidates[1].actions[0].";
    const nlohmann::json good = {
        {"type", "router_grafting"}, {"peer", "t0-0-0"}, {"from", "t1-0-0"}, {"to", "t1-0-1"}};
    EXPECT_EQ(read_error(good), "");
    auto with = [&](const char* key, nlohmann::json value) {
        nlohmann::json a = good;
        a[key] = std::move(value);
        return read_error(a);
    };
    EXPECT_EQ(with("peer", "t0-0-0-h2"), at + "peer: \"t0-0-0-h2\" is a server; expected a switch");
    EXPECT_EQ(with("from", "t0-0-0"), at + "from: must differ from peer");
    EXPECT_EQ(with("to", "t1-0-0"), at + "to: must differ from peer and from");
    EXPECT_EQ(with("from", "t1-1-0"), at + "from: no link between \"t0-0-0\" and \"t1-1-0\"");
    EXPECT_EQ(with("to", "t2-0"),
              at +
                  "to: \"t2-0\" is in tier 2, \"t1-0-0\" in tier 1; the moved link must still join "
                  "adjacent tiers");
    EXPECT_EQ(with("to", "t1-1-0"),
              at + "to: no link between \"t0-0-0\" and \"t1-1-0\"; grafting onto a new circuit "
                   "needs a link-addition edit, which swarm does not have");
    EXPECT_EQ(with("import_s", -1), at + "import_s: must be in [0, 3600], got -1");
    EXPECT_EQ(with("link_migration_ms", 20000),
              at + "link_migration_ms: must be in [0, 10000], got 20000");
    EXPECT_EQ(with("start_s", "soon"), at + "start_s: expected a number, got string \"soon\"");
    nlohmann::json missing = good;
    missing.erase("to");
    EXPECT_EQ(read_error(missing), at + "to: required key is missing");
    // The tunnel policy may take any source's flow: one graft per candidate (the core's check).
    nlohmann::json doc = example();
    doc["candidates"][1]["actions"] = {good, good};
    EXPECT_THROW(read_incident(doc, SWARM_SOURCE_DATA_DIR, builtin_models()), IncidentError);
}

TEST(GraftingPlacement, InfeasibleGraftsGiveTheirReason) {
    const nlohmann::json graft = {
        {"type", "router_grafting"}, {"peer", "t0-0-0"}, {"from", "t1-0-0"}, {"to", "t1-0-1"}};
    const nlohmann::json disable_old = {{"type", "disable_link"}, {"link", {"t0-0-0", "t1-0-0"}}};
    EXPECT_EQ(infeasible_reason(one_candidate(example(), {disable_old, graft})),
              "router_grafting: no session to graft: link t0-0-0-t1-0-0 is down or disabled");
    // Without spines the tunnel may cross a ToR (valley) only if nothing else joins A and B;
    // with that ToR's link to B gone there is no tunnel at all.
    nlohmann::json pod = example();
    pod["topology"]["clos"] = {{"pods", 1},         {"tors_per_pod", 2},    {"aggs_per_pod", 2},
                               {"spines", 0},       {"servers_per_tor", 2}, {"link_gbps", 10},
                               {"link_delay_us", 1}};
    const nlohmann::json disable_tor_link = {{"type", "disable_link"},
                                             {"link", {"t0-0-1", "t1-0-1"}}};
    EXPECT_EQ(infeasible_reason(one_candidate(pod, {disable_tor_link, graft})),
              "router_grafting: no tunnel from t1-0-0 to t1-0-1 that avoids t0-0-0 (§4.4.2)");
}

}  // namespace
}  // namespace swarm
