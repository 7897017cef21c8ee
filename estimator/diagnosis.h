// Why a candidate's estimate is what it is, from the model's own view of its network: the
// first traffic sample of rank() (same seed, same flows), each flow routed once as the epoch
// loop routes it (its own ECMP/WCMP stream, SWARM §3.3 "Modeling routing uncertainty"). It
// reports what the CLP numbers alone hide: where the traffic goes, which channels it loads,
// how much of it crosses the failed elements, and which long flows loss limits (the loss-limited
// throughput table, §3.3 / App. B). docs/api.md, "Explanations".
//
// Limits: paths are the candidate's routing at t = 0, before a mitigation model's flow
// steering or later phases; loads are offered bytes over the traffic duration, not the
// max-min-fair rates of the epoch loop (the ranking's metrics are those).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "estimator/transport_tables.h"
#include "swarm/incident.h"
#include "swarm/rank.h"

namespace swarm {

struct ChannelLoad {
    ChannelId channel = -1;
    double offered_bps = 0.0;  ///< bytes of the flows that cross it x 8 / traffic duration
    double utilisation = 0.0;  ///< offered_bps / the channel's capacity in this network
    double drop_rate = 0.0;    ///< what a packet crossing it is dropped with
};

/// A failed link (per direction) or switch of the incident, and the share of the offered bytes
/// that crosses it in this network: for WCMP, how traffic actually splits (weight 0 towards a
/// lossy link upstream still leaves the downstream direction in use).
struct FailedElementUse {
    std::optional<ChannelId> channel;  ///< a link's direction
    std::optional<NodeId> node;        ///< a switch
    double traffic_fraction = 0.0;
};

struct CandidateDiagnosis {
    std::string candidate;   ///< empty for the healthy network
    bool diagnosed = false;  ///< false: the scenario is not ranked (partitioned, infeasible)
    std::size_t flows = 0;   ///< routed flows of the sample
    std::size_t long_flows = 0;
    std::vector<ChannelLoad> busiest;  ///< the most utilised switch channels, most first
    /// Long flows whose path drop rate caps them (median loss-limited rate, at their base RTT)
    /// below their path's narrowest capacity: loss, not sharing, sets their throughput.
    double loss_limited_fraction = 0.0;
    double crossing_failed_fraction = 0.0;  ///< flows whose path crosses a failed element
    std::vector<FailedElementUse> failed;   ///< every failed element, in failure order
};

/// The healthy network first, then each candidate in input order. `busiest` holds at most
/// `top` channels. Throws like rank() on a bad transport section.
std::vector<CandidateDiagnosis> diagnose(const Incident& incident, const TransportTables& tables,
                                         const RankOptions& options, std::size_t top = 3);

}  // namespace swarm
