// The condition of the network for one candidate: which links and switches carry traffic, at
// what capacity and drop rate, the WCMP weights, and where VM moves send demand. Failures,
// ongoing mitigations and a candidate's actions are all edits of one NetworkState laid over
// the immutable Topology (SWARM §3.3 "Network state representation"; docs/design.md extension
// points 1 and 2).
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "swarm/incident.h"
#include "swarm/topology.h"

namespace swarm {

/// A demand edit: endpoints in `from_servers` move, with probability `fraction`, to a server
/// drawn uniformly from `to_servers` (VM migration, or a drain when fraction is 1).
struct DemandMove {
    std::vector<std::int32_t> from_servers;  ///< indices into Topology::servers()
    std::vector<std::int32_t> to_servers;
    double fraction = 1.0;
};

/// A FIB entry that differs from shortest-path routing (a routing-software bug, Keller thesis
/// ch. 2): at `node`, traffic towards the ToR `destination` is dropped (`next_hop` < 0) or sent
/// to the neighbour `next_hop`. `owner` names the failure that put it there (its index in the
/// incident's failures), so that one bug's episode can end while another's goes on.
struct RouteOverride {
    NodeId node = -1;
    NodeId destination = -1;
    NodeId next_hop = -1;
    int owner = 0;
};

/// How a switch's control plane keeps routing bugs out of its FIB (a bug-tolerant router,
/// Keller thesis §2.3): from `from_s` on, an episode [s, e) of a bug puts its wrong routes in
/// the FIB only for min(e - s', exposed_s + fault_rate (e - s')) from s' = max(s, from_s)
/// (estimator/routing_bug.h).
struct BugMask {
    double from_s = 0.0;
    double exposed_s = 0.0;
    double fault_rate = 0.0;
};

class NetworkState {
   public:
    /// Every link and switch up, no loss, nominal capacities, ECMP.
    explicit NetworkState(const Topology& topology);

    void apply(const Failure& failure);
    void apply(const Action& action);
    void apply_wcmp(const SetWcmp& wcmp);

    // Direct edits for mitigation models (models/): set, not compose, so a model states the
    // condition it leaves behind (a link it repairs, the loss a migration removes).
    /// Both directions: also clears a one-direction LinkLoss of the link.
    void set_link_drop_rate(LinkId l, double drop_rate);
    void set_node_drop_rate(NodeId n, double drop_rate);
    void set_link_capacity_bps(LinkId l, double capacity_bps);
    void set_link_blackholed(LinkId l, bool blackholed);
    void set_node_blackholed(NodeId n, bool blackholed);
    /// A drop in one direction of a link only, on top of the link's own: a fault of the port a
    /// channel enters (VROOM: a switch's loss stays on the links that still reach its old
    /// hardware). Routing still uses the channel at 1.
    void set_channel_drop_rate(ChannelId c, double drop_rate);
    /// Per-destination FIB edits (routing bugs): routing keeps using the switch, and a path
    /// through it towards the destination is dropped, loops or detours (estimator/routing.h).
    void add_route_override(const RouteOverride& entry);
    void remove_route_overrides(int owner);
    /// Replaces the switch's bug mask (one per switch: the control plane it runs).
    void set_bug_mask(NodeId n, const BugMask& mask);

    const Topology& topology() const { return *topology_; }

    /// A link carries traffic when neither failed nor disabled and its drop rate is below 1
    /// (the paper's convention: 100% drop = down).
    bool link_usable(LinkId l) const;
    bool node_usable(NodeId n) const;
    double link_capacity_bps(LinkId l) const { return link_capacity_bps_[idx(l)]; }
    /// What a packet crossing the link or switch is dropped with: 1 for a silent blackhole,
    /// which routing still uses (failures LinkBlackhole/NodeBlackhole).
    double link_drop_rate(LinkId l) const {
        return link_blackholed_[idx(l)] ? 1.0 : link_drop_rate_[idx(l)];
    }
    double node_drop_rate(NodeId n) const {
        return node_blackholed_[idx(n)] ? 1.0 : node_drop_rate_[idx(n)];
    }
    /// What a packet crossing the link in direction `c` is dropped with: the link's drop and
    /// the channel's own (set_channel_drop_rate) combined.
    double channel_drop_rate(ChannelId c) const {
        const double link = link_drop_rate(c / 2);
        return 1.0 - (1.0 - link) * (1.0 - channel_drop_rate_[idx(c)]) *
                         (1.0 - one_way_drop_rate_[idx(c)]);
    }
    /// The failures' drop on the link's lossier direction: link_drop_rate, or a one-direction
    /// LinkLoss where that is higher (what fault-handling rules such as CorrOpt's look at).
    double worst_drop_rate(LinkId l) const {
        return std::max({link_drop_rate(l), one_way_drop_rate_[idx(2 * l)],
                         one_way_drop_rate_[idx(2 * l + 1)]});
    }
    bool link_blackholed(LinkId l) const { return link_blackholed_[idx(l)] != 0; }
    bool node_blackholed(NodeId n) const { return node_blackholed_[idx(n)] != 0; }
    const std::vector<RouteOverride>& route_overrides() const { return route_overrides_; }
    /// The switch's bug mask, or nullptr when its control plane writes every route it computes.
    const BugMask* bug_mask(NodeId n) const;
    /// WCMP weight of the hop from `node` to its adjacency entry `slot` (default 1).
    double weight(NodeId node, std::size_t slot) const { return weights_[idx(node)][slot]; }

    /// Demand edits in the order they were applied. Drains are resolved against the final
    /// state by finalize_demand_moves(), so a later action cannot leave a stale target.
    const std::vector<DemandMove>& demand_moves() const { return demand_moves_; }
    /// Resolves drains of ToRs into DemandMoves towards servers on usable ToRs. Call once, after
    /// all edits. Returns why not (docs/design.md, "Cannot be used") if a drain leaves nowhere
    /// to move to.
    std::optional<std::string> finalize_demand_moves();

    /// Servers whose every flow moves away (drained, or moved with fraction 1): they hold no
    /// demand of their own, so the partition check ignores them.
    std::vector<char> servers_without_demand() const;

   private:
    static std::size_t idx(std::int32_t i) { return static_cast<std::size_t>(i); }
    void move_traffic(const MoveTraffic& move);
    std::vector<std::int32_t> servers_below(NodeId node) const;

    const Topology* topology_;
    std::vector<double> link_capacity_bps_;
    std::vector<double> link_drop_rate_;
    std::vector<char> link_failed_;
    std::vector<char> link_disabled_;
    std::vector<char> link_blackholed_;
    std::vector<double> channel_drop_rate_;  ///< by ChannelId, besides the link's drop
    /// By ChannelId: one-direction LinkLoss failures. Routing is per link, so even a one-way
    /// drop of 1 leaves the link in use (a one-way blackhole).
    std::vector<double> one_way_drop_rate_;
    std::vector<double> node_drop_rate_;
    std::vector<char> node_failed_;
    std::vector<char> node_disabled_;
    std::vector<char> node_blackholed_;
    std::vector<std::vector<double>> weights_;
    std::vector<DemandMove> demand_moves_;
    std::vector<char> drained_tor_;
    std::vector<RouteOverride> route_overrides_;
    std::vector<std::pair<NodeId, BugMask>> bug_masks_;
};

}  // namespace swarm
