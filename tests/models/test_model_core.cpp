// The mitigation-model extension points on hand-solved cases (models/mitigation_model.h,
// estimator/flow_policy.h): planned legs, stalls, multipath splits, phases, a model's own
// transport, side metrics, blackholes, and how models enter an incident and a ranking.
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

// ---- models in incidents and rankings -----------------------------------------------------------

/// Repairs a link: the simplest state-editing model. Infeasible when told so.
class RepairModel : public MitigationModel {
   public:
    RepairModel(LinkId link, bool feasible, double after_s)
        : link_(link), feasible_(feasible), after_s_(after_s) {}
    std::string type() const override { return "repair"; }
    void edit_state(NetworkState& state) const override {
        if (after_s_ <= 0.0) state.set_link_drop_rate(link_, 0.0);
    }
    std::vector<TimedEdit> timed_edits() const override {
        if (after_s_ <= 0.0) return {};
        const LinkId l = link_;
        return {{after_s_, "repair done", [l](NetworkState& s) { s.set_link_drop_rate(l, 0.0); }}};
    }
    std::optional<std::string> infeasible(const NetworkState&, const Incident&) const override {
        if (feasible_) return std::nullopt;
        return "no technician on site";
    }

   private:
    LinkId link_;
    bool feasible_;
    double after_s_;
};

/// Counts the flows of chosen sources, for side metrics and the overlap check.
class CountingModel : public MitigationModel {
   public:
    explicit CountingModel(std::vector<std::int32_t> sources) : sources_(std::move(sources)) {}
    std::string type() const override { return "count"; }
    bool steers_flows() const override { return true; }
    std::optional<std::vector<std::int32_t>> governed_sources() const override { return sources_; }
    std::shared_ptr<const FlowPolicy> do_flow_policy(const ModelContext& context) const override {
        struct Policy : FlowPolicy {
            const Routing* routing;
            std::vector<char> mine;
            struct Run : FlowPolicyRun {
                const Policy* p;
                double count = 0;
                bool plan(const FlowRequest& r, FlowPlan& plan) override {
                    if (!p->mine[static_cast<std::size_t>(r.src_server)]) return false;
                    ++count;
                    Rng rng(r.path_seed);  // exactly the default path
                    RouteLeg& leg = plan.add_leg(r.arrival_s);
                    const PathProperties props =
                        p->routing->sample_path(r.src_server, r.dst_server, rng, leg.channels);
                    leg.drop_rate = props.drop_rate;
                    leg.base_rtt_s = props.base_rtt_s;
                    return true;
                }
                void side_metrics(double s,
                                  std::vector<std::pair<std::string, double>>& out) const override {
                    out.emplace_back("counted_per_s", count / s);
                }
            };
            std::unique_ptr<FlowPolicyRun> start_run(std::uint64_t) const override {
                auto run = std::make_unique<Run>();
                run->p = this;
                return run;
            }
        };
        auto policy = std::make_shared<Policy>();
        policy->routing = &context.routing;
        policy->mine.assign(context.state.topology().servers().size(), 0);
        for (std::int32_t s : sources_) policy->mine[static_cast<std::size_t>(s)] = 1;
        return policy;
    }

   private:
    std::vector<std::int32_t> sources_;
};

ModelRegistry test_registry() {
    ModelRegistry registry;
    registry.add({"repair", {"link", "after_ms", "feasible"}, [](const ModelParams& p) {
                      return std::make_shared<RepairModel>(
                          p.link("link"), p.flag("feasible", true),
                          p.number("after_ms", 0.0, json_fields::kNonNegative) / 1e3);
                  }});
    registry.add({"count", {"hosts"}, [](const ModelParams& p) {
                      return std::make_shared<CountingModel>(p.servers("hosts"));
                  }});
    return registry;
}

nlohmann::json small_incident() {
    std::ifstream in(std::filesystem::path(SWARM_SOURCE_DATA_DIR) / "incidents" /
                     "scenario1-high-fcs.json");
    nlohmann::json doc = nlohmann::json::parse(in);
    doc["traffic"]["duration_s"] = 0.4;
    doc["traffic"]["measure_window_s"] = {0.1, 0.3};
    doc["estimator"]["traffic_samples"] = 2;
    doc["estimator"]["routing_samples"] = 2;
    const nlohmann::json lossy = doc["failures"][0]["link"];
    doc["candidates"] = nlohmann::json::array({
        {{"name", "no-action"}, {"actions", nlohmann::json::array()}},
        {{"name", "repair"}, {"actions", {{{"type", "repair"}, {"link", lossy}}}}},
        {{"name", "repair-later"},
         {"actions", {{{"type", "repair"}, {"link", lossy}, {"after_ms", 150}}}}},
        {{"name", "repair-early"},
         {"actions", {{{"type", "repair"}, {"link", lossy}, {"after_ms", 1}}}}},
        {{"name", "cannot-repair"},
         {"actions", {{{"type", "repair"}, {"link", lossy}, {"feasible", false}}}}},
        {{"name", "count"}, {"actions", {{{"type", "count"}, {"hosts", {"t0-0-0"}}}}}},
    });
    return doc;
}

