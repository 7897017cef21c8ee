// The physical data-center graph: switches, servers and the full-duplex links between them.
// Built once per incident (helpers build it from JSON or the Clos shorthand); candidates never
// change it, they change a NetworkState laid over it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "swarm/units.h"

namespace swarm {

using NodeId = std::int32_t;
using LinkId = std::int32_t;
/// A direction of a link: channel 2*l goes a->b, channel 2*l+1 goes b->a.
using ChannelId = std::int32_t;

enum class NodeKind { Switch, Server };

struct Node {
    std::string name;
    NodeKind kind = NodeKind::Switch;
    int tier = 0;     ///< 0 = ToR, 1 = aggregation, 2 = spine, ...; -1 for servers
    int pod = -1;     ///< pod index where known (locality patterns need it), else -1
    NodeId tor = -1;  ///< for a server, the ToR it hangs off; for a ToR, itself
};

struct Link {
    NodeId a = -1;
    NodeId b = -1;
    BitsPerSec capacity;
    Seconds delay;
};

/// Immutable topology with name lookup and compressed adjacency.
class Topology {
   public:
    /// Adds a switch; returns its id. PRECONDITION: the name is unique.
    NodeId add_switch(std::string name, int tier, int pod = -1);
    /// Adds `count` servers below `tor`, named "<tor>-h<i>", each on its own link.
    void add_servers(NodeId tor, int count, BitsPerSec capacity, Seconds delay);
    /// Adds a link; returns its id. PRECONDITION: both ends exist and differ. A second link
    /// between the same two nodes is a parallel link (a LAG member): its own failure target,
    /// and routing spreads traffic over the members like over any other equal-cost next hops.
    LinkId add_link(NodeId a, NodeId b, BitsPerSec capacity, Seconds delay);

    std::optional<NodeId> find_node(std::string_view name) const;
    /// The link between two nodes, in either order; with parallel links, the first added.
    std::optional<LinkId> find_link(NodeId a, NodeId b) const;
    /// Every link between two nodes (parallel links in the order added); empty if none.
    std::vector<LinkId> links_between(NodeId a, NodeId b) const;

    const std::vector<Node>& nodes() const { return nodes_; }
    const std::vector<Link>& links() const { return links_; }
    const Node& node(NodeId n) const { return nodes_[static_cast<std::size_t>(n)]; }
    const Link& link(LinkId l) const { return links_[static_cast<std::size_t>(l)]; }
    std::size_t node_count() const { return nodes_.size(); }
    std::size_t link_count() const { return links_.size(); }
    std::size_t channel_count() const { return 2 * links_.size(); }

    const std::vector<NodeId>& servers() const { return servers_; }
    const std::vector<NodeId>& tors() const { return tors_; }
    /// Index of a server within servers() (servers are numbered densely), -1 for switches.
    std::int32_t server_index(NodeId n) const { return server_index_[static_cast<std::size_t>(n)]; }
    /// Servers below a ToR, as indices into servers().
    const std::vector<std::int32_t>& servers_of_tor(NodeId tor) const;
    /// The link from a server to its ToR.
    LinkId server_link(std::int32_t server_index) const {
        return server_links_[static_cast<std::size_t>(server_index)];
    }

    /// Neighbours of a node as (neighbour, link) pairs.
    struct Adjacent {
        NodeId node;
        LinkId link;
    };
    const std::vector<Adjacent>& adjacent(NodeId n) const {
        return adjacency_[static_cast<std::size_t>(n)];
    }

    /// Channel carrying traffic over `link` from `from` to the other end.
    ChannelId channel(LinkId link, NodeId from) const {
        return 2 * link + (links_[static_cast<std::size_t>(link)].a == from ? 0 : 1);
    }
    /// "a-b" with the endpoint names, for messages.
    std::string link_name(LinkId l) const;

    /// Egress buffer per port of a node, in packets (issue 13; docs/incident-format.md
    /// "buffer"): its own when set, else the topology's default. A channel's buffer is that of
    /// the node transmitting on it (a server's NIC queue included).
    double buffer_packets(NodeId n) const {
        const auto i = static_cast<std::size_t>(n);
        return i < buffer_packets_.size() && buffer_packets_[i] > 0.0 ? buffer_packets_[i]
                                                                      : default_buffer_packets_;
    }
    double default_buffer_packets() const { return default_buffer_packets_; }
    /// PRECONDITION: packets > 0.
    void set_default_buffer_packets(double packets) { default_buffer_packets_ = packets; }
    /// PRECONDITION: the node exists, packets > 0.
    void set_buffer_packets(NodeId n, double packets);
    /// The default: 1000 packets (1.5 MB at a 1500-byte MTU), the share one congested port
    /// takes of a shared-buffer data-centre switch (docs/incident-format.md gives the source).
    static constexpr double kDefaultBufferPackets = 1000.0;

   private:
    static std::uint64_t pair_key(NodeId a, NodeId b);

    std::vector<Node> nodes_;
    std::vector<Link> links_;
    std::vector<std::vector<Adjacent>> adjacency_;
    std::unordered_map<std::string, NodeId> by_name_;
    std::unordered_map<std::uint64_t, LinkId> by_pair_;
    std::vector<NodeId> servers_;
    std::vector<NodeId> tors_;
    std::vector<std::int32_t> server_index_;
    std::vector<LinkId> server_links_;
    std::unordered_map<NodeId, std::vector<std::int32_t>> servers_of_tor_;
    std::vector<double> buffer_packets_;  ///< per node; 0: the default
    double default_buffer_packets_ = kDefaultBufferPackets;
};

}  // namespace swarm
