#include "tools/tables/common/quantiles.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <stdexcept>

namespace swarm::tables {

std::vector<double> empirical_quantiles(std::vector<double> samples,
                                        const std::vector<double>& levels) {
    if (samples.empty()) {
        throw std::invalid_argument("quantiles of no samples");
    }
    std::sort(samples.begin(), samples.end());
    std::vector<double> out;
    for (const double q : levels) {
        const double h = q * static_cast<double>(samples.size() - 1);
        const auto lo = static_cast<std::size_t>(std::floor(h));
        const std::size_t hi = std::min(lo + 1, samples.size() - 1);
        const double w = h - static_cast<double>(lo);
        if (w == 0.0 || std::isinf(samples[lo])) {
            out.push_back(samples[lo]);  // also avoids 0 * (inf - x) = NaN
        } else if (std::isinf(samples[hi])) {
            out.push_back(HUGE_VAL);
        } else {
            out.push_back(samples[lo] + w * (samples[hi] - samples[lo]));
        }
    }
    return out;
}

namespace {

/// CDF of one run at x from its quantile function (linear between levels).
double run_cdf(const std::vector<double>& q, const std::vector<double>& levels, double x) {
    if (x < q.front()) {
        return 0.0;
    }
    if (x >= q.back()) {
        return 1.0;
    }
    // Last level whose value is <= x (flat stretches: the largest level, i.e. right-continuous).
    const auto it = std::upper_bound(q.begin(), q.end(), x);
    const auto i = static_cast<std::size_t>(it - q.begin()) - 1;
    const double span = q[i + 1] - q[i];
    return levels[i] + (span > 0.0 ? (x - q[i]) / span : 0.0) * (levels[i + 1] - levels[i]);
}

}  // namespace

std::vector<double> pooled_quantiles(const std::vector<std::vector<double>>& run_quantiles,
                                     const std::vector<double>& run_levels,
                                     const std::vector<double>& levels) {
    if (run_quantiles.empty()) {
        throw std::invalid_argument("pooled quantiles of no runs");
    }
    double lo = HUGE_VAL;
    double hi = -HUGE_VAL;
    for (const auto& q : run_quantiles) {
        lo = std::min(lo, q.front());
        hi = std::max(hi, q.back());
    }
    const auto mixture_cdf = [&](double x) {
        double sum = 0.0;
        for (const auto& q : run_quantiles) {
            sum += run_cdf(q, run_levels, x);
        }
        return sum / static_cast<double>(run_quantiles.size());
    };
    std::vector<double> out;
    for (const double level : levels) {
        if (level <= 0.0 || mixture_cdf(lo) >= level) {
            out.push_back(lo);  // also an atom at the minimum (an empty queue): exactly lo
            continue;
        }
        if (level >= 1.0) {
            out.push_back(hi);
            continue;
        }
        double a = lo;  // smallest x with mixture_cdf(x) >= level, by bisection
        double b = hi;
        for (int i = 0; i < 100 && b - a > 1e-9 * std::max(1.0, std::abs(b)); ++i) {
            const double mid = 0.5 * (a + b);
            (mixture_cdf(mid) >= level ? b : a) = mid;
        }
        out.push_back(b);
    }
    for (std::size_t i = 1; i < out.size(); ++i) {
        out[i] = std::max(out[i], out[i - 1]);  // bisection tolerance must not break monotony
    }
    return out;
}

}  // namespace swarm::tables
