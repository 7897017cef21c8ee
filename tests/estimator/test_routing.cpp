// WCMP path probabilities and path sampling (SWARM §3.3, Fig. 5).
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "estimator/routing.h"
#include "fixtures.h"

namespace swarm {
namespace {

using testing::link;
using testing::node;
using testing::testbed_clos;

double probability_via(const std::vector<std::pair<std::vector<NodeId>, double>>& paths,
                       NodeId hop) {
    double total = 0.0;
    for (const auto& [nodes, p] : paths) {
        if (std::find(nodes.begin(), nodes.end(), hop) != nodes.end()) total += p;
    }
    return total;
}

TEST(Routing, EcmpSplitsEquallyOverShortestPaths) {
    const Topology topo = testbed_clos();
    NetworkState state(topo);
    Routing routing(state, 1500);
    // Cross-pod: 2 uplinks x 2 spines x 2 downlinks = 8 shortest paths of 5 switches.
    const auto cross = routing.enumerate_paths(node(topo, "t0-0-0"), node(topo, "t0-1-2"));
    ASSERT_EQ(cross.size(), 8u);
    for (const auto& [nodes, p] : cross) {
        EXPECT_EQ(nodes.size(), 5u);
        EXPECT_DOUBLE_EQ(p, 1.0 / 8.0);
    }
    // Same pod: through either T1, never through a spine or another ToR.
    const auto local = routing.enumerate_paths(node(topo, "t0-0-0"), node(topo, "t0-0-1"));
    ASSERT_EQ(local.size(), 2u);
    EXPECT_DOUBLE_EQ(local[0].second, 0.5);
    EXPECT_EQ(local[0].first.size(), 3u);
}

TEST(Routing, WcmpWeightsScaleHopProbabilities) {
    const Topology topo = testbed_clos();
    NetworkState state(topo);
    state.apply_wcmp(
        {node(topo, "t0-0-0"), {{node(topo, "t1-0-0"), 1.0}, {node(topo, "t1-0-1"), 3.0}}});
    state.apply_wcmp({node(topo, "t1-0-1"), {{node(topo, "t2-0"), 0.0}}});
    Routing routing(state, 1500);
    const auto paths = routing.enumerate_paths(node(topo, "t0-0-0"), node(topo, "t0-1-0"));
    double total = 0.0;
    for (const auto& [nodes, p] : paths) total += p;
    EXPECT_NEAR(total, 1.0, 1e-12);
    EXPECT_NEAR(probability_via(paths, node(topo, "t1-0-0")), 0.25, 1e-12);
    EXPECT_NEAR(probability_via(paths, node(topo, "t1-0-1")), 0.75, 1e-12);
    // t1-0-1 gives t2-0 weight 0: all of its share goes to t2-1; t1-0-0 still splits evenly.
    EXPECT_NEAR(probability_via(paths, node(topo, "t2-0")), 0.125, 1e-12);
    EXPECT_NEAR(probability_via(paths, node(topo, "t2-1")), 0.875, 1e-12);
}

TEST(Routing, AllZeroWeightsFallBackToEqualSplit) {
    const Topology topo = testbed_clos();
    NetworkState state(topo);
    state.apply_wcmp(
        {node(topo, "t0-0-0"), {{node(topo, "t1-0-0"), 0.0}, {node(topo, "t1-0-1"), 0.0}}});
    Routing routing(state, 1500);
    const auto paths = routing.enumerate_paths(node(topo, "t0-0-0"), node(topo, "t0-0-1"));
    ASSERT_EQ(paths.size(), 2u);
    EXPECT_DOUBLE_EQ(paths[0].second, 0.5);
}

TEST(Routing, DisabledLinkIsAvoidedAndIsolationDetected) {
    const Topology topo = testbed_clos();
    NetworkState state(topo);
    state.apply(Action{DisableLink{link(topo, "t0-0-0", "t1-0-0")}});
    Routing routing(state, 1500);
    const auto paths = routing.enumerate_paths(node(topo, "t0-0-0"), node(topo, "t0-1-0"));
    EXPECT_EQ(paths.size(), 4u);
    EXPECT_NEAR(probability_via(paths, node(topo, "t1-0-1")), 1.0, 1e-12);

    state.apply(Action{DisableLink{link(topo, "t0-0-0", "t1-0-1")}});
    Routing cut(state, 1500);
    EXPECT_FALSE(cut.tors_connected(node(topo, "t0-0-0"), node(topo, "t0-1-0")));
    EXPECT_TRUE(cut.tors_connected(node(topo, "t0-0-1"), node(topo, "t0-1-0")));
}

TEST(Routing, FullLossMeansDown) {
    const Topology topo = testbed_clos();
    NetworkState state(topo);
    state.apply(Failure{LinkLoss{link(topo, "t0-0-0", "t1-0-0"), 1.0}});
    Routing routing(state, 1500);
    EXPECT_EQ(routing.enumerate_paths(node(topo, "t0-0-0"), node(topo, "t0-1-0")).size(), 4u);
}

TEST(Routing, SampledPathsFollowTheProbabilities) {
    const Topology topo = testbed_clos(2);
    NetworkState state(topo);
    state.apply_wcmp(
        {node(topo, "t0-0-0"), {{node(topo, "t1-0-0"), 1.0}, {node(topo, "t1-0-1"), 3.0}}});
    Routing routing(state, 1500);
    const std::int32_t src = topo.servers_of_tor(node(topo, "t0-0-0"))[0];
    const std::int32_t dst = topo.servers_of_tor(node(topo, "t0-1-0"))[0];
    const ChannelId up_via_t1_0 =
        topo.channel(link(topo, "t0-0-0", "t1-0-0"), node(topo, "t0-0-0"));
    Rng rng(7);
    std::vector<ChannelId> channels;
    const int draws = 40000;
    int via_t1_0 = 0;
    for (int i = 0; i < draws; ++i) {
        channels.clear();
        routing.sample_path(src, dst, rng, channels);
        ASSERT_EQ(channels.size(), 6u);  // server up, 4 switch hops, server down
        via_t1_0 += channels[1] == up_via_t1_0;
    }
    // Binomial(40000, 0.25): standard deviation about 87; allow 5 sigma.
    EXPECT_NEAR(via_t1_0, 10000, 450);
}

TEST(Routing, PathPropertiesComposeLossAndDelay) {
    const Topology topo = testbed_clos(1);
    NetworkState state(topo);
    state.apply(Failure{LinkLoss{link(topo, "t0-0-0", "t1-0-0"), 0.01}});
    state.apply(Failure{NodeLoss{node(topo, "t0-0-1"), 0.02}});
    Routing routing(state, 1500);
    const std::int32_t src = topo.servers_of_tor(node(topo, "t0-0-0"))[0];
    const std::int32_t dst = topo.servers_of_tor(node(topo, "t0-0-1"))[0];
    Rng rng(1);
    bool saw_lossy = false;
    bool saw_clean = false;
    for (int i = 0; i < 64; ++i) {
        std::vector<ChannelId> channels;
        const PathProperties p = routing.sample_path(src, dst, rng, channels);
        ASSERT_EQ(channels.size(), 4u);
        // 4 links of 1 us each way, and 4 MTU serialisations at 10 Gbps (1.2 us each).
        EXPECT_NEAR(p.base_rtt_s, 8e-6 + 4 * 1.2e-6, 1e-12);
        const bool lossy =
            channels[1] == topo.channel(link(topo, "t0-0-0", "t1-0-0"), node(topo, "t0-0-0"));
        const double expected = lossy ? 1.0 - 0.99 * 0.98 : 0.02;
        EXPECT_NEAR(p.drop_rate, expected, 1e-12);
        (lossy ? saw_lossy : saw_clean) = true;
    }
    EXPECT_TRUE(saw_lossy && saw_clean);
}

// The compiled, interned next-hop table (what sample_path walks) must give every path the
// probability the adjacency-scan reference gives it, and no probability to anything else: on
// ECMP, WCMP with a zero weight, all-zero weights, a disabled link and a lossy switch.
TEST(Routing, CompiledNextHopTableMatchesEnumeration) {
    const Topology topo = testbed_clos(1);
    std::vector<NetworkState> states(5, NetworkState(topo));
    states[1].apply_wcmp(
        {node(topo, "t0-0-0"), {{node(topo, "t1-0-0"), 1.0}, {node(topo, "t1-0-1"), 3.0}}});
    states[1].apply_wcmp({node(topo, "t1-0-1"), {{node(topo, "t2-0"), 0.0}}});
    states[1].apply_wcmp({node(topo, "t2-1"), {{node(topo, "t1-1-0"), 2.5}}});
    states[2].apply_wcmp(
        {node(topo, "t0-1-2"), {{node(topo, "t1-1-0"), 0.0}, {node(topo, "t1-1-1"), 0.0}}});
    states[3].apply(Action{DisableLink{link(topo, "t1-0-0", "t2-1")}});
    states[3].apply(Action{DisableLink{link(topo, "t0-1-1", "t1-1-0")}});
    states[4].apply(Failure{NodeLoss{node(topo, "t1-1-1"), 0.5}});
    for (std::size_t s = 0; s < states.size(); ++s) {
        const Routing routing(states[s], 1500);
        for (const NodeId src : topo.tors()) {
            for (const NodeId dst : topo.tors()) {
                if (src == dst) continue;
                double total = 0.0;
                for (const auto& [nodes, p] : routing.enumerate_paths(src, dst)) {
                    EXPECT_NEAR(routing.path_probability(nodes), p, 1e-12) << "state " << s;
                    total += routing.path_probability(nodes);
                }
                EXPECT_NEAR(total, 1.0, 1e-12) << "state " << s;
                // A ToR is never transit, so a path through a third ToR has probability 0.
                for (const NodeId other : topo.tors()) {
                    if (other == src || other == dst) continue;
                    EXPECT_EQ(routing.path_probability({src, other, dst}), 0.0);
                }
            }
        }
    }
}

// Interning: a switch keeps one list per distinct next-hop set, not one per destination.
TEST(Routing, NextHopListsAreSharedAcrossDestinations) {
    const Topology topo = testbed_clos(1);
    const NetworkState state(topo);
    const Routing routing(state, 1500);
    // ToRs: one "up" list each (6). T1s: one "up" list plus one per ToR of its pod (4 x 4).
    // Spines: one list per pod (2 x 2). Total 26 lists; entries 6x2 + 4x(2+3x1) + 4x2 = 40.
    EXPECT_EQ(routing.hop_list_count(), 26u);
    EXPECT_EQ(routing.hop_entry_count(), 40u);
}

}  // namespace
}  // namespace swarm
