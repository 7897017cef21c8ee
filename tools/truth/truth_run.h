// The ground-truth runner (issue 4, docs/fidelity.md): an incident's candidates simulated
// packet by packet with ns-3 on the flows and paths the estimator samples, reported as the
// same CLP metrics in the same JSON shape as `swarm rank --format json` (docs/api.md).
//
// Per candidate and traffic slice s (0..slices-1): the estimator's NetworkState (failures,
// ongoing mitigations, the candidate's actions), its Routing and DemandEditor, the demand
// DemandSampler draws for traffic sample s and the paths Routing::sample_path draws for routing
// sample 0 of it: the estimator's own (s, 0) sample. One forked ns-3 run per (candidate, slice).
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "swarm/incident.h"
#include "tools/ns3_common/tcp_settings.h"
#include "tools/truth/truth_sim.h"

namespace swarm::truth {

/// The switch buffer of the ground truth: 1000 packets (1.5 MB) per egress port, about what one
/// congested port of a shared-buffer data-centre switch takes under the usual dynamic
/// threshold (docs/fidelity.md "Settings"); every other TCP setting is the tables' own.
ns3common::TcpSettings truth_tcp_settings(ns3common::CongestionControl cc);

struct TruthOptions {
    std::vector<std::string> candidates;  ///< names to simulate; empty: every candidate
    bool healthy = false;                 ///< also simulate the network without failures
    int slices = 4;                       ///< traffic samples 0..slices-1 per candidate
    double scale = 120.0;                 ///< down-scaling factor (paper §4.1)
    ns3common::TcpSettings tcp = truth_tcp_settings(ns3common::CongestionControl::kCubic);
    int jobs = 1;                       ///< ns-3 processes in parallel
    std::optional<std::uint64_t> seed;  ///< overrides the incident's estimator seed
    std::filesystem::path cache;        ///< optional result cache (resumes a killed run)
};

/// What one (scenario, slice) run gives: the incident's flow outcomes and the run's cost.
struct SliceOutcome {
    bool connected = true;
    std::string reason;
    std::vector<double> long_throughput_bps;  ///< measured long flows
    std::vector<double> short_fct_s;          ///< measured short flows
    std::size_t censored = 0;                 ///< measured flows unfinished at the horizon
    std::size_t unroutable = 0;               ///< measured flows without a usable path
    std::uint64_t unrouted_packets = 0;
    std::uint64_t events = 0;
    double wall_s = 0.0;
};

/// The network and flows of one (scenario, slice), in full-scale units (no ns-3 involved):
/// exposed for tests. `actions` null means the healthy network (no failures, no mitigations).
struct SliceInput {
    bool connected = true;
    std::string reason;
    SimNetwork network;
    std::vector<SimFlow> flows;
    std::vector<char> is_long;  ///< per flow: size above the short-flow threshold
    std::size_t unroutable_measured = 0;
};
SliceInput build_slice(const Incident& incident, const std::vector<Action>* actions, int slice,
                       std::uint64_t seed);

/// Runs build_slice + simulate and turns the per-flow results into CLP outcomes.
SliceOutcome run_slice(const Incident& incident, const std::vector<Action>* actions, int slice,
                       std::uint64_t seed, const TruthOptions& options);

/// Every requested candidate (and healthy) x slice, `jobs` forked ns-3 processes at a time.
/// Returns the `swarm rank --format json` document plus a "ground_truth" object (settings,
/// per-candidate flow counts, pooled metrics, cost). Throws std::invalid_argument naming an
/// unknown candidate.
nlohmann::json run_truth(const Incident& incident, const TruthOptions& options);

}  // namespace swarm::truth
