// Exact demand-aware max-min fair rates by progressive filling (SWARM §3.3 "Computing
// bandwidth share", Appendix A.2).
//
// A.2 models each flow's loss-limited rate as a virtual edge carrying only that flow. A
// virtual edge with one flow saturates exactly when the common water level reaches its
// capacity, so instead of materialising those edges we keep the caps in one sorted list and
// compare the smallest unfrozen cap with the tightest real channel at every step.
//
// Every unfrozen flow sits at the same water level, so channel c saturates at level
// remaining(c) / unfrozen(c), with remaining(c) = capacity minus the rates of c's frozen flows.
// Freezing a flow at a rate <= that level never lowers any channel's level, which gives:
//   * all flows whose cap is <= the current bottleneck level can be frozen in one batch;
//   * each step freezes at least one flow, so the loop ends after at most flow_count steps,
//     whatever the input (NaN included: it is sanitised to 0 before it can reach a level).
// Because shares never decrease, the tightest channel comes from a lazy monotone min-queue
// (a radix heap) whose keys may be out of date: a key is a lower bound, refreshed only when it
// reaches the top. Cost:
// O(P + (C + R) B + K log K) for P = sum of path lengths, C = shared channels, R = refreshes
// (at most one per channel per step, far fewer in practice), B <= 64 bucket moves per queue
// entry (a few in practice) and K = capped flows. A plain scan of all live channels per step is
// O(#steps * C) and measured 3-5x slower on the Clos bench; a binary heap made the pops alone
// ~40% of a 4K-server scaling run (docs/performance.md).
//
// A channel that only one flow crosses (once) is a virtual edge in all but name: it saturates
// exactly when that flow's level reaches its capacity. Such "private" channels (most server
// NICs, and many fabric channels at low load) are folded into the flow's cap instead of
// entering the queue, which leaves the queue with the shared channels only. Same levels, same
// rates; only the bookkeeping shrinks.
#include "estimator/max_min_fair.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <functional>
#include <stdexcept>

namespace swarm {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Channels whose share is within this relative distance of the bottleneck's saturate in the
// same step: rounding in the running subtractions must not split one level into many
// nearly-equal ones (each would cost a step of its own). The slack it leaves on such a
// channel is at most 1e-12 of its capacity, far below what any caller can observe.
constexpr double kTieTolerance = 1e-12;

using detail::cap_of;
using detail::non_negative_or_zero;
using detail::path_of;

}  // namespace

