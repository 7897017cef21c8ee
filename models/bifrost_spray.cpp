#include "models/bifrost_spray.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace swarm {

std::vector<bool> healthy_candidates(std::span<const SprayCandidate> candidates,
                                     double exclude_loss) {
    double best = 1.0;
    for (const SprayCandidate& c : candidates) best = std::min(best, c.drop_rate);
    std::vector<bool> healthy(candidates.size(), false);
    if (best >= 1.0) return healthy;  // nothing delivers
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        const double p = candidates[i].drop_rate;
        const double excess = 1.0 - (1.0 - p) / (1.0 - best);
        healthy[i] = p < 1.0 && excess < exclude_loss;
    }
    return healthy;
}

std::vector<std::size_t> lowest_rtt(std::span<const SprayCandidate> candidates,
                                    const std::vector<bool>& eligible, int k) {
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        if (eligible[i]) order.push_back(i);
    }
    // RTTs that differ by less than a nanosecond are equal to BIFROST's timestamps (and to
    // floating-point sums of the same hops in another order).
    auto key = [&](std::size_t i) { return std::llround(candidates[i].base_rtt_s * 1e9); };
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const auto ka = key(a);
        const auto kb = key(b);
        if (ka != kb) return ka < kb;
        return candidates[a].tie < candidates[b].tie;
    });
    if (order.size() > static_cast<std::size_t>(k)) order.resize(static_cast<std::size_t>(k));
    return order;
}

SpraySets spray_sets(std::span<const SprayCandidate> candidates, int k, double exclude_loss) {
    SpraySets sets;
    sets.before = lowest_rtt(candidates, std::vector<bool>(candidates.size(), true), k);
    sets.after = lowest_rtt(candidates, healthy_candidates(candidates, exclude_loss), k);
    return sets;
}

int packet_groups(double size_bytes, double payload_bytes, int group_packets) {
    const double packets = std::max(1.0, std::ceil(size_bytes / payload_bytes));
    return static_cast<int>(std::ceil(packets / group_packets));
}

}  // namespace swarm
