#include "estimator/routing_bug.h"

#include <algorithm>
#include <deque>
#include <limits>

#include "estimator/random.h"

namespace swarm {

namespace {

void merge_into(std::vector<BugEpisode>& out, BugEpisode episode) {
    if (episode.end_s <= episode.start_s) return;
    if (!out.empty() && episode.start_s <= out.back().end_s) {
        out.back().end_s = std::max(out.back().end_s, episode.end_s);
        return;
    }
    out.push_back(episode);
}

bool full(const std::vector<BugEpisode>& out) {
    return out.size() > static_cast<std::size_t>(kMaxBugEpisodes);
}

/// Hop distances to `tor` over switches (ToRs are destinations, never transit), as Routing's BFS.
std::vector<int> distances_to(const Topology& topo, NodeId tor) {
    std::vector<int> dist(topo.node_count(), std::numeric_limits<int>::max());
    std::deque<NodeId> queue{tor};
    dist[static_cast<std::size_t>(tor)] = 0;
    while (!queue.empty()) {
        const NodeId u = queue.front();
        queue.pop_front();
        for (const auto& [v, link] : topo.adjacent(u)) {
            (void)link;
            if (topo.node(v).kind != NodeKind::Switch ||
                dist[static_cast<std::size_t>(v)] != std::numeric_limits<int>::max()) {
                continue;
            }
            dist[static_cast<std::size_t>(v)] = dist[static_cast<std::size_t>(u)] + 1;
            if (topo.node(v).tier != 0) queue.push_back(v);
        }
    }
    return dist;
}

}  // namespace

std::vector<BugEpisode> bug_episodes(const RoutingBug& bug, double horizon_s) {
    std::vector<BugEpisode> out;
    if (!bug.episodes.empty()) {
        std::vector<BugEpisode> listed = bug.episodes;
        std::sort(listed.begin(), listed.end(),
                  [](const BugEpisode& a, const BugEpisode& b) { return a.start_s < b.start_s; });
        for (const BugEpisode& e : listed) {
            if (e.start_s >= horizon_s || full(out)) break;
            merge_into(out, e);
        }
        return out;
    }
    if (!bug.random) {
        for (int k = 0; !full(out); ++k) {
            const double start = bug.start_s + k * bug.interarrival_s;
            if (start >= horizon_s) break;
            merge_into(out, {start, start + bug.duration_s});
        }
        return out;
    }
    Rng rng(derive_seed(bug.seed, {static_cast<std::uint64_t>(bug.node)}));
    const double gap_mean = bug.interarrival_s - bug.duration_s;
    for (double t = bug.start_s; t < horizon_s && !full(out);) {
        const double length = rng.exponential(1.0 / bug.duration_s);
        merge_into(out, {t, t + length});
        t += length + (gap_mean > 0.0 ? rng.exponential(1.0 / gap_mean) : 0.0);
    }
    return out;
}

std::vector<BugEpisode> exposed_episodes(const std::vector<BugEpisode>& episodes,
                                         const BugMask* mask) {
    if (!mask) return episodes;
    std::vector<BugEpisode> out;
    for (const BugEpisode& e : episodes) {
        const double from = std::max(e.start_s, mask->from_s);
        if (from >= e.end_s) {
            out.push_back(e);
            continue;
        }
        const double rest = e.end_s - from;
        const double exposed = std::min(rest, mask->exposed_s + mask->fault_rate * rest);
        if (from + exposed > e.start_s) out.push_back({e.start_s, from + exposed});
    }
    return out;
}

void set_bug_routes(NetworkState& state, const RoutingBug& bug, int owner, bool active) {
    state.remove_route_overrides(owner);
    if (!active) return;
    for (std::size_t i = 0; i < bug.destinations.size(); ++i) {
        const NodeId next = bug.next_hops.empty() ? NodeId{-1} : bug.next_hops[i];
        state.add_route_override({bug.node, bug.destinations[i], next, owner});
    }
}

std::vector<BugRouteChange> bug_route_changes(const std::vector<Failure>& failures,
                                              const NetworkState& state, double horizon_s) {
    std::vector<BugRouteChange> changes;
    for (std::size_t f = 0; f < failures.size(); ++f) {
        const auto* bug = std::get_if<RoutingBug>(&failures[f]);
        if (!bug) continue;
        const int owner = static_cast<int>(f);
        for (const BugEpisode& e :
             exposed_episodes(bug_episodes(*bug, horizon_s), state.bug_mask(bug->node))) {
            changes.push_back({e.start_s, owner, true});
            if (e.end_s < horizon_s) changes.push_back({e.end_s, owner, false});
        }
    }
    std::stable_sort(
        changes.begin(), changes.end(),
        [](const BugRouteChange& a, const BugRouteChange& b) { return a.at_s < b.at_s; });
    return changes;
}

std::vector<NodeId> wrong_next_hops(const Topology& topology, NodeId node, NodeId tor) {
    const std::vector<int> dist = distances_to(topology, tor);
    const int here = dist[static_cast<std::size_t>(node)];
    std::vector<NodeId> out;
    for (const auto& [v, link] : topology.adjacent(node)) {
        (void)link;
        if (topology.node(v).kind != NodeKind::Switch) continue;
        const int there = dist[static_cast<std::size_t>(v)];
        const bool shortest = (topology.node(v).tier != 0 || v == tor) &&
                              there != std::numeric_limits<int>::max() && there + 1 == here;
        if (!shortest) out.push_back(v);
    }
    return out;
}

}  // namespace swarm
