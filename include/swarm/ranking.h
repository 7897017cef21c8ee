// The result of ranking an incident's candidates: the contract of `swarm rank --format json`
// (docs/api.md) and of the embedded library.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "swarm/incident.h"

namespace swarm {

/// A metric's estimate over the composite distribution, with its confidence interval.
/// NaN everywhere when no flow of the metric's kind was measured.
struct MetricEstimate {
    double estimate = 0.0;
    double ci_low = 0.0;
    double ci_high = 0.0;
    int samples = 0;  ///< samples that had flows of this kind
};

using MetricEstimates = std::vector<std::pair<Metric, MetricEstimate>>;

struct CandidateResult {
    std::string candidate;
    int rank = 0;                    ///< 1 = best
    bool connected = true;           ///< false: the candidate partitions servers that have demand
    std::string reason;              ///< why not connected, or empty
    MetricEstimates metrics;         ///< empty when not connected
    double censored_fraction = 0.0;  ///< long flows still running at the horizon
    /// What the candidate's mitigation models cost beside the CLP, averaged over samples
    /// (probe packets per second, header bytes, ...; docs/models/).
    std::vector<std::pair<std::string, double>> side_metrics;
};

struct Ranking {
    std::string incident;
    std::vector<CandidateResult> ranking;  ///< best first
    MetricEstimates healthy;               ///< the network with every failure removed
    int traffic_samples = 0;
    int routing_samples = 0;
    int dkw_samples = 0;       ///< what DKW asks for at the incident's confidence and epsilon
    double dkw_epsilon = 0.0;  ///< what traffic x routing samples achieve at that confidence
    double confidence = 0.95;
    std::uint64_t seed = 0;
    std::string tables;   ///< the transport table set used
    std::string version;  ///< swarm version
    double elapsed_s = 0.0;
};

}  // namespace swarm