namespace detail {

void check_shapes(const MaxMinProblem& problem, std::span<const double> rates) {
    const std::size_t flows = problem.flow_count();
    if (problem.cap_bps.size() != flows || rates.size() != flows) {
        throw std::invalid_argument("max-min fair: cap_bps and rates need one entry per flow");
    }
    if (flows == 0) {
        return;
    }
    const auto& offsets = problem.path_offsets;
    if (offsets.front() < 0 ||
        static_cast<std::size_t>(offsets.back()) > problem.path_links.size()) {
        throw std::invalid_argument("max-min fair: path_offsets outside path_links");
    }
    if (!std::is_sorted(offsets.begin(), offsets.end())) {
        throw std::invalid_argument("max-min fair: path_offsets must be non-decreasing");
    }
}

// Builds the channel -> flows incidence (CSR, one entry per path occurrence); channels no path
// uses never enter `used`, so the level search only pays for live channels.
void ChannelIncidence::build(const MaxMinProblem& problem,
                             std::vector<std::pair<double, std::int32_t>>& used) {
    const std::size_t channels = problem.capacity_bps.size();
    unfrozen_count.assign(channels, 0);
    remaining.resize(channels);
    used.clear();
    const auto first = static_cast<std::size_t>(problem.path_offsets.front());
    const auto last = static_cast<std::size_t>(problem.path_offsets.back());
    for (const std::int32_t link : problem.path_links.subspan(first, last - first)) {
        if (link < 0 || static_cast<std::size_t>(link) >= channels) {
            throw std::invalid_argument("max-min fair: channel id outside capacity_bps");
        }
        if (unfrozen_count[link]++ > 0) {
            continue;
        }
        const double capacity = problem.capacity_bps[link];
        assert(capacity >= 0.0 && "PRECONDITION: channel capacity must be >= 0 and not NaN");
        remaining[link] = non_negative_or_zero(capacity);
        used.emplace_back(0.0, link);
    }

    link_offsets.assign(channels + 1, 0);
    for (std::size_t c = 0; c < channels; ++c) {
        link_offsets[c + 1] = link_offsets[c] + unfrozen_count[c];
    }
    cursor.assign(link_offsets.begin(), link_offsets.end() - 1);
    link_flows.resize(static_cast<std::size_t>(link_offsets[channels]));
    const auto flows = static_cast<std::int32_t>(problem.flow_count());
    for (std::int32_t f = 0; f < flows; ++f) {
        for (const std::int32_t link : path_of(problem, f)) {
            link_flows[cursor[link]++] = f;
        }
    }
    for (auto& [initial_share, link] : used) {
        initial_share = share(link);
    }
}

void ChannelIncidence::release(const MaxMinProblem& problem, std::int32_t flow, double rate) {
    for (const std::int32_t link : path_of(problem, flow)) {
        // Clamped: rounding may overshoot a saturated channel by an ulp, and a negative
        // remainder would turn into a negative share for the channel's other flows.
        remaining[link] = std::max(0.0, remaining[link] - rate);
        --unfrozen_count[link];
    }
}
void MonotoneShareQueue::clear(double floor) {
    for (auto& bucket : buckets_) {
        bucket.clear();
    }
    last_ = std::bit_cast<std::uint64_t>(floor + 0.0);
    size_ = 0;
}

// Bucket i > 0 holds keys whose highest bit differing from the current minimum is bit i - 1.
int MonotoneShareQueue::bucket_of(std::uint64_t bits) const {
    return bits == last_ ? 0 : 64 - std::countl_zero(bits ^ last_);
}

void MonotoneShareQueue::push(double key, std::int32_t link) {
    // + 0.0 turns -0.0 (a zero capacity sanitised from -0.0) into +0.0, whose bits order right.
    key += 0.0;
    const auto bits = std::bit_cast<std::uint64_t>(key);
    assert(bits >= last_ && "monotone queue: key below the current minimum");
    buckets_[bucket_of(bits)].push_back({key, link});
    ++size_;
}

const MonotoneShareQueue::Entry& MonotoneShareQueue::top() {
    if (buckets_[0].empty()) {
        int i = 1;
        while (buckets_[i].empty()) {
            ++i;
        }
        // The new minimum is the smallest key of the first non-empty bucket; every entry there
        // then differs from it in a lower bit, so it moves to a lower bucket.
        std::vector<Entry>& from = buckets_[i];
        std::uint64_t minimum = std::bit_cast<std::uint64_t>(from.front().key);
        for (const Entry& e : from) {
            minimum = std::min(minimum, std::bit_cast<std::uint64_t>(e.key));
        }
        last_ = minimum;
        for (const Entry& e : from) {
            buckets_[bucket_of(std::bit_cast<std::uint64_t>(e.key))].push_back(e);
        }
        from.clear();
    }
    return buckets_[0].back();
}

void MonotoneShareQueue::pop() {
    buckets_[0].pop_back();
    --size_;
}

}  // namespace detail

void MaxMinFairAllocator::allocate(const MaxMinProblem& problem, std::span<double> rates) {
    reset_channel_map();  // the previous problem's map served channel_load() until now
    detail::check_shapes(problem, rates);
    const std::size_t flows = problem.flow_count();
    frozen_.assign(flows, 0);
    unfrozen_flows_ = flows;
    if (flows == 0) {
        return;
    }
    map_channels(problem);
    build_incidence(problem);

    while (unfrozen_flows_ > 0) {
        const double channel_level = bottleneck_share();
        const double cap_level = next_cap();
        if (cap_level == kInf && channel_level == kInf) {
            zero_unbounded(rates);
            break;
        }
        // A cap at exactly the bottleneck level is frozen as a cap: same rate, and it keeps
        // the flow's "at its cap" certificate exact.
        if (cap_level <= channel_level) {
            freeze_capped_up_to(problem, channel_level, rates);
        } else {
            saturate_bottlenecks(problem, channel_level, rates);
        }
    }
}

