// Many independent short TCP flows over one lossy link in one ns-3 run: the measurement behind
// the short-flow body table (short_flow_body.tsv) and the single-link validation of the
// short-flow FCT model (estimator/short_flow_fct.h, docs/model.md "Short flows").
//
// Why a batch: one forked process per flow (run_short_flow) costs more in set-up than in
// simulation, and the body and the validation need 10^3-10^4 flows per point. The flows start
// `gap_s` apart on one link fast enough never to queue them (10 Tb/s: a 1500-byte packet
// occupies it 1.2 ns), each on its own connection; each packet is dropped independently
// (DataLossModel: data, SYN, SYN-ACK and FIN, never pure ACKs, as in the ground truth), so the
// flows are independent draws. Like experiments.h this header includes no ns-3 header.
#pragma once

#include <cstdint>
#include <vector>

#include "tools/ns3_common/tcp_settings.h"

namespace swarm::ns3tables {

struct ShortBatchParams {
    double size_bytes = 10000;
    double drop_forward = 0.0;  ///< sender -> receiver: data segments, SYN, FIN
    double drop_reverse = 0.0;  ///< receiver -> sender: SYN-ACK (pure ACKs are never dropped)
    double rtt_s = 20e-6;       ///< round-trip propagation delay
    double link_bps = 10e12;
    int flows = 500;
    double gap_s = 1e-3;          ///< between consecutive flow starts
    double time_limit_s = 300.0;  ///< after the last start; flows still running are censored
};

/// One flow: completion time from connect() (the SYN) to the last byte delivered to the
/// receiving application, and which timeouts it went through.
struct ShortBatchFlow {
    double fct_s = 0.0;
    bool censored = false;            ///< not finished within the time limit (fct_s: time so far)
    bool handshake_timeout = false;   ///< connection established only after a SYN/SYN-ACK timeout
    std::uint32_t data_timeouts = 0;  ///< entries into CA_LOSS (retransmission timeouts)
    bool timed_out() const { return handshake_timeout || data_timeouts > 0; }
};

/// Runs one batch with RngSeedManager (seed, run). Call it in a freshly forked process
/// (runner.h): ns-3's simulator and stream numbering are process-global.
std::vector<ShortBatchFlow> run_short_batch(const ns3common::TcpSettings& tcp,
                                            const ShortBatchParams& params, std::uint32_t seed,
                                            std::uint64_t run);

}  // namespace swarm::ns3tables
