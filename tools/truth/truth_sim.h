// One packet-level ns-3 simulation of a whole data-center network carrying a given set of TCP
// flows on given paths: the ground truth the estimator is checked against (docs/fidelity.md).
//
// This header is the only interface between the ns-3 code (truth_sim.cpp, C++17 because
// ns-3.37's headers are not valid C++20) and the C++20 rest of the runner (truth_run.h). It
// includes no ns-3 header. Call simulate() in a freshly forked process (tools/tables/ns3/
// runner.h): ns-3's simulator and random-stream numbering are process-global.
#pragma once

#include <cstdint>
#include <vector>

#include "tools/ns3_common/tcp_settings.h"

namespace swarm::truth {

/// A full-duplex link that carries traffic. Links that are down or disabled are left out.
struct SimLink {
    std::int32_t a = 0;
    std::int32_t b = 0;
    double bps = 10e9;
    double delay_s = 1e-6;
    double drop_rate = 0.0;  ///< each packet crossing the link, either direction, but pure ACKs
};

/// The network, in full-scale units. Node ids are dense, 0..node_count-1.
struct SimNetwork {
    std::int32_t node_count = 0;
    std::vector<double> node_drop_rate;  ///< per node: each packet it receives, but pure ACKs
    std::vector<SimLink> links;
};

/// One TCP connection from hosts path.front() to path.back() along `path` (node ids; the data
/// direction; ACKs return along the reversed path).
struct SimFlow {
    std::vector<std::int32_t> path;
    double start_s = 0.0;
    std::uint64_t bytes = 0;
    bool measured = false;  ///< the run may stop once every measured flow has finished
};

struct SimSettings {
    ns3common::TcpSettings tcp;
    /// Down-scaling factor F (docs/fidelity.md): link rates are divided and propagation delays,
    /// start times, the horizon and every TCP time constant multiplied by F inside the run;
    /// results are converted back to full scale.
    double time_scale = 1.0;
    /// Full-scale time at which the run stops regardless; it stops earlier once every measured
    /// flow has finished.
    double horizon_s = 1.0;
    std::uint32_t seed = 1;
    std::uint64_t run = 1;
};

struct SimFlowResult {
    double finish_s = -1.0;  ///< last byte delivered to the receiving application; -1: not done
    std::uint64_t bytes_received = 0;
};

struct SimResult {
    std::vector<SimFlowResult> flows;    ///< by index of the input flows
    double end_s = 0.0;                  ///< full-scale time the run stopped
    std::uint64_t unrouted_packets = 0;  ///< packets a switch had no entry for (a bug if > 0)
    std::uint64_t events = 0;            ///< ns-3 events executed (cost)
    double wall_s = 0.0;
};

/// PRECONDITION: every consecutive pair of a flow's path is a link of `network`; path ends are
/// hosts (nodes with exactly one link), at most 55000 flows per source host.
SimResult simulate(const SimNetwork& network, const std::vector<SimFlow>& flows,
                   const SimSettings& settings);

}  // namespace swarm::truth
