// Congestion on every channel (link direction) in one epoch (issue 13; docs/model.md
// "Congestion"): a queueing delay and a drop-tail loss rate from the channel's utilisation,
// the number of long flows it carries, its buffer (the transmitting node's) and the congestion
// control (the table set), looked up in the measured congestion tables. Combined along a path
// they are what the long flows' caps, the short flows' FCT and the spread of rates at a shared
// bottleneck read.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "estimator/congestion_tables.h"
#include "estimator/max_min_fair.h"
#include "estimator/network_state.h"

namespace swarm {

/// What congestion adds along a path: the combined loss 1 - prod(1 - p_c), the sum of the
/// channels' median waits (and of the other flows' part of them), and the saturated channel with the most long flows (-1: none).
/// The path's total drop rate is 1 - (1 - p_fault)(1 - drop_rate); its RTT base + queue_s.
struct PathCongestion {
    double drop_rate = 0.0;
    double queue_s = 0.0;
    /// The part of queue_s made of the other flows' packets: Σ q_c (n_c − 1) / n_c (a FIFO
    /// shared by n_c flows at equal rates holds 1/n_c of the flow's own packets, which the
    /// fluid share already counts as transmission time).
    double others_queue_s = 0.0;
    ChannelId bottleneck = -1;
    std::int32_t bottleneck_flows = 0;
};

/// 1 - (1 - a)(1 - b): two independent drop probabilities in series.
inline double combine_drop(double a, double b) { return 1.0 - (1.0 - a) * (1.0 - b); }

class ChannelCongestion {
   public:
    /// A channel at or above this fraction of its capacity is saturated (a max-min bottleneck).
    static constexpr double kSaturated = 1.0 - 1e-6;

    struct Channel {
        double drop_rate = 0.0;
        double queue_s = 0.0;      ///< median wait (with congestion tables or a window curve only)
        double utilization = 0.0;  ///< offered load / capacity, at most 1
        double packet_s = 0.0;     ///< one MTU's transmission time
        double buffer_packets = 0.0;
        std::int32_t flows = 0;  ///< long-flow path occurrences
        bool saturated = false;
    };

    /// Per-channel buffers from `state`'s topology (a channel's buffer is its transmitting
    /// node's) and the tables of the congestion control. Without congestion tables
    /// (`tables.congestion` null) channels still get their load and queueing-table wait but no
    /// loss, and enabled() is false: the epoch loop then leaves the long flows' caps alone.
    void reset(const NetworkState& state, const TransportTables& tables);
    bool enabled() const { return congestion_ != nullptr; }

    /// Recomputes every channel some path crosses from the allocator's last allocation.
    /// Channels no path crosses read as idle until the next update. No allocation once warm.
    void update(std::span<const std::int32_t> path_links, const MaxMinFairAllocator& allocator);
    const Channel& channel(ChannelId c) const {
        const auto i = static_cast<std::size_t>(c);
        return stamp_[i] == now_ ? channels_[i] : idle_;
    }
    PathCongestion along(std::span<const ChannelId> channels) const;
    /// The same for the reverse direction of a path (its ACKs, a SYN-ACK): each channel's
    /// partner c ^ 1.
    PathCongestion along_reverse(std::span<const ChannelId> channels) const;
    /// A short flow's wait on channel `c` at quantile u under the flow's table set: its
    /// congestion table (at the channel's buffer) when saturated, its queueing table at the
    /// channel's utilisation otherwise (§3.3); 0 on an idle channel.
    double sample_queue_s(ChannelId c, const TransportTables& tables, double u) const;
    /// A competitor's rate / the fair share at saturated channel `c`, quantile u.
    double share(ChannelId c, double u) const;

   private:
    void add(PathCongestion& path, double& delivered, ChannelId c) const;
    static double wait_packets(const Channel& state, const TransportTables& tables, double u);
    Channel evaluate(const MaxMinFairAllocator::ChannelLoad& load, double buffer_packets) const;

    const TransportTables* tables_ = nullptr;
    const CongestionTables* congestion_ = nullptr;
    bool median_queues_ = false;  ///< compute queue_s: congestion tables or a window curve
    double mtu_bits_ = 0.0;
    std::vector<double> buffer_packets_;  ///< per channel
    std::vector<Channel> channels_;
    std::vector<std::uint64_t> stamp_;  ///< channels_[c] is current when stamp_[c] == now_
    std::uint64_t now_ = 1;
    Channel idle_;
};

}  // namespace swarm
