// Helpers for the mitigation-model tests, beside the core ones in ../estimator/fixtures.h: an
// epoch length for exact phase times, one hand-built flow run through the epoch loop under a
// model bound to its network the way rank() binds it (estimator/scenario.h bind_models), flow
// requests as a policy sees them, lookups in a Ranking, shipped incidents as JSON, the message
// an incident document is rejected with, quick checks of why a candidate is not ranked, and two
// hand-written models (repair, count) with a registry and a small incident that uses them.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "../estimator/fixtures.h"
#include "estimator/epoch_simulator.h"
#include "estimator/helper/incident_reader.h"
#include "estimator/helper/json_fields.h"
#include "estimator/mitigation/flow_policy.h"
#include "estimator/mitigation/mitigation_model.h"
#include "estimator/mitigation/model_registry.h"
#include "estimator/routing.h"
#include "estimator/scenario.h"
#include "estimator/transport_mix.h"
#include "estimator/transport_tables.h"
#include "models/builtin_models.h"
#include "swarm/rank.h"
#include "swarm/ranking.h"

namespace swarm::testing {

/// An epoch length that is exact in binary (2^-7 s), so that phase and leg starts written as
/// multiples of it fall exactly on epoch boundaries.
constexpr double kExactEpoch = 0.0078125;

/// One flow of `bytes` from server `src` to server `dst` at t = 0 under `model` on `state`, in a
/// 1 s run measured from 0 to 1 s (analytic-reno tables; flow 0's routing seed is
/// derive_seed(routing_seed, {0})).
inline FlowOutcomes run_one_flow(const MitigationModel& model, const NetworkState& state,
                                 std::int32_t src, std::int32_t dst, double bytes, double epoch_s,
                                 std::uint64_t routing_seed) {
    const Incident incident;  // the policy context only; the models under test read nothing from it
    const TransportMix transport(tables("analytic-reno"));
    const Routing routing(state, 1500);
    const ModelBinding bound =
        bind_models({&model}, {incident, state, routing, transport, epoch_s});
    EpochSimulator simulator(routing, transport, one_second_settings(epoch_s), &bound.models);
    const std::vector<DemandMove> no_moves;
    const DemandEditor editor(no_moves, state.topology().servers().size(), 1);
    FlowOutcomes out;
    simulator.run(demand_of({{0.0, src, dst, bytes}}), editor, routing_seed, 4, out);
    return out;
}

inline const CandidateResult& entry(const Ranking& r, const std::string& name) {
    for (const auto& c : r.ranking) {
        if (c.candidate == name) return c;
    }
    throw std::runtime_error("no candidate " + name);
}

inline double estimate(const MetricEstimates& m, const std::string& name) {
    for (const auto& [metric, e] : m) {
        if (metric.name() == name) return e.estimate;
    }
    throw std::runtime_error("no metric " + name);
}

/// A candidate's metric by name.
inline double estimate(const Ranking& r, const std::string& candidate, const std::string& name) {
    return estimate(entry(r, candidate).metrics, name);
}

inline double side_metric(const Ranking& r, const std::string& candidate, const std::string& name) {
    for (const auto& [key, value] : entry(r, candidate).side_metrics) {
        if (key == name) return value;
    }
    throw std::runtime_error("no side metric " + name + " for " + candidate);
}

/// A flow as the epoch loop presents it to a policy (short: up to the shipped 150 KB).
inline FlowRequest flow_request(std::int32_t src, std::int32_t dst, double arrival_s, double bytes,
                                std::uint64_t path_seed) {
    FlowRequest r;
    r.flow = static_cast<std::size_t>(path_seed);
    r.src_server = src;
    r.dst_server = dst;
    r.arrival_s = arrival_s;
    r.size_bytes = bytes;
    r.is_short = bytes <= 150000;
    r.path_seed = path_seed;
    return r;
}

/// A shipped incident file (data/incidents/NAME.json) as JSON, for tests to vary.
inline nlohmann::json shipped_incident(const std::string& name) {
    std::ifstream in(std::filesystem::path(SWARM_SOURCE_DATA_DIR) / "incidents" / (name + ".json"));
    return nlohmann::json::parse(in);
}

/// The reader's message for `doc` with the built-in models, or "" if it is accepted.
inline std::string incident_error(const nlohmann::json& doc) {
    try {
        read_incident(doc, SWARM_SOURCE_DATA_DIR, builtin_models());
    } catch (const IncidentError& e) {
        return e.what();
    }
    return "";
}

/// `doc` cut down to a quick check of one candidate, "c" with `actions`, beside "no-action": 0.2 s
/// of traffic measured over [0.05, 0.15] s, one traffic sample and one routing sample.
inline nlohmann::json one_candidate(nlohmann::json doc, nlohmann::json actions) {
    doc["traffic"]["duration_s"] = 0.2;
    doc["traffic"]["measure_window_s"] = {0.05, 0.15};
    doc["estimator"]["traffic_samples"] = 1;
    doc["estimator"]["routing_samples"] = 1;
    doc["candidates"] = {{{"name", "no-action"}, {"actions", nlohmann::json::array()}},
                         {{"name", "c"}, {"actions", std::move(actions)}}};
    return doc;
}

/// Why `candidate` of `doc` is reported unranked (analytic-reno tables); a failure if it is ranked.
inline std::string infeasible_reason(const nlohmann::json& doc,
                                     const std::string& candidate = "c") {
    const Ranking r = rank(read_incident(doc, SWARM_SOURCE_DATA_DIR, builtin_models()),
                           tables("analytic-reno"), RankOptions{});
    const CandidateResult& c = entry(r, candidate);
    EXPECT_FALSE(c.connected) << candidate;
    return c.reason;
}

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

/// A registry of the two test models above: "repair" (link, after_ms, feasible) and "count"
/// (hosts).
inline ModelRegistry test_registry() {
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

/// scenario1-high-fcs cut to a quick run (0.4 s, 2 x 2 samples) whose candidates use the models
/// of test_registry(): repairs now, later, early and never, and a count of one rack's flows.
inline nlohmann::json small_incident() {
    nlohmann::json doc = shipped_incident("scenario1-high-fcs");
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

}  // namespace swarm::testing
