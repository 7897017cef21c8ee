// RON (models/ron.h, docs/models/ron.md) on the crossed-loss incident
// (data/incidents/ron-crossed-loss.json): every direct path between racks A = t0-0-0 and
// B = t0-0-1 crosses one 5%-lossy link, a detour A -> g0 -> relay -> g1 -> B is clean. Hand-solved
// plans (relay route, its RTT, the switch after a blackhole), the rescue and its latency cost in
// the epoch loop, the ranking, and parameter errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "../estimator/fixtures.h"
#include "estimator/epoch_simulator.h"
#include "estimator/helper/incident_reader.h"
#include "estimator/routing.h"
#include "estimator/transport_mix.h"
#include "model_test_support.h"
#include "models/builtin_models.h"
#include "models/ron.h"
#include "models/tcp_resume.h"
#include "swarm/rank.h"

namespace swarm {
namespace {

using testing::estimate;
using testing::flow_request;
using testing::incident_error;
using testing::shipped_incident;
using testing::side_metric;

// Base RTTs on 1 us, 10 Gbps links: 2 x propagation + one 1500 B serialisation (1.2 us) per hop.
/// [[a, b], ...] as JSON arrays (a braced list of two strings would read as an object).
nlohmann::json pairs(std::initializer_list<std::pair<const char*, const char*>> list) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& [a, b] : list) out.push_back(nlohmann::json::array({a, b}));
    return out;
}

constexpr double kDirectRtt = 2 * 4e-6 + 4 * 1.2e-6;             // A -> g -> B: 4 hops
constexpr double kRelayRtt = 2 * 8e-6 + 8 * 1.2e-6 + 2 * 20e-6;  // two such paths + forwarding

class RonTest : public ::testing::Test {
   protected:
    /// The shipped incident with `failures` and one candidate: RON on A-B with `extra` parameters.
    void load(const nlohmann::json& failures,
              const nlohmann::json& extra = nlohmann::json::object()) {
        nlohmann::json doc = shipped_incident("ron-crossed-loss");
        doc["failures"] = failures;
        nlohmann::json action = {{"type", "ron"},
                                 {"pairs", pairs({{"t0-0-0", "t0-0-1"}})},
                                 {"relays", {"t0-0-2", "t0-0-3"}},
                                 {"probe_interval_s", 0.02}};
        action.update(extra);
        doc["candidates"] = {{{"name", "ron"}, {"actions", {action}}}};
        incident =
            std::make_unique<Incident>(read_incident(doc, SWARM_SOURCE_DATA_DIR, builtin_models()));
        state = std::make_unique<NetworkState>(incident->topology);
        for (const Failure& f : incident->failures) state->apply(f);
        routing = std::make_unique<Routing>(*state, 1500);
        model = std::get<ModelAction>(incident->candidates[0].actions[0]).model;
        policy = model->flow_policy(ModelContext{*incident, *state, *routing, mix, 1e-3});
    }
    static nlohmann::json crossed(const char* type) {
        nlohmann::json a = {{"type", type}, {"link", {"t0-0-0", "t1-0-1"}}};
        nlohmann::json b = {{"type", type}, {"link", {"t1-0-0", "t0-0-1"}}};
        if (std::string(type) == "link_loss") {
            a["drop_rate"] = 0.05;
            b["drop_rate"] = 0.05;
        }
        return {a, b};
    }
    std::int32_t server(const char* tor, int i) const {
        const Topology& t = incident->topology;
        return t.servers_of_tor(testing::node(t, tor))[static_cast<std::size_t>(i)];
    }
    static FlowRequest flow(std::int32_t src, std::int32_t dst, double arrival_s) {
        return flow_request(src, dst, arrival_s, 1e6, 1234);
    }

    const TransportMix mix{testing::tables("ns3-cubic")};
    std::unique_ptr<Incident> incident;
    std::unique_ptr<NetworkState> state;
    std::unique_ptr<Routing> routing;
    std::shared_ptr<const MitigationModel> model;
    std::shared_ptr<const FlowPolicy> policy;
};

