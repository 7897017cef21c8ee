// Single-pass approximate max-min fair rates: the "ultra-fast" allocator SWARM §3.4 trades
// exactness for (cites about 30x over k-waterfilling, Appendix A.2, Fig. 11).
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "estimator/max_min_fair.h"

namespace swarm {

/// Visits the channels once, in ascending order of their *initial* fair share capacity / flows,
/// with every finite cap as a one-flow virtual channel (A.2), and freezes each flow at the first
/// of them it meets. The flows of a channel get the channel's share at that moment, clamped to
/// every other share on their path, so the result is always feasible; it is exact whenever the
/// bottlenecks saturate in initial-share order (e.g. one link, or a line of equal links), and
/// otherwise under-allocates flows whose bottleneck only tightened after the sort.
///
/// Same input contract as MaxMinFairAllocator (shapes throw, value preconditions assert in
/// debug and give 0 in release, repeated channel ids count per occurrence).
/// POSTCONDITION: no channel over capacity (up to rounding) and no flow over its cap.
class ApproximateMaxMinFairAllocator {
   public:
    void allocate(const MaxMinProblem& problem, std::span<double> rates);

   private:
    void order_bottlenecks(const MaxMinProblem& problem);
    void freeze_capped(const MaxMinProblem& problem, std::int32_t flow, std::span<double> rates);
    void freeze_channel(const MaxMinProblem& problem, std::int32_t link, std::span<double> rates);
    void freeze(const MaxMinProblem& problem, std::int32_t flow, double level,
                std::span<double> rates);

    detail::ChannelIncidence channels_;
    /// (initial share, id): id >= 0 is a channel, id < 0 the cap of flow -1 - id.
    std::vector<std::pair<double, std::int32_t>> order_;
    std::vector<char> frozen_;
};

}  // namespace swarm
