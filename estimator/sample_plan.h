// Which samples rank() runs, and in which rounds (docs/model.md "Sample counts").
// A sample is one (traffic, routing) pair run for every candidate and the healthy network.
//   dkw (the paper's mode, §3.3, Appendix A.1): traffic x routing samples from the DKW count or
//     the incident's explicit counts, all in one round.
//   adaptive: sample i is traffic sample i with its routing sample 0, so samples are independent
//     draws of both sources of uncertainty; rounds of 4, then each round adds half of what is
//     done (at least 4), until the decision is settled or the DKW count (or the work budget's
//     max_samples, if lower) is reached.
// The rounds depend only on the plan, never on threads or timing: a given seed gives the same
// samples in the same rounds, hence the same result, at any thread count.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>

#include "estimator/dkw.h"
#include "swarm/incident.h"

namespace swarm {

struct SamplePlan {
    SamplingMode mode = SamplingMode::Adaptive;
    int traffic = 1;  ///< dkw: traffic samples; adaptive: the cap on samples
    int routing = 1;  ///< routing samples per traffic sample (1 in adaptive mode)
    int dkw = 1;      ///< what DKW asks for at the incident's confidence and epsilon

    int max_samples() const { return traffic * routing; }

    /// The traffic index after the round that follows `done` traffic samples (done < traffic).
    int next_round_end(int done) const {
        if (mode == SamplingMode::Dkw) return traffic;
        constexpr int kFirstRound = 4;
        return std::min(traffic, done + std::max(kFirstRound, done / 2));
    }
};

/// `max_samples` (WorkBudget::max_samples) caps adaptive rounds; a fixed count over it is
/// refused earlier, by check_budget().
inline SamplePlan make_sample_plan(const EstimatorSpec& spec, SamplingMode mode,
                                   double max_samples = std::numeric_limits<int>::max()) {
    SamplePlan plan;
    plan.mode = mode;
    plan.dkw = dkw_sample_count(spec.confidence, spec.epsilon);
    if (mode == SamplingMode::Adaptive) {
        plan.traffic = static_cast<int>(
            std::clamp(std::floor(max_samples), 1.0, static_cast<double>(plan.dkw)));
        return plan;
    }
    const SampleCounts counts =
        default_sample_counts(plan.dkw, spec.traffic_samples ? &*spec.traffic_samples : nullptr,
                              spec.routing_samples ? &*spec.routing_samples : nullptr);
    plan.traffic = counts.traffic;
    plan.routing = counts.routing;
    return plan;
}

}  // namespace swarm
