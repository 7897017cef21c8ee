#include "models/vroom.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <utility>

#include "estimator/baselines/link_load.h"
#include "estimator/helper/json_fields.h"
#include "estimator/mitigation/model_registry.h"
#include "estimator/routing.h"
#include "models/candidate_models.h"
#include "models/cost_report.h"

namespace swarm {

namespace {

using json_fields::format_number;
using json_fields::in_quotes;

std::string gbps(double bps) { return format_number(std::round(bps / 1e7) / 100.0) + " Gb/s"; }

}  // namespace

std::string Vroom::describe(const Topology& topology) const {
    return "vroom: move " + topology.node(p_.router).name + " to " + p_.spare + " (" +
           std::to_string(p_.links.size()) + " links, migration done at " +
           format_number(done_s()) + " s)";
}

std::vector<TimedEdit> Vroom::timed_edits() const {
    std::vector<TimedEdit> edits;
    const NodeId router = p_.router;
    const std::vector<ChannelId> ingress = p_.ingress;
    for (std::size_t i = 0; i < p_.links.size(); ++i) {
        const LinkId link = p_.links[i];
        const double fraction = p_.spare_capacity_fraction;
        const bool clears = p_.clears_link_failures;
        edits.push_back(
            {link_migrated_s(i),
             "vroom: link " + std::to_string(i + 1) + " of " + std::to_string(p_.links.size()) +
                 " moved to " + p_.spare,
             [=](NetworkState& state) {
                 if (i == 0) {
                     // A's switch faults move onto the channels that still enter A: exactly the
                     // same drop for every path (each enters X once), now removable link by link.
                     const double a_drop = state.node_drop_rate(router);
                     state.set_node_drop_rate(router, 0.0);
                     state.set_node_blackholed(router, false);
                     for (ChannelId c : ingress) state.set_channel_drop_rate(c, a_drop);
                 }
                 state.set_channel_drop_rate(ingress[i], 0.0);
                 // §3.2.1: the link is now a circuit to B's port, of B's capacity.
                 const double spare_bps = fraction * state.topology().link(link).capacity.value;
                 if (clears) {
                     state.set_link_capacity_bps(link, spare_bps);
                     state.set_link_drop_rate(link, 0.0);
                     state.set_link_blackholed(link, false);
                 } else {
                     state.set_link_capacity_bps(
                         link, std::min(spare_bps, state.link_capacity_bps(link)));
                 }
             }});
    }
    return edits;
}

std::shared_ptr<const FlowPolicy> Vroom::do_flow_policy(const ModelContext&) const {
    return std::make_shared<CostReport>(std::vector<std::pair<std::string, double>>{
        {"control_plane_downtime_s", p_.control_plane_downtime_s}, {"migration_done_s", done_s()}});
}

std::optional<std::string> Vroom::infeasible(const NetworkState& state,
                                             const Incident& incident) const {
    const Topology& topo = state.topology();
    const std::string& name = topo.node(p_.router).name;
    if (p_.start_s >= incident.traffic.duration.value) {
        return "starts at " + format_number(p_.start_s) + " s, not within the simulated " +
               format_number(incident.traffic.duration.value) + " s";
    }
    if (!state.node_usable(p_.router)) {
        return name +
               " is down or drained; VROOM live-migrates a running router (§3.4.2 copies its "
               "control plane)";
    }
    // §3.7 redundancy: "If the primary and backup are migrated to the same node, physical
    // redundancy will be lost." A spare hosts one virtual router.
    for (const MitigationModel* other : models_of_candidate(incident, *this)) {
        const auto* v = dynamic_cast<const Vroom*>(other);
        if (!v || v == this || v->p_.spare != p_.spare) continue;
        const std::string& other_name = topo.node(v->p_.router).name;
        if (v->p_.router == p_.router)
            return name + " is moved twice, both times to " + in_quotes(p_.spare);
        for (const auto& mine : topo.adjacent(p_.router)) {
            for (const auto& theirs : topo.adjacent(v->p_.router)) {
                if (mine.node != theirs.node) continue;
                return name + " and " + other_name + " are the primary and backup of " +
                       topo.node(mine.node).name + "; migrating both to " + in_quotes(p_.spare) +
                       " loses physical redundancy (§3.7)";
            }
        }
        return name + " and " + other_name + " would share the spare " + in_quotes(p_.spare) +
               "; the model gives each virtual router a spare of its own (§3.7)";
    }
    // §3.7 "link capacity": B's links must carry the migrating router's traffic.
    baselines::CandidateNetwork network;
    network.state = std::make_unique<NetworkState>(state);
    network.routing = std::make_unique<Routing>(*network.state, 1500.0);
    const baselines::LinkLoad load = baselines::expected_link_load(incident, network);
    for (LinkId link : p_.links) {
        const double offered = std::max(load.channel_bps[static_cast<std::size_t>(2 * link)],
                                        load.channel_bps[static_cast<std::size_t>(2 * link + 1)]);
        const double spare_bps = p_.spare_capacity_fraction * topo.link(link).capacity.value;
        const double rho = offered / spare_bps;
        if (rho < 1.0) continue;
        const Link& l = topo.link(link);
        const NodeId neighbour = l.a == p_.router ? l.b : l.a;
        return "placement (§3.7): the spare's link towards " + topo.node(neighbour).name +
               " lacks headroom: expected load " + gbps(offered) + " against " + gbps(spare_bps) +
               " (rho = " + format_number(std::round(rho * 100.0) / 100.0) + ")";
    }
    return std::nullopt;
}

std::shared_ptr<const Vroom> read_vroom(const ModelParams& p, NodeId router) {
    const Topology& topo = p.topology();
    VroomParams v;
    v.router = router;
    const std::string& name = topo.node(v.router).name;
    v.spare = name + "-spare";
    if (const nlohmann::json* to = p.raw("to")) {
        v.spare = json_fields::as_string(*to, p.at("to"));
        if (v.spare.empty()) p.fail("to", "must name the spare router");
        if (const auto clash = topo.find_node(v.spare)) {
            p.fail("to", in_quotes(v.spare) + " is a " +
                             (topo.node(*clash).kind == NodeKind::Switch ? "switch" : "server") +
                             " of the topology; VROOM needs a spare router (§3.7: co-hosting on a "
                             "Clos peer loses the primary/backup redundancy)");
        }
    }
    // §3.6.4: 0.972 s with OSPF only (3.560 s with a full BGP table).
    v.control_plane_downtime_s =
        p.number("control_plane_downtime_s", 0.972, json_fields::kNonNegative);
    // Proposal: one prefix per rack.
    v.routes = p.integer("routes", static_cast<int>(topo.tors().size()), 0, 10'000'000);
    // §3.4.2: "between one hundred and a few hundred microseconds" per FIB entry.
    v.fib_install_s = p.number("fib_install_us", 100.0, json_fields::kNonNegative) * 1e-6;
    v.link_migration_s = p.number("link_migration_s", 0.1, json_fields::kNonNegative);
    v.spare_capacity_fraction = p.number("spare_capacity_fraction", 1.0, json_fields::kFraction);
    v.clears_link_failures = p.flag("clears_link_failures", true);
    v.start_s = p.number("start_s", 0.0, json_fields::kNonNegative);
    // §3.4.2: links migrate independently; the listed ones first, then adjacency order.
    const auto& adjacent = topo.adjacent(v.router);
    if (const nlohmann::json* order = p.raw("link_order")) {
        const nlohmann::json& list = json_fields::as_array(*order, p.at("link_order"));
        for (std::size_t i = 0; i < list.size(); ++i) {
            const std::string path = json_fields::item(p.at("link_order"), i);
            const NodeId n = json_fields::node_ref(list[i], path, topo);
            const auto it = std::find_if(adjacent.begin(), adjacent.end(),
                                         [&](const Topology::Adjacent& a) { return a.node == n; });
            if (it == adjacent.end()) {
                json_fields::fail(path, in_quotes(topo.node(n).name) + " is not a neighbour of " +
                                            in_quotes(name));
            }
            if (std::find(v.links.begin(), v.links.end(), it->link) != v.links.end()) {
                json_fields::fail(path, in_quotes(topo.node(n).name) + " is listed twice");
            }
            v.links.push_back(it->link);
        }
    }
    for (const auto& a : adjacent) {
        if (std::find(v.links.begin(), v.links.end(), a.link) == v.links.end())
            v.links.push_back(a.link);
    }
    for (LinkId link : v.links) {
        const Link& l = topo.link(link);
        v.ingress.push_back(topo.channel(link, l.a == v.router ? l.b : l.a));
    }
    return std::make_shared<Vroom>(std::move(v));
}

void register_vroom(ModelRegistry& registry) {
    std::vector<std::string> keys{"router"};
    keys.insert(keys.end(), vroom_keys().begin(), vroom_keys().end());
    registry.add({"vroom", std::move(keys),
                  [](const ModelParams& p) -> std::shared_ptr<const MitigationModel> {
                      const Topology& topo = p.topology();
                      const NodeId router = p.node("router");
                      if (topo.node(router).kind != NodeKind::Switch) {
                          p.fail("router", in_quotes(topo.node(router).name) +
                                               " is a server; VROOM moves switches");
                      }
                      return read_vroom(p, router);
                  }});
}

const std::vector<std::string>& vroom_keys() {
    static const std::vector<std::string> keys{"to",
                                               "control_plane_downtime_s",
                                               "routes",
                                               "fib_install_us",
                                               "link_migration_s",
                                               "link_order",
                                               "spare_capacity_fraction",
                                               "clears_link_failures",
                                               "start_s"};
    return keys;
}

}  // namespace swarm
