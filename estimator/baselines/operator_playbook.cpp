#include "estimator/baselines/operator_playbook.h"

#include <algorithm>
#include <cstdio>

#include "estimator/baselines/candidate_match.h"
#include "estimator/baselines/link_load.h"

namespace swarm::baselines {

namespace {

// A fraction that equals the threshold up to rounding meets it: 1 of 2 uplinks is 50%.
constexpr double kFractionSlack = 1e-9;

std::string percent(double fraction) {
    char text[32];
    std::snprintf(text, sizeof text, "%.0f%%", 100.0 * fraction);
    return text;
}

/// Fraction of `node`'s uplinks (links to a higher tier) still usable in `state`.
double uplinks_left(const NetworkState& state, NodeId node) {
    const Topology& topo = state.topology();
    int total = 0;
    int usable = 0;
    for (const Topology::Adjacent& up : topo.adjacent(node)) {
        const Node& next = topo.node(up.node);
        if (next.kind != NodeKind::Switch || next.tier <= topo.node(node).tier) continue;
        ++total;
        if (state.link_usable(up.link)) ++usable;
    }
    return total == 0 ? 0.0 : static_cast<double>(usable) / total;
}

/// Whether the ongoing mitigations leave `node` drained (a later enable_node undoes a drain).
bool already_drained(const Incident& incident, NodeId node) {
    bool drained = false;
    for (const Action& action : incident.ongoing_mitigations) {
        if (const auto* d = std::get_if<DisableNode>(&action); d && d->node == node) drained = true;
        if (const auto* e = std::get_if<EnableNode>(&action); e && e->node == node) drained = false;
    }
    return drained;
}

/// The playbook's state while it works through the failures in order.
struct Playbook {
    const Incident& incident;
    double uplink_fraction;
    PlaybookLevels levels;
    NetworkState state;
    Decision decision;
    std::string notes;

    void note(const std::string& text) { notes += text + "; "; }

    /// Rule (1): a lossy link above the ToR, where the switch below it has path redundancy.
    void lossy_fabric_link(LinkId link, double drop) {
        const Topology& topo = incident.topology;
        const Link& ends = topo.link(link);
        const int tier_a = topo.node(ends.a).tier;
        const int tier_b = topo.node(ends.b).tier;
        if (drop <= levels.link_drop || drop >= 1.0 || !state.link_usable(link) || tier_a == tier_b)
            return;
        const NodeId below = tier_a < tier_b ? ends.a : ends.b;
        NetworkState trial = state;
        trial.apply(DisableLink{link});
        const double left = uplinks_left(trial, below);
        if (left < uplink_fraction - kFractionSlack) {
            note("keep " + topo.link_name(link) + " (" + topo.node(below).name + " would keep " +
                 percent(left) + " of its uplinks, below " + percent(uplink_fraction) + ")");
            return;
        }
        decision.disable_links.push_back(link);
        state = std::move(trial);
    }

    /// Rule (2): loss on a server's link is loss below the ToR: move that server's VMs away.
    void lossy_server_link(LinkId link, double drop) {
        if (drop <= levels.tor_or_below_drop) return;
        const Link& ends = incident.topology.link(link);
        decision.drain_servers.push_back(
            incident.topology.node(ends.a).kind == NodeKind::Server ? ends.a : ends.b);
    }

    /// Rule (2) at the ToR; loss at a switch above the ToR is outside the §4.1 playbook.
    void lossy_switch(NodeId node, double drop) {
        const Topology& topo = incident.topology;
        if (topo.node(node).tier != 0) {
            note("loss at " + topo.node(node).name + " (above the ToR) is not in the playbook");
            return;
        }
        const bool listed = std::find(decision.drain_tors.begin(), decision.drain_tors.end(),
                                      node) != decision.drain_tors.end();
        if (drop <= levels.tor_or_below_drop || listed || already_drained(incident, node)) return;
        decision.drain_tors.push_back(node);
        state.apply(DisableNode{node});  // its uplinks leave service with it
    }

    void handle(const Failure& failure) {
        if (const auto* loss = std::get_if<LinkLoss>(&failure)) {
            const Link& ends = incident.topology.link(loss->link);
            const bool server_link = incident.topology.node(ends.a).kind == NodeKind::Server ||
                                     incident.topology.node(ends.b).kind == NodeKind::Server;
            if (server_link) {
                lossy_server_link(loss->link, loss->drop_rate);
            } else {
                lossy_fabric_link(loss->link, loss->drop_rate);
            }
        } else if (const auto* node_loss = std::get_if<NodeLoss>(&failure)) {
            lossy_switch(node_loss->node, node_loss->drop_rate);
        }
        // Links or switches down and capacity losses: the playbook takes no action (§2: "ProviderX's
        // guidelines do not do anything in the face of congestion").
    }
};

}  // namespace

BaselinePick pick_operator(const Incident& incident, double uplink_fraction,
                           const PlaybookLevels& levels) {
    Playbook playbook{
        incident, uplink_fraction, levels, *build_candidate_network(incident, {}).state, {}, {}};
    // Failures in the order they were reported: an earlier disable counts against a later one.
    for (const Failure& failure : incident.failures) playbook.handle(failure);
    const std::optional<std::size_t> match = find_matching_candidate(incident, playbook.decision);
    return {"", match, playbook.notes + match_reason(incident, playbook.decision, match)};
}

}  // namespace swarm::baselines
