// Short-flow completion time as a body plus timeout terms (SWARM §3.3 "Modeling the FCT of
// short flows", extended by issue 13; equations and sources in docs/model.md "Short flows"):
//
//   FCT = N_body x RTT + T_handshake + T_data
//
// N_body is the number of round trips of a flow that had no retransmission timeout, drawn from
// the measured body table (short_flow_body.tsv: ns-3 runs without a timeout, >= 1000 per point).
// The timeouts are derived per flow from the drop rates of its two directions and drawn, not
// averaged, so that the tail of the FCT distribution carries their probability:
//   * handshake (Cardwell, Savage, Anderson, INFOCOM 2000): each lost SYN, or lost SYN-ACK,
//     costs the SYN RTO, doubling per retry;
//   * data: a loss that fast retransmit cannot repair, because fewer than `dupack_threshold`
//     segments follow the last lost segment (a tail loss; Padhye et al.'s Q(p, w) with the
//     window extended to the rest of the flow by limited transmit, RFC 3042; no tail-loss
//     probe in ns-3.37, Dukkipati et al.), costs the RTO, doubling while its retransmission
//     is lost (PFTK's back-off sum).
#pragma once

#include <cstdint>

#include "estimator/random.h"

namespace swarm {

class ShortFlowRttTable;

/// The TCP timers of the timeout terms: those the measured table sets and the ground truth run
/// with (tools/ns3_common/tcp_settings.h; Linux's values).
struct TcpTimers {
    double syn_rto_s =
        1.0;  ///< first SYN / SYN-ACK retransmission timeout (Linux TCP_TIMEOUT_INIT)
    double min_rto_s = 0.200;  ///< data RTO floor (Linux TCP_RTO_MIN)
    double max_rto_s = 60.0;   ///< back-off cap of one wait (ns-3's TcpSocketBase)
    int dupack_threshold = 3;  ///< segments after a loss that fast retransmit needs
    double mss_bytes = 1448.0;
};

/// One short flow as the model sees it.
struct ShortFlowPath {
    double size_bytes = 0.0;
    double drop_forward = 0.0;  ///< data segments, SYN (the path's drop rate)
    double drop_reverse = 0.0;  ///< SYN-ACK; pure ACKs are never dropped (docs/fidelity.md)
    double base_rtt_s = 0.0;    ///< propagation RTT: the body table's axis
    double rtt_s = 0.0;         ///< one round of the body: base RTT plus queueing
};

/// Closed forms of the timeout terms (reference values for tests and docs/model.md).
namespace short_flow {

/// ceil(size / MSS), at least 1.
std::int64_t segments(double size_bytes, const TcpTimers& timers);
/// P(at least one SYN or SYN-ACK lost) = 1 - (1 - p_f)(1 - p_r).
double handshake_timeout_probability(double drop_forward, double drop_reverse);
/// CSA's expected handshake delay beyond one RTT:
/// T_s (p_f / (1 - 2 p_f) + p_r / (1 - 2 p_r)), p < 0.5, without the back-off cap.
double expected_handshake_delay_s(double drop_forward, double drop_reverse,
                                  const TcpTimers& timers);
/// P(a data retransmission timeout) for n segments at drop p: the last lost segment is one of
/// the last k = min(dupack_threshold, n): 1 - (1 - p)^k. A fast retransmission lost again is
/// left out: ns-3 repairs most of them (docs/model.md, the single-link validation).
double data_timeout_probability(std::int64_t segments, double drop, const TcpTimers& timers);
/// The first data RTO: max(min RTO, RTT + 4 RTTVAR) with RTTVAR = RTT / 2 (RFC 6298).
double data_rto_s(double rtt_s, const TcpTimers& timers);
/// E[T_data] = P(data timeout) T0 / (1 - 2p): PFTK's G(p) T0 / (1 - p) without the cap.
double expected_data_delay_s(std::int64_t segments, double drop, double rtt_s,
                             const TcpTimers& timers);
/// P(the flow has any timeout).
double timeout_probability(const ShortFlowPath& path, const TcpTimers& timers);

/// The flow's timeout delay (0 unless it has a timeout). Consumes exactly one number of `rng`
/// whatever happens (the flow's further draws come from a generator seeded by it), so the
/// flows after it keep their draws.
double sample_timeout_delay_s(const ShortFlowPath& path, const TcpTimers& timers, Rng& rng);

/// N_body(u_body) x RTT + sample_timeout_delay_s.
double sample_fct_s(const ShortFlowPath& path, const ShortFlowRttTable& body,
                    const TcpTimers& timers, double u_body, Rng& rng);

}  // namespace short_flow
}  // namespace swarm
