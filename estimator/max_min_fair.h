// Demand-aware max-min fair rates (SWARM §3.3 "Computing bandwidth share", Appendix A.2):
// every flow's loss-limited rate enters as a per-flow cap (the paper's virtual edge), and
// the waterfilling then bounds it by the network's fair share.
#pragma once

#include <bit>
#include <cstdint>
#include <limits>
#include <span>
#include <utility>
#include <vector>

namespace swarm {

/// The input of one allocation, in flat arrays (the epoch loop's layout).
/// Flow f crosses channels path_links[path_offsets[f] .. path_offsets[f+1]).
struct MaxMinProblem {
    std::span<const double> capacity_bps;        ///< per channel; >= 0
    std::span<const std::int32_t> path_offsets;  ///< flow_count + 1 entries
    std::span<const std::int32_t> path_links;    ///< channel ids
    std::span<const double> cap_bps;             ///< per flow; +inf for no cap
    std::size_t flow_count() const { return path_offsets.empty() ? 0 : path_offsets.size() - 1; }
};

namespace detail {

/// Throws std::invalid_argument unless the shapes of `problem` and `rates` agree.
void check_shapes(const MaxMinProblem& problem, std::span<const double> rates);

// Release builds map precondition violations (NaN, negative) to 0: a bad value then removes
// only its own flow or channel from the allocation instead of poisoning every level with NaN.
inline double non_negative_or_zero(double value) { return value >= 0.0 ? value : 0.0; }

inline double cap_of(const MaxMinProblem& problem, std::int32_t flow) {
    return non_negative_or_zero(problem.cap_bps[flow]);
}

inline std::span<const std::int32_t> path_of(const MaxMinProblem& problem, std::int32_t flow) {
    const auto begin = static_cast<std::size_t>(problem.path_offsets[flow]);
    const auto end = static_cast<std::size_t>(problem.path_offsets[flow + 1]);
    return problem.path_links.subspan(begin, end - begin);
}

/// Per-channel state of a waterfilling, shared by the exact and the approximate allocators.
/// Indexed by channel id; only channels some path uses are touched beyond the reset.
struct ChannelIncidence {
    std::vector<double> remaining;             ///< capacity minus the rates of frozen flows
    std::vector<std::int32_t> unfrozen_count;  ///< path occurrences of unfrozen flows
    std::vector<std::int32_t> link_offsets;    ///< CSR: channel -> flows (one entry/occurrence)
    std::vector<std::int32_t> link_flows;
    std::vector<std::int32_t> cursor;

    /// Rebuilds the state for `problem` (throws std::invalid_argument on a channel id out of
    /// range) and sets `used` to (initial share, channel) for every channel some path crosses.
    void build(const MaxMinProblem& problem, std::vector<std::pair<double, std::int32_t>>& used);
    /// Takes `rate` off every channel on the path of a flow that just froze.
    void release(const MaxMinProblem& problem, std::int32_t flow, double rate);
    double share(std::int32_t link) const {
        return remaining[link] / static_cast<double>(unfrozen_count[link]);
    }
    std::span<const std::int32_t> flows_of(std::int32_t link) const {
        return std::span<const std::int32_t>(link_flows)
            .subspan(static_cast<std::size_t>(link_offsets[link]),
                     static_cast<std::size_t>(link_offsets[link + 1] - link_offsets[link]));
    }
};

/// Monotone min-priority queue of (share, channel) for the exact allocator: a radix heap over
/// the bit patterns of non-negative doubles (ordered like the values). Valid because the
/// progressive filling never pushes a key below the last minimum (shares never decrease), and
/// cheaper than a binary heap here: a push is O(1) and an entry moves down at most 64 buckets
/// over its life, instead of O(log C) sifts per pop.
class MonotoneShareQueue {
   public:
    struct Entry {
        double key;
        std::int32_t link;
    };
    /// Empties the queue; every future key must be >= floor (>= 0, not NaN).
    void clear(double floor = 0.0);
    /// PRECONDITION: key >= the key last returned by top() (or >= floor after clear), not NaN.
    void push(double key, std::int32_t link);
    bool empty() const { return size_ == 0; }
    /// A minimal entry (among equal keys, an unspecified but deterministic one).
    /// PRECONDITION: !empty().
    const Entry& top();
    /// Removes the entry top() returned. PRECONDITION: top() was called since the last change.
    void pop();

