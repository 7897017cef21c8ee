// How long a prober takes to declare a path bad (ZooRoute §2 "Path probing", RON §3.1
// "Monitoring"): probes go out every `interval_s` from a uniform phase, each is lost with the
// path's round-trip loss probability q, and the path is declared bad at the k-th lost probe
// (docs/models/zooroute.md §2, ron.md §2):
//     D = I (U + N),  U ~ U[0, 1),  N = sum_{j=1..k} G_j,  G_j ~ Geometric(q) on {1, 2, ...}
//     E[D] = I (0.5 + k / q)
#pragma once

#include <cmath>

#include "estimator/random.h"

namespace swarm {

/// Probability that a round-trip probe over a path with one-way drop rate `drop` is lost; the
/// reverse direction is taken to cross the same links (ZooRoute §2 "round-trip telemetry").
inline double round_trip_loss(double drop) {
    const double keep = drop >= 1.0 ? 0.0 : 1.0 - drop;
    return 1.0 - keep * keep;
}

/// Probes sent until `k` have been lost, each lost with probability q (sum of k geometric
/// draws on {1, 2, ...}). PRECONDITION: 0 < q <= 1, k >= 1.
inline double probes_until_lost(double q, int k, Rng& rng) {
    if (q >= 1.0) return k;
    const double log_keep = std::log1p(-q);
    double n = 0.0;
    for (int j = 0; j < k; ++j) {
        // Inverse transform: P(G > g) = (1 - q)^g.
        const double g = std::ceil(std::log1p(-rng.uniform()) / log_keep);
        n += g < 1.0 ? 1.0 : g;
    }
    return n;
}

/// The delay D above from the moment probing of the path starts. PRECONDITION: 0 < q <= 1.
inline double detection_delay_s(double interval_s, double q, int k, Rng& rng) {
    const double phase = rng.uniform();
    return interval_s * (phase + probes_until_lost(q, k, rng));
}

}  // namespace swarm
