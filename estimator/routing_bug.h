// When a routing-software bug's wrong routes sit in a switch's FIB (Keller thesis ch. 2): the
// episodes of the thesis's synthetic bug model (§2.5.1: a duration and an inter-arrival time),
// the part of each episode a bug-tolerant control plane lets through (BugMask), and the
// per-destination FIB entries an episode puts in the network state. The scenario builder turns
// the exposed episodes into phases (docs/design.md, "Extension points"): at each start the
// entries go in, at each end they come out, and routing is recompiled at the epoch boundary.
#pragma once

#include <vector>

#include "estimator/network_state.h"
#include "swarm/incident.h"

namespace swarm {

using BugEpisode = RoutingBug::Episode;

/// Most episodes one bug may have in the simulated interval: each is two routing phases.
inline constexpr int kMaxBugEpisodes = 200;

/// The bug's episodes that start in [0, horizon_s), sorted, overlapping ones merged. Periodic:
/// [start + k I, start + k I + D). Random: durations exponential with mean D, gaps from one
/// episode's end to the next start exponential with mean I - D (mean start-to-start I), drawn
/// from `bug.seed`. Listed episodes are taken as they are. At most kMaxBugEpisodes + 1 are
/// returned (callers reject more).
std::vector<BugEpisode> bug_episodes(const RoutingBug& bug, double horizon_s);

/// The part of each episode whose wrong routes reach the FIB under `mask` (nullptr: all of it):
/// with s' = max(s, from_s), [s, s' + min(e - s', exposed_s + fault_rate (e - s'))); an episode
/// that ends before from_s is exposed whole. Empty windows are dropped.
std::vector<BugEpisode> exposed_episodes(const std::vector<BugEpisode>& episodes,
                                         const BugMask* mask);

/// Puts the bug's FIB entries into `state` (active) or takes them out, tagged with `owner`.
void set_bug_routes(NetworkState& state, const RoutingBug& bug, int owner, bool active);

/// One change of the FIB: failure `failure` (an index into the incident's failures, a
/// RoutingBug) puts its wrong routes in (active) or takes them out, at `at_s`.
struct BugRouteChange {
    double at_s = 0.0;
    int failure = 0;
    bool active = false;
};

/// Every routing bug's exposed episodes in [0, horizon_s) on `state` (its switches' bug masks
/// as the candidate left them), as FIB changes in time order.
std::vector<BugRouteChange> bug_route_changes(const std::vector<Failure>& failures,
                                              const NetworkState& state, double horizon_s);

/// The switch neighbours of `node` that are not shortest-path next hops towards the ToR `tor`
/// in the healthy fabric (a ToR never transits): where a wrong next-hop attribute can point.
std::vector<NodeId> wrong_next_hops(const Topology& topology, NodeId node, NodeId tor);

}  // namespace swarm