   private:
    static constexpr int kBuckets = 65;
    int bucket_of(std::uint64_t bits) const;
    std::uint64_t last_ = 0;  ///< bits of the current minimum; bucket 0 holds keys equal to it
    std::size_t size_ = 0;
    std::vector<Entry> buckets_[kBuckets];
};

}  // namespace detail

/// Exact progressive filling. Keeps its scratch buffers between calls so that the epoch loop
/// does not allocate once they have grown to the largest problem seen.
///
/// Input contract (see max_min_fair.cpp for the reasoning):
///  * Shapes (cap_bps and rates sized flow_count(), path_offsets non-decreasing and inside
///    path_links, channel ids inside capacity_bps) are checked in every build: a violation
///    throws std::invalid_argument before anything is written.
///  * PRECONDITION (asserted in debug builds; release builds substitute 0 and carry on):
///    capacities and caps are >= 0 and not NaN, and every flow is bounded, i.e. it has a
///    finite cap or crosses at least one finite-capacity channel. An unbounded flow (e.g. an
///    empty path with no cap) gets rate 0 in release builds.
///  * +inf capacity is allowed (a channel that never binds); +inf cap means "no cap".
///  * A channel id repeated in one path counts once per occurrence: the flow consumes its rate
///    on that channel once for each time its path crosses it.
/// One allocator per thread: allocate() mutates the scratch buffers.
class MaxMinFairAllocator {
   public:
    /// Writes each flow's rate to `rates` (size flow_count()).
    /// POSTCONDITION: no channel over capacity (up to rounding), no flow over its cap, and every
    /// flow is either at its cap or crosses a saturated channel on which no flow gets more.
    void allocate(const MaxMinProblem& problem, std::span<double> rates);

    /// What the last successful allocate() put on one channel: the sum of the rates of the
    /// flows crossing it (once per occurrence), its capacity and its number of path
    /// occurrences. All zero for a channel no path crossed. Valid until the next allocate().
    /// The epoch loop reads it for short-flow queueing (§3.3) instead of re-summing the paths.
    struct ChannelLoad {
        double rate_bps = 0.0;
        double capacity_bps = 0.0;
        std::int32_t flows = 0;
    };
    ChannelLoad channel_load(std::int32_t channel) const {
        const auto c = static_cast<std::size_t>(channel);
        if (c >= local_of_.size() || local_of_[c] < 0) return {};
        const LocalChannel& local = channels_[static_cast<std::size_t>(local_of_[c])];
        return {local.load, local.capacity, local.occurrences};
    }

   private:
    /// Per-channel state, packed: freeze() and the queue touch all of it together.
    struct LocalChannel {
        double remaining;          ///< capacity minus the rates of frozen flows
        double load;               ///< sum of the rates of frozen flows (unclamped)
        double capacity;           ///< sanitised capacity
        std::int32_t unfrozen;     ///< path occurrences of unfrozen flows
        std::int32_t occurrences;  ///< path occurrences of all flows
    };
    void map_channels(const MaxMinProblem& problem);
    void reset_channel_map();
    void build_incidence(const MaxMinProblem& problem);
    double share(std::int32_t local) const {
        const LocalChannel& c = channels_[static_cast<std::size_t>(local)];
        return c.remaining / static_cast<double>(c.unfrozen);
    }
    std::span<const std::int32_t> local_path(const MaxMinProblem& problem, std::int32_t flow) const;
    double bottleneck_share();
    double next_cap();
    void freeze_capped_up_to(const MaxMinProblem& problem, double level, std::span<double> rates);
    void saturate_bottlenecks(const MaxMinProblem& problem, double level, std::span<double> rates);
    void freeze(const MaxMinProblem& problem, std::int32_t flow, double rate,
                std::span<double> rates);
    void zero_unbounded(std::span<double> rates);

    // Channels are renumbered densely in order of first use ("local" ids), so every per-channel
    // array is as long as the channels this problem uses, not the whole network: at 16K
    // servers an epoch touches a fraction of the 90K channels, and clearing whole-network
    // arrays every epoch cost as much as the allocation itself.
    std::vector<std::int32_t> local_of_;     ///< global channel -> local id, -1 if unused
    std::vector<std::int32_t> global_of_;    ///< local id -> global channel
    std::vector<LocalChannel> channels_;     ///< by local id
    std::vector<std::int32_t> local_links_;  ///< path_links in local ids, from path_offsets[0]
    // CSR channel -> flows, for shared channels only (one entry per path occurrence).
    std::vector<std::int32_t> link_offsets_;
    std::vector<std::int32_t> link_flows_;
    std::vector<std::int32_t> cursor_;
    // Lazy min-queue of (share when pushed, local channel): one entry per shared channel with
    // unfrozen flows. Shares never decrease, so an old key is a lower bound and is refreshed
    // only when it reaches the top.
    detail::MonotoneShareQueue share_queue_;
    std::vector<std::int32_t> tied_links_;  ///< bottlenecks of the current level
    // Per-flow state: (effective cap, flow) for finitely capped flows, ascending.
    std::vector<std::pair<double, std::int32_t>> cap_order_;
    std::vector<char> frozen_;
    std::size_t cap_cursor_ = 0;
    std::size_t unfrozen_flows_ = 0;
};

}  // namespace swarm
