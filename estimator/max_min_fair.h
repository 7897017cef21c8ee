// Demand-aware max-min fair rates (SWARM §3.3 "Computing bandwidth share", Appendix A.2):
// every flow's loss-limited rate enters as a per-flow cap (the paper's virtual edge), and
// the waterfilling then bounds it by the network's fair share.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <utility>
#include <vector>

namespace swarm {

/// The input of one allocation, in flat arrays (the epoch loop's layout).
/// Flow f crosses channels path_links[path_offsets[f] .. path_offsets[f+1]).
struct MaxMinProblem {
    std::span<const double> capacity_bps;          ///< per channel; >= 0
    std::span<const std::int32_t> path_offsets;    ///< flow_count + 1 entries
    std::span<const std::int32_t> path_links;      ///< channel ids
    std::span<const double> cap_bps;               ///< per flow; +inf for no cap
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

private:
    void order_caps(const MaxMinProblem& problem);
    double bottleneck_share();
    double next_cap(const MaxMinProblem& problem);
    void freeze_capped_up_to(const MaxMinProblem& problem, double level, std::span<double> rates);
    void saturate_bottlenecks(const MaxMinProblem& problem, double level, std::span<double> rates);
    void freeze(const MaxMinProblem& problem, std::int32_t flow, double rate,
                std::span<double> rates);
    void zero_unbounded(std::span<double> rates);
    void pop_share();

    detail::ChannelIncidence channels_;
    // Lazy min-heap of (share when pushed, channel): one entry per channel with unfrozen flows.
    // Shares never decrease, so an old key is a lower bound and is refreshed only when it
    // reaches the top.
    std::vector<std::pair<double, std::int32_t>> share_heap_;
    std::vector<std::int32_t> tied_links_;  ///< bottlenecks of the current level
    // Per-flow state.
    std::vector<std::int32_t> cap_order_;  ///< finitely capped flows by ascending cap
    std::vector<char> frozen_;
    std::size_t cap_cursor_ = 0;
    std::size_t unfrozen_flows_ = 0;
};

}  // namespace swarm