TEST_F(RonTest, LossyPairMovesToACleanRelayAtFiveTimesTheRtt) {
    load(crossed("link_loss"));
    // Over the 16 server directions A -> B and B -> A, most find a clean relay among the 8
    // (each clean with probability 1/4 with pinned virtual links: 1 - (3/4)^8 = 90%).
    auto run = policy->start_run(3);
    int clean = 0;
    for (int i = 0; i < 4; ++i) {
        for (int j = 0; j < 4; ++j) {
            for (const auto& [src, dst] : {std::pair{server("t0-0-0", i), server("t0-0-1", j)},
                                           std::pair{server("t0-0-1", j), server("t0-0-0", i)}}) {
                FlowPlan plan;
                ASSERT_TRUE(run->plan(flow(src, dst, 1.4), plan));
                const RouteLeg& last = plan.legs().back();
                EXPECT_LE(last.drop_rate,
                          0.05 + 1e-12);  // a relay only if it beats the direct path
                if (plan.legs().size() == 1 && last.drop_rate == 0.0) {
                    ++clean;
                    EXPECT_NEAR(last.base_rtt_s, kRelayRtt, 1e-12);
                    EXPECT_EQ(last.channels.size(), 8u);  // 4 + 4: in and out of the relay's NIC
                    // Channels 3 and 4 are the two directions of the relay's server link.
                    EXPECT_EQ(last.channels[3] / 2, last.channels[4] / 2);
                    EXPECT_NE(last.channels[3], last.channels[4]);
                }
            }
        }
    }
    EXPECT_GE(clean, 24);
    std::vector<std::pair<std::string, double>> side;
    run->side_metrics(0.8, side);
    // 16 RON nodes probing each other: 2 x 16 x 15 / 20 ms.
    EXPECT_EQ(side[0].first, "probe_packets_per_s");
    EXPECT_DOUBLE_EQ(side[0].second, 2.0 * 16 * 15 / 0.02);
    EXPECT_EQ(side[3].first, "relay_rtt_stretch");
    EXPECT_NEAR(side[3].second, kRelayRtt / kDirectRtt, 1e-9);  // 5.125
}

TEST_F(RonTest, BlackholedPairResumesAtTheFirstRetransmissionAfterTheSwitch) {
    load(crossed("link_blackhole"));
    // One lost probe (k = 1, q = 1): the switch comes at 20 ms x (U + 1) < 40 ms; TCP retries at
    // arrival + 200 ms.
    auto run = policy->start_run(3);
    FlowPlan plan;
    ASSERT_TRUE(run->plan(flow(server("t0-0-0", 0), server("t0-0-1", 0), 0.01), plan));
    ASSERT_EQ(plan.legs().size(), 2u);
    EXPECT_TRUE(plan.legs()[0].stalled());
    EXPECT_DOUBLE_EQ(plan.legs()[1].start_s, 0.01 + kGuestRtoMinS);
    EXPECT_EQ(plan.legs()[1].drop_rate, 0.0);
    EXPECT_NEAR(plan.legs()[1].base_rtt_s, kRelayRtt, 1e-12);
}

TEST_F(RonTest, HealthyPairStaysDirectOnItsVirtualLink) {
    load(nlohmann::json::array());
    auto run = policy->start_run(3);
    FlowPlan first;
    FlowPlan second;
    FlowRequest a = flow(server("t0-0-0", 0), server("t0-0-1", 0), 0.5);
    FlowRequest b = a;
    b.path_seed = 99;
    ASSERT_TRUE(run->plan(a, first));
    ASSERT_TRUE(run->plan(b, second));
    ASSERT_EQ(first.legs().size(), 1u);
    EXPECT_EQ(first.legs()[0].drop_rate, 0.0);
    EXPECT_NEAR(first.legs()[0].base_rtt_s, kDirectRtt, 1e-12);
    // Pinned: every flow of the pair takes the tunnel's one path, whatever its own hash.
    EXPECT_EQ(first.legs()[0].channels, second.legs()[0].channels);
    // Pairs RON does not protect are left to the network.
    FlowPlan other;
    EXPECT_FALSE(run->plan(flow(server("t0-0-2", 0), server("t0-0-3", 0), 0.5), other));
}

