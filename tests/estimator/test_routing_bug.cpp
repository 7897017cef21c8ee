// Routing-software bugs (Keller thesis ch. 2): the episodes of the synthetic bug model
// (§2.5.1), the part a bug mask lets through, and what a wrong FIB entry does to a sampled path
// (a blackhole, a loop lost at the TTL, a longer valid detour). Hand-solved on the testbed Clos.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "estimator/routing.h"
#include "estimator/routing_bug.h"
#include "fixtures.h"

namespace swarm {
namespace {

using testing::node;
using testing::testbed_clos;

RoutingBug periodic(double start, double duration, double interarrival) {
    RoutingBug bug;
    bug.start_s = start;
    bug.duration_s = duration;
    bug.interarrival_s = interarrival;
    return bug;
}

void expect_episodes(const std::vector<BugEpisode>& got, const std::vector<BugEpisode>& want) {
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        EXPECT_DOUBLE_EQ(got[i].start_s, want[i].start_s) << i;
        EXPECT_DOUBLE_EQ(got[i].end_s, want[i].end_s) << i;
    }
}

TEST(RoutingBugEpisodes, PeriodicStartEveryInterarrivalAndLastTheDuration) {
    expect_episodes(bug_episodes(periodic(0.5, 0.5, 1.0), 3.0),
                    {{0.5, 1.0}, {1.5, 2.0}, {2.5, 3.0}});
    // The thesis's defaults (§2.5.1): 600 s every 1.2e6 s, so one episode in any short interval.
    expect_episodes(bug_episodes(RoutingBug{}, 200.0), {{0.0, 600.0}});
    // Episodes longer than the gap between starts merge into one.
    expect_episodes(bug_episodes(periodic(0.0, 2.0, 1.0), 3.0), {{0.0, 4.0}});
}

TEST(RoutingBugEpisodes, ListedEpisodesAreSortedAndMerged) {
    RoutingBug bug;
    bug.episodes = {{2.0, 2.5}, {0.1, 0.4}, {0.3, 0.6}, {9.0, 9.5}};
    expect_episodes(bug_episodes(bug, 5.0), {{0.1, 0.6}, {2.0, 2.5}});
}

TEST(RoutingBugEpisodes, RandomEpisodesAreSeededAndKeepTheMeanDutyCycle) {
    RoutingBug bug = periodic(0.0, 10.0, 100.0);
    bug.random = true;
    const auto a = bug_episodes(bug, 15'000.0);
    EXPECT_EQ(a.size(), bug_episodes(bug, 15'000.0).size());
    bug.seed = 2;
    const auto b = bug_episodes(bug, 15'000.0);
    ASSERT_FALSE(a.empty());
    ASSERT_FALSE(b.empty());
    EXPECT_NE(a.front().end_s, b.front().end_s);
    double buggy = 0.0;
    for (const BugEpisode& e : a) buggy += e.end_s - e.start_s;
    // Mean duration / mean start-to-start = 0.1; about 150 episodes.
    EXPECT_NEAR(buggy / a.back().end_s, 0.1, 0.035);
    EXPECT_GT(a.size(), 100u);
    EXPECT_LT(a.size(), 200u);
}

TEST(RoutingBugEpisodes, TooManyEpisodesStopOnePastTheLimit) {
    EXPECT_EQ(bug_episodes(periodic(0.0, 0.001, 0.01), 100.0).size(),
              static_cast<std::size_t>(kMaxBugEpisodes) + 1);
}

TEST(RoutingBugEpisodes, AMaskExposesTheDetectionTimeAndTheFaultRateShare) {
    const BugMask mask{1.0, 0.1, 0.01};
    // Before the mask runs: whole. Straddling: s' = 1, 0.1 + 0.01 x 0.8. After: 0.1 + 0.01 x 1.
    expect_episodes(exposed_episodes({{0.5, 0.9}, {0.8, 1.8}, {2.0, 3.0}}, &mask),
                    {{0.5, 0.9}, {0.8, 1.108}, {2.0, 2.11}});
    // A perfect voter from t = 0 keeps everything out; no mask keeps everything in.
    const BugMask perfect{0.0, 0.0, 0.0};
    EXPECT_TRUE(exposed_episodes({{0.5, 0.9}}, &perfect).empty());
    expect_episodes(exposed_episodes({{0.5, 0.9}}, nullptr), {{0.5, 0.9}});
    // Exposure never exceeds the episode.
    const BugMask slow{0.0, 5.0, 0.0};
    expect_episodes(exposed_episodes({{0.5, 0.9}}, &slow), {{0.5, 0.9}});
}

TEST(RoutingBugEpisodes, RouteChangesFollowTheCandidatesMask) {
    const Topology topo = testbed_clos(1);
    RoutingBug bug = periodic(0.5, 0.5, 1.0);
    bug.node = node(topo, "t1-0-0");
    bug.destinations = {node(topo, "t0-1-0")};
    const std::vector<Failure> failures{LinkLoss{0, 0.01}, bug};
    NetworkState state(topo);
    const auto plain = bug_route_changes(failures, state, 2.0);
    // In at 0.5, out at 1, in at 1.5; the end at the horizon needs no change.
    ASSERT_EQ(plain.size(), 3u);
    EXPECT_EQ(plain[0].failure, 1);
    EXPECT_TRUE(plain[0].active);
    EXPECT_DOUBLE_EQ(plain[1].at_s, 1.0);
    EXPECT_FALSE(plain[1].active);
    EXPECT_DOUBLE_EQ(plain[2].at_s, 1.5);
    state.set_bug_mask(bug.node, {0.0, 0.25, 0.0});
    const auto masked = bug_route_changes(failures, state, 2.0);
    ASSERT_EQ(masked.size(), 4u);
    EXPECT_DOUBLE_EQ(masked[1].at_s, 0.75);
    EXPECT_DOUBLE_EQ(masked[3].at_s, 1.75);
}

/// Samples `n` paths from server 0 of `src` to server 0 of `dst`; counts dead ones and the
/// live ones by length (channels).
struct PathCensus {
    int dead = 0;
    std::vector<int> live_by_channels = std::vector<int>(16, 0);
};

PathCensus census(const Routing& routing, const Topology& topo, const char* src, const char* dst,
                  int n, NodeId must_cross_when_dead = -1) {
    PathCensus out;
    const std::int32_t a = topo.servers_of_tor(node(topo, src)).front();
    const std::int32_t b = topo.servers_of_tor(node(topo, dst)).front();
    for (int i = 0; i < n; ++i) {
        Rng rng(derive_seed(99, {static_cast<std::uint64_t>(i)}));
        std::vector<ChannelId> channels;
        const PathProperties p = routing.sample_path(a, b, rng, channels);
        if (p.drop_rate >= 1.0) {
            ++out.dead;
            if (must_cross_when_dead >= 0) {
                bool crossed = false;
                for (ChannelId c : channels)
                    crossed = crossed || routing.channel_head(c) == must_cross_when_dead;
                EXPECT_TRUE(crossed);
            }
            continue;
        }
        EXPECT_DOUBLE_EQ(p.drop_rate, 0.0);
        ++out.live_by_channels[channels.size()];
    }
    return out;
}

TEST(RoutingBugPaths, BlackholeDropsOnlyTheDestinationsPathsThroughTheSwitch) {
    const Topology topo = testbed_clos(1);
    NetworkState state(topo);
    state.add_route_override({node(topo, "t1-0-0"), node(topo, "t0-1-0"), -1, 0});
    const Routing routing(state, 1500);
    // t0-0-0 picks t1-0-0 with probability 1/2: those paths die, the others are 5 switches.
    const PathCensus hit = census(routing, topo, "t0-0-0", "t0-1-0", 4000, node(topo, "t1-0-0"));
    EXPECT_NEAR(hit.dead / 4000.0, 0.5, 0.03);
    EXPECT_EQ(hit.dead + hit.live_by_channels[6], 4000);
    // Another destination, and the way back (t1-0-0 towards pod 0 is not buggy): untouched.
    EXPECT_EQ(census(routing, topo, "t0-0-0", "t0-1-1", 500).dead, 0);
    EXPECT_EQ(census(routing, topo, "t0-1-0", "t0-0-0", 500).dead, 0);
    // The override leaves routing's view alone: the switch is still used (a silent fault).
    EXPECT_TRUE(routing.reachable(0, topo.servers_of_tor(node(topo, "t0-1-0")).front()));
}

TEST(RoutingBugPaths, WrongNextHopLoopsOrDetours) {
    const Topology topo = testbed_clos(1);
    NetworkState state(topo);
    // t1-0-0 sends pod 1's t0-1-0 down to the ToR t0-0-1, which sends it up again: back to
    // t1-0-0 (a loop, lost at the TTL) or to t1-0-1 (a 7-switch detour), 1/2 each.
    state.add_route_override({node(topo, "t1-0-0"), node(topo, "t0-1-0"), node(topo, "t0-0-1"), 0});
    const Routing routing(state, 1500);
    const PathCensus c = census(routing, topo, "t0-0-0", "t0-1-0", 4000, node(topo, "t1-0-0"));
    EXPECT_NEAR(c.dead / 4000.0, 0.25, 0.03);
    EXPECT_NEAR(c.live_by_channels[8] / 4000.0, 0.25, 0.03);  // detour: 6 fabric hops + 2 NICs
    EXPECT_NEAR(c.live_by_channels[6] / 4000.0, 0.5, 0.03);   // the other aggregation switch
    EXPECT_EQ(c.dead + c.live_by_channels[6] + c.live_by_channels[8], 4000);
}

TEST(RoutingBugPaths, WrongNextHopUpwardsLoopsOrDetoursThroughTheSpine) {
    const Topology topo = testbed_clos(1);
    NetworkState state(topo);
    // Same-pod traffic sent up to a spine comes down to t1-0-0 (loop) or t1-0-1 (detour of 5
    // switches).
    state.add_route_override({node(topo, "t1-0-0"), node(topo, "t0-0-1"), node(topo, "t2-0"), 0});
    const Routing routing(state, 1500);
    const PathCensus c = census(routing, topo, "t0-0-0", "t0-0-1", 4000);
    EXPECT_NEAR(c.dead / 4000.0, 0.25, 0.03);
    EXPECT_NEAR(c.live_by_channels[6] / 4000.0, 0.25, 0.03);
    EXPECT_NEAR(c.live_by_channels[4] / 4000.0, 0.5, 0.03);
}

TEST(RoutingBugPaths, ADrainedSwitchTakesItsBugOutOfThePaths) {
    const Topology topo = testbed_clos(1);
    NetworkState state(topo);
    state.add_route_override({node(topo, "t1-0-0"), node(topo, "t0-1-0"), -1, 0});
    state.apply(Action{DisableNode{node(topo, "t1-0-0")}});
    const Routing routing(state, 1500);
    EXPECT_EQ(census(routing, topo, "t0-0-0", "t0-1-0", 500).dead, 0);
}

TEST(RoutingBugPaths, WrongHopsAreTheNeighboursOffTheShortestPaths) {
    const Topology topo = testbed_clos(1);
    // t1-0-0 towards pod 1: the spines are right; its ToRs are wrong.
    auto up = wrong_next_hops(topo, node(topo, "t1-0-0"), node(topo, "t0-1-0"));
    std::sort(up.begin(), up.end());
    std::vector<NodeId> tors{node(topo, "t0-0-0"), node(topo, "t0-0-1"), node(topo, "t0-0-2")};
    std::sort(tors.begin(), tors.end());
    EXPECT_EQ(up, tors);
    // Towards its own t0-0-1: the other ToRs and both spines are wrong.
    EXPECT_EQ(wrong_next_hops(topo, node(topo, "t1-0-0"), node(topo, "t0-0-1")).size(), 4u);
    // A ToR's uplinks all lead to every other rack.
    EXPECT_TRUE(wrong_next_hops(topo, node(topo, "t0-0-0"), node(topo, "t0-1-0")).empty());
}

}  // namespace
}  // namespace swarm
