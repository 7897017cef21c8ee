#include "estimator/network_state.h"

#include <algorithm>
#include <type_traits>

#include "estimator/mitigation/mitigation_model.h"

namespace swarm {

NetworkState::NetworkState(const Topology& topology)
    : topology_(&topology),
      link_capacity_bps_(topology.link_count()),
      link_drop_rate_(topology.link_count(), 0.0),
      link_failed_(topology.link_count(), 0),
      link_disabled_(topology.link_count(), 0),
      link_blackholed_(topology.link_count(), 0),
      channel_drop_rate_(topology.channel_count(), 0.0),
      one_way_drop_rate_(topology.channel_count(), 0.0),
      node_drop_rate_(topology.node_count(), 0.0),
      node_failed_(topology.node_count(), 0),
      node_disabled_(topology.node_count(), 0),
      node_blackholed_(topology.node_count(), 0),
      weights_(topology.node_count()),
      drained_tor_(topology.node_count(), 0) {
    for (std::size_t l = 0; l < topology.link_count(); ++l) {
        link_capacity_bps_[l] = topology.links()[l].capacity.value;
    }
    for (std::size_t n = 0; n < topology.node_count(); ++n) {
        weights_[n].assign(topology.adjacent(static_cast<NodeId>(n)).size(), 1.0);
    }
}

bool NetworkState::link_usable(LinkId l) const {
    const std::size_t i = idx(l);
    if (link_failed_[i] || link_disabled_[i] || link_drop_rate_[i] >= 1.0) return false;
    const Link& link = topology_->link(l);
    return node_usable(link.a) && node_usable(link.b);
}

bool NetworkState::node_usable(NodeId n) const {
    const std::size_t i = idx(n);
    return !node_failed_[i] && !node_disabled_[i] && node_drop_rate_[i] < 1.0;
}

void NetworkState::apply(const Failure& failure) {
    std::visit(
        [this](const auto& f) {
            using T = std::decay_t<decltype(f)>;
            if constexpr (std::is_same_v<T, LinkLoss>) {
                if (f.from) {
                    one_way_drop_rate_[idx(topology_->channel(f.link, *f.from))] = f.drop_rate;
                } else {
                    link_drop_rate_[idx(f.link)] = f.drop_rate;
                }
            } else if constexpr (std::is_same_v<T, LinkDown>) {
                link_failed_[idx(f.link)] = 1;
            } else if constexpr (std::is_same_v<T, LinkCapacity>) {
                link_capacity_bps_[idx(f.link)] =
                    topology_->link(f.link).capacity.value * f.fraction;
            } else if constexpr (std::is_same_v<T, NodeLoss>) {
                node_drop_rate_[idx(f.node)] = f.drop_rate;
            } else if constexpr (std::is_same_v<T, NodeDown>) {
                node_failed_[idx(f.node)] = 1;
            } else if constexpr (std::is_same_v<T, LinkBlackhole>) {
                link_blackholed_[idx(f.link)] = 1;
            } else if constexpr (std::is_same_v<T, NodeBlackhole>) {
                node_blackholed_[idx(f.node)] = 1;
            }
            // RoutingBug: its episodes are phases, built with the candidate's bug masks
            // (estimator/routing_bug.h), not a permanent edit.
        },
        failure);
}

void NetworkState::apply(const Action& action) {
    std::visit(
        [this](const auto& a) {
            using T = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<T, DisableLink>) {
                link_disabled_[idx(a.link)] = 1;
            } else if constexpr (std::is_same_v<T, EnableLink>) {
                link_disabled_[idx(a.link)] = 0;
            } else if constexpr (std::is_same_v<T, DisableNode>) {
                node_disabled_[idx(a.node)] = 1;
                if (topology_->node(a.node).tier == 0) drained_tor_[idx(a.node)] = 1;
            } else if constexpr (std::is_same_v<T, EnableNode>) {
                node_disabled_[idx(a.node)] = 0;
                drained_tor_[idx(a.node)] = 0;
            } else if constexpr (std::is_same_v<T, SetWcmp>) {
                apply_wcmp(a);
            } else if constexpr (std::is_same_v<T, MoveTraffic>) {
                move_traffic(a);
            } else if constexpr (std::is_same_v<T, ModelAction>) {
                a.model->edit_state(*this);
            }
        },
        action);
}

