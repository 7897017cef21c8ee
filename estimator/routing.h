// Shortest-path ECMP/WCMP routing over a NetworkState, and per-flow path sampling (SWARM §3.3
// "Modeling routing uncertainty", Fig. 5): a flow's path is a random walk down the
// shortest-path DAG towards its destination ToR, each hop chosen with probability proportional
// to the WCMP weight of that next hop among the usable ones (equal weights = ECMP).
#pragma once

#include <cstdint>
#include <span>
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
    /// With route overrides (routing bugs, NetworkState::add_route_override) a switch may drop
    /// the destination's traffic (drop rate 1) or send it to a wrong neighbour, from which the
    /// walk goes on. A flow's ECMP hash picks the same next hop on every visit, so a walk that
    /// comes back to a switch is a forwarding loop: drop rate 1, the packets die when their TTL
    /// runs out (channels up to the loop). A walk that reaches the ToR is a valid detour.
    PathProperties sample_path(std::int32_t src_server, std::int32_t dst_server, Rng& rng,
                               std::vector<ChannelId>& channels) const;

    /// The properties of any chain of channels (each starting where the previous one ends), with
    /// the same rules as sample_path: for routes a model builds itself (a relay through a host,
    /// a re-hashed path).
    PathProperties path_properties(std::span<const ChannelId> channels) const;
    /// The node a channel leads to.
    NodeId channel_head(ChannelId channel) const;

    /// Every switch-level path from one ToR to another with its probability (tests, small
    /// topologies only: the count grows with the product of the fan-outs). Computed from the
    /// adjacency directly: the reference for the compiled next-hop table. Like
    /// path_probability(), it describes the shortest-path DAG without FIB bugs (route overrides).
    std::vector<std::pair<std::vector<NodeId>, double>> enumerate_paths(NodeId src_tor,
                                                                        NodeId dst_tor) const;

    /// Probability that sample_path takes this switch-level path (ToR to ToR), from the
    /// compiled next-hop table; 0 if it is not a path of the DAG.
    double path_probability(const std::vector<NodeId>& switches) const;
    /// Distinct next-hop lists and their total entries after interning (memory reporting).
    std::size_t hop_list_count() const { return list_begin_.size() - 1; }
    std::size_t hop_entry_count() const { return hops_.size(); }

    const NetworkState& state() const { return *state_; }

   private:
    static constexpr std::uint16_t kUnreachable = 0xFFFF;
    static constexpr std::uint32_t kNoList = 0xFFFFFFFF;
    struct Hop {
        NodeId node;
        LinkId link;
        double weight;
    };
    /// One entry of a compiled next-hop list: the draw picks the first entry whose cumulative
    /// weight exceeds u x total (the same choice as subtracting weights one by one).
    struct CompiledHop {
        double cumulative;
        NodeId node;
        ChannelId channel;
    };
    /// What a switch's FIB holds for one destination: the DAG's next hops, the DAG's next hops
    /// with every packet dropped (a routing bug's blackhole), or one wrong neighbour.
    enum class ListKind : std::uint8_t { Shortest, Dropped, Wrong };
    /// Longest walk before a packet counts as looping (a TTL; a Clos path has at most 5 switches).
    static constexpr std::size_t kMaxSwitchHops = 64;
    /// What crossing a link in one direction adds to the path properties, packed so one cache
    /// line has it all.
    struct LinkProps {
        double keep;             ///< 1 - drop rate
        double delay_s;          ///< propagation
        double serialisation_s;  ///< one MTU at the link's capacity
    };
    /// A server's attachment, packed: reachable() and sample_path() read it once per flow end.
    struct ServerPort {
        NodeId node;
        NodeId tor;
        std::int32_t tor_index;  ///< in Topology::tors()
        ChannelId up;            ///< server -> ToR
        ChannelId down;          ///< ToR -> server
        LinkProps up_props;
        LinkProps down_props;
        bool usable;
    };
    std::uint16_t distance(NodeId node, std::size_t tor_index) const {
        return distance_[tor_index * switch_count_ +
                         static_cast<std::size_t>(switch_index_[static_cast<std::size_t>(node)])];
    }
    void bfs_from(std::size_t tor_index);
    /// Usable next hops of `node` towards ToR `tor_index`, with their effective weights.
    void next_hops(NodeId node, std::size_t tor_index, std::vector<Hop>& out) const;
    /// The FIB of `node` towards ToR `tor_index` when a route override replaces the DAG's
    /// hops: the kind, and in `out` the hops it forwards to.
    ListKind overridden_hops(const RouteOverride& entry, std::vector<Hop>& out) const;
    void compile_next_hops();
    void find_uniform_switches();
    LinkProps channel_props(ChannelId channel) const;
    std::span<const CompiledHop> compiled(NodeId node, std::size_t tor_index) const;
    bool server_attached(std::int32_t server) const {
        return servers_[static_cast<std::size_t>(server)].usable;
    }

    const NetworkState* state_;
    double mtu_bits_;
    std::size_t switch_count_;
    std::vector<std::int32_t> switch_index_;  ///< NodeId -> dense switch index, -1 for servers
    std::vector<std::int32_t> tor_index_;     ///< NodeId -> index in Topology::tors(), -1 if none
    std::vector<std::uint16_t> distance_;     ///< [tor index][switch index] hop count to that ToR
    /// [source tor][destination tor] connectivity bits: reachable() runs once per flow, and a
    /// 512-ToR matrix is 32 KB where the distance table is 700 KB of cache misses.
    std::vector<std::uint64_t> tor_reach_;
    bool tor_reaches(std::size_t src_tor, std::size_t dst_tor) const {
        const std::size_t bit = src_tor * tor_count_ + dst_tor;
        return (tor_reach_[bit / 64] >> (bit % 64)) & 1U;
    }
    std::size_t tor_count_ = 0;

    // The WCMP DAG compiled once per network state (§3.3, Fig. 5): per (destination ToR,
    // switch) the index of an interned list of usable next hops with cumulative weights.
    // Lists are interned per switch: an aggregation switch has one "up" list shared by every
    // ToR outside its pod, a spine one list per pod, so a 16K-server Clos needs ~5K lists
    // (~16K entries). A switch whose list is the same towards every reachable ToR (a Clos ToR:
    // its uplinks) keeps it in uniform_list_ and takes no table row; the table then holds only
    // aggregation and spine rows and stays cache-resident (the per-hop lookup was a cache miss).
    std::vector<std::int32_t> table_row_;      ///< switch index -> row of next_list_, -1 = uniform
    std::vector<std::uint32_t> uniform_list_;  ///< switch index -> its list when uniform
    std::size_t table_rows_ = 0;
    std::vector<std::uint32_t> next_list_;   ///< [tor index][table row] -> list, kNoList
    std::vector<std::uint32_t> list_begin_;  ///< CSR into hops_, list count + 1
    std::vector<CompiledHop> hops_;
    std::vector<LinkProps> hop_link_;  ///< per entry of hops_: the channel it crosses
    std::vector<ListKind> list_kind_;  ///< per list
    bool has_wrong_hops_ = false;      ///< a walk may leave the DAG: check for loops

    std::vector<double> node_keep_;    ///< 1 - switch drop rate, by NodeId
    std::vector<ServerPort> servers_;  ///< by server index
};

}  // namespace swarm
