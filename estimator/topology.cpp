// Topology: append-only construction, then read-only lookups by name, by endpoint pair and by
// adjacency. Preconditions (unique names, links between two different nodes) are the builder's job; the
// incident reader checks them before calling in, so nothing here re-validates user input.
#include "swarm/topology.h"

#include <stdexcept>

namespace swarm {

std::uint64_t Topology::pair_key(NodeId a, NodeId b) {
    // Order the ends so that a lookup in either direction hits the same key.
    const auto lo = static_cast<std::uint32_t>(a < b ? a : b);
    const auto hi = static_cast<std::uint32_t>(a < b ? b : a);
    return (static_cast<std::uint64_t>(lo) << 32) | hi;
}

NodeId Topology::add_switch(std::string name, int tier, int pod) {
    const auto id = static_cast<NodeId>(nodes_.size());
    by_name_.emplace(name, id);
    nodes_.push_back(Node{std::move(name), NodeKind::Switch, tier, pod, tier == 0 ? id : -1});
    adjacency_.emplace_back();
    server_index_.push_back(-1);
    // Every switch gets an entry, so servers_of_tor() of a server-less switch returns a real
    // (empty) list without a static fallback.
    servers_of_tor_.try_emplace(id);
    if (tier == 0) {
        tors_.push_back(id);
    }
    return id;
}

void Topology::add_servers(NodeId tor, int count, BitsPerSec capacity, Seconds delay) {
    auto& below = servers_of_tor_[tor];
    // Continue the numbering so that a second call cannot reuse a name.
    const auto first = static_cast<int>(below.size());
    for (int i = first; i < first + count; ++i) {
        const auto id = static_cast<NodeId>(nodes_.size());
        std::string name = node(tor).name + "-h" + std::to_string(i);
        by_name_.emplace(name, id);
        nodes_.push_back(Node{std::move(name), NodeKind::Server, -1, node(tor).pod, tor});
        adjacency_.emplace_back();
        const auto index = static_cast<std::int32_t>(servers_.size());
        server_index_.push_back(index);
        servers_.push_back(id);
        server_links_.push_back(add_link(id, tor, capacity, delay));
        below.push_back(index);
    }
}

LinkId Topology::add_link(NodeId a, NodeId b, BitsPerSec capacity, Seconds delay) {
    const auto id = static_cast<LinkId>(links_.size());
    links_.push_back(Link{a, b, capacity, delay});
    by_pair_.emplace(pair_key(a, b), id);
    adjacency_[static_cast<std::size_t>(a)].push_back(Adjacent{b, id});
    adjacency_[static_cast<std::size_t>(b)].push_back(Adjacent{a, id});
    return id;
}

std::optional<NodeId> Topology::find_node(std::string_view name) const {
    const auto it = by_name_.find(std::string(name));
    if (it == by_name_.end()) {
        return std::nullopt;
    }
    return it->second;
}

std::optional<LinkId> Topology::find_link(NodeId a, NodeId b) const {
    const auto it = by_pair_.find(pair_key(a, b));
    if (it == by_pair_.end()) {
        return std::nullopt;
    }
    return it->second;
}

std::vector<LinkId> Topology::links_between(NodeId a, NodeId b) const {
    std::vector<LinkId> out;
    for (const Adjacent& next : adjacent(a)) {
        if (next.node == b) out.push_back(next.link);
    }
    return out;
}

const std::vector<std::int32_t>& Topology::servers_of_tor(NodeId tor) const {
    const auto it = servers_of_tor_.find(tor);
    // Only servers (or ids out of range) have no entry: a caller bug, reported loudly.
    if (it == servers_of_tor_.end()) {
        throw std::out_of_range("Topology::servers_of_tor: node " + std::to_string(tor) +
                                " is not a switch");
    }
    return it->second;
}

std::string Topology::link_name(LinkId l) const {
    const Link& lk = link(l);
    return node(lk.a).name + "-" + node(lk.b).name;
}

void Topology::set_buffer_packets(NodeId n, double packets) {
    if (buffer_packets_.size() < nodes_.size()) buffer_packets_.resize(nodes_.size(), 0.0);
    buffer_packets_[static_cast<std::size_t>(n)] = packets;
}

}  // namespace swarm
