#include "estimator/routing.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cstring>
#include <deque>

namespace swarm {

namespace {

/// Content hash of a next-hop list, to find an identical list of the same switch quickly.
std::uint64_t list_hash(const std::vector<std::pair<ChannelId, double>>& entries,
                        std::uint64_t kind) {
    std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ kind;
    for (const auto& [channel, cumulative] : entries) {
        std::uint64_t bits = 0;
        std::memcpy(&bits, &cumulative, sizeof bits);
        std::uint64_t state =
            h ^ (static_cast<std::uint64_t>(static_cast<std::uint32_t>(channel)) << 1) ^ bits;
        h = splitmix64(state);
    }
    return h;
}

}  // namespace

Routing::Routing(const NetworkState& state, double mtu_bytes)
    : state_(&state), mtu_bits_(mtu_bytes * 8.0), switch_count_(0) {
    const Topology& topo = state.topology();
    const std::size_t nodes = topo.node_count();
    switch_index_.assign(nodes, -1);
    tor_index_.assign(nodes, -1);
    node_keep_.resize(nodes);
    for (std::size_t n = 0; n < nodes; ++n) {
        const auto id = static_cast<NodeId>(n);
        node_keep_[n] = 1.0 - state.node_drop_rate(id);
        if (topo.node(id).kind == NodeKind::Switch)
            switch_index_[n] = static_cast<std::int32_t>(switch_count_++);
    }
    const auto& servers = topo.servers();
    servers_.resize(servers.size());
    for (std::size_t s = 0; s < servers.size(); ++s) {
        const NodeId server = servers[s];
        const NodeId tor = topo.node(server).tor;
        const LinkId link = topo.server_link(static_cast<std::int32_t>(s));
        const ChannelId up = topo.channel(link, server);
        const ChannelId down = topo.channel(link, tor);
        servers_[s] = {server,
                       tor,
                       -1,
                       up,
                       down,
                       channel_props(up),
                       channel_props(down),
                       state.link_usable(link)};
    }
    const auto& tors = topo.tors();
    for (std::size_t i = 0; i < tors.size(); ++i)
        tor_index_[static_cast<std::size_t>(tors[i])] = static_cast<std::int32_t>(i);
    for (ServerPort& port : servers_)
        port.tor_index = tor_index_[static_cast<std::size_t>(port.tor)];
    distance_.assign(tors.size() * switch_count_, kUnreachable);
    for (std::size_t i = 0; i < tors.size(); ++i) bfs_from(i);
    tor_count_ = tors.size();
    tor_reach_.assign((tor_count_ * tor_count_ + 63) / 64, 0);
    for (std::size_t src = 0; src < tor_count_; ++src) {
        for (std::size_t dst = 0; dst < tor_count_; ++dst) {
            if (distance(tors[src], dst) == kUnreachable) continue;
            const std::size_t bit = src * tor_count_ + dst;
            tor_reach_[bit / 64] |= std::uint64_t{1} << (bit % 64);
        }
    }
    compile_next_hops();
}

Routing::LinkProps Routing::channel_props(ChannelId channel) const {
    const LinkId link = channel / 2;
    return {1.0 - state_->channel_drop_rate(channel), state_->topology().link(link).delay.value,
            mtu_bits_ / state_->link_capacity_bps(link)};
}

void Routing::bfs_from(std::size_t tor_index) {
    const Topology& topo = state_->topology();
    const NodeId root = topo.tors()[tor_index];
    if (!state_->node_usable(root)) return;
    std::uint16_t* dist = &distance_[tor_index * switch_count_];
    auto at = [&](NodeId n) -> std::uint16_t& {
        return dist[switch_index_[static_cast<std::size_t>(n)]];
    };
    std::deque<NodeId> queue{root};
    at(root) = 0;
    while (!queue.empty()) {
        const NodeId u = queue.front();
        queue.pop_front();
        for (const auto& [v, link] : topo.adjacent(u)) {
            if (topo.node(v).kind != NodeKind::Switch || at(v) != kUnreachable) continue;
            if (!state_->link_usable(link)) continue;  // also checks both endpoints
            at(v) = static_cast<std::uint16_t>(at(u) + 1);
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

Routing::ListKind Routing::overridden_hops(const RouteOverride& entry,
                                           std::vector<Hop>& out) const {
    if (entry.next_hop < 0)
        return ListKind::Dropped;  // `out` keeps the DAG's hops, each dropping all
    for (const auto& [v, link] : state_->topology().adjacent(entry.node)) {
        if (v != entry.next_hop) continue;
        // A FIB entry pointing at a dead port or switch drops what it forwards.
        if (!state_->link_usable(link)) return ListKind::Dropped;
        out.assign(1, {v, link, 1.0});
        return ListKind::Wrong;
    }
    return ListKind::Dropped;
}

// Scanning a switch's whole adjacency (a ToR's includes its servers) twice per hop per flow
// was the routing cost; the DAG only changes with the network state, so it is compiled here
// once. Lists are interned per switch by content (channel, cumulative weight).
void Routing::compile_next_hops() {
    const Topology& topo = state_->topology();
    const auto& tors = topo.tors();
    // Full [tor][switch] table first; find_uniform_switches() then drops the uniform rows.
    next_list_.assign(tors.size() * switch_count_, kNoList);
    list_begin_.assign(1, 0);
    hops_.clear();
    hop_link_.clear();
    list_kind_.clear();
    has_wrong_hops_ = false;
    std::vector<std::vector<std::pair<std::uint64_t, std::uint32_t>>> interned(switch_count_);
    // [tor][switch] -> the route override there; only allocated when there is one.
    std::vector<const RouteOverride*> overrides;
    if (!state_->route_overrides().empty()) overrides.assign(tors.size() * switch_count_, nullptr);
    for (const RouteOverride& entry : state_->route_overrides()) {
        const std::int32_t d = tor_index_[static_cast<std::size_t>(entry.destination)];
        const std::int32_t sw = switch_index_[static_cast<std::size_t>(entry.node)];
        if (d < 0 || sw < 0) continue;
        overrides[static_cast<std::size_t>(d) * switch_count_ + static_cast<std::size_t>(sw)] =
            &entry;
    }
    std::vector<Hop> scratch;
    std::vector<std::pair<ChannelId, double>> entries;
    for (std::size_t d = 0; d < tors.size(); ++d) {
        for (std::size_t n = 0; n < switch_index_.size(); ++n) {
            const std::int32_t sw = switch_index_[n];
            const auto node = static_cast<NodeId>(n);
            if (sw < 0 || node == tors[d] || distance(node, d) == kUnreachable) continue;
            next_hops(node, d, scratch);
            const RouteOverride* entry =
                overrides.empty() ? nullptr
                                  : overrides[d * switch_count_ + static_cast<std::size_t>(sw)];
            const ListKind kind = entry ? overridden_hops(*entry, scratch) : ListKind::Shortest;
            entries.clear();
            double cumulative = 0.0;
            for (const Hop& hop : scratch)
                entries.emplace_back(topo.channel(hop.link, node), cumulative += hop.weight);
            const std::uint64_t hash = list_hash(entries, static_cast<std::uint64_t>(kind));
            std::uint32_t id = kNoList;
            for (const auto& [h, candidate] : interned[static_cast<std::size_t>(sw)]) {
                if (h != hash || list_kind_[candidate] != kind ||
                    list_begin_[candidate + 1] - list_begin_[candidate] != entries.size()) {
                    continue;
                }
                bool same = true;
                for (std::size_t i = 0; i < entries.size() && same; ++i) {
                    const CompiledHop& c = hops_[list_begin_[candidate] + i];
                    same = c.channel == entries[i].first && c.cumulative == entries[i].second;
                }
                if (same) {
                    id = candidate;
                    break;
                }
            }
            if (id == kNoList) {
                id = static_cast<std::uint32_t>(list_begin_.size() - 1);
                for (std::size_t i = 0; i < entries.size(); ++i) {
                    hops_.push_back({entries[i].second, scratch[i].node, entries[i].first});
                    hop_link_.push_back(channel_props(entries[i].first));
                    if (kind == ListKind::Dropped) hop_link_.back().keep = 0.0;
                }
                list_begin_.push_back(static_cast<std::uint32_t>(hops_.size()));
                list_kind_.push_back(kind);
                has_wrong_hops_ = has_wrong_hops_ || kind == ListKind::Wrong;
                interned[static_cast<std::size_t>(sw)].emplace_back(hash, id);
            }
            next_list_[d * switch_count_ + static_cast<std::size_t>(sw)] = id;
        }
    }
    find_uniform_switches();
}

// A switch is uniform when every ToR it reaches gets the same list. Its kNoList entries are
// its own ToR or unreachable ones, which sample_path never asks for (it only walks the DAG).
void Routing::find_uniform_switches() {
    const std::size_t tors = state_->topology().tors().size();
    table_row_.assign(switch_count_, -1);
    uniform_list_.assign(switch_count_, kNoList);
    table_rows_ = 0;
    for (std::size_t sw = 0; sw < switch_count_; ++sw) {
        bool uniform = true;
        for (std::size_t d = 0; d < tors && uniform; ++d) {
            const std::uint32_t list = next_list_[d * switch_count_ + sw];
            if (list == kNoList) continue;
            if (uniform_list_[sw] == kNoList) uniform_list_[sw] = list;
            uniform = list == uniform_list_[sw];
        }
        if (!uniform) table_row_[sw] = static_cast<std::int32_t>(table_rows_++);
    }
    std::vector<std::uint32_t> table(tors * table_rows_, kNoList);
    for (std::size_t d = 0; d < tors; ++d) {
        for (std::size_t sw = 0; sw < switch_count_; ++sw) {
            if (table_row_[sw] < 0) continue;
            table[d * table_rows_ + static_cast<std::size_t>(table_row_[sw])] =
                next_list_[d * switch_count_ + sw];
        }
    }
    next_list_ = std::move(table);
}

std::span<const Routing::CompiledHop> Routing::compiled(NodeId node, std::size_t tor_index) const {
    const auto sw = static_cast<std::size_t>(switch_index_[static_cast<std::size_t>(node)]);
    const std::int32_t row = table_row_[sw];
    const std::uint32_t list =
        row < 0 ? uniform_list_[sw]
                : next_list_[tor_index * table_rows_ + static_cast<std::size_t>(row)];
    if (list == kNoList) return {};
    return std::span<const CompiledHop>(hops_).subspan(list_begin_[list],
                                                       list_begin_[list + 1] - list_begin_[list]);
}

bool Routing::tors_connected(NodeId src_tor, NodeId dst_tor) const {
    const std::int32_t d = tor_index_[static_cast<std::size_t>(dst_tor)];
    if (d < 0 || switch_index_[static_cast<std::size_t>(src_tor)] < 0) return false;
    return distance(src_tor, static_cast<std::size_t>(d)) != kUnreachable;
}

bool Routing::reachable(std::int32_t src_server, std::int32_t dst_server) const {
    const ServerPort& src = servers_[static_cast<std::size_t>(src_server)];
    const ServerPort& dst = servers_[static_cast<std::size_t>(dst_server)];
    return src.usable && dst.usable &&
           tor_reaches(static_cast<std::size_t>(src.tor_index),
                       static_cast<std::size_t>(dst.tor_index));
}

PathProperties Routing::sample_path(std::int32_t src_server, std::int32_t dst_server, Rng& rng,
                                    std::vector<ChannelId>& channels) const {
    const ServerPort& src = servers_[static_cast<std::size_t>(src_server)];
    const ServerPort& dst = servers_[static_cast<std::size_t>(dst_server)];
    const auto d = static_cast<std::size_t>(dst.tor_index);

    // Same products and sums, in the same order, as walking the links one by one.
    double keep = 1.0;  // probability a packet survives
    double one_way_delay = 0.0;
    double serialisation = 0.0;
    auto cross = [&](ChannelId channel, const LinkProps& link) {
        channels.push_back(channel);
        keep *= link.keep;
        one_way_delay += link.delay_s;
        serialisation += link.serialisation_s;
    };

    NodeId node = src.tor;
    cross(src.up, src.up_props);
    std::array<NodeId, kMaxSwitchHops> visited;
    std::size_t visits = 0;
    const auto lost = [&] { return PathProperties{1.0, 2.0 * one_way_delay + serialisation}; };
    while (node != dst.tor) {
        if (has_wrong_hops_) {
            // Off the DAG a walk can come back: the same hash decisions repeat, a loop.
            const auto seen = visited.begin() + static_cast<std::ptrdiff_t>(visits);
            if (visits == visited.size() || std::find(visited.begin(), seen, node) != seen)
                return lost();
            visited[visits++] = node;
        }
        keep *= node_keep_[static_cast<std::size_t>(node)];
        const std::span<const CompiledHop> hops = compiled(node, d);
        if (hops.empty()) {
            assert(has_wrong_hops_);  // only a wrong next hop leads to a switch with no route
            return lost();
        }
        const double pick = rng.uniform() * hops.back().cumulative;
        // First entry whose cumulative weight exceeds the pick; the last one takes rounding.
        std::size_t lo = 0;
        std::size_t hi = hops.size() - 1;
        while (lo < hi) {
            const std::size_t mid = (lo + hi) / 2;
            if (pick < hops[mid].cumulative) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        cross(hops[lo].channel, hop_link_[static_cast<std::size_t>(&hops[lo] - hops_.data())]);
        node = hops[lo].node;
    }
    keep *= node_keep_[static_cast<std::size_t>(dst.tor)];
    cross(dst.down, dst.down_props);
    return {1.0 - keep, 2.0 * one_way_delay + serialisation};
}

NodeId Routing::channel_head(ChannelId channel) const {
    const Link& link = state_->topology().link(channel / 2);
    return channel % 2 == 0 ? link.b : link.a;
}

PathProperties Routing::path_properties(std::span<const ChannelId> channels) const {
    double keep = 1.0;
    double one_way_delay = 0.0;
    double serialisation = 0.0;
    for (std::size_t i = 0; i < channels.size(); ++i) {
        const LinkProps link = channel_props(channels[i]);
        keep *= link.keep;
        one_way_delay += link.delay_s;
        serialisation += link.serialisation_s;
        // Every node between two channels forwards the packet (a relay server included).
        if (i + 1 < channels.size())
            keep *= node_keep_[static_cast<std::size_t>(channel_head(channels[i]))];
    }
    return {1.0 - keep, 2.0 * one_way_delay + serialisation};
}

double Routing::path_probability(const std::vector<NodeId>& switches) const {
    if (switches.size() < 2) return 0.0;
    const std::int32_t d = tor_index_[static_cast<std::size_t>(switches.back())];
    if (d < 0 || !tors_connected(switches.front(), switches.back())) return 0.0;
    double probability = 1.0;
    for (std::size_t i = 0; i + 1 < switches.size(); ++i) {
        // Only DAG edges: one hop closer to the destination ToR each time.
        for (const NodeId n : {switches[i], switches[i + 1]}) {
            if (switch_index_[static_cast<std::size_t>(n)] < 0) return 0.0;
        }
        const std::uint16_t here = distance(switches[i], static_cast<std::size_t>(d));
        if (here == kUnreachable ||
            distance(switches[i + 1], static_cast<std::size_t>(d)) + 1 != here)
            return 0.0;
        const std::span<const CompiledHop> hops =
            compiled(switches[i], static_cast<std::size_t>(d));
        double weight = -1.0;
        for (std::size_t h = 0; h < hops.size(); ++h) {
            if (hops[h].node == switches[i + 1])
                weight = hops[h].cumulative - (h ? hops[h - 1].cumulative : 0.0);
        }
        if (weight < 0.0) return 0.0;
        probability *= weight / hops.back().cumulative;
    }
    return probability;
}

std::vector<std::pair<std::vector<NodeId>, double>> Routing::enumerate_paths(NodeId src_tor,
                                                                             NodeId dst_tor) const {
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
