// Algorithm 1 on hand-solved cases: one flow alone, flows sharing a bottleneck, flows in
// different epochs, loss caps, censoring (SWARM §3.3, Appendix A.2).
#include <gtest/gtest.h>

#include <cmath>

#include "estimator/epoch_simulator.h"
#include "fixtures.h"

namespace swarm {
namespace {

using testing::Flow;
using testing::link;
using testing::node;
using testing::one_second_settings;
using testing::tables;
using testing::testbed_clos;

class EpochSimulatorTest : public ::testing::Test {
   protected:
    Topology topo = testbed_clos(2);
    std::int32_t server(const char* tor, int i) {
        return topo.servers_of_tor(node(topo, tor))[static_cast<std::size_t>(i)];
    }
    // Same-rack path: server up, server down; base RTT = 2 * 2 us + 2 * 1.2 us.
    static constexpr double kRackRtt = 4e-6 + 2 * 1500 * 8 / 10e9;

    FlowOutcomes run(const NetworkState& state, const std::vector<Flow>& flows,
                     const SimulationSettings& s = one_second_settings()) {
        return testing::run_flows(state, flows, s);
    }
};

TEST_F(EpochSimulatorTest, LoneFlowRunsAtLineRateAcrossEpochs) {
    NetworkState state(topo);
    // 12 Mbit at 10 Gbps = 1.2 ms, starting mid-epoch: 5 Mbit in epoch 0, 7 Mbit in epoch 1.
    const FlowOutcomes out =
        run(state, {{0.0005, server("t0-0-0", 0), server("t0-0-0", 1), 1.5e6}});
    ASSERT_EQ(out.long_throughput_bps.size(), 1u);
    EXPECT_NEAR(out.long_throughput_bps[0], 12e6 / (1.2e-3 + kRackRtt), 1.0);
    EXPECT_EQ(out.censored, 0u);
}

TEST_F(EpochSimulatorTest, FlowsIntoOneServerShareItsLink) {
    NetworkState state(topo);
    const std::int32_t dst = server("t0-0-0", 0);
    // Two 10 Mbit flows from two servers into one: 5 Gbps each, 2 ms.
    const FlowOutcomes out = run(
        state, {{0.0, server("t0-0-0", 1), dst, 1.25e6}, {0.0, server("t0-0-1", 0), dst, 1.25e6}});
    ASSERT_EQ(out.long_throughput_bps.size(), 2u);
    EXPECT_NEAR(out.long_throughput_bps[0], 10e6 / (2e-3 + kRackRtt), 1.0);
    // The cross-rack flow has a longer path: 4 links, 4 serialisations.
    EXPECT_NEAR(out.long_throughput_bps[1], 10e6 / (2e-3 + 8e-6 + 4 * 1.2e-6), 1.0);
}

TEST_F(EpochSimulatorTest, LaterArrivalSharesFromItsEpochOn) {
    NetworkState state(topo);
    const std::int32_t dst = server("t0-0-0", 0);
    // A: 30 Mbit from t=0. B: 10 Mbit from t=1 ms. Epoch 0: A alone at 10G (10 Mbit).
    // From 1 ms both at 5G: B finishes at 3 ms; A has 10 Mbit left at 3 ms, alone again: 4 ms.
    const FlowOutcomes out = run(state, {{0.0, server("t0-0-0", 1), dst, 3.75e6},
                                         {0.001, server("t0-0-1", 0), dst, 1.25e6}});
    ASSERT_EQ(out.long_throughput_bps.size(), 2u);
    const double b_rtt = 8e-6 + 4 * 1.2e-6;
    // Completion order: B first.
    EXPECT_NEAR(out.long_throughput_bps[0], 10e6 / (2e-3 + b_rtt), 1.0);
    EXPECT_NEAR(out.long_throughput_bps[1], 30e6 / (4e-3 + kRackRtt), 1.0);
}

TEST_F(EpochSimulatorTest, LossCapBoundsTheRateAndLeavesCapacityToOthers) {
    NetworkState state(topo);
    state.apply(Failure{LinkLoss{topo.server_link(server("t0-0-0", 1)), 0.02}});
    const std::int32_t dst = server("t0-0-0", 0);
    const FlowOutcomes out =
        run(state, {{0.0, server("t0-0-0", 1), dst, 1.25e6}, {0.0, server("t0-1-0", 0), dst, 5e6}});
    ASSERT_EQ(out.long_throughput_bps.size(), 2u);
    const double low = tables("analytic-reno").loss_limited.sample_bps(0.02, kRackRtt, 0.0);
    const double high = tables("analytic-reno").loss_limited.sample_bps(0.02, kRackRtt, 1.0);
    ASSERT_LT(high, 1e9);  // at 2% loss the cap binds well below the 5 Gbps fair share
    // The lossy flow is the slower one; it may still be running at the horizon (censored).
    const double lossy = std::min(out.long_throughput_bps[0], out.long_throughput_bps[1]);
    const double clean = std::max(out.long_throughput_bps[0], out.long_throughput_bps[1]);
    EXPECT_GE(lossy, low * 0.99);
    EXPECT_LE(lossy, high * 1.01);
    // The clean flow gets what the capped one leaves: 10 Gbps minus a cap below 1 Gbps.
    EXPECT_GT(clean, 8e9);
}

TEST_F(EpochSimulatorTest, ShortFlowsTakeTableRttsTimesBaseRtt) {
    NetworkState state(topo);
    const FlowOutcomes out = run(state, {{0.1, server("t0-0-0", 0), server("t0-0-0", 1), 20000}});
    ASSERT_EQ(out.short_fct_s.size(), 1u);
    const auto& table = tables("analytic-reno").short_flow_rtts;
    EXPECT_GE(out.short_fct_s[0], table.sample_rtts(20000, 0.0, kRackRtt, 0.0) * kRackRtt * 0.999);
    EXPECT_LE(out.short_fct_s[0], table.sample_rtts(20000, 0.0, kRackRtt, 1.0) * kRackRtt * 1.001);
}

TEST_F(EpochSimulatorTest, OnlyFlowsStartingInTheWindowAreMeasured) {
    NetworkState state(topo);
    SimulationSettings s = one_second_settings();
    s.window_start_s = 0.010;
    s.window_end_s = 0.020;
    const std::int32_t a = server("t0-0-0", 0);
    const std::int32_t b = server("t0-0-0", 1);
    const FlowOutcomes out = run(
        state, {{0.005, a, b, 1e6}, {0.015, a, b, 1e6}, {0.015, b, a, 1e4}, {0.025, a, b, 1e6}}, s);
    EXPECT_EQ(out.long_throughput_bps.size(), 1u);
    EXPECT_EQ(out.short_fct_s.size(), 1u);
}

TEST_F(EpochSimulatorTest, FlowStillRunningAtHorizonIsCensoredAtItsRate) {
    NetworkState state(topo);
    state.apply(Failure{LinkCapacity{topo.server_link(server("t0-0-0", 0)), 0.0001}});  // 1 Mbps
    SimulationSettings s = one_second_settings();
    s.duration_s = 0.5;
    s.window_end_s = 0.5;
    // 1 Gbit at 1 Mbps would take 1000 s; the horizon is 2 x duration = 1 s.
    const FlowOutcomes out =
        run(state, {{0.0, server("t0-0-0", 0), server("t0-0-0", 1), 125e6}}, s);
    ASSERT_EQ(out.long_throughput_bps.size(), 1u);
    EXPECT_EQ(out.censored, 1u);
    EXPECT_NEAR(out.long_throughput_bps[0], 1e6, 1e3);
}

TEST_F(EpochSimulatorTest, MovedDemandFollowsTheEditor) {
    NetworkState state(topo);
    const std::int32_t from = server("t0-0-0", 0);
    const std::int32_t to = server("t0-1-0", 0);
    const std::vector<DemandMove> moves = {{{from}, {to}, 1.0}};
    DemandEditor editor(moves, topo.servers().size(), 3);
    EXPECT_EQ(editor.apply(from, 17, 0), to);
    EXPECT_EQ(editor.apply(server("t0-0-0", 1), 17, 0), server("t0-0-0", 1));
    const std::vector<DemandMove> half = {{{from}, {to}, 0.5}};
    DemandEditor half_editor(half, topo.servers().size(), 3);
    int moved = 0;
    for (std::size_t f = 0; f < 10000; ++f) moved += half_editor.apply(from, f, 1) == to;
    EXPECT_NEAR(moved, 5000, 250);
}

// The stop token and the deadline are polled inside run(), so a stop never waits for a whole
// sample to finish (issue 12: a long sample ran on 45 s past its job's deadline).
TEST_F(EpochSimulatorTest, RaisedStopFlagEndsTheSample) {
    NetworkState state(topo);
    const std::atomic<bool> stop{true};
    SimulationSettings s = one_second_settings();
    s.cancel = &stop;
    EXPECT_THROW(run(state, {{0.0, server("t0-0-0", 0), server("t0-0-0", 1), 125e6}}, s),
                 RankCancelled);
}

TEST_F(EpochSimulatorTest, PassedDeadlineEndsTheSample) {
    NetworkState state(topo);
    SimulationSettings s = one_second_settings();
    s.deadline = std::chrono::steady_clock::now();
    EXPECT_THROW(run(state, {{0.0, server("t0-0-0", 0), server("t0-0-0", 1), 125e6}}, s),
                 RankDeadlineExceeded);
}

TEST_F(EpochSimulatorTest, FutureDeadlineChangesNothing) {
    NetworkState state(topo);
    const std::vector<Flow> flows = {{0.0005, server("t0-0-0", 0), server("t0-0-0", 1), 1.5e6}};
    SimulationSettings s = one_second_settings();
    const FlowOutcomes free_run = run(state, flows, s);
    s.deadline = std::chrono::steady_clock::now() + std::chrono::hours(1);
    EXPECT_EQ(run(state, flows, s).long_throughput_bps, free_run.long_throughput_bps);
}

}  // namespace
}  // namespace swarm