// Renumbers the channels the paths use densely and counts their occurrences. Throws on an id
// outside capacity_bps (after undoing the partial map, so the allocator stays reusable).
void MaxMinFairAllocator::map_channels(const MaxMinProblem& problem) {
    const std::size_t channels = problem.capacity_bps.size();
    if (local_of_.size() < channels) {
        local_of_.resize(channels, -1);
    }
    global_of_.clear();
    channels_.clear();
    const auto first = static_cast<std::size_t>(problem.path_offsets.front());
    const auto last = static_cast<std::size_t>(problem.path_offsets.back());
    local_links_.resize(last - first);
    std::int32_t* out = local_links_.data();
    for (const std::int32_t link : problem.path_links.subspan(first, last - first)) {
        if (link < 0 || static_cast<std::size_t>(link) >= channels) {
            reset_channel_map();
            throw std::invalid_argument("max-min fair: channel id outside capacity_bps");
        }
        std::int32_t& local = local_of_[static_cast<std::size_t>(link)];
        if (local < 0) {
            local = static_cast<std::int32_t>(global_of_.size());
            global_of_.push_back(link);
            const double capacity = problem.capacity_bps[link];
            assert(capacity >= 0.0 && "PRECONDITION: channel capacity must be >= 0 and not NaN");
            const double sane = non_negative_or_zero(capacity);
            channels_.push_back({sane, 0.0, sane, 0, 0});
        }
        ++channels_[static_cast<std::size_t>(local)].occurrences;
        *out++ = local;
    }
    for (LocalChannel& c : channels_) {
        c.unfrozen = c.occurrences;
    }
}

void MaxMinFairAllocator::reset_channel_map() {
    for (const std::int32_t link : global_of_) {
        local_of_[static_cast<std::size_t>(link)] = -1;
    }
    global_of_.clear();
}

std::span<const std::int32_t> MaxMinFairAllocator::local_path(const MaxMinProblem& problem,
                                                              std::int32_t flow) const {
    const auto first = problem.path_offsets.front();
    const auto begin = static_cast<std::size_t>(problem.path_offsets[flow] - first);
    const auto end = static_cast<std::size_t>(problem.path_offsets[flow + 1] - first);
    return std::span<const std::int32_t>(local_links_).subspan(begin, end - begin);
}

// Channel -> flows incidence and the queue for shared channels (more than one occurrence),
// and in the same pass over the paths each flow's effective cap: min(own cap, capacity of
// every private channel on its path), the virtual edges of A.2 plus the real edges that
// behave as such. Only finite caps are sorted.
void MaxMinFairAllocator::build_incidence(const MaxMinProblem& problem) {
    const std::size_t used = global_of_.size();
    link_offsets_.resize(used + 1);
    link_offsets_[0] = 0;
    double lowest = kInf;
    for (std::size_t c = 0; c < used; ++c) {
        const std::int32_t count = channels_[c].occurrences;
        const bool shared = count > 1;
        link_offsets_[c + 1] = link_offsets_[c] + (shared ? count : 0);
        if (shared) {
            lowest = std::min(lowest, share(static_cast<std::int32_t>(c)));
        }
    }
    // Starting the queue at the lowest share files every entry relative to it right away,
    // instead of redistributing them all on the first top().
    share_queue_.clear(lowest == kInf ? 0.0 : lowest);
    for (std::size_t c = 0; c < used; ++c) {
        if (channels_[c].occurrences > 1) {
            share_queue_.push(share(static_cast<std::int32_t>(c)), static_cast<std::int32_t>(c));
        }
    }
    cursor_.assign(link_offsets_.begin(), link_offsets_.end() - 1);
    link_flows_.resize(static_cast<std::size_t>(link_offsets_[used]));
    cap_order_.clear();
    cap_cursor_ = 0;
    const auto flows = static_cast<std::int32_t>(problem.flow_count());
    for (std::int32_t f = 0; f < flows; ++f) {
        assert(problem.cap_bps[f] >= 0.0 && "PRECONDITION: flow cap must be >= 0 and not NaN");
        double cap = cap_of(problem, f);
        for (const std::int32_t link : local_path(problem, f)) {
            const LocalChannel& c = channels_[static_cast<std::size_t>(link)];
            if (c.occurrences > 1) {
                link_flows_[static_cast<std::size_t>(cursor_[link]++)] = f;
            } else {
                cap = std::min(cap, c.capacity);
            }
        }
        if (cap < kInf) {
            cap_order_.emplace_back(cap, f);
        }
    }
    // Pairs compare by cap, then flow index: the order does not depend on the sort.
    std::sort(cap_order_.begin(), cap_order_.end());
}