TEST(ModelRanking, ModelsEditStatePhasesAndReportCosts) {
    const Incident incident =
        read_incident(small_incident(), SWARM_SOURCE_DATA_DIR, test_registry());
    RankOptions options;
    const Ranking r = rank(incident, tables("analytic-reno"), options);
    // A repair at time 0 is the healthy network, sample for sample (common random numbers).
    EXPECT_DOUBLE_EQ(estimate(entry(r, "repair").metrics, "p1_throughput"),
                     estimate(r.healthy, "p1_throughput"));
    EXPECT_DOUBLE_EQ(estimate(entry(r, "repair").metrics, "p99_fct"),
                     estimate(r.healthy, "p99_fct"));
    // 5% loss hurts the tail; a repair a quarter into the window helps, less than one at once.
    // (The average need not follow: flows stuck behind the loss all resume at the repair and
    // crowd the flows arriving then.)
    const double none = estimate(entry(r, "no-action").metrics, "p1_throughput");
    const double later = estimate(entry(r, "repair-later").metrics, "p1_throughput");
    const double now = estimate(entry(r, "repair").metrics, "p1_throughput");
    EXPECT_LT(none, later);
    EXPECT_LT(later, now);
    EXPECT_GT(estimate(entry(r, "no-action").metrics, "p99_fct"),
              estimate(entry(r, "repair-later").metrics, "p99_fct"));
    // A repair in the first epoch, long before the window, is the repair at once.
    const double early = estimate(entry(r, "repair-early").metrics, "avg_throughput");
    EXPECT_NEAR(early, estimate(entry(r, "repair").metrics, "avg_throughput"), 1e-3 * early);
    // Infeasible: reported, not ranked.
    EXPECT_FALSE(entry(r, "cannot-repair").connected);
    EXPECT_EQ(entry(r, "cannot-repair").reason, "repair: no technician on site");
    EXPECT_EQ(r.ranking.back().candidate, "cannot-repair");
    // A policy that keeps every flow on its default path changes nothing but reports its cost.
    EXPECT_DOUBLE_EQ(estimate(entry(r, "count").metrics, "avg_throughput"),
                     estimate(entry(r, "no-action").metrics, "avg_throughput"));
    ASSERT_EQ(entry(r, "count").side_metrics.size(), 1u);
    EXPECT_GT(entry(r, "count").side_metrics[0].second, 0.0);
    EXPECT_TRUE(entry(r, "no-action").side_metrics.empty());
}

TEST(ModelRanking, ResultsDoNotDependOnTheThreadCount) {
    const Incident incident =
        read_incident(small_incident(), SWARM_SOURCE_DATA_DIR, test_registry());
    RankOptions one;
    one.threads = 1;
    RankOptions two;
    two.threads = 2;
    const Ranking a = rank(incident, tables("analytic-reno"), one);
    const Ranking b = rank(incident, tables("analytic-reno"), two);
    ASSERT_EQ(a.ranking.size(), b.ranking.size());
    for (std::size_t i = 0; i < a.ranking.size(); ++i) {
        EXPECT_EQ(a.ranking[i].candidate, b.ranking[i].candidate);
        for (std::size_t m = 0; m < a.ranking[i].metrics.size(); ++m) {
            EXPECT_EQ(a.ranking[i].metrics[m].second.estimate,
                      b.ranking[i].metrics[m].second.estimate);
        }
        EXPECT_EQ(a.ranking[i].side_metrics, b.ranking[i].side_metrics);
    }
}

std::string read_error(const nlohmann::json& doc) {
    try {
        read_incident(doc, SWARM_SOURCE_DATA_DIR, test_registry());
    } catch (const IncidentError& e) {
        return e.what();
    }
    return "";
}

TEST(ModelIncident, UnknownTypeListsClassicAndModelTypes) {
    nlohmann::json doc = small_incident();
    doc["candidates"][1]["actions"][0]["type"] = "reboot";
    EXPECT_EQ(
        read_error(doc),
        "$.candidates[1].actions[0].type: unknown action type \"reboot\"; known types: count, "
        "disable_link, disable_node, enable_link, enable_node, move_traffic, repair, set_wcmp");
}

