// Single-pass approximate max-min fair rates (SWARM §3.4 "An ultra-fast max-min fair
// computation algorithm", Appendix A.2).
//
// The exact waterfilling re-finds the tightest channel after every step because freezing flows
// changes the other channels' shares. Here the order is fixed up front by the initial shares, so
// the work is one sort plus one visit per path occurrence. Freezing a flow at a rate no larger
// than every current share on its path never lowers a share (see max_min_fair.cpp), which is
// what keeps the single pass feasible without a second look at any channel.
#include "estimator/approximate_max_min_fair.h"

#include <algorithm>
#include <cassert>
#include <limits>

namespace swarm {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::int32_t virtual_id(std::int32_t flow) { return -1 - flow; }
std::int32_t flow_of_virtual(std::int32_t id) { return -1 - id; }

}  // namespace

void ApproximateMaxMinFairAllocator::allocate(const MaxMinProblem& problem,
                                              std::span<double> rates) {
    detail::check_shapes(problem, rates);
    frozen_.assign(problem.flow_count(), 0);
    if (problem.flow_count() == 0) {
        return;
    }
    channels_.build(problem, order_);
    order_bottlenecks(problem);
    for (const auto& [initial_share, id] : order_) {
        // Everything from here on is unbounded (+inf share, no cap): handled below.
        if (initial_share == kInf) {
            break;
        }
        if (id < 0) {
            freeze_capped(problem, flow_of_virtual(id), rates);
        } else {
            freeze_channel(problem, id, rates);
        }
    }
    bool unbounded = false;
    for (std::size_t f = 0; f < frozen_.size(); ++f) {
        if (!frozen_[f]) {
            rates[f] = 0.0;
            unbounded = true;
        }
    }
    assert(!unbounded &&
           "PRECONDITION: every flow needs a finite cap or a finite-capacity channel");
    (void)unbounded;
}

// A.2's virtual edges (one per finitely capped flow, share = cap) join the real channels in
// one order; ties put real channels first (non-negative ids), then by id, for determinism.
void ApproximateMaxMinFairAllocator::order_bottlenecks(const MaxMinProblem& problem) {
    const auto flows = static_cast<std::int32_t>(problem.flow_count());
    for (std::int32_t f = 0; f < flows; ++f) {
        assert(problem.cap_bps[f] >= 0.0 && "PRECONDITION: flow cap must be >= 0 and not NaN");
        const double cap = detail::cap_of(problem, f);
        if (cap < kInf) {
            order_.emplace_back(cap, virtual_id(f));
        }
    }
    std::sort(order_.begin(), order_.end(), [](const auto& a, const auto& b) {
        if (a.first != b.first) {
            return a.first < b.first;
        }
        return (a.second >= 0) != (b.second >= 0) ? a.second >= 0 : a.second < b.second;
    });
}

void ApproximateMaxMinFairAllocator::freeze_capped(const MaxMinProblem& problem, std::int32_t flow,
                                                   std::span<double> rates) {
    if (!frozen_[flow]) {
        freeze(problem, flow, kInf, rates);
    }
}

// All unfrozen flows of the channel get its share as it stands now (not one recomputed per
// flow, which would favour the flows visited last).
void ApproximateMaxMinFairAllocator::freeze_channel(const MaxMinProblem& problem, std::int32_t link,
                                                    std::span<double> rates) {
    if (channels_.unfrozen_count[link] == 0) {
        return;
    }
    const double level = channels_.share(link);
    for (const std::int32_t flow : channels_.flows_of(link)) {
        if (!frozen_[flow]) {
            freeze(problem, flow, level, rates);
        }
    }
}

// Clamps to the flow's cap and to every current share on its path: a later channel may already
// be tighter than the one being visited, and exceeding it would overload it.
void ApproximateMaxMinFairAllocator::freeze(const MaxMinProblem& problem, std::int32_t flow,
                                            double level, std::span<double> rates) {
    double rate = std::min(level, detail::cap_of(problem, flow));
    for (const std::int32_t link : detail::path_of(problem, flow)) {
        rate = std::min(rate, channels_.share(link));
    }
    rates[flow] = rate;
    frozen_[flow] = 1;
    channels_.release(problem, flow, rate);
}

}  // namespace swarm
