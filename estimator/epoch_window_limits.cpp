// The window limit on long flows (issue 13; docs/model.md "Long flows: finite size"): one
// member of EpochSimulator, kept apart from the epoch loop it plugs into (allocate_rates).

#include <algorithm>
#include <limits>
#include <span>

#include "estimator/epoch_simulator.h"
#include "estimator/long_flow_window.h"

namespace swarm {

namespace {
constexpr double kUnbounded = std::numeric_limits<double>::infinity();
}  // namespace

// SWARM Appendix A.2: "the same method" as the drop-limited virtual edge models "congestion
// control rate limits in the first few epochs of each flow". A default-routed flow whose table
// set has a window curve gets a second virtual edge for this epoch: the average rate its window
// allows from max(arrival, t0) to t1 (or until it would finish, if sooner) at its round-trip
// time including queueing. Its handshake's round trip is charged at the same RTT (queue_s_).
//
// The queue it waits behind on channel c: the channel's median queue q_c (the tables, at this
// epoch's offered load), bounded by what the windows crossing c can hold beyond the channel's
// bandwidth-delay product, W_c / C_c − min base RTT (a window-limited sender cannot keep more
// in flight; flows without a window curve count as unbounded), of which the flow's own packets
// are its window's fraction w_f / W_c (a FIFO at saturation holds each flow's packets in
// proportion to its rate, i.e. its window). A flow alone at its NIC waits behind nothing; a
// small flow joining bulk flows waits behind nearly the whole queue.
// Returns whether a window holds some flow below its offered rate (the epoch then needs the
// second waterfilling, and the next epoch a new allocation: window_bound_).
bool EpochSimulator::apply_window_limits(double t0, double t1) {
    window_bound_ = false;
    const std::size_t flows = rate_bps_.size();
    const auto has_window = [this](std::size_t f) {
        return tables_[f]->long_flow_window && plan_slot_[f] < 0;
    };
    std::size_t first = 0;
    while (first < flows && !has_window(first)) ++first;
    if (first == flows) return false;  // sets without a window curve: nothing to do
    flow_window_.assign(flows, kUnbounded);
    for (std::size_t f = first; f < flows; ++f) {
        if (!has_window(f)) continue;
        const double delivered = size_bytes_[f] - remaining_bits_[f] / 8.0;
        flow_window_[f] = 8.0 * tables_[f]->long_flow_window->window_bytes(
                                    delivered, size_bytes_[f], base_rtt_s_[f]);
    }
    const std::size_t channels = channel_capacity_bps_.size();
    channel_window_.resize(channels);
    channel_rtt_.resize(channels);
    for (const std::int32_t c : path_links_) {
        channel_window_[static_cast<std::size_t>(c)] = 0.0;
        channel_rtt_[static_cast<std::size_t>(c)] = kUnbounded;
    }
    for (std::size_t f = 0; f < flows; ++f) {
        for (auto i = path_offsets_[f]; i < path_offsets_[f + 1]; ++i) {
            const auto c = static_cast<std::size_t>(path_links_[static_cast<std::size_t>(i)]);
            channel_window_[c] += flow_window_[f];
            channel_rtt_[c] = std::min(channel_rtt_[c], base_rtt_s_[f]);
        }
    }
    for (std::size_t f = 0; f < flows; ++f) {
        if (flow_window_[f] == kUnbounded) continue;
        const LongFlowWindow& window = *tables_[f]->long_flow_window;
        double queue = 0.0;
        for (auto i = path_offsets_[f]; i < path_offsets_[f + 1]; ++i) {
            const ChannelId c = path_links_[static_cast<std::size_t>(i)];
            const auto k = static_cast<std::size_t>(c);
            const double windows = channel_window_[k];
            const double held = windows / channel_capacity_bps_[k] - channel_rtt_[k];
            const double q = std::min(congestion_.channel(c).queue_s, std::max(0.0, held));
            queue += windows > 0.0 ? q * (1.0 - flow_window_[f] / windows) : 0.0;
        }
        queue_s_[f] = queue;
        const double delivered = size_bytes_[f] - remaining_bits_[f] / 8.0;
        const double horizon = t1 - std::max(arrival_s_[f], t0);
        const double cap =
            window.cap_bps(delivered, size_bytes_[f], base_rtt_s_[f] + queue, horizon);
        // Without congestion tables cap_bps_ is the fault-only cap; with them apply_congestion
        // has just recomputed it from that cap.
        const double other = congestion_.enabled() ? cap_bps_[f] : fault_cap_bps_[f];
        cap_bps_[f] = std::min(other, cap);
        window_bound_ = window_bound_ || cap < rate_bps_[f];
    }
    return window_bound_;
}

}  // namespace swarm
