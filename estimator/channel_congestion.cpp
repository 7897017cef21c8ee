#include "estimator/channel_congestion.h"

#include <algorithm>

namespace swarm {

void ChannelCongestion::reset(const NetworkState& state, const TransportTables& tables) {
    tables_ = &tables;
    congestion_ = tables.congestion ? &*tables.congestion : nullptr;
    median_queues_ = congestion_ || tables.long_flow_window;
    mtu_bits_ = tables.mtu_bytes * 8.0;
    const Topology& topology = state.topology();
    const std::size_t links = topology.link_count();
    buffer_packets_.resize(2 * links);
    for (std::size_t l = 0; l < links; ++l) {
        const Link& link = topology.link(static_cast<LinkId>(l));
        buffer_packets_[2 * l] = topology.buffer_packets(link.a);
        buffer_packets_[2 * l + 1] = topology.buffer_packets(link.b);
    }
    channels_.resize(2 * links);
    stamp_.assign(2 * links, 0);
    now_ = 1;
}

ChannelCongestion::Channel ChannelCongestion::evaluate(const MaxMinFairAllocator::ChannelLoad& load,
                                                       double buffer_packets) const {
    Channel c;
    if (load.flows == 0 || !(load.capacity_bps > 0.0)) return c;
    c.flows = load.flows;
    c.buffer_packets = buffer_packets;
    c.packet_s = mtu_bits_ / load.capacity_bps;
    c.saturated = load.rate_bps >= kSaturated * load.capacity_bps;
    c.utilization = std::min(1.0, load.rate_bps / load.capacity_bps);
    // The loss and the median wait feed only the long flows' congestion (enabled()) and window
    // limits (long_flow_window.h); a short flow draws its own wait (sample_queue_s). Skipping
    // them keeps sets with neither at their old cost per epoch.
    if (!median_queues_) return c;
    c.queue_s = wait_packets(c, *tables_, 0.5) * c.packet_s;
    if (!congestion_) return c;
    c.drop_rate = congestion_->drop_rate(c.saturated ? 1.0 : c.utilization, buffer_packets,
                                         static_cast<double>(c.flows));
    return c;
}

void ChannelCongestion::update(std::span<const std::int32_t> path_links,
                               const MaxMinFairAllocator& allocator) {
    ++now_;
    for (const std::int32_t c : path_links) {
        const auto i = static_cast<std::size_t>(c);
        if (stamp_[i] == now_) continue;
        stamp_[i] = now_;
        channels_[i] = evaluate(allocator.channel_load(c), buffer_packets_[i]);
    }
}

void ChannelCongestion::add(PathCongestion& path, double& delivered, ChannelId c) const {
    const Channel& state = channel(c);
    delivered *= 1.0 - state.drop_rate;
    path.queue_s += state.queue_s;
    if (state.flows > 1)
        path.others_queue_s += state.queue_s * (1.0 - 1.0 / static_cast<double>(state.flows));
    if (state.saturated && state.flows > path.bottleneck_flows) {
        path.bottleneck = c;
        path.bottleneck_flows = state.flows;
    }
}

PathCongestion ChannelCongestion::along(std::span<const ChannelId> channels) const {
    PathCongestion path;
    double delivered = 1.0;
    for (const ChannelId c : channels) add(path, delivered, c);
    path.drop_rate = 1.0 - delivered;
    return path;
}

PathCongestion ChannelCongestion::along_reverse(std::span<const ChannelId> channels) const {
    PathCongestion path;
    double delivered = 1.0;
    for (const ChannelId c : channels) add(path, delivered, c ^ 1);
    path.drop_rate = 1.0 - delivered;
    return path;
}

double ChannelCongestion::wait_packets(const Channel& state, const TransportTables& tables,
                                       double u) {
    const auto n = static_cast<double>(state.flows);
    if (state.saturated && tables.congestion)
        return tables.congestion->queue_packets(1.0, state.buffer_packets, n, u);
    return tables.queueing.sample_packets(state.utilization, n, u);
}

double ChannelCongestion::sample_queue_s(ChannelId c, const TransportTables& tables,
                                         double u) const {
    const Channel& state = channel(c);
    if (state.flows == 0) return 0.0;  // an idle link adds no queueing
    return wait_packets(state, tables, u) * state.packet_s;
}

double ChannelCongestion::share(ChannelId c, double u) const {
    const Channel& state = channel(c);
    return congestion_->share(1.0, state.buffer_packets, static_cast<double>(state.flows), u);
}

}  // namespace swarm
