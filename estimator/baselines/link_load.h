// Expected per-link load and utilisation of a candidate's network: the quantity NetPilot ranks
// mitigations by (Wu et al., "NetPilot: Automating Datacenter Network Failure Mitigation",
// SIGCOMM 2012; SWARM §4.1 "Baselines"). It is a mean-value (fluid) computation, not a sample:
// the expected offered bits per second on every link direction under the incident's traffic
// model and the candidate's ECMP/WCMP routing. Reused by the fidelity benchmark (issue 4).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "estimator/network_state.h"
#include "estimator/routing.h"
#include "swarm/incident.h"

namespace swarm::baselines {

/// The network a candidate leaves behind: static WCMP weights, failures, ongoing mitigations
/// and the candidate's actions applied in that order (as rank() does), drains resolved.
struct CandidateNetwork {
    std::unique_ptr<NetworkState> state;  ///< heap-held: `routing` points into it
    std::unique_ptr<Routing> routing;
    std::optional<std::string> problem;  ///< why not usable: a drain leaves nowhere to move VMs to
};

/// `actions` empty = the network as it stands (failures and ongoing mitigations only).
CandidateNetwork build_candidate_network(const Incident& incident,
                                         const std::vector<Action>& actions);

/// Expected offered load, in bits per second, per channel (ChannelId = 2 x link + direction).
struct LinkLoad {
    std::vector<double> channel_bps;
    /// Demand that has no usable path (a cut-off server or a ToR pair without a route).
    double unroutable_bps = 0.0;
    std::optional<std::string>
        unroutable_reason;  ///< the first such server or ToR pair, for messages
};

/// Load of every channel: for every ToR pair (i, j), servers(i) x arrival rate x P(i -> j) x
/// mean flow size x 8 bits, spread over the switch-level paths with their ECMP/WCMP
/// probabilities; server links carry their server's own sent and received bits. Demand moves
/// (VM moves, drained ToRs) are applied to the endpoints first, as the estimator does.
/// Enumerates paths per ToR pair (Routing::enumerate_paths): meant for testbed-sized
/// topologies (the paper's §4.1 Clos), not for 16K-server fabrics.
LinkLoad expected_link_load(const Incident& incident, const CandidateNetwork& network);

/// The most utilised channel (load / capacity) among usable links, skipping links marked in
/// `ignore_link` (indexed by LinkId; empty = ignore none). channel = -1 when none qualifies.
struct PeakUtilisation {
    double utilisation = 0.0;
    ChannelId channel = -1;
};
PeakUtilisation max_utilisation(const LinkLoad& load, const NetworkState& state,
                                std::span<const char> ignore_link = {});

}  // namespace swarm::baselines
