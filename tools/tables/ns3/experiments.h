// The three offline measurements of SWARM Appendix B, as ns-3 simulations: one call runs one
// repetition of one grid point in a fresh ns-3 world and returns what it measured.
//
// This header is the only interface between the ns-3 code (experiments.cpp, compiled as C++17
// because ns-3.37's headers are not valid C++20) and the rest of the generator (C++20). It
// includes no ns-3 header. ns-3's Simulator is a process-wide singleton and its random-stream
// numbering is process-global, so the driver calls each function in a freshly forked process
// (runner.h): a repetition's result then depends only on its parameters and its run number.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tools/ns3_common/tcp_settings.h"

namespace swarm::ns3tables {

// The settings and congestion controls are shared with the ground-truth runner.
using ns3common::cc_name;
using ns3common::CongestionControl;
using ns3common::parse_cc;
using ns3common::TcpSettings;

/// Appendix B "Throughput of long flows in a lossy network": one bulk flow h1 -> h2 over a link
/// that drops each data-direction packet with probability drop_rate; goodput after warmup_s,
/// over measure_s or over the time max_segments take.
struct LongFlowParams {
    double drop_rate = 0.0;
    double rtt_s = 100e-6;  // round-trip propagation delay
    double link_bps = 20e9;
    double warmup_s = 0.1;
    double measure_s = 1.0;
    /// 0: measure over exactly measure_s. Otherwise stop as soon as this many segments were
    /// delivered after the warm-up (measure_s is then a time limit): a fixed amount of data.
    std::uint64_t max_segments = 0;
};

struct LongFlowResult {
    double goodput_bps = 0.0;
    double measured_s = 0.0;  // measure_s, or less when max_segments stopped the run
    double wall_s = 0.0;      // host CPU cost of the run, for sizing grids
};

LongFlowResult run_long_flow(const TcpSettings& tcp, const LongFlowParams& params,
                             std::uint32_t seed, std::uint64_t run);

/// Appendix B "Number of RTTs for short flows": one flow of size_bytes from connection start
/// (SYN sent) to its last byte delivered to the receiving application, same topology and loss.
struct ShortFlowParams {
    double size_bytes = 10000;
    double drop_rate = 0.0;
    double rtt_s = 100e-6;
    double link_bps = 100e9;
    double time_limit_s = 3600.0;  // simulated; a flow still running then is reported censored
};

struct ShortFlowResult {
    double fct_s = 0.0;
    bool censored = false;  // did not finish within time_limit_s (fct_s = the limit)
    double wall_s = 0.0;
};

ShortFlowResult run_short_flow(const TcpSettings& tcp, const ShortFlowParams& params,
                               std::uint32_t seed, std::uint64_t run);

/// Appendix B "Queueing delay for short flows" (Fig. 1(b)): n long flows share one egress link
/// (switch s1 -> receiver) of rate link_bps. Below saturation each long flow is bottlenecked on
/// its own access link of rate utilization * link_bps / n (the paper's h4-s1 link), so the
/// measured link runs at that utilisation; at utilisation 1 the access links run at
/// access_speedup * link_bps and the measured link is the flows' common bottleneck.
///
/// The probe is virtual: at Poisson times the generator reads the FIFO wait a packet arriving
/// then would have (bytes queued in the queue disc and device, plus the rest of the packet on
/// the wire). Poisson arrivals see time averages (PASTA), so the samples are the wait of an
/// infinitesimal probe flow; unlike real probe packets they add no load and are never ECN-
/// dropped, and they can be dense.
struct QueueingParams {
    double utilization = 0.5;
    std::uint32_t competing_flows = 1;
    double link_bps = 10e9;
    double rtt_s = 20e-6;  // the long flows' round-trip propagation delay
    double warmup_s = 0.02;
    double measure_s = 0.02;
    double probe_gap_packets = 10.0;  // mean probe spacing, in MTU transmission times
    double access_speedup = 4.0;      // at utilisation 1: access link rate / link_bps
};

struct QueueingResult {
    std::vector<double> delays_packets;  // one per probe, in MTU transmission times
    double full_fraction = 0.0;          // probes that found the buffer full (would be dropped)
    double utilization_measured = 0.0;   // measured link's busy fraction in the window
    /// Congestion (drop-tail overflow) at the measured port in the window: packets its queue
    /// disc dropped / packets offered to it. Pure ACKs do not cross the measured port.
    double drop_rate = 0.0;
    /// Bytes each long flow delivered to the receiver in the window, by flow (sender) index:
    /// the spread of per-flow rates among the competitors (rate / fair share).
    std::vector<double> flow_bytes;
    double wall_s = 0.0;
};

QueueingResult run_queueing(const TcpSettings& tcp, const QueueingParams& params,
                            std::uint32_t seed, std::uint64_t run);

/// A finite flow joining bulk competitors (issue 13; docs/tables.md "Long-flow window curve"):
/// the saturated queueing experiment (n bulk flows through s1 over the measured link, access
/// links at access_speedup x link_bps, random starts in the first ms) plus one more sender whose
/// flow of `probe_bytes` connects at warmup_s. Single-switch validation of the window-limited
/// long-flow model: its FCT against the model's at the measured queue.
struct ProbeFlowResult {
    double fct_s = 0.0;          // connect() to the last byte delivered
    double queue_packets = 0.0;  // the measured port's mean FIFO wait over the flow's lifetime
    bool censored = false;       // not done 1 s after it started (fct_s = 1 s)
    double wall_s = 0.0;
};

ProbeFlowResult run_probe_flow(const TcpSettings& tcp, const QueueingParams& params,
                               double probe_bytes, std::uint32_t seed, std::uint64_t run);

/// "ns-3.37" (the version the generator was built against), for provenance.
std::string ns3_version();

}  // namespace swarm::ns3tables
