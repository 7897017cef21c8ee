// VROOM (models/vroom.h, docs/models/vroom.md): the migration timeline on hand-solved flows,
// placement checks with their reasons, parameter errors, and the thesis behaviour in a ranking:
// moving a virtual router off a lossy switch helps once the migration is over, and not before.
#include <gtest/gtest.h>

#include "../estimator/fixtures.h"
#include "estimator/epoch_simulator.h"
#include "estimator/helper/incident_reader.h"
#include "estimator/mitigation/model_registry.h"
#include "model_test_support.h"
#include "models/builtin_models.h"
#include "models/vroom.h"
#include "swarm/rank.h"

namespace swarm {
namespace {

using namespace testing;  // fixtures.h and model_test_support.h

// Binary-exact times, so phase starts fall exactly on epoch boundaries (kExactEpoch = 2^-7 s).
constexpr double kDowntime = 0.0625;            // T_cp
constexpr double kPerLink = 0.015625;           // Δ
constexpr double kPathRtt = 8e-6 + 4 * 1.2e-6;  // two-tier path: 4 links of 1 us, 4 MTUs at 10 Gbps

class VroomTimeline : public ::testing::Test {
   protected:
    Topology topo = testbed_clos(2);

    std::shared_ptr<const MitigationModel> make(nlohmann::json params) {
        params["type"] = "vroom";
        const ModelSpec* spec = builtin_models().find("vroom");
        return spec->make(ModelParams(params, "$.vroom", topo, spec->keys));
    }
    std::int32_t server(const char* tor, int i) {
        return topo.servers_of_tor(node(topo, tor))[static_cast<std::size_t>(i)];
    }
    /// One flow of `bytes` at t = 0 from t0-0-0's first server to t0-0-1's, under `model`.
    FlowOutcomes run(const NetworkState& state, const MitigationModel& model, double bytes) {
        return run_one_flow(model, state, server("t0-0-0", 0), server("t0-0-1", 0), bytes,
                            kExactEpoch, 3);
    }
    /// The same flow the other way, t0-0-1 -> t0-0-0.
    FlowOutcomes run_back(const NetworkState& state, const MitigationModel& model, double bytes) {
        return run_one_flow(model, state, server("t0-0-1", 0), server("t0-0-0", 0), bytes,
                            kExactEpoch, 3);
    }
    /// t0-0-0's only way up is t1-0-0 (the switch that moves), and the only way down to it.
    NetworkState via_t1_0_0() {
        NetworkState state(topo);
        state.apply(Action{DisableLink{link(topo, "t0-0-0", "t1-0-1")}});
        return state;
    }
};

TEST_F(VroomTimeline, TimesFollowDowntimeCloningAndLinks) {
    const auto model = make({{"router", "t1-0-0"}});
    const auto& v = dynamic_cast<const Vroom&>(*model);
    // Thesis defaults: T_cp 0.972 s (§3.6.4), R = 6 ToRs x 100 us (§3.4.2), 5 links x 0.1 s.
    EXPECT_EQ(v.params().spare, "t1-0-0-spare");
    EXPECT_EQ(v.params().links.size(), 5u);  // 3 ToRs and 2 spines
    EXPECT_DOUBLE_EQ(v.control_plane_end_s(), 0.972);
    EXPECT_NEAR(v.cloning_s(), 6e-4, 1e-15);
    EXPECT_NEAR(v.link_migrated_s(0), 1.0726, 1e-12);
    EXPECT_NEAR(v.done_s(), 1.4726, 1e-12);
    // The full BGP table: 3.560 s of downtime and 255k routes, 25.5 s of cloning.
    const auto bgp = make({{"router", "t1-0-0"},
                           {"control_plane_downtime_s", 3.56},
                           {"routes", 255000},
                           {"start_s", 2}});
    EXPECT_NEAR(dynamic_cast<const Vroom&>(*bgp).link_migrated_s(0), 2 + 3.56 + 25.5 + 0.1, 1e-9);
    // One phase per link, in link order.
    const auto ordered = make({{"router", "t1-0-0"}, {"link_order", {"t2-1", "t0-0-2"}}});
    const auto& o = dynamic_cast<const Vroom&>(*ordered);
    EXPECT_EQ(o.params().links[0], link(topo, "t1-0-0", "t2-1"));
    EXPECT_EQ(o.params().links[1], link(topo, "t1-0-0", "t0-0-2"));
    EXPECT_EQ(o.timed_edits().size(), 5u);
    // A ToR's server links move too: 2 servers and 2 uplinks.
    EXPECT_EQ(dynamic_cast<const Vroom&>(*make({{"router", "t0-0-0"}})).params().links.size(), 4u);
}

TEST_F(VroomTimeline, BlackholedSwitchForwardsWhatEntersOverMovedLinks) {
    NetworkState state = via_t1_0_0();
    state.apply(Failure{NodeBlackhole{node(topo, "t1-0-0")}});
    const auto model = make({{"router", "t1-0-0"},
                             {"control_plane_downtime_s", kDowntime},
                             {"routes", 0},
                             {"link_migration_s", kPerLink}});
    // Links move in adjacency order, t0-0-0 first, at 0.0625 + i x 0.015625 s. A drops what
    // enters it over links that have not moved. t0-0-0 -> t0-0-1 enters over link 1: nothing
    // arrives until 0.078125 s, then 100 Mbit at 10 Gbps take 10 ms.
    const FlowOutcomes out = run(state, *model, 12.5e6);
    ASSERT_EQ(out.long_throughput_bps.size(), 1u);
    EXPECT_NEAR(out.long_throughput_bps[0], 100e6 / (0.078125 + 0.010 + kPathRtt), 1.0);
    // The way back enters over link 2 (from t0-0-1): from 0.09375 s.
    EXPECT_NEAR(run_back(state, *model, 12.5e6).long_throughput_bps[0],
                100e6 / (0.09375 + 0.010 + kPathRtt), 1.0);
    // t0-0-0's link moved last: the whole migration, 0.140625 s.
    const auto last = make({{"router", "t1-0-0"},
                            {"control_plane_downtime_s", kDowntime},
                            {"routes", 0},
                            {"link_migration_s", kPerLink},
                            {"link_order", {"t2-0", "t2-1", "t0-0-2", "t0-0-1"}}});
    EXPECT_NEAR(run(state, *last, 12.5e6).long_throughput_bps[0],
                100e6 / (0.140625 + 0.010 + kPathRtt), 1.0);
    // The costs beside the CLP.
    ASSERT_EQ(out.side_metrics.size(), 2u);
    EXPECT_EQ(out.side_metrics[0].first, "control_plane_downtime_s");
    EXPECT_DOUBLE_EQ(out.side_metrics[0].second, kDowntime);
    EXPECT_EQ(out.side_metrics[1].first, "migration_done_s");
    EXPECT_DOUBLE_EQ(out.side_metrics[1].second, 0.140625);
    // Cloning counts: 1000 routes at 15.625 us add 15.625 ms.
    const auto cloning = make({{"router", "t1-0-0"},
                               {"control_plane_downtime_s", kDowntime},
                               {"routes", 1000},
                               {"fib_install_us", 15.625},
                               {"link_migration_s", kPerLink}});
    EXPECT_NEAR(run(state, *cloning, 12.5e6).long_throughput_bps[0],
                100e6 / (0.09375 + 0.010 + kPathRtt), 1.0);
}

TEST_F(VroomTimeline, SwitchLossIsExactlyTheIngressLossBeforeAnyLinkMoves) {
    // At t_1 A's loss moves onto the channels into X: every path, in both directions, keeps the
    // same drop until its own ingress link moves.
    NetworkState state(topo);
    state.apply(Failure{NodeLoss{node(topo, "t1-0-0"), 0.01}});
    const auto model = make({{"router", "t1-0-0"}, {"link_order", {"t0-0-0"}}});
    NetworkState moved(state);
    const auto edits = model->timed_edits();
    edits[0].edit(moved);
    const Routing before(state, 1500);
    const Routing after(moved, 1500);
    const auto hop = [&](const char* a, const char* b) {
        return topo.channel(link(topo, a, b), node(topo, a));
    };
    const std::int32_t x = server("t0-0-0", 0);
    const std::int32_t y = server("t0-0-1", 0);
    const std::int32_t z = server("t0-0-2", 0);
    const auto up = [&](std::int32_t s) {
        return topo.channel(topo.server_link(s), topo.servers()[static_cast<std::size_t>(s)]);
    };
    const auto down = [&](std::int32_t s) {
        return topo.channel(topo.server_link(s),
                            topo.node(topo.servers()[static_cast<std::size_t>(s)]).tor);
    };
    const std::vector<ChannelId> from_x = {up(x), hop("t0-0-0", "t1-0-0"), hop("t1-0-0", "t0-0-1"),
                                           down(y)};
    const std::vector<ChannelId> from_y = {up(y), hop("t0-0-1", "t1-0-0"), hop("t1-0-0", "t0-0-2"),
                                           down(z)};
    EXPECT_NEAR(before.path_properties(from_x).drop_rate, 0.01, 1e-12);
    EXPECT_NEAR(before.path_properties(from_y).drop_rate, 0.01, 1e-12);
    EXPECT_NEAR(after.path_properties(from_x).drop_rate, 0.0,
                1e-12);  // entered over the moved link
    EXPECT_NEAR(after.path_properties(from_y).drop_rate, 0.01, 1e-12);  // not yet
    EXPECT_EQ(moved.node_drop_rate(node(topo, "t1-0-0")), 0.0);
}

TEST_F(VroomTimeline, LinksMoveOneByOneWithTheSparesCapacity) {
    NetworkState state = via_t1_0_0();
    state.apply(Failure{LinkBlackhole{link(topo, "t0-0-0", "t1-0-0")}});
    // The faulty port's link moves first, at 0.0625 + 0.015625 = 0.078125 s, onto a spare port
    // of half the capacity: 100 Mbit at 5 Gbps take 20 ms.
    const auto first = make({{"router", "t1-0-0"},
                             {"control_plane_downtime_s", kDowntime},
                             {"routes", 0},
                             {"link_migration_s", kPerLink},
                             {"link_order", {"t0-0-0"}},
                             {"spare_capacity_fraction", 0.5}});
    const FlowOutcomes out = run(state, *first, 12.5e6);
    ASSERT_EQ(out.long_throughput_bps.size(), 1u);
    EXPECT_NEAR(out.long_throughput_bps[0], 100e6 / (0.078125 + 0.020 + kPathRtt), 1.0);
    // Moved last, at 0.140625 s.
    const auto last = make({{"router", "t1-0-0"},
                            {"control_plane_downtime_s", kDowntime},
                            {"routes", 0},
                            {"link_migration_s", kPerLink},
                            {"link_order", {"t0-0-1", "t0-0-2", "t2-0", "t2-1"}},
                            {"spare_capacity_fraction", 0.5}});
    EXPECT_NEAR(run(state, *last, 12.5e6).long_throughput_bps[0],
                100e6 / (0.140625 + 0.020 + kPathRtt), 1.0);
    // A fault that belongs to the link, not to A's port, stays: the flow never gets through.
    const auto keeps = make(
        {{"router", "t1-0-0"}, {"link_migration_s", kPerLink}, {"clears_link_failures", false}});
    const FlowOutcomes stuck = run(state, *keeps, 12.5e6);
    EXPECT_EQ(stuck.censored, 1u);
    EXPECT_EQ(stuck.long_throughput_bps[0], 0.0);
}

// ---- in a ranking -------------------------------------------------------------------------------

/// docs/models/vroom.md §5: one pod, 2 ToRs x 4 servers, 2 aggregation switches; t1-0-0 drops
/// 1% of what it forwards. With the defaults the move ends at 0.972 + 2 x 100 us + 2 x 0.1 s
/// = 1.1722 s.
nlohmann::json lossy_agg(double window_start, double window_end) {
    return {
        {"version", 1},
        {"name", "vroom-test"},
        {"topology",
         {{"clos",
           {{"pods", 1},
            {"tors_per_pod", 2},
            {"aggs_per_pod", 2},
            {"spines", 0},
            {"servers_per_tor", 4},
            {"link_gbps", 10},
            {"link_delay_us", 1}}}}},
        {"failures", {{{"type", "node_loss"}, {"node", "t1-0-0"}, {"drop_rate", 0.01}}}},
        {"traffic",
         {{"arrival_rate_per_server", 120},
          {"flow_size_cdf", "dctcp-websearch"},
          {"pattern", {{"type", "uniform"}}},
          {"duration_s", 2.0},
          {"measure_window_s", {window_start, window_end}}}},
        {"candidates",
         {{{"name", "no-action"}, {"actions", nlohmann::json::array()}},
          {{"name", "vroom"}, {"actions", {{{"type", "vroom"}, {"router", "t1-0-0"}}}}}}},
        {"comparator",
         {{"type", "priority"}, {"order", {"p1_throughput", "p99_fct"}}, {"tie_tolerance", 0.1}}},
        {"estimator",
         {{"epoch_ms", 1}, {"seed", 3}, {"traffic_samples", 3}, {"routing_samples", 2}}}};
}

TEST(VroomRanking, MovingOffALossySwitchHelpsOnceTheMigrationIsOver) {
    RankOptions options;
    // After the move ([1.3, 1.8] s): the loss has left with A, p1 is capacity-limited.
    const Ranking after =
        rank(read_incident(lossy_agg(1.3, 1.8), SWARM_SOURCE_DATA_DIR, builtin_models()),
             tables("ns3-cubic"), options);
    const double none = estimate(entry(after, "no-action").metrics, "p1_throughput");
    const double moved = estimate(entry(after, "vroom").metrics, "p1_throughput");
    EXPECT_LT(none, 60e6);  // TCP at 1% loss (the ns-3 Cubic table; the p1 of a few flows' draws)
    EXPECT_GT(moved, 10.0 * none);
    EXPECT_NEAR(moved, estimate(after.healthy, "p1_throughput"), 0.1 * moved);
    EXPECT_EQ(after.ranking.front().candidate, "vroom");
    const auto& costs = entry(after, "vroom").side_metrics;
    ASSERT_EQ(costs.size(), 2u);
    EXPECT_DOUBLE_EQ(costs[0].second, 0.972);
    EXPECT_NEAR(costs[1].second, 1.1722, 1e-9);
    // During the move ([0.2, 0.9] s), A still forwards with its loss. Short flows finish on the
    // network of their arrival: their p99 FCT is no-action's, sample for sample. Long flows
    // that start then gain only from the end of the move on (a 1.7 MB flow at the 1% table
    // rate runs for most of a second): far below the gain after it.
    const Ranking during =
        rank(read_incident(lossy_agg(0.2, 0.9), SWARM_SOURCE_DATA_DIR, builtin_models()),
             tables("ns3-cubic"), options);
    const double fct_none = estimate(entry(during, "no-action").metrics, "p99_fct");
    EXPECT_GT(fct_none, 10.0 * estimate(during.healthy, "p99_fct"));  // timeouts in the p99
    EXPECT_NEAR(estimate(entry(during, "vroom").metrics, "p99_fct"), fct_none, 1e-9 * fct_none);
    const double p1_during = estimate(entry(during, "vroom").metrics, "p1_throughput");
    EXPECT_LT(p1_during, 0.1 * moved);
    EXPECT_LT(p1_during, 3.0 * estimate(entry(during, "no-action").metrics, "p1_throughput"));
}

TEST(VroomPlacement, InfeasiblePlacementsGiveTheirReason) {
    const nlohmann::json doc = lossy_agg(0.05, 0.15);
    // Each ToR link of t1-0-0 carries 4 servers x 120/s x 13.7 Mbit (websearch mean) x 4/7 (to
    // the other rack) / 2 uplinks = 1.88 Gb/s each way: a spare port of 1 Gb/s lacks headroom.
    const nlohmann::json tenth = {
        {"type", "vroom"}, {"router", "t1-0-0"}, {"spare_capacity_fraction", 0.1}};
    EXPECT_EQ(
        infeasible_reason(one_candidate(doc, {tenth})),
        "vroom: placement (§3.7): the spare's link towards t0-0-0 lacks headroom: expected load "
        "1.88 Gb/s against 1 "
        "Gb/s (rho = 1.88)");
    // At 20% (2 Gb/s) it fits.
    const nlohmann::json fifth = {
        {"type", "vroom"}, {"router", "t1-0-0"}, {"spare_capacity_fraction", 0.2}};
    RankOptions fits_options;
    const Ranking fits =
        rank(read_incident(one_candidate(doc, {fifth}), SWARM_SOURCE_DATA_DIR, builtin_models()),
             tables("analytic-reno"), fits_options);
    EXPECT_TRUE(entry(fits, "c").connected) << entry(fits, "c").reason;
    // The primary and the backup of both ToRs on one spare.
    EXPECT_EQ(infeasible_reason(
                  one_candidate(doc, {{{"type", "vroom"}, {"router", "t1-0-0"}, {"to", "spare"}},
                                      {{"type", "vroom"}, {"router", "t1-0-1"}, {"to", "spare"}}})),
              "vroom: t1-0-0 and t1-0-1 are the primary and backup of t0-0-0; migrating both to "
              "\"spare\" loses "
              "physical redundancy (§3.7)");
    // Each to its own spare is fine.
    RankOptions options;
    const Ranking two = rank(
        read_incident(one_candidate(doc, {{{"type", "vroom"}, {"router", "t1-0-0"}, {"to", "a"}},
                                          {{"type", "vroom"}, {"router", "t1-0-1"}, {"to", "b"}}}),
                      SWARM_SOURCE_DATA_DIR, builtin_models()),
        tables("analytic-reno"), options);
    EXPECT_TRUE(entry(two, "c").connected);
    // A drained switch has no running router to move.
    EXPECT_EQ(infeasible_reason(one_candidate(doc, {{{"type", "disable_node"}, {"node", "t1-0-0"}},
                                                    {{"type", "vroom"}, {"router", "t1-0-0"}}})),
              "vroom: t1-0-0 is down or drained; VROOM live-migrates a running router (§3.4.2 "
              "copies its control "
              "plane)");
    EXPECT_EQ(infeasible_reason(one_candidate(
                  doc, {{{"type", "vroom"}, {"router", "t1-0-0"}, {"start_s", 0.2}}})),
              "vroom: starts at 0.2 s, not within the simulated 0.2 s");
}

std::string read_error(const nlohmann::json& action) {
    return incident_error(one_candidate(lossy_agg(0.05, 0.15), {action}));
}

TEST(VroomParameters, BadParametersNameTheirPath) {
    const std::string at = "$.candidates[1].actions[0].";
    EXPECT_EQ(read_error({{"type", "vroom"}, {"router", "t0-0-0-h1"}}),
              at + "router: \"t0-0-0-h1\" is a server; VROOM moves switches");
    EXPECT_EQ(read_error({{"type", "vroom"}}), at + "router: required key is missing");
    EXPECT_EQ(read_error({{"type", "vroom"}, {"router", "t1-0-0"}, {"to", "t1-0-1"}}),
              at + "to: \"t1-0-1\" is a switch of the topology; VROOM needs a spare router (§3.7: "
                   "co-hosting on a Clos "
                   "peer loses the primary/backup redundancy)");
    EXPECT_EQ(read_error({{"type", "vroom"}, {"router", "t1-0-0"}, {"to", ""}}),
              at + "to: must name the spare router");
    EXPECT_EQ(
        read_error({{"type", "vroom"}, {"router", "t1-0-0"}, {"spare_capacity_fraction", 1.5}}),
        at + "spare_capacity_fraction: must be in (0, 1], got 1.5");
    EXPECT_EQ(
        read_error({{"type", "vroom"}, {"router", "t1-0-0"}, {"control_plane_downtime_s", -1}}),
        at + "control_plane_downtime_s: must be >= 0, got -1");
    EXPECT_NE(read_error({{"type", "vroom"}, {"router", "t1-0-0"}, {"routes", 2.5}})
                  .find(at + "routes: "),
              std::string::npos);
    EXPECT_EQ(
        read_error({{"type", "vroom"}, {"router", "t1-0-0"}, {"link_order", {"t0-0-1", "t1-0-1"}}}),
        at + "link_order[1]: \"t1-0-1\" is not a neighbour of \"t1-0-0\"");
    EXPECT_EQ(
        read_error({{"type", "vroom"}, {"router", "t1-0-0"}, {"link_order", {"t0-0-1", "t0-0-1"}}}),
        at + "link_order[1]: \"t0-0-1\" is listed twice");
    EXPECT_EQ(read_error({{"type", "vroom"}, {"router", "t1-0-0"}, {"clears_link_failures", 1}}),
              at + "clears_link_failures: expected a boolean, got number 1");
    EXPECT_EQ(read_error({{"type", "vroom"}, {"router", "t1-0-0"}, {"hosts", 1}})
                  .rfind(at + "hosts: unknown key", 0),
              0u);
}

}  // namespace
}  // namespace swarm
