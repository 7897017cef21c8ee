#include "estimator/routing.h"

#include <cassert>
#include <deque>

namespace swarm {

Routing::Routing(const NetworkState& state, double mtu_bytes)
    : state_(&state),
      mtu_bits_(mtu_bytes * 8.0),
      node_count_(state.topology().node_count()),
      tor_index_(node_count_, -1) {
    const auto& tors = state.topology().tors();
    for (std::size_t i = 0; i < tors.size(); ++i) tor_index_[static_cast<std::size_t>(tors[i])] = static_cast<std::int32_t>(i);
    distance_.assign(tors.size() * node_count_, kUnreachable);
    for (std::size_t i = 0; i < tors.size(); ++i) bfs_from(i);
}

void Routing::bfs_from(std::size_t tor_index) {
    const Topology& topo = state_->topology();
    const NodeId root = topo.tors()[tor_index];
    if (!state_->node_usable(root)) return;
    std::uint16_t* dist = &distance_[tor_index * node_count_];
    std::deque<NodeId> queue{root};
    dist[root] = 0;
    while (!queue.empty()) {
        const NodeId u = queue.front();
        queue.pop_front();
        for (const auto& [v, link] : topo.adjacent(u)) {
            if (topo.node(v).kind != NodeKind::Switch || dist[v] != kUnreachable) continue;
            if (!state_->link_usable(link)) continue;  // also checks both endpoints
            dist[v] = static_cast<std::uint16_t>(dist[u] + 1);
            // A ToR is a destination, never a transit hop for other ToRs' traffic.
            if (topo.node(v).tier != 0) queue.push_back(v);
        }
    }
}

void Routing::next_hops(NodeId node, std::size_t tor_index, std::vector<Hop>& out) const {
    out.clear();
    const Topology& topo = state_->topology();
    const std::uint16_t here = distance(node, tor_index);
    const auto& adjacent = topo.adjacent(node);
    double total = 0.0;
    for (std::size_t slot = 0; slot < adjacent.size(); ++slot) {
        const auto& [v, link] = adjacent[slot];
        if (topo.node(v).kind != NodeKind::Switch) continue;
        if (topo.node(v).tier == 0 && v != topo.tors()[tor_index]) continue;  // no ToR transit
        if (distance(v, tor_index) + 1 != here || !state_->link_usable(link)) continue;
        const double w = state_->weight(node, slot);
        out.push_back({v, link, w});
        total += w;
    }
    // WCMP weights of zero on every usable next hop would blackhole the traffic; switches
    // fall back to spreading it equally instead (documented in docs/model.md).
    if (total <= 0.0) {
        for (Hop& hop : out) hop.weight = 1.0;
    }
}

bool Routing::server_attached(std::int32_t server) const {
    return state_->link_usable(state_->topology().server_link(server));
}

bool Routing::tors_connected(NodeId src_tor, NodeId dst_tor) const {
    const std::int32_t d = tor_index_[static_cast<std::size_t>(dst_tor)];
    if (d < 0) return false;
    return distance(src_tor, static_cast<std::size_t>(d)) != kUnreachable;
}

bool Routing::reachable(std::int32_t src_server, std::int32_t dst_server) const {
    const Topology& topo = state_->topology();
    if (!server_attached(src_server) || !server_attached(dst_server)) return false;
    const NodeId src_tor = topo.node(topo.servers()[static_cast<std::size_t>(src_server)]).tor;
    const NodeId dst_tor = topo.node(topo.servers()[static_cast<std::size_t>(dst_server)]).tor;
    return tors_connected(src_tor, dst_tor);
}

PathProperties Routing::sample_path(std::int32_t src_server, std::int32_t dst_server, Rng& rng,
                                    std::vector<ChannelId>& channels) const {
    const Topology& topo = state_->topology();
    const NodeId src = topo.servers()[static_cast<std::size_t>(src_server)];
    const NodeId dst = topo.servers()[static_cast<std::size_t>(dst_server)];
    const NodeId dst_tor = topo.node(dst).tor;
    const auto d = static_cast<std::size_t>(tor_index_[static_cast<std::size_t>(dst_tor)]);

    double keep = 1.0;  // probability a packet survives
    double one_way_delay = 0.0;
    double serialisation = 0.0;
    auto cross = [&](LinkId link, NodeId from) {
        channels.push_back(topo.channel(link, from));
        keep *= 1.0 - state_->link_drop_rate(link);
        one_way_delay += topo.link(link).delay.value;
        serialisation += mtu_bits_ / state_->link_capacity_bps(link);
    };

    NodeId node = topo.node(src).tor;
    cross(topo.server_link(src_server), src);
    thread_local std::vector<Hop> hops;
    while (node != dst_tor) {
        keep *= 1.0 - state_->node_drop_rate(node);
        next_hops(node, d, hops);
        assert(!hops.empty());
        double total = 0.0;
        for (const Hop& h : hops) total += h.weight;
        double pick = rng.uniform() * total;
        std::size_t choice = 0;
        while (choice + 1 < hops.size() && pick >= hops[choice].weight) pick -= hops[choice++].weight;
        cross(hops[choice].link, node);
        node = hops[choice].node;
    }
    keep *= 1.0 - state_->node_drop_rate(dst_tor);
    cross(topo.server_link(dst_server), dst_tor);
    return {1.0 - keep, 2.0 * one_way_delay + serialisation};
}

std::vector<std::pair<std::vector<NodeId>, double>> Routing::enumerate_paths(NodeId src_tor, NodeId dst_tor) const {
    std::vector<std::pair<std::vector<NodeId>, double>> result;
    if (!tors_connected(src_tor, dst_tor)) return result;
    const auto d = static_cast<std::size_t>(tor_index_[static_cast<std::size_t>(dst_tor)]);
    std::vector<NodeId> prefix{src_tor};
    auto walk = [&](auto&& self, NodeId node, double probability) -> void {
        if (node == dst_tor) {
            result.emplace_back(prefix, probability);
            return;
        }
        std::vector<Hop> hops;
        next_hops(node, d, hops);
        double total = 0.0;
        for (const Hop& h : hops) total += h.weight;
        for (const Hop& h : hops) {
            if (h.weight <= 0.0) continue;
            prefix.push_back(h.node);
            self(self, h.node, probability * h.weight / total);
            prefix.pop_back();
        }
    };
    walk(walk, src_tor, 1.0);
    return result;
}

}  // namespace swarm
