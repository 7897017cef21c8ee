// The Clopper-Pearson (exact) 95% interval of a binomial proportion, for tests that compare a
// model's probability with k events seen in n trials (the short-flow FCT validation). Header-
// only, shared by the core tests and the ns-3 tests.
#pragma once

#include <cmath>
#include <utility>

namespace swarm::test_support {

/// log P(X = k) for X ~ Binomial(n, p), 0 < p < 1.
inline double binomial_log_pmf(int n, int k, double p) {
    return std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0) +
           k * std::log(p) + (n - k) * std::log1p(-p);
}

/// P(X <= k).
inline double binomial_cdf(int n, int k, double p) {
    double total = 0.0;
    for (int i = 0; i <= k; ++i) total += std::exp(binomial_log_pmf(n, i, p));
    return total;
}

/// [lower, upper] with P(X >= k; lower) = P(X <= k; upper) = (1 - level) / 2; found by
/// bisection (both tails are monotone in p).
inline std::pair<double, double> binomial_interval(int n, int k, double level = 0.95) {
    const double tail = (1.0 - level) / 2.0;
    const auto solve = [](auto above) {  // the p in (0, 1) where above(p) turns true
        double lo = 0.0;
        double hi = 1.0;
        for (int i = 0; i < 100; ++i) {
            const double mid = 0.5 * (lo + hi);
            (above(mid) ? hi : lo) = mid;
        }
        return 0.5 * (lo + hi);
    };
    const double lower =
        k == 0 ? 0.0 : solve([&](double p) { return 1.0 - binomial_cdf(n, k - 1, p) >= tail; });
    const double upper =
        k == n ? 1.0 : solve([&](double p) { return binomial_cdf(n, k, p) <= tail; });
    return {lower, upper};
}

}  // namespace swarm::test_support
