// Which transport table set each flow uses: one set, or a mix of congestion controls with
// their probabilities (SWARM §3.3 footnote 7, Appendix D.1). A flow's set depends only on the
// mix seed and the flow's index, so every candidate sees the same flows use the same
// congestion control (common random numbers).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "estimator/transport_tables.h"
#include "swarm/incident.h"
#include "swarm/rank.h"

namespace swarm {

class TransportMix {
   public:
    /// Every flow uses `tables`. PRECONDITION: `tables` outlives the mix.
    explicit TransportMix(const TransportTables& tables);
    /// Throws std::invalid_argument when empty, when probabilities are not positive or do not
    /// sum to 1, or when the sets disagree on the MTU (one packet size for queueing delays).
    explicit TransportMix(
        std::vector<std::pair<std::shared_ptr<const TransportTables>, double>> sets);

    /// The set flow `flow` uses under `seed`.
    const TransportTables& for_flow(std::uint64_t seed, std::size_t flow) const;
    /// The set with the largest share (the first of equals): the congestion control whose
    /// congestion tables describe a channel (issue 13), whichever flows share it.
    const TransportTables& primary() const { return *primary_; }
    double mtu_bytes() const { return entries_.front().tables->mtu_bytes; }
    /// "analytic-reno", or "ns3-cubic:0.7,ns3-dctcp:0.3".
    std::string describe() const;

   private:
    struct Entry {
        const TransportTables* tables;
        double cumulative;
    };
    std::vector<Entry> entries_;
    const TransportTables* primary_ = nullptr;
    std::vector<std::shared_ptr<const TransportTables>> owned_;
};

/// The incident's congestion-control mix (its `transport` section, sets loaded through
/// options.table_sets, `tables` borrowed where named), or `tables` for every flow. Throws
/// std::invalid_argument when the incident names sets and no loader is given.
TransportMix incident_transport_mix(const Incident& incident, const TransportTables& tables,
                                    const RankOptions& options);

}  // namespace swarm
