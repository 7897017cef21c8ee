// The TCP and switch settings every ns-3 simulation of this project uses: the transport-table
// generator (tools/tables/ns3, docs/tables.md) and the ground-truth runner (tools/truth,
// docs/fidelity.md). Plain C++ with no ns-3 header, so C++20 code can hold and print them;
// tcp_stack.h applies them to ns-3 (C++17 only).
#pragma once

#include <cstdint>
#include <string>

namespace swarm::ns3common {

/// Congestion controls the ns-3 tools simulate.
enum class CongestionControl { kCubic, kNewReno, kDctcp, kBbr };

/// "cubic", "newreno", "dctcp", "bbr"; throws std::invalid_argument on anything else.
CongestionControl parse_cc(const std::string& name);
std::string cc_name(CongestionControl cc);

/// TCP and switch settings; the table generator records every field in the tables' provenance
/// header (table_writer.cpp) so a reader can tell what was simulated.
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

}  // namespace swarm::ns3common
