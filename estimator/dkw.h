// Sample counts from the Dvoretzky-Kiefer-Wolfowitz inequality (SWARM §3.3, Appendix A.1):
// with n samples, P(sup |F_n - F| > eps) <= 2 exp(-2 n eps^2), so n >= ln(2 / (1 - confidence))
// / (2 eps^2) bounds the composite distribution's error by eps at that confidence.
#pragma once

#include <cmath>

namespace swarm {

/// Smallest n with 2 exp(-2 n eps^2) <= 1 - confidence. PRECONDITION: both in (0, 1).
inline int dkw_sample_count(double confidence, double epsilon) {
    return static_cast<int>(
        std::ceil(std::log(2.0 / (1.0 - confidence)) / (2.0 * epsilon * epsilon)));
}

/// The eps that n samples guarantee at this confidence (what a run actually achieved).
inline double dkw_epsilon(double confidence, int samples) {
    return std::sqrt(std::log(2.0 / (1.0 - confidence)) / (2.0 * samples));
}

/// How the DKW count splits into traffic x routing samples when the incident does not say:
/// about sqrt(n) of each, so that the composite has at least n observations and both sources
/// of uncertainty are sampled (docs/model.md, "Sample counts").
struct SampleCounts {
    int traffic = 1;
    int routing = 1;
};
inline SampleCounts default_sample_counts(int dkw_count, const int* traffic_override,
                                          const int* routing_override) {
    SampleCounts counts;
    counts.traffic = traffic_override
                         ? *traffic_override
                         : static_cast<int>(std::ceil(std::sqrt(static_cast<double>(dkw_count))));
    counts.routing =
        routing_override
            ? *routing_override
            : static_cast<int>(std::ceil(static_cast<double>(dkw_count) / counts.traffic));
    if (counts.routing < 1) counts.routing = 1;
    return counts;
}

}  // namespace swarm
