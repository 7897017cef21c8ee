// The mitigation-model extension points on hand-solved cases (estimator/mitigation/
// mitigation_model.h, flow_policy.h): planned legs, stalls, multipath splits, phases, a model's
// own transport, side metrics, blackholes. How models enter an incident and a ranking is in
// test_model_incident.cpp, the contract the core enforces in test_model_contract.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "../estimator/fixtures.h"
#include "estimator/epoch_simulator.h"
#include "estimator/helper/incident_reader.h"
#include "estimator/mitigation/model_registry.h"
#include "model_test_support.h"
#include "models/builtin_models.h"
#include "swarm/rank.h"

namespace swarm {
namespace {

using namespace testing;  // fixtures.h and model_test_support.h

/// A policy whose plan is fixed by the test: every flow gets `legs` (their channels as given).
class FixedPolicy : public FlowPolicy {
   public:
    struct Leg {
        double start_s;
        std::vector<ChannelId> channels;
        int subflows;
        double drop_rate;
        double rtt_s;
    };
    FixedPolicy(std::vector<Leg> legs, const FlowTransport* transport = nullptr)
        : legs_(std::move(legs)), transport_(transport) {}

    class Run : public FlowPolicyRun {
       public:
        explicit Run(const FixedPolicy& policy) : policy_(&policy) {}
        bool plan(const FlowRequest& request, FlowPlan& plan) override {
            ++planned_;
            for (const Leg& leg : policy_->legs_) {
                RouteLeg& out = plan.add_leg(std::max(leg.start_s, request.arrival_s));
                out.channels = leg.channels;
                out.subflows = leg.subflows;
                out.drop_rate = leg.drop_rate;
                out.base_rtt_s = leg.rtt_s;
            }
            return true;
        }
        const FlowTransport* transport() const override { return policy_->transport_; }
        void side_metrics(double measured_s,
                          std::vector<std::pair<std::string, double>>& out) const override {
            out.emplace_back("planned_per_s", planned_ / measured_s);
        }

       private:
        const FixedPolicy* policy_;
        int planned_ = 0;
    };
    std::unique_ptr<FlowPolicyRun> start_run(std::uint64_t) const override {
        return std::make_unique<Run>(*this);
    }

   private:
    std::vector<Leg> legs_;
    const FlowTransport* transport_;
};

/// A transport with fixed answers, so the loop's use of it is visible exactly.
class FixedTransport : public FlowTransport {
   public:
    double loss_limited_bps(const RouteLeg&, const TransportTables&, double) const override {
        return 1e9;
    }
    double short_flow_fct_s(double, const RouteLeg& leg, double queueing_s, const TransportTables&,
                            double) const override {
        return 3.0 * (leg.base_rtt_s + queueing_s);
    }
};

class ModelCoreTest : public ::testing::Test {
   protected:
    Topology topo = testbed_clos(2);
    static constexpr double kRackRtt = 4e-6 + 2 * 1500 * 8 / 10e9;
    /// The same-rack pair most cases send between (up(a), down(b): RTT kRackRtt), and the
    /// server that via() leads to from `a`.
    const std::int32_t a = server("t0-0-0", 0);
    const std::int32_t b = server("t0-0-0", 1);
    const std::int32_t across = server("t0-0-1", 0);
    std::int32_t server(const char* tor, int i) {
        return topo.servers_of_tor(node(topo, tor))[static_cast<std::size_t>(i)];
    }
    ChannelId up(std::int32_t s) {
        return topo.channel(topo.server_link(s), topo.servers()[static_cast<std::size_t>(s)]);
    }
    ChannelId down(std::int32_t s) {
        const NodeId host = topo.servers()[static_cast<std::size_t>(s)];
        return topo.channel(topo.server_link(s), topo.node(host).tor);
    }
    ChannelId hop(const char* from, const char* to) {
        return topo.channel(link(topo, from, to), node(topo, from));
    }
    /// server(t0-0-0, 0) -> server(t0-0-1, 0) via aggregation switch `agg`.
    std::vector<ChannelId> via(const char* agg) {
        return {up(server("t0-0-0", 0)), hop("t0-0-0", agg), hop(agg, "t0-0-1"),
                down(server("t0-0-1", 0))};
    }