TEST(ModelIncident, ShippedModelsAreAllKnownTypes) {
    nlohmann::json doc = small_incident();
    doc["candidates"][1]["actions"][0]["type"] = "reboot";
    std::string message;
    try {
        read_incident(doc, SWARM_SOURCE_DATA_DIR, builtin_models());
    } catch (const IncidentError& e) {
        message = e.what();
    }
    for (const std::string& type : builtin_models().types())
        EXPECT_NE(message.find(type), std::string::npos) << type;
}

TEST(ModelIncident, SchemaListsEveryShippedModel) {
    std::ifstream in(std::filesystem::path(SWARM_SOURCE_DATA_DIR) / "schema" /
                     "incident.schema.json");
    const nlohmann::json schema = nlohmann::json::parse(in);
    std::vector<std::string> listed =
        schema.at("$defs").at("model_action").at("properties").at("type").at("enum");
    std::sort(listed.begin(), listed.end());
    EXPECT_EQ(listed, builtin_models().types());  // types() is sorted (a std::map)
}

TEST(ModelIncident, BadParametersNameTheirPath) {
    nlohmann::json doc = small_incident();
    doc["candidates"][2]["actions"][0]["after_ms"] = -1;
    EXPECT_EQ(read_error(doc), "$.candidates[2].actions[0].after_ms: must be >= 0, got -1");
    doc = small_incident();
    doc["candidates"][1]["actions"][0]["colour"] = "red";
    EXPECT_EQ(
        read_error(doc),
        "$.candidates[1].actions[0].colour: unknown key \"colour\" for action type \"repair\"; "
        "allowed keys: type, link, after_ms, feasible");
    doc = small_incident();
    doc["candidates"][1]["actions"][0]["feasible"] = "yes";
    EXPECT_EQ(read_error(doc),
              "$.candidates[1].actions[0].feasible: expected a boolean, got string \"yes\"");
    doc = small_incident();
    doc["candidates"][5]["actions"][0]["hosts"] = {"t9-9-9"};
    EXPECT_EQ(read_error(doc), "$.candidates[5].actions[0].hosts[0]: unknown node \"t9-9-9\"");
    doc = small_incident();
    doc["candidates"][1]["actions"][0].erase("link");
    EXPECT_EQ(read_error(doc), "$.candidates[1].actions[0].link: required key is missing");
}

TEST(ModelIncident, TwoPoliciesMayNotSteerOneServer) {
    nlohmann::json doc = small_incident();
    doc["candidates"][5]["actions"].push_back({{"type", "count"}, {"hosts", {"t0-0-0-h1"}}});
    EXPECT_EQ(read_error(doc),
              "$.candidates[5].actions[1]: steers the flows of \"t0-0-0-h1\", which "
              "$.candidates[5].actions[0] already steers");
    doc = small_incident();
    doc["candidates"][5]["actions"].push_back({{"type", "count"}, {"hosts", {"t0-0-1"}}});
    EXPECT_EQ(read_error(doc), "");
}

TEST(ModelIncident, ModelsAreCandidateActionsOnly) {
    nlohmann::json doc = small_incident();
    doc["ongoing_mitigations"] = {{{"type", "count"}, {"hosts", {"t0-0-0"}}}};
    EXPECT_NE(read_error(doc).find("$.ongoing_mitigations[0].type: unknown action type \"count\""),
              std::string::npos);
}

TEST(ModelIncident, BlackholeFailuresAreRead) {
    nlohmann::json doc = small_incident();
    doc["failures"] = {{{"type", "link_blackhole"}, {"link", {"t0-0-0", "t1-0-0"}}},
                       {{"type", "node_blackhole"}, {"node", "t1-1-0"}}};
    const Incident incident = read_incident(doc, SWARM_SOURCE_DATA_DIR, test_registry());
    ASSERT_EQ(incident.failures.size(), 2u);
    EXPECT_TRUE(std::holds_alternative<LinkBlackhole>(incident.failures[0]));
    EXPECT_TRUE(std::holds_alternative<NodeBlackhole>(incident.failures[1]));
}

TEST(ModelRegistryTest, RejectsADuplicateType) {
    ModelRegistry registry = test_registry();
    EXPECT_THROW(registry.add({"repair", {}, nullptr}), std::invalid_argument);
}

}  // namespace
}  // namespace swarm

namespace swarm {
namespace {

using namespace testing;

/// A model that declares one thing and does another: its policy takes every flow (on its
/// default path), whatever steers_flows() and governed_sources() say; or, with `policy` false,
/// it returns no policy at all.
class MisdeclaredModel : public MitigationModel {
   public:
    MisdeclaredModel(bool steers, std::optional<std::vector<std::int32_t>> sources,
                     bool policy = true)
        : steers_(steers), sources_(std::move(sources)), policy_(policy) {}
    std::string type() const override { return "misdeclared"; }
    bool steers_flows() const override { return steers_; }
    std::optional<std::vector<std::int32_t>> governed_sources() const override { return sources_; }