// The smallest share over shared channels that still carry unfrozen flows. Leaves that channel
// on top of the queue with an up-to-date key; channels whose flows are all frozen leave for good.
double MaxMinFairAllocator::bottleneck_share() {
    while (!share_queue_.empty()) {
        const auto [key, link] = share_queue_.top();
        const bool live = channels_[static_cast<std::size_t>(link)].unfrozen > 0;
        if (live && share(link) == key) {
            return key;
        }
        share_queue_.pop();
        if (live) {
            share_queue_.push(share(link), link);
        }
    }
    return kInf;
}

double MaxMinFairAllocator::next_cap() {
    while (cap_cursor_ < cap_order_.size() && frozen_[cap_order_[cap_cursor_].second]) {
        ++cap_cursor_;
    }
    return cap_cursor_ < cap_order_.size() ? cap_order_[cap_cursor_].first : kInf;
}

// The virtual edges of A.2 that saturate before any real channel: freezing them at their cap
// (<= every channel's level) only raises channel levels, so the whole batch is valid at once.
void MaxMinFairAllocator::freeze_capped_up_to(const MaxMinProblem& problem, double level,
                                              std::span<double> rates) {
    for (double cap = next_cap(); cap < kInf && cap <= level; cap = next_cap()) {
        const std::int32_t flow = cap_order_[cap_cursor_++].second;
        freeze(problem, flow, cap, rates);
    }
}

// Saturates every channel at the bottleneck level (within kTieTolerance). Collecting them
// first keeps the tie set independent of the order in which their flows are frozen.
void MaxMinFairAllocator::saturate_bottlenecks(const MaxMinProblem& problem, double level,
                                               std::span<double> rates) {
    const double threshold = level + level * kTieTolerance;
    tied_links_.clear();
    // Keys below the threshold may be stale: only bottleneck_share() refreshes them, so
    // loop through it rather than trusting the keys.
    while (bottleneck_share() <= threshold) {
        tied_links_.push_back(share_queue_.top().link);
        share_queue_.pop();
    }
    for (const std::int32_t link : tied_links_) {
        const auto begin = static_cast<std::size_t>(link_offsets_[link]);
        const auto end = static_cast<std::size_t>(link_offsets_[link + 1]);
        for (std::size_t i = begin; i < end; ++i) {
            const std::int32_t flow = link_flows_[i];
            if (!frozen_[flow]) {
                freeze(problem, flow, level, rates);
            }
        }
    }
}

void MaxMinFairAllocator::freeze(const MaxMinProblem& problem, std::int32_t flow, double rate,
                                 std::span<double> rates) {
    rates[flow] = rate;
    frozen_[flow] = 1;
    --unfrozen_flows_;
    for (const std::int32_t link : local_path(problem, flow)) {
        LocalChannel& c = channels_[static_cast<std::size_t>(link)];
        // Clamped: rounding may overshoot a saturated channel by an ulp, and a negative
        // remainder would turn into a negative share for the channel's other flows.
        c.remaining = std::max(0.0, c.remaining - rate);
        c.load += rate;
        --c.unfrozen;
    }
}

// Flows that neither a finite channel nor a cap bounds: the caller broke the precondition.
void MaxMinFairAllocator::zero_unbounded(std::span<double> rates) {
    assert(false && "PRECONDITION: every flow needs a finite cap or a finite-capacity channel");
    for (std::size_t f = 0; f < frozen_.size(); ++f) {
        if (!frozen_[f]) {
            rates[f] = 0.0;
            frozen_[f] = 1;
        }
    }
    unfrozen_flows_ = 0;
}

}  // namespace swarm
