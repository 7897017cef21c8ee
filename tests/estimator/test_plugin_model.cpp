// The adapter from the installed plugin interface (include/swarm/model_plugin.h) to the core's
// MitigationModel (estimator/mitigation/plugin_model.h): parameters read with JSON paths, edits
// that act exactly like the classic actions they name, and a plugin that answers outside the
// vocabulary or the topology rejected with a message naming it.
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "estimator/comparator.h"
#include "estimator/helper/incident_reader.h"
#include "estimator/mitigation/plugin_model.h"
#include "estimator/network_state.h"
#include "fixtures.h"
#include "swarm/rank.h"
#include "testbed_incident.h"

namespace swarm {
namespace {

using testing::link;
using testing::tables;

/// Answers with whatever the test gives it.
class ScriptedPlugin : public ModelPlugin {
   public:
    std::vector<NetworkEdit> now;
    std::vector<TimedNetworkEdits> later;
    std::optional<std::string> why_not;

    std::string describe(const Topology&) const override { return "scripted"; }
    std::vector<NetworkEdit> edits(const NetworkView&) const override { return now; }
    std::vector<TimedNetworkEdits> timed_edits() const override { return later; }
    std::optional<std::string> infeasible(const NetworkView&) const override { return why_not; }
};

/// "scripted" (keys link, after_s, mode): mode "disable" disables `link`, "repair" sets its
/// drop rate to 0 (after `after_s` when given), "infeasible" declines; "bad-link", "bad-rate"
/// and "bad-time" answer outside the topology or the vocabulary; "none" builds no model.
ModelRegistry plugin_registry() {
    ModelRegistry registry;
    registry.add(plugin_model_spec(
        {"scripted",
         {"link", "after_s", "mode"},
         [](const PluginParams& p) -> std::shared_ptr<const ModelPlugin> {
             const LinkId l = p.link("link");
             const double after_s = p.number("after_s", 0.0, 0.0, 10.0);
             const std::string mode = p.choice(
                 "mode", "disable",
                 {"disable", "repair", "infeasible", "bad-link", "bad-rate", "bad-time", "none"});
             if (mode == "none") return nullptr;
             auto plugin = std::make_shared<ScriptedPlugin>();
             if (mode == "disable") plugin->now = {DisableLink{l}};
             if (mode == "repair" && after_s == 0.0) plugin->now = {SetLinkDropRate{l, 0.0}};
             if (mode == "repair" && after_s > 0.0)
                 plugin->later = {{after_s, "repaired", {SetLinkDropRate{l, 0.0}}}};
             if (mode == "infeasible") plugin->why_not = "no spare optics";
             if (mode == "bad-link") plugin->now = {SetLinkDropRate{l, 0.0}, DisableLink{999}};
             if (mode == "bad-rate") plugin->now = {SetLinkDropRate{l, 1.5}};
             if (mode == "bad-time") plugin->later = {{-1.0, "too early", {DisableLink{l}}}};
             return plugin;
         }}));
    return registry;
}

/// The testbed's lossy uplink, quick (0.3 s, one sample of each kind), with a classic
/// disable_link candidate and one scripted action with `params`.
nlohmann::json incident_with(const nlohmann::json& params) {
    nlohmann::json doc = testing::testbed_lossy_uplink("plugin", 0.05, 0.3, {0.1, 0.2});
    doc["estimator"] = {
        {"epoch_ms", 1}, {"traffic_samples", 1}, {"routing_samples", 1}, {"seed", 5}};
    nlohmann::json action = {{"type", "scripted"}, {"link", {"t0-0-0", "t1-0-0"}}};
    action.update(params);
    doc["candidates"].push_back({{"name", "plugin"}, {"actions", {action}}});
    return doc;
}

Incident read(const nlohmann::json& doc) {
    return read_incident(doc, SWARM_SOURCE_DATA_DIR, plugin_registry());
}

std::string read_error(const nlohmann::json& doc) {
    try {
        read(doc);
    } catch (const IncidentError& e) {
        return e.what();
    }
    return "";
}

/// What rank() throws for the scripted model with `params` ("" if nothing).
std::string rank_error(const nlohmann::json& params) {
    try {
        rank(read(incident_with(params)), tables("analytic-reno"), RankOptions{});
    } catch (const std::logic_error& e) {
        return e.what();
    }
    return "";
}

const CandidateResult& entry(const Ranking& r, const std::string& name) {
    for (const auto& c : r.ranking) {
        if (c.candidate == name) return c;
    }
    throw std::runtime_error("no candidate " + name);
}

double metric(const CandidateResult& c, const char* name) {
    return estimate_of(c.metrics, *Metric::parse(name));
}

TEST(PluginModel, ParametersAreReadWithTheirJsonPaths) {
    EXPECT_EQ(read_error(incident_with(nlohmann::json::object())), "");
    const std::string at = "$.candidates[2].actions[0].";
    EXPECT_EQ(read_error(incident_with({{"after_s", -1}})),
              at + "after_s: must be in [0, 10], got -1");
    EXPECT_EQ(read_error(incident_with({{"mode", "fix"}})),
              at + "mode: unknown value \"fix\"; expected one of: disable, repair, infeasible, "
                   "bad-link, bad-rate, bad-time, none");
    EXPECT_EQ(read_error(incident_with({{"link", {"t0-0-0", "t9-9-9"}}})),
              at + "link[1]: unknown node \"t9-9-9\"");
    EXPECT_EQ(read_error(incident_with({{"speed", 1}})),
              "$.candidates[2].actions[0].speed: unknown key \"speed\" for action type "
              "\"scripted\"; allowed keys: type, link, after_s, mode");
}

TEST(PluginModel, ADisableEditRanksExactlyLikeTheClassicAction) {
    const Ranking r =
        rank(read(incident_with({{"mode", "disable"}})), tables("analytic-reno"), RankOptions{});
    for (const char* name : {"p1_throughput", "avg_throughput", "p99_fct"}) {
        EXPECT_EQ(metric(entry(r, "plugin"), name), metric(entry(r, "disable-link"), name)) << name;
    }
}

TEST(PluginModel, RepairNowAndLaterEditTheNetworkAtTheirTimes) {
    const Incident incident = read(incident_with({{"mode", "repair"}, {"after_s", 0.15}}));
    const auto& model =
        *std::get<ModelAction>(incident.candidates[2].actions[0]).model;  // the adapter
    NetworkState state(incident.topology);
    for (const Failure& f : incident.failures) state.apply(f);
    const LinkId lossy = link(incident.topology, "t0-0-0", "t1-0-0");
    model.edit_state(state);
    EXPECT_DOUBLE_EQ(state.link_drop_rate(lossy), 0.05);  // nothing yet
    const auto later = model.timed_edits();
    ASSERT_EQ(later.size(), 1u);
    EXPECT_DOUBLE_EQ(later[0].start_s, 0.15);
    EXPECT_EQ(later[0].label, "scripted: repaired");
    later[0].edit(state);
    EXPECT_DOUBLE_EQ(state.link_drop_rate(lossy), 0.0);
    EXPECT_EQ(model.describe(incident.topology), "scripted");

    const Ranking r =
        rank(read(incident_with({{"mode", "repair"}})), tables("analytic-reno"), RankOptions{});
    EXPECT_GT(metric(entry(r, "plugin"), "p1_throughput"),
              metric(entry(r, "no-action"), "p1_throughput"));
}

TEST(PluginModel, AnInfeasiblePluginIsReportedNotRanked) {
    const Ranking r =
        rank(read(incident_with({{"mode", "infeasible"}})), tables("analytic-reno"), RankOptions{});
    EXPECT_FALSE(entry(r, "plugin").connected);
    EXPECT_EQ(entry(r, "plugin").reason, "scripted: no spare optics");
}

TEST(PluginModel, AnswersOutsideTheTopologyOrTheVocabularyAreRejected) {
    const std::size_t links = read(incident_with(nlohmann::json::object())).topology.link_count();
    EXPECT_EQ(rank_error({{"mode", "bad-link"}}),
              "mitigation model \"scripted\" returned an invalid edit from edits() (edit 1): "
              "link 999 does not exist (the topology has " +
                  std::to_string(links) + " links)");
    EXPECT_EQ(rank_error({{"mode", "bad-rate"}}),
              "mitigation model \"scripted\" returned an invalid edit from edits() (edit 0): "
              "drop rate 1.5 is not in [0, 1]");
    EXPECT_EQ(rank_error({{"mode", "bad-time"}}),
              "mitigation model \"scripted\" returned timed edits \"too early\" at -1 s (a start "
              "time must be >= 0 and finite)");
    EXPECT_EQ(read_error(incident_with({{"mode", "none"}})),
              "$.candidates[2].actions[0]: mitigation model \"scripted\" built no model");
}

TEST(PluginModel, ARejectedAnswerLeavesTheNetworkAsItWas) {
    const Topology topo = testing::testbed_clos(2);
    NetworkState state(topo);
    const LinkId l = link(topo, "t0-0-0", "t1-0-0");
    EXPECT_THROW(apply_plugin_edits("scripted", "edits()",
                                    {SetLinkDropRate{l, 0.5}, SetLinkCapacity{l, 0.0}}, state),
                 std::logic_error);
    EXPECT_DOUBLE_EQ(state.link_drop_rate(l), 0.0);
    EXPECT_THROW(apply_plugin_edits("scripted", "edits()", {DisableNode{topo.servers()[0]}}, state),
                 std::logic_error);
    apply_plugin_edits("scripted", "edits()", {SetLinkCapacity{l, 1e9}, DisableLink{l}}, state);
    EXPECT_DOUBLE_EQ(state.link_capacity_bps(l), 1e9);
    EXPECT_FALSE(state.link_usable(l));
}

TEST(PluginModel, ASpecWithoutMakeIsRefused) {
    EXPECT_THROW(plugin_model_spec({"x", {}, nullptr}), std::invalid_argument);
}

}  // namespace
}  // namespace swarm
