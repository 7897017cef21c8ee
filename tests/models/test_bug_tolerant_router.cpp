// The bug-tolerant router (Keller thesis ch. 2) against the routing_bug failure: reading both,
// the BTR's timeline by hand, and its effect through rank(): without it the flows towards the
// bug's destinations through the switch die in every episode (or loop); with it they are hurt
// only for the fault-rate share of each episode, so the excess short-flow FCT over the healthy
// network scales with the fault rate, and a fault rate of 0 is the healthy network exactly.
#include <gtest/gtest.h>

#include <string>

#include "estimator/mitigation/model_registry.h"
#include "model_test_support.h"
#include "models/bug_tolerant_router.h"
#include "models/builtin_models.h"
#include "models/vroom.h"

namespace swarm {
namespace {

using nlohmann::json;
using testing::entry;
using testing::estimate;
using testing::incident_error;
using testing::node;
using testing::side_metric;
using testing::tables;

/// 2 pods x 2 ToRs x 4 servers; pod 0 and t0-1-1 send only to t0-1-0, which sends to t0-1-1.
/// 20 KB flows (all short) at 200/s per server for 2 s, all measured. t1-0-0's FIB loses
/// t0-1-0 in episodes [0, 0.4), [0.5, 0.9), [1, 1.4), [1.5, 1.9).
json bug_incident(json candidates, const std::string& action = "blackhole") {
    json bug = {{"type", "routing_bug"}, {"node", "t1-0-0"},  {"destinations", {"t0-1-0"}},
                {"action", action},      {"duration_s", 0.4}, {"interarrival_s", 0.5}};
    if (action == "wrong_next_hop") bug["next_hop"] = "t0-0-1";
    return {{"version", 1},
            {"name", "btr-test"},
            {"topology",
             {{"clos",
               {{"pods", 2},
                {"tors_per_pod", 2},
                {"aggs_per_pod", 2},
                {"spines", 2},
                {"servers_per_tor", 4},
                {"link_gbps", 10},
                {"link_delay_us", 1}}}}},
            {"failures", {bug}},
            {"traffic",
             {{"arrival_rate_per_server", 200},
              {"flow_size_cdf", {{19999, 0}, {20000, 1}}},
              {"pattern",
               {{"type", "matrix"},
                {"tors", {"t0-0-0", "t0-0-1", "t0-1-0", "t0-1-1"}},
                {"probability", {{0, 0, 1, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}, {0, 0, 1, 0}}}}},
              {"duration_s", 2},
              {"measure_window_s", {0, 2}}}},
            {"candidates", std::move(candidates)},
            {"comparator", {{"type", "priority"}, {"order", {"avg_fct"}}}},
            {"estimator",
             {{"epoch_ms", 1}, {"seed", 3}, {"traffic_samples", 2}, {"routing_samples", 2}}}};
}

json candidate(const std::string& name, json actions) {
    return {{"name", name}, {"actions", std::move(actions)}};
}

json btr(json extra) {
    json a = {{"type", "bug_tolerant_router"}, {"router", "t1-0-0"}};
    a.update(extra);
    return json::array({a});
}

Ranking rank_json(const json& doc) {
    RankOptions options;
    options.threads = 2;
    return rank(read_incident(doc, SWARM_SOURCE_DATA_DIR, builtin_models()),
                tables("analytic-reno"), options);
}

double healthy_fct(const Ranking& r) { return estimate(r.healthy, "avg_fct"); }
double excess_fct(const Ranking& r, const std::string& c) {
    return estimate(r, c, "avg_fct") - healthy_fct(r);
}

TEST(BugTolerantRouter, AffectedFlowsApproachTheHealthyNetworkInProportionToTheFaultRate) {
    const json running = {{"transition", "running"}};
    const Ranking r = rank_json(bug_incident({
        candidate("no-action", json::array()),
        candidate("f-0.5", btr({{"transition", "running"}, {"fault_rate", 0.5}})),
        candidate("f-0.25", btr({{"transition", "running"}, {"fault_rate", 0.25}})),
        candidate("f-0", btr({{"transition", "running"}, {"fault_rate", 0.0}})),
        candidate("cm-r3", btr(running)),
        candidate("drain", {{{"type", "disable_node"}, {"node", "t1-0-0"}}}),
    }));
    // Without BTR every episode blackholes half of pod 0's flows (those hashed onto t1-0-0):
    // a short flow there never completes and counts the time left to the horizon (4 s).
    const double none = excess_fct(r, "no-action");
    EXPECT_GT(none, 0.1) << healthy_fct(r);
    // The exposed share of each episode is the fault rate, nested from the episode's start:
    // the excess halves with it (no-action is a fault rate of 1).
    EXPECT_NEAR(excess_fct(r, "f-0.5") / none, 0.5, 0.05);
    EXPECT_NEAR(excess_fct(r, "f-0.25") / none, 0.25, 0.04);
    // A perfect voter is the healthy network, sample for sample (common random numbers).
    EXPECT_DOUBLE_EQ(estimate(r, "f-0", "avg_fct"), healthy_fct(r));
    // Thesis continuous-majority, R = 3 (0.02%): 80 us per 0.4 s episode, one 1 ms epoch.
    EXPECT_LT(excess_fct(r, "cm-r3"), 0.01 * none);
    EXPECT_GE(excess_fct(r, "cm-r3"), 0.0);
    // Draining takes the bug out of every path (and half of pod 0's uplinks: ample here).
    EXPECT_NEAR(estimate(r, "drain", "avg_fct"), healthy_fct(r), 0.05 * healthy_fct(r));
    EXPECT_DOUBLE_EQ(side_metric(r, "cm-r3", "btr_fault_rate"), 0.02e-2);
    EXPECT_DOUBLE_EQ(side_metric(r, "cm-r3", "btr_cpu_instances"), 3.0);
}

TEST(BugTolerantRouter, WithoutItAWrongNextHopLoopsOrDetoursThoseFlows) {
    const Ranking wrong =
        rank_json(bug_incident({candidate("no-action", json::array())}, "wrong_next_hop"));
    const Ranking hole = rank_json(bug_incident({candidate("no-action", json::array())}));
    // t0-0-1 sends t0-1-0's traffic back up: to t1-0-0 (a loop, lost) or t1-0-1 (a detour),
    // 1/2 each for t0-0-0's flows. t0-0-1's own flows come back to their source ToR: all loop.
    // Of the blackhole's dead flows, (1/2 + 1) / 2 = 3/4 die.
    EXPECT_NEAR(excess_fct(wrong, "no-action") / excess_fct(hole, "no-action"), 0.75, 0.06);
}

TEST(BugTolerantRouter, MasterSlaveExposesEachEpisodeUntilDetection) {
    // T = 0.1 s + one FIB pass-through (0.06 s) of every 0.4 s episode, fault rate 0 beside it.
    const Ranking r = rank_json(bug_incident({
        candidate("no-action", json::array()),
        candidate("ms", btr({{"transition", "running"},
                             {"strategy", "master_slave"},
                             {"stability_threshold_s", 0.1},
                             {"fault_rate", 0.0}})),
    }));
    EXPECT_NEAR(excess_fct(r, "ms") / excess_fct(r, "no-action"), 0.16 / 0.4, 0.05);
}

TEST(BugTolerantRouter, TimelineOfEachTransition) {
    const Topology topo = testing::testbed_clos(1);
    const ModelSpec* spec = builtin_models().find("bug_tolerant_router");
    ASSERT_NE(spec, nullptr);
    auto make = [&](json params) {
        params["type"] = "bug_tolerant_router";
        params["router"] = "t1-0-0";
        const ModelParams p(params, "$.a", topo, spec->keys);
        return std::dynamic_pointer_cast<const BugTolerantRouter>(spec->make(p));
    };
    EXPECT_DOUBLE_EQ(make({{"transition", "running"}, {"start_s", 0.3}})->active_from_s(), 0.3);
    EXPECT_DOUBLE_EQ(make({{"start_s", 0.3}})->active_from_s(),
                     1.3);  // restart: 1 s bootstrap (proposal)
    // VROOM's defaults on t1-0-0 (5 links, 6 routes): 0.972 + 6 x 100 us + 5 x 0.1 s.
    EXPECT_NEAR(make({{"transition", "vroom"}})->active_from_s(), 0.972 + 0.0006 + 0.5, 1e-12);
    EXPECT_EQ(make({{"transition", "vroom"}})->timed_edits().size(), 5u);
    // A cold restart takes the switch out of routing for the bootstrap.
    const auto cold = make({{"graceful_restart", false}, {"bootstrap_s", 0.25}})->timed_edits();
    ASSERT_EQ(cold.size(), 2u);
    EXPECT_DOUBLE_EQ(cold[1].start_s, 0.25);
    NetworkState state(topo);
    cold[0].edit(state);
    EXPECT_FALSE(state.node_usable(node(topo, "t1-0-0")));
    cold[1].edit(state);
    EXPECT_TRUE(state.node_usable(node(topo, "t1-0-0")));
    // The mask the core reads: master/slave with T = 0.5 exposes 0.56 s, R = 4 WFC's 0.003%.
    make({{"strategy", "master_slave"}})->edit_state(state);
    EXPECT_DOUBLE_EQ(state.bug_mask(node(topo, "t1-0-0"))->exposed_s, 0.56);
    make({{"strategy", "wait_for_consensus"}, {"instances", 4}})->edit_state(state);
    EXPECT_DOUBLE_EQ(state.bug_mask(node(topo, "t1-0-0"))->fault_rate, 0.003e-2);
    EXPECT_DOUBLE_EQ(state.bug_mask(node(topo, "t1-0-0"))->from_s, 1.0);
    // Memory: R x (3.2 MB + 2.1 kB per route), 6 ToRs: 3 x 3.2126.
    EXPECT_NEAR(make({})->memory_mb(), 3 * (3.2 + 21.0 * 6 / 10000.0), 1e-12);
}

std::string failure_error(json bug) {
    json doc = bug_incident({candidate("no-action", json::array())});
    bug["type"] = "routing_bug";
    doc["failures"] = {bug};
    return incident_error(doc);
}

TEST(RoutingBugReader, ChecksEveryKeyWithItsPath) {
    EXPECT_EQ(failure_error({{"node", "t1-0-0"}}),
              "$.failures[0]: needs \"destinations\" (ToR names) or \"destination_fraction\"");
    EXPECT_EQ(failure_error({{"node", "t1-0-0"}, {"destinations", {"t2-0"}}}),
              "$.failures[0].destinations[0]: \"t2-0\" is not a ToR; destinations are racks");
    EXPECT_EQ(failure_error({{"node", "t0-0-0"}, {"destinations", {"t0-0-0"}}}),
              "$.failures[0].destinations[0]: \"t0-0-0\" is the buggy switch itself");
    EXPECT_EQ(failure_error({{"node", "t1-0-0"}, {"destination_fraction", 0}}),
              "$.failures[0].destination_fraction: must be in (0, 1], got 0");
    EXPECT_EQ(
        failure_error({{"node", "t1-0-0"}, {"destination_fraction", 0.5}, {"next_hop", "t2-0"}}),
        "$.failures[0].next_hop: applies only with \"action\": \"wrong_next_hop\"");
    EXPECT_EQ(failure_error({{"node", "t1-0-0"},
                             {"destinations", {"t0-1-0"}},
                             {"action", "wrong_next_hop"},
                             {"next_hop", "t1-1-0"}}),
              "$.failures[0].next_hop: \"t1-1-0\" is not a neighbour of \"t1-0-0\"");
    EXPECT_EQ(
        failure_error(
            {{"node", "t0-0-0"}, {"destinations", {"t0-1-0"}}, {"action", "wrong_next_hop"}}),
        "$.failures[0].action: every neighbour of \"t0-0-0\" is a shortest-path next hop towards "
        "\"t0-1-0\"; name \"next_hop\" or use \"blackhole\"");
    EXPECT_EQ(
        failure_error({{"node", "t1-0-0"},
                       {"destinations", {"t0-1-0"}},
                       {"duration_s", 2},
                       {"interarrival_s", 1}}),
        "$.failures[0].interarrival_s: must be at least duration_s (2): it is the time from one "
        "episode's start to the next");
    EXPECT_EQ(failure_error({{"node", "t1-0-0"},
                             {"destinations", {"t0-1-0"}},
                             {"duration_s", 0.001},
                             {"interarrival_s", 0.005}}),
              "$.failures[0].interarrival_s: gives more than 200 episodes in the simulated 2 s "
              "(each is two "
              "routing phases)");
    EXPECT_EQ(
        failure_error({{"node", "t1-0-0"}, {"destinations", {"t0-1-0"}}, {"episodes", {{1, 0.5}}}}),
        "$.failures[0].episodes[0][1]: must be after the start 1");
    EXPECT_EQ(failure_error({{"node", "t1-0-0"},
                             {"destinations", {"t0-1-0"}},
                             {"episodes", {{0, 1}}},
                             {"start_s", 1}}),
              "$.failures[0].start_s: give either \"episodes\" or the episode timing, not both");
    // A fraction draws round(f x ToRs) racks, at least one, with the seed.
    json doc = bug_incident({candidate("no-action", json::array())});
    doc["failures"][0].erase("destinations");
    doc["failures"][0]["destination_fraction"] = 0.5;
    const Incident incident = read_incident(doc, SWARM_SOURCE_DATA_DIR, builtin_models());
    EXPECT_EQ(std::get<RoutingBug>(incident.failures[0]).destinations.size(), 2u);
}

TEST(BugTolerantRouterReader, ChecksParametersWithTheirPaths) {
    auto error = [](json extra) {
        return incident_error(bug_incident(
            {candidate("no-action", json::array()), candidate("c", btr(std::move(extra)))}));
    };
    const std::string at = "$.candidates[1].actions[0].";
    EXPECT_EQ(error({{"instances", 2}}), at + "instances: must be in [3, 31], got 2");
    EXPECT_EQ(error({{"consensus", 2}}),
              at + "consensus: applies only with \"strategy\": \"wait_for_consensus\"");
    EXPECT_EQ(error({{"strategy", "wait_for_consensus"}, {"instances", 5}, {"consensus", 2}}),
              at + "consensus: must be in [3, 5], got 2");
    EXPECT_EQ(error({{"vroom", {{"to", "spare"}}}}),
              at + "vroom: applies only with \"transition\": \"vroom\"");
    EXPECT_EQ(error({{"transition", "running"}, {"bootstrap_s", 1}}),
              at + "bootstrap_s: applies only with \"transition\": \"restart\"");
    EXPECT_EQ(error({{"transition", "vroom"}, {"vroom", {{"to", "t2-0"}}}}),
              at + "vroom.to: \"t2-0\" is a switch of the topology; VROOM needs a spare router "
                   "(§3.7: co-hosting "
                   "on a Clos peer loses the primary/backup redundancy)");
    EXPECT_EQ(error({{"fault_rate", 2}}), at + "fault_rate: must be in [0, 1], got 2");
}

TEST(BugTolerantRouter, ADeadSwitchCannotRunIt) {
    json doc =
        bug_incident({candidate("no-action", json::array()), candidate("c", btr(json::object()))});
    doc["failures"].push_back({{"type", "node_down"}, {"node", "t1-0-0"}});
    EXPECT_EQ(
        testing::infeasible_reason(doc),
        "bug_tolerant_router: t1-0-0 is down or drained; it runs no routing software to vote on");
}

}  // namespace
}  // namespace swarm