TEST_F(RonTest, RescuesThePairAtALatencyCostInTheEpochLoop) {
    // Only A <-> B flows: one short (20 KB) and one long (2 MB) per server direction (32), after the
    // switch (about 0.2 s with 20 ms probing).
    load(crossed("link_loss"));
    DemandSample d;
    double t = 0.5;
    for (int i = 0; i < 4; ++i) {
        for (int j = 0; j < 4; ++j) {
            for (const auto& [src, dst] : {std::pair{server("t0-0-0", i), server("t0-0-1", j)},
                                           std::pair{server("t0-0-1", j), server("t0-0-0", i)}}) {
                for (double bytes : {20e3, 2e6}) {
                    d.arrival_s.push_back(t);
                    d.src.push_back(src);
                    d.dst.push_back(dst);
                    d.size_bytes.push_back(bytes);
                    t += 0.005;
                }
            }
        }
    }
    SimulationSettings settings;
    settings.epoch_s = 1e-3;
    settings.duration_s = 1.5;
    settings.window_start_s = 0.4;
    settings.window_end_s = 1.2;
    const std::vector<DemandMove> no_moves;
    const DemandEditor editor(no_moves, incident->topology.servers().size(), 1);
    auto simulate = [&](const Routing& on, const ScenarioModels* models) {
        EpochSimulator simulator(on, mix, settings, models);
        FlowOutcomes out;
        simulator.run(d, editor, 21, 22, out);
        return out;
    };
    ScenarioModels ron;
    ron.policies.push_back(policy);
    const FlowOutcomes relayed = simulate(*routing, &ron);
    const FlowOutcomes lossy = simulate(*routing, nullptr);
    const NetworkState clean_state(incident->topology);
    const Routing clean_routing(clean_state, 1500);
    const FlowOutcomes clean = simulate(clean_routing, nullptr);
    auto quantile = [](std::vector<double> v, double q) {
        std::sort(v.begin(), v.end());
        return v[static_cast<std::size_t>(q * static_cast<double>(v.size()))];
    };
    auto median = [&](const std::vector<double>& v) { return quantile(v, 0.5); };
    ASSERT_EQ(relayed.long_throughput_bps.size(), 32u);
    ASSERT_EQ(relayed.short_fct_s.size(), 32u);
    // The rescue: long flows go from the 5%-loss TCP rate to capacity-limited rates.
    EXPECT_GT(median(relayed.long_throughput_bps), 100.0 * median(lossy.long_throughput_bps));
    EXPECT_GT(median(relayed.long_throughput_bps), 1e9);
    // Short flows lose their timeouts (the 90th percentile drops from seconds to the relay's
    // few RTTs) but pay the relay's 5.1x base RTT: at the 25th percentile and the median (only
    // the about 10% of directions without a clean relay stay direct) they take several times
    // as long as on a clean direct path.
    EXPECT_LT(quantile(relayed.short_fct_s, 0.9), 0.01 * quantile(lossy.short_fct_s, 0.9));
    EXPECT_GT(quantile(relayed.short_fct_s, 0.25), 3.0 * quantile(clean.short_fct_s, 0.25));
    EXPECT_GT(median(relayed.short_fct_s), 3.0 * median(clean.short_fct_s));
}

