// Flow-level demand samples (SWARM §3.3 "Modeling traffic variability"): Poisson flow arrivals
// at every server, a destination from the communication pattern, a size from the flow-size
// CDF. One DemandSample is shared by every candidate (common random numbers, docs/design.md).
#pragma once

#include <cstdint>
#include <vector>

#include "estimator/flow_size_cdf_library.h"
#include "estimator/random.h"
#include "swarm/incident.h"

namespace swarm {

/// Flows sorted by arrival time, as a struct of arrays.
struct DemandSample {
    std::vector<double> arrival_s;
    std::vector<std::int32_t> src;  ///< server indices (Topology::servers())
    std::vector<std::int32_t> dst;
    std::vector<double> size_bytes;
    std::size_t size() const { return arrival_s.size(); }
};

/// Draws DemandSamples for one incident; cheap to share between threads (const after build).
class DemandSampler {
   public:
    DemandSampler(const Topology& topology, const TrafficSpec& traffic);

    /// PRECONDITION: the topology has at least two servers.
    DemandSample sample(std::uint64_t seed) const;

    /// Probability that a flow from a server on ToR `src_tor_index` goes to ToR `dst_tor_index`
    /// (indices into Topology::tors()); the partition check uses it.
    double tor_probability(std::size_t src_tor_index, std::size_t dst_tor_index) const;

   private:
    std::int32_t pick_destination(std::int32_t src, Rng& rng) const;
    std::int32_t pick_in_tor(std::size_t tor_index, std::int32_t avoid, Rng& rng) const;
    std::int32_t pick_in_group(const std::vector<std::int32_t>& servers, std::int32_t avoid,
                               Rng& rng) const;

    const Topology* topology_;
    const TrafficSpec* traffic_;
    FlowSizeSampler sizes_;
    std::vector<std::int32_t> server_tor_;                ///< server -> tor index
    std::vector<std::vector<std::int32_t>> tor_servers_;  ///< tor index -> servers
    std::vector<std::vector<std::int32_t>> pod_servers_;  ///< pod -> servers (locality)
    std::vector<std::int32_t> tor_pod_;                   ///< tor index -> pod
    std::vector<std::vector<double>> cumulative_rows_;    ///< matrix pattern, per source ToR
};

}  // namespace swarm
