#include "estimator/baselines/netpilot.h"

#include <cstdio>

namespace swarm::baselines {

namespace {

// Relative slack under which two maximum utilisations count as equal (floating-point noise of
// path sums); input order then decides.
constexpr double kUtilisationTie = 1e-9;

/// Lossy elements "above the ToR" (SWARM Table 1: NetPilot handles packet drops above the ToR,
/// not at or below it) that still carry traffic: switch-to-switch links and tier >= 1 switches.
int faulty_in_service(const NetworkState& state) {
    const Topology& topo = state.topology();
    int count = 0;
    for (std::size_t l = 0; l < topo.link_count(); ++l) {
        const auto link = static_cast<LinkId>(l);
        const Link& ends = topo.link(link);
        const bool fabric = topo.node(ends.a).kind == NodeKind::Switch &&
                            topo.node(ends.b).kind == NodeKind::Switch;
        if (fabric && state.worst_drop_rate(link) > 0.0 && state.link_usable(link)) ++count;
    }
    for (std::size_t n = 0; n < topo.node_count(); ++n) {
        const auto node = static_cast<NodeId>(n);
        if (topo.node(node).tier >= 1 && state.node_drop_rate(node) > 0.0 &&
            state.node_usable(node))
            ++count;
    }
    return count;
}

/// NetPilot does not model utilisation on faulty links (§4.1): lossy links are left out of the
/// maximum, wherever they are.
std::vector<char> lossy_links(const NetworkState& state) {
    std::vector<char> lossy(state.topology().link_count(), 0);
    for (std::size_t l = 0; l < lossy.size(); ++l)
        lossy[l] = state.worst_drop_rate(static_cast<LinkId>(l)) > 0.0;
    return lossy;
}

NetPilotAssessment assess(const Incident& incident, const Candidate& candidate) {
    const CandidateNetwork network = build_candidate_network(incident, candidate.actions);
    NetPilotAssessment result;
    const LinkLoad load = expected_link_load(incident, network);
    if (network.problem || load.unroutable_bps > 0.0) {
        // NetPilot's impact estimation rules out mitigations that cut traffic off.
        result.unviable = network.problem ? network.problem : load.unroutable_reason;
    }
    result.faulty_in_service = faulty_in_service(*network.state);
    result.peak = max_utilisation(load, *network.state, lossy_links(*network.state));
    return result;
}

/// Lexicographic: fewer faulty elements left in service, then lower maximum utilisation.
bool better(const NetPilotAssessment& a, const NetPilotAssessment& b) {
    if (a.faulty_in_service != b.faulty_in_service)
        return a.faulty_in_service < b.faulty_in_service;
    return a.peak.utilisation < b.peak.utilisation * (1.0 - kUtilisationTie);
}

std::optional<std::size_t> best_viable(const std::vector<NetPilotAssessment>& assessments) {
    std::optional<std::size_t> best;
    for (std::size_t c = 0; c < assessments.size(); ++c) {
        if (assessments[c].unviable) continue;
        if (!best || better(assessments[c], assessments[*best])) best = c;
    }
    return best;
}

std::string percent(double fraction) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f%%", 100.0 * fraction);
    return text;
}

std::string channel_name(const Topology& topo, ChannelId channel) {
    const Link& link = topo.link(channel / 2);
    const bool forward = channel % 2 == 0;
    return topo.node(forward ? link.a : link.b).name + "->" +
           topo.node(forward ? link.b : link.a).name;
}

std::string describe(const Incident& incident, const NetPilotAssessment& a) {
    std::string text = "max utilisation " + percent(a.peak.utilisation);
    if (a.peak.channel >= 0) text += " on " + channel_name(incident.topology, a.peak.channel);
    if (a.faulty_in_service > 0) {
        text += ", " + std::to_string(a.faulty_in_service) +
                " lossy element(s) above the ToR left in service";
    }
    return text;
}

std::optional<std::size_t> no_action_candidate(const Incident& incident) {
    for (std::size_t c = 0; c < incident.candidates.size(); ++c) {
        if (incident.candidates[c].actions.empty()) return c;
    }
    return std::nullopt;
}

/// NetPilot-80/-99: a pick whose maximum utilisation is not below the threshold is not taken.
BaselinePick take_no_action(const Incident& incident, const std::string& why) {
    const std::optional<std::size_t> none = no_action_candidate(incident);
    if (!none) return {"", std::nullopt, why + "; take no action: no candidate without actions"};
    return {"", none,
            why + "; take no action: candidate \"" + incident.candidates[*none].name + "\""};
}

}  // namespace

std::vector<NetPilotAssessment> assess_netpilot(const Incident& incident) {
    std::vector<NetPilotAssessment> assessments;
    for (const Candidate& candidate : incident.candidates)
        assessments.push_back(assess(incident, candidate));
    return assessments;
}

BaselinePick pick_netpilot(const Incident& incident, std::optional<double> threshold) {
    const std::vector<NetPilotAssessment> assessments = assess_netpilot(incident);
    const std::optional<std::size_t> best = best_viable(assessments);
    if (!best) {
        const std::string why = "every candidate cuts off demand";
        return threshold ? take_no_action(incident, why) : BaselinePick{"", std::nullopt, why};
    }
    const NetPilotAssessment& chosen = assessments[*best];
    const std::string summary =
        "lowest: \"" + incident.candidates[*best].name + "\", " + describe(incident, chosen);
    if (threshold && !(chosen.peak.utilisation < *threshold)) {
        return take_no_action(incident, summary + ", not below " + percent(*threshold));
    }
    return {"", best, summary};
}

}  // namespace swarm::baselines