    FlowOutcomes run(const NetworkState& state, const std::vector<Flow>& flows,
                     const ScenarioModels* models) {
        return run_flows(state, flows, one_second_settings(), models);
    }
    /// Models with one policy that plans `legs` for every flow, with `transport` if given.
    static ScenarioModels fixed_policy(std::vector<FixedPolicy::Leg> legs,
                                       const FlowTransport* transport = nullptr) {
        ScenarioModels models;
        models.policies.push_back(std::make_shared<FixedPolicy>(std::move(legs), transport));
        return models;
    }
};

TEST_F(ModelCoreTest, SingleLegPolicyOnTheDefaultPathChangesNothing) {
    NetworkState state(topo);
    const ScenarioModels models = fixed_policy({{0.0, {up(a), down(b)}, 1, 0.0, kRackRtt}});
    const FlowOutcomes planned = run(state, {{0.0005, a, b, 1.5e6}}, &models);
    const FlowOutcomes plain = run(state, {{0.0005, a, b, 1.5e6}}, nullptr);
    ASSERT_EQ(planned.long_throughput_bps.size(), 1u);
    ASSERT_EQ(plain.long_throughput_bps.size(), 1u);
    EXPECT_NEAR(planned.long_throughput_bps[0], plain.long_throughput_bps[0], 1e-6);
    EXPECT_NEAR(planned.long_throughput_bps[0], 12e6 / (1.2e-3 + kRackRtt), 1.0);
}

TEST_F(ModelCoreTest, StallThenRouteStartsAtTheEpochBoundary) {
    NetworkState state(topo);
    // Stalled from arrival (0) to 2 ms, then 12 Mbit at 10 Gbps: done at 3.2 ms.
    const ScenarioModels models =
        fixed_policy({{0.0, {}, 0, 0.0, kRackRtt}, {0.002, {up(a), down(b)}, 1, 0.0, kRackRtt}});
    const FlowOutcomes out = run(state, {{0.0, a, b, 1.5e6}}, &models);
    ASSERT_EQ(out.long_throughput_bps.size(), 1u);
    EXPECT_NEAR(out.long_throughput_bps[0], 12e6 / (3.2e-3 + kRackRtt), 1.0);
    // A re-route planned for 1.5 ms takes effect at the 2 ms boundary all the same.
    const ScenarioModels mid =
        fixed_policy({{0.0, {}, 0, 0.0, kRackRtt}, {0.0015, {up(a), down(b)}, 1, 0.0, kRackRtt}});
    const FlowOutcomes later = run(state, {{0.0, a, b, 1.5e6}}, &mid);
    EXPECT_NEAR(later.long_throughput_bps[0], out.long_throughput_bps[0], 1e-6);
}

TEST_F(ModelCoreTest, MultipathSplitAddsTheCapacityOfDisjointPaths) {
    NetworkState state(topo);
    // Both uplinks of t0-0-0 at 1 Gbps: one path gives 1 Gbps, two subflows 2 Gbps.
    state.apply(Failure{LinkCapacity{link(topo, "t0-0-0", "t1-0-0"), 0.1}});
    state.apply(Failure{LinkCapacity{link(topo, "t0-0-0", "t1-0-1"), 0.1}});
    const double rtt = 8e-6 + 4 * 1.2e-6;  // upper bound of the slow path's; not used by the rate
    std::vector<ChannelId> both = via("t1-0-0");
    const std::vector<ChannelId> second = via("t1-0-1");
    both.insert(both.end(), second.begin(), second.end());
    const ScenarioModels models = fixed_policy({{0.0, both, 2, 0.0, rtt}});
    // 20 Mbit at 2 Gbps = 10 ms.
    const FlowOutcomes out = run(state, {{0.0, a, across, 2.5e6}}, &models);
    ASSERT_EQ(out.long_throughput_bps.size(), 1u);
    EXPECT_NEAR(out.long_throughput_bps[0], 20e6 / (10e-3 + rtt), 10.0);
    const ScenarioModels single = fixed_policy({{0.0, via("t1-0-0"), 1, 0.0, rtt}});
    const FlowOutcomes one = run(state, {{0.0, a, across, 2.5e6}}, &single);
    EXPECT_NEAR(one.long_throughput_bps[0], 20e6 / (20e-3 + rtt), 10.0);
}

TEST_F(ModelCoreTest, SharedChannelCountsEverySubflow) {
    NetworkState state(topo);
    // The source NIC at 1 Gbps carries both subflows: the split cannot beat the NIC.
    state.apply(Failure{LinkCapacity{topo.server_link(a), 0.1}});
    std::vector<ChannelId> both = via("t1-0-0");
    const std::vector<ChannelId> second = via("t1-0-1");
    both.insert(both.end(), second.begin(), second.end());
    const ScenarioModels models = fixed_policy({{0.0, both, 2, 0.0, 1e-5}});
    const FlowOutcomes out = run(state, {{0.0, a, across, 2.5e6}}, &models);
    EXPECT_NEAR(out.long_throughput_bps[0], 20e6 / (20e-3 + 1e-5), 10.0);
}

TEST_F(ModelCoreTest, ShortFlowWaitsForTheFirstLegThatGetsThrough) {
    NetworkState state(topo);
    static const FixedTransport transport;
    const ScenarioModels models =
        fixed_policy({{0.0, {up(a), down(b)}, 1, 1.0, kRackRtt},  // a blackhole
                      {0.030, {up(a), down(b)}, 1, 0.0, kRackRtt}},
                     &transport);
    const FlowOutcomes out = run(state, {{0.010, a, b, 20000}}, &models);
    ASSERT_EQ(out.short_fct_s.size(), 1u);
    // 20 ms of waiting, then the transport's 3 RTTs on an idle path.
    EXPECT_NEAR(out.short_fct_s[0], 0.020 + 3.0 * kRackRtt, 1e-12);
    EXPECT_EQ(out.censored_short, 0u);
}

TEST_F(ModelCoreTest, ModelTransportSetsTheLossLimitedRate) {
    NetworkState state(topo);
    static const FixedTransport transport;
    const ScenarioModels models =
        fixed_policy({{0.0, {up(a), down(b)}, 1, 0.05, kRackRtt}}, &transport);
    // 1 Gbps from the transport whatever the loss: 10 Mbit in 10 ms.
    const FlowOutcomes out = run(state, {{0.0, a, b, 1.25e6}}, &models);
    EXPECT_NEAR(out.long_throughput_bps[0], 10e6 / (10e-3 + kRackRtt), 1.0);
}

TEST_F(ModelCoreTest, SilentBlackholeStallsFlowsThatRoutingStillSendsThere) {
    NetworkState state(topo);
    state.apply(Failure{LinkBlackhole{topo.server_link(b)}});
    EXPECT_TRUE(state.link_usable(topo.server_link(b)));
    EXPECT_EQ(state.link_drop_rate(topo.server_link(b)), 1.0);
    const FlowOutcomes out = run(state, {{0.0, a, b, 1.25e6}, {0.1, a, b, 20000}}, nullptr);
    ASSERT_EQ(out.long_throughput_bps.size(), 1u);
    EXPECT_EQ(out.censored, 1u);
    EXPECT_EQ(out.long_throughput_bps[0], 0.0);
    ASSERT_EQ(out.short_fct_s.size(), 1u);
    EXPECT_EQ(out.censored_short, 1u);
    EXPECT_NEAR(out.short_fct_s[0], 2.0 - 0.1, 1e-9);  // to the horizon, 2 x duration
}

TEST_F(ModelCoreTest, PhaseChangesCapacityAndRoutesForRunningFlows) {
    NetworkState slow(topo);
    slow.apply(Failure{LinkCapacity{topo.server_link(a), 0.1}});  // 1 Gbps until 5 ms
    NetworkState fast(slow);
    fast.set_link_capacity_bps(topo.server_link(a), 10e9);
    const Routing fast_routing(fast, 1500);
    ScenarioModels models;
    models.phases.push_back({0.005, &fast_routing});
    // 15 Mbit: 5 Mbit in the first 5 ms, 10 Mbit at 10 Gbps in 1 ms. The handshake RTT is the
    // one at arrival, with a 1 Gbps serialisation on the source's link.
    const FlowOutcomes out = run(slow, {{0.0, a, b, 1.875e6}}, &models);
    ASSERT_EQ(out.long_throughput_bps.size(), 1u);
    const double slow_rtt = 4e-6 + 1500 * 8 / 1e9 + 1500 * 8 / 10e9;
    EXPECT_NEAR(out.long_throughput_bps[0], 15e6 / (6e-3 + slow_rtt), 1.0);
}

TEST_F(ModelCoreTest, SideMetricsComeFromEachRun) {
    NetworkState state(topo);
    const ScenarioModels models = fixed_policy({{0.0, {up(a), down(b)}, 1, 0.0, kRackRtt}});
    const FlowOutcomes out =
        run(state, {{0.0, a, b, 20000}, {0.2, a, b, 20000}, {0.4, b, a, 20000}}, &models);
    ASSERT_EQ(out.side_metrics.size(), 1u);
    EXPECT_EQ(out.side_metrics[0].first, "planned_per_s");
    EXPECT_DOUBLE_EQ(out.side_metrics[0].second, 3.0);
}

TEST_F(ModelCoreTest, PathPropertiesOfAChainMatchSampledPaths) {
    NetworkState state(topo);
    state.apply(Failure{LinkLoss{link(topo, "t0-0-0", "t1-0-0"), 0.01}});
    state.apply(Failure{NodeLoss{node(topo, "t1-0-0"), 0.02}});
    const Routing routing(state, 1500);
    const PathProperties p = routing.path_properties(via("t1-0-0"));
    EXPECT_NEAR(p.drop_rate, 1.0 - 0.99 * 0.98, 1e-12);
    EXPECT_NEAR(p.base_rtt_s, 8e-6 + 4 * 1.2e-6, 1e-12);
    // Sampled paths through t1-0-0 agree exactly.
    for (std::uint64_t seed = 0; seed < 20; ++seed) {
        Rng rng(seed);
        std::vector<ChannelId> channels;
        const PathProperties s =
            routing.sample_path(server("t0-0-0", 0), server("t0-0-1", 0), rng, channels);
        const PathProperties again = routing.path_properties(channels);
        EXPECT_DOUBLE_EQ(s.drop_rate, again.drop_rate);
        EXPECT_DOUBLE_EQ(s.base_rtt_s, again.base_rtt_s);
    }
}

TEST_F(ModelCoreTest, ChannelDropAppliesInOneDirectionOnly) {
    NetworkState state(topo);
    state.apply(Failure{LinkLoss{link(topo, "t0-0-0", "t1-0-0"), 0.01}});
    state.set_channel_drop_rate(hop("t0-0-0", "t1-0-0"), 0.02);
    state.set_channel_drop_rate(down(across), 0.05);  // into `across` only
    EXPECT_NEAR(state.channel_drop_rate(hop("t0-0-0", "t1-0-0")), 1.0 - 0.99 * 0.98, 1e-15);
    EXPECT_NEAR(state.channel_drop_rate(hop("t1-0-0", "t0-0-0")), 0.01, 1e-15);
    EXPECT_EQ(state.link_drop_rate(link(topo, "t0-0-0", "t1-0-0")), 0.01);
    EXPECT_TRUE(state.link_usable(link(topo, "t0-0-0", "t1-0-0")));
    const Routing routing(state, 1500);
    // Up through t1-0-0 into `across`: both channel drops; the way back: the link's only.
    EXPECT_NEAR(routing.path_properties(via("t1-0-0")).drop_rate, 1.0 - 0.99 * 0.98 * 0.95, 1e-12);
    const std::vector<ChannelId> back = {up(across), hop("t0-0-1", "t1-0-0"),
                                         hop("t1-0-0", "t0-0-0"), down(server("t0-0-0", 0))};
    EXPECT_NEAR(routing.path_properties(back).drop_rate, 0.01, 1e-12);
    // Sampled paths agree, in both directions.
    for (std::uint64_t seed = 0; seed < 20; ++seed) {
        for (const auto& [from, to] :
             {std::pair{server("t0-0-0", 0), across}, std::pair{across, server("t0-0-0", 0)}}) {
            Rng rng(seed);
            std::vector<ChannelId> channels;
            const PathProperties s = routing.sample_path(from, to, rng, channels);
            EXPECT_DOUBLE_EQ(s.drop_rate, routing.path_properties(channels).drop_rate);
        }
    }
}

}  // namespace
}  // namespace swarm
