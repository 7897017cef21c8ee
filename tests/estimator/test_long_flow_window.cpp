// The window-limited long-flow model (issue 13, docs/model.md "Long flows: finite size") on
// hand-solved cases: the curve of a hand-written window table (rounds, bytes, extrapolation,
// blending across RTTs, the epoch cap) and a lone flow on an idle path whose FCT must be its
// slow-start-limited time, computed by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "estimator/long_flow_window.h"
#include "fixtures.h"

namespace swarm {
namespace {

using testing::Flow;
using testing::node;
using testing::one_second_settings;
using testing::tables;
using testing::testbed_clos;

/// rounds (FCT / RTT, handshake included) per size, at 10 us and at 1000 us.
LongFlowWindow hand_window(double rounds_100k, double rounds_1m, double rounds_1m_at_1ms) {
    std::string text =
        "# swarm-table: long_flow_window\n# version: 1\n# source: hand-written test table\n"
        "# axes: size_bytes rtt_us\n# value: rtts\n# quantiles: 0 1\n# mss_bytes: 1448\n"
        "# mtu_bytes: 1500\nsize_bytes\trtt_us\tq0\tq1\n";
    const auto row = [&text](const char* size, const char* rtt, double rounds) {
        text += std::string(size) + "\t" + rtt + "\t" + std::to_string(rounds) + "\t" +
                std::to_string(rounds) + "\n";
    };
    row("100000", "10", rounds_100k);
    row("100000", "1000", rounds_100k);
    row("1000000", "10", rounds_1m);
    row("1000000", "1000", rounds_1m_at_1ms);
    return LongFlowWindow(QuantileGrid::parse(text, "window", LongFlowWindow::spec()));
}

TEST(LongFlowWindow, CurveThroughTheOriginAndTheTablesRounds) {
    // Data rounds (the handshake's round trip left out): 100 KB after 4.5, 1 MB after 13.5.
    const LongFlowWindow w = hand_window(5.5, 14.5, 14.5);
    const double rtt = 100e-6;
    EXPECT_DOUBLE_EQ(w.rounds(0.0, rtt), 0.0);
    EXPECT_DOUBLE_EQ(w.rounds(50e3, rtt), 2.25);
    EXPECT_DOUBLE_EQ(w.rounds(100e3, rtt), 4.5);
    EXPECT_DOUBLE_EQ(w.rounds(550e3, rtt), 9.0);
    // Beyond the largest size: the last segment's slope (900 KB per 9 rounds).
    EXPECT_DOUBLE_EQ(w.rounds(1.9e6, rtt), 22.5);
    for (const double b : {0.0, 30e3, 100e3, 550e3, 1e6, 1.9e6})
        EXPECT_NEAR(w.bytes(w.rounds(b, rtt), rtt), b, 1e-6) << b;
    // The window at a position: what the next round trip delivers (100 KB per round there).
    EXPECT_DOUBLE_EQ(w.window_bytes(550e3, 10e6, rtt), 100e3);
    EXPECT_DOUBLE_EQ(w.window_bytes(950e3, 1e6, rtt), 50e3);  // at most the rest of the flow
}

TEST(LongFlowWindow, BlendsRoundsInLogRtt) {
    // 1 MB after 13.5 data rounds at 10 us, 7.5 at 1000 us: at 100 us (halfway in log) 10.5.
    const LongFlowWindow w = hand_window(5.5, 14.5, 8.5);
    EXPECT_DOUBLE_EQ(w.rounds(1e6, 10e-6), 13.5);
    EXPECT_DOUBLE_EQ(w.rounds(1e6, 1e-3), 7.5);
    EXPECT_NEAR(w.rounds(1e6, 100e-6), 10.5, 1e-12);
    EXPECT_DOUBLE_EQ(w.rounds(1e6, 1.0), 7.5);  // clamped beyond the grid
}

TEST(LongFlowWindow, EpochCapIsTheWindowsAverageRate) {
    const LongFlowWindow w = hand_window(5.5, 14.5, 14.5);
    const double rtt = 100e-6;
    // From the start, over 0.45 ms = 4.5 rounds: 100 KB, 1.778 Gb/s.
    EXPECT_NEAR(w.cap_bps(0.0, 10e6, rtt, 0.45e-3), 8 * 100e3 / 0.45e-3, 1e-3);
    // A 550 KB flow at 100 KB finishes 4.5 rounds later, inside a 1 ms horizon: the cap is its
    // rate until then (it finishes at the cap's end, not at the horizon's).
    EXPECT_NEAR(w.cap_bps(100e3, 550e3, rtt, 1e-3), 8 * 450e3 / 0.45e-3, 1e-3);
    EXPECT_EQ(w.cap_bps(550e3, 550e3, rtt, 1e-3), std::numeric_limits<double>::infinity());
}

TEST(LongFlowWindow, LoneFlowTakesItsSlowStartLimitedTime) {
    // One 550 KB flow between two servers of a rack (base RTT 2 x 2 us + 2 MTU times at
    // 10 Gb/s = 6.4 us), alone: no queue but its own. A window that delivers 100 KB in 4.5 data
    // rounds and then 900 KB per 995 rounds (904.5 B per round, 1.13 Gb/s at 6.4 us: below the
    // 10 Gb/s share throughout, but for the first 100 KB, which the 1 ms epoch averages in).
    // Window-limited: 4.5 + 450/900 x 995 = 502 data rounds, plus the handshake's round trip:
    // FCT = 503 x 6.4 us = 3.2192 ms.
    const Topology topo = testbed_clos(6);
    const auto servers = topo.servers_of_tor(node(topo, "t0-0-0"));
    const NetworkState state(topo);
    TransportTables set = tables("analytic-reno");
    set.long_flow_window = std::make_shared<const LongFlowWindow>(hand_window(5.5, 1000.5, 1000.5));
    const std::vector<Flow> flow{{0.0, servers[0], servers[1], 550e3}};
    const FlowOutcomes with = testing::run_flows(state, flow, one_second_settings(), nullptr, &set);
    ASSERT_EQ(with.long_throughput_bps.size(), 1u);
    const double rtt = 4e-6 + 2 * 1500 * 8 / 10e9;
    EXPECT_NEAR(with.long_throughput_bps[0], 550e3 * 8 / (503 * rtt), 1e-6 * 1.37e9);
    // Without the window curve the flow runs at its 10 Gb/s share: size / C + one base RTT.
    const FlowOutcomes without = testing::run_flows(state, flow, one_second_settings());
    ASSERT_EQ(without.long_throughput_bps.size(), 1u);
    EXPECT_NEAR(without.long_throughput_bps[0], 550e3 * 8 / (550e3 * 8 / 10e9 + rtt), 1.0);
}

}  // namespace
}  // namespace swarm