TEST(RonBehaviour, RanksAboveEveryClassicActionOnCrossedLoss) {
    const Incident incident = read_incident(shipped_incident("ron-crossed-loss"),
                                            SWARM_SOURCE_DATA_DIR, builtin_models());
    const Ranking r = rank(incident, testing::tables("ns3-cubic"), RankOptions{});
    // p1 throughput: the tail is the A-B flows; RON lifts it by more than an order of magnitude
    // (22x in the composite's median; two orders with the disabled link).
    EXPECT_GT(estimate(r, "ron-20ms", "p1_throughput"),
              10.0 * estimate(r, "no-action", "p1_throughput"));
    EXPECT_GT(estimate(r, "ron-20ms+disable-one-link", "p1_throughput"),
              100.0 * estimate(r, "no-action", "p1_throughput"));
    EXPECT_EQ(r.ranking[0].candidate, "ron-20ms+disable-one-link");
    EXPECT_EQ(r.ranking[1].candidate, "ron-20ms");
    // The relays' own flows pay for the relayed load on their NICs: the average drops.
    EXPECT_LT(estimate(r, "ron-20ms", "avg_throughput"),
              estimate(r, "no-action", "avg_throughput"));
    EXPECT_GT(side_metric(r, "ron-20ms", "relayed_bytes_per_s"), 1e8);
    // RON's 4 s probing sees nothing within a 1.5 s run.
    EXPECT_EQ(estimate(r, "ron-default", "p1_throughput"),
              estimate(r, "no-action", "p1_throughput"));
    EXPECT_EQ(side_metric(r, "ron-default", "relayed_flow_fraction"), 0.0);
    EXPECT_DOUBLE_EQ(side_metric(r, "ron-default", "probe_packets_per_s"), 2.0 * 16 * 15 / 4.0);
}

TEST(RonParams, BadValuesNameTheirPath) {
    auto error = [](const nlohmann::json& changes) {
        nlohmann::json doc = shipped_incident("ron-crossed-loss");
        doc["candidates"][3]["actions"][0].update(changes);
        return incident_error(doc);
    };
    const std::string at = "$.candidates[3].actions[0].";
    EXPECT_EQ(error({{"probe_interval_s", 0}}),
              at + "probe_interval_s: must be in (0, 3600], got 0");
    EXPECT_EQ(error({{"metric", "jitter"}}),
              at + "metric: unknown value \"jitter\"; expected one of: loss, latency");
    EXPECT_EQ(error({{"pairs", pairs({{"t0-0-0-h0", "t0-0-0-h1"}})}}),
              at + "pairs[0]: \"t0-0-0-h0\" and \"t0-0-0-h1\" share a ToR: one path, nothing to "
                   "relay around");
    EXPECT_EQ(error({{"pairs", pairs({{"t0-0-0-h0", "t0-0-1-h0"}, {"t0-0-1-h0", "t0-0-0-h0"}})}}),
              at + "pairs[1]: duplicate pair (\"t0-0-1-h0\", \"t0-0-0-h0\")");
    EXPECT_EQ(error({{"pairs", pairs({{"t0-0-0-h0", "t1-0-0"}})}}),
              at + "pairs[0][1]: \"t1-0-0\" is neither a server nor a ToR");
    EXPECT_EQ(error({{"pairs", {"t0-0-0"}}}),
              at + "pairs[0]: expected an array of 2 server or ToR names, got string \"t0-0-0\"");
    EXPECT_EQ(error({{"pairs", pairs({{"t0-0-0-h0", "t0-0-1-h0"}})}, {"relays", {"t0-0-0-h0"}}}),
              at + "relays: no relay left for the pair (\"t0-0-0-h0\", \"t0-0-1-h0\"): a pair "
                   "cannot relay through its "
                   "own ends");
    // §1: fewer than fifty nodes.
    nlohmann::json big = shipped_incident("ron-crossed-loss");
    big["topology"]["clos"]["servers_per_tor"] = 16;
    EXPECT_EQ(
        incident_error(big),
        "$.candidates[3].actions[0]: RON has 64 nodes; the design keeps a RON under 50 (RON §1)");
    // RON and ZooRoute may not both steer a server's flows.
    nlohmann::json both = shipped_incident("ron-crossed-loss");
    both["candidates"][3]["actions"].push_back({{"type", "zooroute"}, {"hosts", {"t0-0-0-h2"}}});
    EXPECT_NE(
        incident_error(both).find("$.candidates[3].actions[1]: steers the flows of \"t0-0-0-h2\""),
        std::string::npos);
}

}  // namespace
}  // namespace swarm
