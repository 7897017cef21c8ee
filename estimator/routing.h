// Shortest-path ECMP/WCMP routing over a NetworkState, and per-flow path sampling (SWARM §3.3
// "Modeling routing uncertainty", Fig. 5): a flow's path is a random walk down the
// shortest-path DAG towards its destination ToR, each hop chosen with probability proportional
// to the WCMP weight of that next hop among the usable ones (equal weights = ECMP).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "estimator/network_state.h"
#include "estimator/random.h"

namespace swarm {

/// What the estimator needs to know about a sampled path besides its channels.
struct PathProperties {
    double drop_rate = 0.0;   ///< 1 - prod(1 - p) over links and switches crossed
    double base_rtt_s = 0.0;  ///< two-way propagation plus one MTU serialisation per hop
};

class Routing {
public:
    /// Builds hop distances to every ToR over usable switches and links. `mtu_bytes` sets the
    /// per-hop serialisation part of the base RTT.
    Routing(const NetworkState& state, double mtu_bytes);

    /// Whether a flow between these two servers has a usable path.
    bool reachable(std::int32_t src_server, std::int32_t dst_server) const;
    bool tors_connected(NodeId src_tor, NodeId dst_tor) const;

    /// Samples one path; appends its channels (server uplink first) to `channels`.
    /// PRECONDITION: reachable(src_server, dst_server) and src_server != dst_server.
    PathProperties sample_path(std::int32_t src_server, std::int32_t dst_server, Rng& rng,
                               std::vector<ChannelId>& channels) const;

    /// Every switch-level path from one ToR to another with its probability (tests, small
    /// topologies only: the count grows with the product of the fan-outs).
    std::vector<std::pair<std::vector<NodeId>, double>> enumerate_paths(NodeId src_tor, NodeId dst_tor) const;

    const NetworkState& state() const { return *state_; }

private:
    static constexpr std::uint16_t kUnreachable = 0xFFFF;
    struct Hop {
        NodeId node;
        LinkId link;
        double weight;
    };
    std::uint16_t distance(NodeId node, std::size_t tor_index) const {
        return distance_[tor_index * node_count_ + static_cast<std::size_t>(node)];
    }
    void bfs_from(std::size_t tor_index);
    /// Usable next hops of `node` towards ToR `tor_index`, with their effective weights.
    void next_hops(NodeId node, std::size_t tor_index, std::vector<Hop>& out) const;
    bool server_attached(std::int32_t server) const;

    const NetworkState* state_;
    double mtu_bits_;
    std::size_t node_count_;
    std::vector<std::int32_t> tor_index_;   ///< NodeId -> index in Topology::tors(), -1 if none
    std::vector<std::uint16_t> distance_;   ///< [tor index][node] hop count to that ToR
};

}  // namespace swarm