   private:
    struct TakeAll : FlowPolicy {
        const Routing* routing;
        struct Run : FlowPolicyRun {
            const Routing* routing;
            bool plan(const FlowRequest& r, FlowPlan& plan) override {
                Rng rng(r.path_seed);
                RouteLeg& leg = plan.add_leg(r.arrival_s);
                const PathProperties props =
                    routing->sample_path(r.src_server, r.dst_server, rng, leg.channels);
                leg.drop_rate = props.drop_rate;
                leg.base_rtt_s = props.base_rtt_s;
                return true;
            }
        };
        std::unique_ptr<FlowPolicyRun> start_run(std::uint64_t) const override {
            auto run = std::make_unique<Run>();
            run->routing = routing;
            return run;
        }
    };
    std::shared_ptr<const FlowPolicy> do_flow_policy(const ModelContext& context) const override {
        if (!policy_) return nullptr;
        auto policy = std::make_shared<TakeAll>();
        policy->routing = &context.routing;
        return policy;
    }
    bool steers_;
    std::optional<std::vector<std::int32_t>> sources_;
    bool policy_;
};

/// What flow_policy() says when a run of `model`'s policy is asked for a flow from server `src`
/// ("" if the flow is taken without complaint).
std::string plan_error(const MitigationModel& model, std::int32_t src) {
    const Topology topo = testbed_clos(2);
    const Incident incident;
    const NetworkState state(topo);
    const Routing routing(state, 1500);
    const TransportMix transport(tables("analytic-reno"));
    const auto policy = model.flow_policy({incident, state, routing, transport, kExactEpoch});
    if (!policy) return "no policy";
    const auto run = policy->start_run(1);
    FlowPlan plan;
    try {
        EXPECT_TRUE(run->plan(flow_request(src, 3, 0.0, 1e6, 7), plan));
    } catch (const std::logic_error& e) {
        return e.what();
    }
    return "";
}

TEST(ModelContract, APolicyTakesOnlyFlowsOfItsGovernedSources) {
    EXPECT_EQ(plan_error(MisdeclaredModel(true, std::vector<std::int32_t>{0, 1}), 1), "");
    EXPECT_EQ(plan_error(MisdeclaredModel(true, std::nullopt), 2), "");  // every source
    const Topology topo = testbed_clos(2);
    EXPECT_EQ(plan_error(MisdeclaredModel(true, std::vector<std::int32_t>{0, 1}), 2),
              "mitigation model \"misdeclared\" took flow 7 from server " +
                  topo.node(topo.servers()[2]).name +
                  ", which is not among its governed_sources()");
}

TEST(ModelContract, AModelThatSteersNoFlowsTakesNone) {
    EXPECT_EQ(plan_error(MisdeclaredModel(false, std::nullopt), 0),
              "mitigation model \"misdeclared\" took flow 7 but declares that it steers no flows "
              "(steers_flows() is false)");
}

TEST(ModelContract, AModelThatSteersFlowsReturnsAPolicy) {
    try {
        plan_error(MisdeclaredModel(true, std::nullopt, false), 0);
        ADD_FAILURE() << "no error for a steering model without a policy";
    } catch (const std::logic_error& e) {
        EXPECT_STREQ(
            e.what(),
            "mitigation model \"misdeclared\" declares that it steers flows (steers_flows()) but "
            "returned no flow policy");
    }
    EXPECT_EQ(plan_error(MisdeclaredModel(false, std::nullopt, false), 0), "no policy");
}

TEST(ModelContract, ACaughtModelStopsTheRanking) {
    ModelRegistry registry;
    registry.add({"misdeclared", {"hosts"}, [](const ModelParams& p) {
                      return std::make_shared<MisdeclaredModel>(true, p.servers("hosts"));
                  }});
    nlohmann::json doc = small_incident();
    doc["candidates"] = {
        {{"name", "no-action"}, {"actions", nlohmann::json::array()}},
        {{"name", "m"}, {"actions", {{{"type", "misdeclared"}, {"hosts", {"t0-0-0"}}}}}}};
    const Incident incident = read_incident(doc, SWARM_SOURCE_DATA_DIR, registry);
    try {
        rank(incident, tables("analytic-reno"), RankOptions{});
        ADD_FAILURE() << "the misdeclared model was not caught";
    } catch (const std::logic_error& e) {
        EXPECT_NE(std::string(e.what()).find("which is not among its governed_sources()"),
                  std::string::npos)
            << e.what();
    }
}

}  // namespace
}  // namespace swarm
