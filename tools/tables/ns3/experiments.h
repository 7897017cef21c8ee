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

namespace swarm::ns3tables {

/// Congestion controls the generator measures (one table set each).
enum class CongestionControl { kCubic, kNewReno, kDctcp, kBbr };

/// "cubic", "newreno", "dctcp", "bbr"; throws std::invalid_argument on anything else.
CongestionControl parse_cc(const std::string& name);
std::string cc_name(CongestionControl cc);

/// TCP and switch settings shared by every experiment; every field is recorded in the tables'
/// provenance header (table_writer.cpp) so a reader can tell what was simulated.
struct TcpSettings {
    CongestionControl cc = CongestionControl::kCubic;
    std::uint32_t mss_bytes = 1448;   // 1500-byte IP MTU minus IP (20) and TCP+timestamps (32)
    std::uint32_t initial_cwnd = 10;  // segments (RFC 6928, Linux)
    double min_rto_s = 0.200;         // Linux TCP_RTO_MIN; ns-3's default is 1 s
    double syn_rto_s = 1.0;           // Linux TCP_TIMEOUT_INIT; ns-3's default is 3 s
    std::uint32_t data_retries = 15;  // Linux tcp_retries2; ns-3's default 6 aborts at high loss
    // Delayed ACKs: ns-3's defaults (Linux acks every 2nd segment too, but its timer is 40 ms
    // minimum with quick-ACKs at connection start; at cwnd 1 the 200 ms timer stalls a flow).
    std::uint32_t delack_count = 2;
    double delack_timeout_s = 0.200;
    std::uint32_t socket_buffer_bytes = 4u << 20;  // Linux tcp_wmem max; > BDP of 20 Gb/s x 1 ms
    std::uint32_t buffer_packets = 200;            // drop-tail / RED hard limit per egress port
    std::uint32_t ecn_threshold_packets = 65;      // DCTCP K at 10 Gb/s (Alizadeh et al. 2010)
};

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
    double wall_s = 0.0;
};

QueueingResult run_queueing(const TcpSettings& tcp, const QueueingParams& params,
                            std::uint32_t seed, std::uint64_t run);

/// "ns-3.37" (the version the generator was built against), for provenance.
std::string ns3_version();

}  // namespace swarm::ns3tables
