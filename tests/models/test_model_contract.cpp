// The contract a mitigation model declares and the core enforces (MitigationModel::flow_policy(),
// estimator/mitigation/mitigation_model.h): a policy takes only flows of its governed sources,
// a model that steers no flows takes none, one that steers flows returns a policy, and a
// caught model stops the ranking.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "estimator/epoch_simulator.h"
#include "estimator/helper/incident_reader.h"
#include "estimator/mitigation/model_registry.h"
#include "model_test_support.h"
#include "models/builtin_models.h"
#include "swarm/rank.h"

namespace swarm {
namespace {

using namespace testing;  // fixtures.h and model_test_support.h

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
