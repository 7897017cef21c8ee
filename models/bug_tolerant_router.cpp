#include "models/bug_tolerant_router.h"

#include <memory>
#include <utility>

#include "estimator/helper/json_fields.h"
#include "estimator/mitigation/model_registry.h"
#include "models/cost_report.h"
#include "models/vroom.h"

namespace swarm {

namespace {

using json_fields::format_number;
using json_fields::in_quotes;

std::string percent(double fraction) { return format_number(fraction * 100.0) + "%"; }

VotingStrategy read_strategy(const ModelParams& p) {
    const std::string name =
        p.choice("strategy", "continuous_majority",
                 {"master_slave", "continuous_majority", "wait_for_consensus"});
    if (name == "master_slave") return VotingStrategy::MasterSlave;
    if (name == "wait_for_consensus") return VotingStrategy::WaitForConsensus;
    return VotingStrategy::ContinuousMajority;
}

BtrTransition read_transition(const ModelParams& p) {
    const std::string name = p.choice("transition", "restart", {"running", "restart", "vroom"});
    if (name == "running") return BtrTransition::Running;
    if (name == "vroom") return BtrTransition::Vroom;
    return BtrTransition::Restart;
}

/// Keys that only make sense with one strategy or transition: rejected elsewhere, so that a
/// parameter is never silently ignored.
void only_with(const ModelParams& p, std::string_view key, bool allowed, const std::string& what) {
    if (p.has(key) && !allowed) p.fail(key, "applies only with " + what);
}

BtrConfig read_config(const ModelParams& p) {
    BtrConfig c;
    c.strategy = read_strategy(p);
    // §2.2: "only a small number of instances are needed (e.g., 3-5)"; Fig. 2.7 runs up to 31.
    c.instances = p.integer("instances", 3, 3, 31);
    c.standby = p.integer("standby", 0, 0, 31);
    const bool consensus = c.strategy == VotingStrategy::WaitForConsensus;
    only_with(p, "consensus", consensus, "\"strategy\": \"wait_for_consensus\"");
    // §2.5.1: "setting K = R offered a low fault rate with only minor increases in waiting time".
    c.consensus = p.integer("consensus", c.instances, btr_majority(c.instances), c.instances);
    c.stability_s = p.number("stability_threshold_s", 0.5, json_fields::kNonNegative);
    return c;
}

std::shared_ptr<const MitigationModel> make_btr(const ModelParams& p) {
    const Topology& topo = p.topology();
    BtrParams b;
    b.router = p.switch_node("router");
    b.config = read_config(p);
    if (p.has("fault_rate")) b.fault_rate = p.number("fault_rate", 0.0, json_fields::kProbability);
    b.transition = read_transition(p);
    const bool restart = b.transition == BtrTransition::Restart;
    only_with(p, "bootstrap_s", restart, "\"transition\": \"restart\"");
    only_with(p, "graceful_restart", restart, "\"transition\": \"restart\"");
    only_with(p, "vroom", b.transition == BtrTransition::Vroom, "\"transition\": \"vroom\"");
    only_with(
        p, "start_s", b.transition != BtrTransition::Vroom,
        "\"transition\" \"running\" or \"restart\" (the migration's own start is vroom.start_s)");
    b.bootstrap_s = p.number("bootstrap_s", 1.0, json_fields::kNonNegative);
    b.graceful_restart = p.flag("graceful_restart", true);
    b.routes = p.integer("routes", static_cast<int>(topo.tors().size()), 0, 10'000'000);
    b.start_s = p.number("start_s", 0.0, json_fields::kNonNegative);
    if (b.transition == BtrTransition::Vroom) {
        static const nlohmann::json kDefaults = nlohmann::json::object();
        const nlohmann::json* nested = p.raw("vroom");
        const ModelParams vroom(nested ? *nested : kDefaults, p.at("vroom"), topo, vroom_keys());
        b.vroom = read_vroom(vroom, b.router);
    }
    return std::make_shared<BugTolerantRouter>(std::move(b));
}

}  // namespace

std::string BugTolerantRouter::describe(const Topology& topology) const {
    std::string text = "bug_tolerant_router: " + topology.node(p_.router).name + " runs " +
                       std::to_string(p_.config.instances) + " instances, " +
                       strategy_name(p_.config.strategy);
    if (p_.config.strategy == VotingStrategy::WaitForConsensus)
        text += " K=" + std::to_string(p_.config.consensus);
    if (p_.config.standby > 0) text += " + " + std::to_string(p_.config.standby) + " standby";
    return text + " (fault rate " + percent(fault_rate()) + ", from " +
           format_number(active_from_s()) + " s)";
}

double BugTolerantRouter::active_from_s() const {
    switch (p_.transition) {
        case BtrTransition::Running:
            return p_.start_s;
        case BtrTransition::Restart:
            return p_.start_s + p_.bootstrap_s;
        case BtrTransition::Vroom:
            break;
    }
    // §5.2: B's FIB is populated by the BTR's voted instances; A's data plane, with the buggy
    // FIB, forwards until the last link has moved.
    return p_.vroom->done_s();
}

double BugTolerantRouter::memory_mb() const {
    return p_.config.instances * (3.2 + (24.2 - 3.2) * p_.routes / 10'000.0);
}

void BugTolerantRouter::edit_state(NetworkState& state) const {
    state.set_bug_mask(p_.router, {active_from_s(), exposed_s(), fault_rate()});
}

std::vector<TimedEdit> BugTolerantRouter::timed_edits() const {
    if (p_.transition == BtrTransition::Vroom) return p_.vroom->timed_edits();
    if (p_.transition != BtrTransition::Restart || p_.graceful_restart) return {};
    // Without graceful restart the neighbours drop the switch's routes while it restarts
    // (an adjacency reset) and route around it, as for a drain.
    const NodeId router = p_.router;
    return {{p_.start_s, "bug_tolerant_router: routing restarts",
             [router](NetworkState& s) { s.apply(DisableNode{router}); }},
            {active_from_s(), "bug_tolerant_router: BTR running",
             [router](NetworkState& s) { s.apply(EnableNode{router}); }}};
}

std::shared_ptr<const FlowPolicy> BugTolerantRouter::do_flow_policy(const ModelContext&) const {
    const double r = p_.config.instances;
    std::vector<std::pair<std::string, double>> costs{
        {"btr_fault_rate", fault_rate()},
        {"btr_active_from_s", active_from_s()},
        {"btr_voter_wait_s", btr_voter_wait_s(p_.config)},
        {"btr_fib_extra_delay_s", btr_fib_extra_delay_s(p_.config.instances)},
        {"btr_cpu_instances", r},
        {"btr_memory_mb", memory_mb()},
        {"btr_replicated_updates_x",
         r},  // §2.3.1: the replicator hands every update to R instances
        {"btr_update_overhead_x",
         1.0},  // §2.5.1, Fig. 2.5: "no substantial increase" sent to neighbours
    };
    if (p_.vroom) {
        costs.emplace_back("control_plane_downtime_s", p_.vroom->params().control_plane_downtime_s);
        costs.emplace_back("migration_done_s", p_.vroom->done_s());
    }
    return std::make_shared<CostReport>(std::move(costs));
}

std::optional<std::string> BugTolerantRouter::infeasible(const NetworkState& state,
                                                         const Incident& incident) const {
    const std::string& name = state.topology().node(p_.router).name;
    if (p_.vroom) {
        if (auto why = p_.vroom->infeasible(state, incident)) return "vroom: " + *why;
        return std::nullopt;
    }
    if (p_.start_s >= incident.traffic.duration.value) {
        return "starts at " + format_number(p_.start_s) + " s, not within the simulated " +
               format_number(incident.traffic.duration.value) + " s";
    }
    if (!state.node_usable(p_.router))
        return name + " is down or drained; it runs no routing software to vote on";
    return std::nullopt;
}

void register_bug_tolerant_router(ModelRegistry& registry) {
    registry.add({"bug_tolerant_router",
                  {"router", "strategy", "instances", "standby", "consensus",
                   "stability_threshold_s", "fault_rate", "transition", "bootstrap_s",
                   "graceful_restart", "routes", "start_s", "vroom"},
                  make_btr});
}

}  // namespace swarm
