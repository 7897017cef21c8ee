#include "estimator/baselines/corropt.h"

#include <algorithm>
#include <cstdio>
#include <optional>

#include "estimator/baselines/candidate_match.h"
#include "estimator/baselines/link_load.h"

namespace swarm::baselines {

namespace {

// A fraction that equals the threshold up to rounding meets it: 2 of 4 paths is 50%.
constexpr double kFractionSlack = 1e-9;

std::size_t at(std::int32_t i) { return static_cast<std::size_t>(i); }

int top_tier(const Topology& topo) {
    int top = 0;
    for (const Node& n : topo.nodes()) {
        if (n.kind == NodeKind::Switch) top = std::max(top, n.tier);
    }
    return top;
}

/// Paths from `node` up to the top tier, memoised (tiers strictly increase, so no cycles).
double paths_up(const NetworkState& state, NodeId node, int top, std::vector<double>& memo) {
    if (memo[at(node)] >= 0.0) return memo[at(node)];
    const Topology& topo = state.topology();
    double count = 0.0;
    if (!state.node_usable(node)) {
        count = 0.0;
    } else if (topo.node(node).tier == top) {
        count = 1.0;
    } else {
        for (const Topology::Adjacent& up : topo.adjacent(node)) {
            const Node& next = topo.node(up.node);
            if (next.kind != NodeKind::Switch || next.tier <= topo.node(node).tier) continue;
            if (state.link_usable(up.link)) count += paths_up(state, up.node, top, memo);
        }
    }
    memo[at(node)] = count;
    return count;
}

/// A link CorrOpt manages: a switch-to-switch link that corrupts packets (0 < drop < 1; a drop
/// rate of 1 is a link down, not corruption) and still carries traffic.
bool corrupting_fabric_link(const NetworkState& state, LinkId link) {
    const Topology& topo = state.topology();
    const Link& ends = topo.link(link);
    const double drop = state.worst_drop_rate(link);
    return topo.node(ends.a).kind == NodeKind::Switch &&
           topo.node(ends.b).kind == NodeKind::Switch && drop > 0.0 && drop < 1.0 &&
           state.link_usable(link);
}

std::string percent(double fraction) {
    char text[32];
    std::snprintf(text, sizeof text, "%.0f%%", 100.0 * fraction);
    return text;
}

/// The fast checker (Zhuo et al. §5): the ToRs whose spine-path count the disable reduces must
/// each keep at least `threshold` of their healthy count. Returns why not, if not allowed.
std::optional<std::string> capacity_violation(const Topology& topo,
                                              const std::vector<double>& healthy,
                                              const std::vector<double>& before,
                                              const std::vector<double>& after, double threshold) {
    for (std::size_t t = 0; t < healthy.size(); ++t) {
        if (healthy[t] <= 0.0 || !(after[t] < before[t])) continue;  // not affected
        const double fraction = after[t] / healthy[t];
        if (fraction < threshold - kFractionSlack) {
            return topo.node(topo.tors()[t]).name + " would keep " + percent(fraction) +
                   " of its spine paths";
        }
    }
    return std::nullopt;
}

}  // namespace

std::vector<double> spine_path_counts(const NetworkState& state) {
    const Topology& topo = state.topology();
    const int top = top_tier(topo);
    std::vector<double> memo(topo.node_count(), -1.0);
    std::vector<double> counts;
    for (NodeId tor : topo.tors())
        counts.push_back(top == 0 ? 0.0 : paths_up(state, tor, top, memo));
    return counts;
}

BaselinePick pick_corropt(const Incident& incident, double path_fraction) {
    const Topology& topo = incident.topology;
    const std::vector<double> healthy = spine_path_counts(NetworkState(topo));
    const CandidateNetwork current = build_candidate_network(incident, {});
    NetworkState state = *current.state;
    Decision decision;
    std::string notes;
    // Links in the order their corruption was reported (the incident's failure order), each
    // checked against the network left by the decisions before it, as the fast checker sees them.
    for (const Failure& failure : incident.failures) {
        const auto* loss = std::get_if<LinkLoss>(&failure);
        if (!loss || !corrupting_fabric_link(state, loss->link)) continue;
        NetworkState trial = state;
        trial.apply(DisableLink{loss->link});
        const std::optional<std::string> why_not = capacity_violation(
            topo, healthy, spine_path_counts(state), spine_path_counts(trial), path_fraction);
        if (!why_not) {
            decision.disable_links.push_back(loss->link);
            state = std::move(trial);
        } else {
            notes += "keep " + topo.link_name(loss->link) + " (" + *why_not + ", below " +
                     percent(path_fraction) + "); ";
        }
    }
    const std::optional<std::size_t> match = find_matching_candidate(incident, decision);
    return {"", match, notes + match_reason(incident, decision, match)};
}

}  // namespace swarm::baselines