void NetworkState::set_link_drop_rate(LinkId l, double drop_rate) {
    link_drop_rate_[idx(l)] = drop_rate;
    one_way_drop_rate_[idx(2 * l)] = 0.0;
    one_way_drop_rate_[idx(2 * l + 1)] = 0.0;
}
void NetworkState::set_node_drop_rate(NodeId n, double drop_rate) {
    node_drop_rate_[idx(n)] = drop_rate;
}
void NetworkState::set_link_capacity_bps(LinkId l, double capacity_bps) {
    link_capacity_bps_[idx(l)] = capacity_bps;
}
void NetworkState::set_link_blackholed(LinkId l, bool blackholed) {
    link_blackholed_[idx(l)] = blackholed ? 1 : 0;
}
void NetworkState::set_channel_drop_rate(ChannelId c, double drop_rate) {
    channel_drop_rate_[idx(c)] = drop_rate;
}
void NetworkState::set_node_blackholed(NodeId n, bool blackholed) {
    node_blackholed_[idx(n)] = blackholed ? 1 : 0;
}

void NetworkState::add_route_override(const RouteOverride& entry) {
    route_overrides_.push_back(entry);
}

void NetworkState::remove_route_overrides(int owner) {
    std::erase_if(route_overrides_, [owner](const RouteOverride& r) { return r.owner == owner; });
}

void NetworkState::set_bug_mask(NodeId n, const BugMask& mask) {
    for (auto& [node, existing] : bug_masks_) {
        if (node != n) continue;
        existing = mask;
        return;
    }
    bug_masks_.emplace_back(n, mask);
}

const BugMask* NetworkState::bug_mask(NodeId n) const {
    for (const auto& [node, mask] : bug_masks_) {
        if (node == n) return &mask;
    }
    return nullptr;
}

void NetworkState::apply_wcmp(const SetWcmp& wcmp) {
    const auto& adjacent = topology_->adjacent(wcmp.node);
    for (const auto& [neighbour, weight] : wcmp.weights) {
        for (std::size_t slot = 0; slot < adjacent.size(); ++slot) {
            if (adjacent[slot].node == neighbour) weights_[idx(wcmp.node)][slot] = weight;
        }
    }
}

std::vector<std::int32_t> NetworkState::servers_below(NodeId node) const {
    const Node& n = topology_->node(node);
    if (n.kind == NodeKind::Server) return {topology_->server_index(node)};
    return topology_->servers_of_tor(node);
}

void NetworkState::move_traffic(const MoveTraffic& move) {
    demand_moves_.push_back({servers_below(move.from), servers_below(move.to), move.fraction});
}

std::optional<std::string> NetworkState::finalize_demand_moves() {
    std::vector<std::int32_t> targets;
    for (NodeId tor : topology_->tors()) {
        if (drained_tor_[idx(tor)] || !node_usable(tor)) continue;
        const auto& below = topology_->servers_of_tor(tor);
        targets.insert(targets.end(), below.begin(), below.end());
    }
    for (NodeId tor : topology_->tors()) {
        if (!drained_tor_[idx(tor)] || topology_->servers_of_tor(tor).empty()) continue;
        if (targets.empty()) {
            return "draining " + topology_->node(tor).name + " leaves no ToR to move its VMs to";
        }
        demand_moves_.push_back({topology_->servers_of_tor(tor), targets, 1.0});
    }
    return std::nullopt;
}

std::vector<char> NetworkState::servers_without_demand() const {
    std::vector<char> gone(topology_->servers().size(), 0);
    for (const DemandMove& move : demand_moves_) {
        if (move.fraction < 1.0) continue;
        for (std::int32_t s : move.from_servers) gone[idx(s)] = 1;
        for (std::int32_t s : move.to_servers) gone[idx(s)] = 0;
    }
    return gone;
}

}  // namespace swarm
