#include "estimator/baselines/candidate_match.h"

#include <algorithm>
#include <type_traits>

namespace swarm::baselines {

namespace {

/// One decided item, in a form an action can be compared with.
struct Item {
    enum class Kind { DisableLink, DrainTor, DrainServer } kind;
    std::int32_t id;  ///< LinkId or NodeId
};

std::vector<Item> items_of(const Decision& decision) {
    std::vector<Item> items;
    for (LinkId l : decision.disable_links) items.push_back({Item::Kind::DisableLink, l});
    for (NodeId n : decision.drain_tors) items.push_back({Item::Kind::DrainTor, n});
    for (NodeId n : decision.drain_servers) items.push_back({Item::Kind::DrainServer, n});
    return items;
}

/// The decided item an action carries out, if any. A server drain is a VM move of all its
/// traffic; where the VMs go is the candidate's business, not the rule's.
std::optional<Item> item_of(const Action& action) {
    return std::visit(
        [](const auto& a) -> std::optional<Item> {
            using T = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<T, DisableLink>)
                return Item{Item::Kind::DisableLink, a.link};
            if constexpr (std::is_same_v<T, DisableNode>) return Item{Item::Kind::DrainTor, a.node};
            if constexpr (std::is_same_v<T, MoveTraffic>) {
                if (a.fraction >= 1.0) return Item{Item::Kind::DrainServer, a.from};
            }
            return std::nullopt;
        },
        action);
}

bool carries_out(const Candidate& candidate, std::vector<Item> wanted) {
    if (candidate.actions.size() != wanted.size()) return false;
    for (const Action& action : candidate.actions) {
        const std::optional<Item> item = item_of(action);
        if (!item) return false;
        const auto it = std::find_if(wanted.begin(), wanted.end(), [&](const Item& w) {
            return w.kind == item->kind && w.id == item->id;
        });
        if (it == wanted.end()) return false;
        wanted.erase(it);  // each decided item is carried out exactly once
    }
    return wanted.empty();
}

}  // namespace

std::optional<std::size_t> find_matching_candidate(const Incident& incident,
                                                   const Decision& decision) {
    const std::vector<Item> wanted = items_of(decision);
    for (std::size_t c = 0; c < incident.candidates.size(); ++c) {
        if (carries_out(incident.candidates[c], wanted)) return c;
    }
    return std::nullopt;
}

std::string describe(const Topology& topology, const Decision& decision) {
    if (decision.empty()) return "take no action";
    std::string text;
    auto add = [&](const std::string& part) { text += (text.empty() ? "" : ", ") + part; };
    for (LinkId l : decision.disable_links) add("disable link " + topology.link_name(l));
    for (NodeId n : decision.drain_tors) add("drain " + topology.node(n).name);
    for (NodeId n : decision.drain_servers) add("move all VMs off " + topology.node(n).name);
    return text;
}

std::string match_reason(const Incident& incident, const Decision& decision,
                         const std::optional<std::size_t>& match) {
    const std::string what = describe(incident.topology, decision);
    if (match) return what + ": candidate \"" + incident.candidates[*match].name + "\"";
    return what + ": no candidate does exactly that";
}

}  // namespace swarm::baselines
