// BIFROST's reliable transport as seen by a flow (Fan et al., NSDI '26, §4.3 and §7.4;
// docs/models/bifrost.md §2): the guest's TCP never sees network loss, because the RTE under it
// recovers every lost packet itself, from a gap in the bitmap ACK (one round trip) or, for a
// tail loss, from a 4 ms initial RTO that doubles per retransmission of the same packet. After a
// few RTO expiries it releases the packet to the guest, whose 200 ms RTO then applies.
// It replaces the guest's loss-limited-rate table and short-flow table for the flows BIFROST
// carries (docs/design.md extension point 4).
#pragma once

#include "estimator/mitigation/flow_policy.h"

namespace swarm {

/// Linux TCP_RTO_MIN, the guest's retransmission timeout (docs/tables.md "Common parameters").
inline constexpr double kGuestRtoMinS = 0.2;

struct BifrostRecovery {
    double initial_rto_s = 4e-3;  ///< RTO₀, §4.3 "The initial RTO starts at 4 ms"
    double rto_backoff = 2.0;     ///< §4.3 "grows exponentially ... (e.g., 8 ms, 16 ms, ...)"
    int release_after_rtos = 3;   ///< §7.4 "three consecutive RTO failures (≈ 28 ms)"
    int window_packets = 512;     ///< W, §7.4 "we set the initial window to 512"
};

class BifrostTransport : public FlowTransport {
   public:
    explicit BifrostTransport(BifrostRecovery recovery) : recovery_(recovery) {}

    /// The retransmission timer of the r-th retransmission (r = 0: the first transmission):
    /// RTO₀ · backoff^r.
    double timer_s(int r) const;
    /// How much later than without loss a packet is delivered when its first `losses`
    /// transmissions are lost (losses >= 1). The first loss costs one `round_trip_s` (the gap in
    /// the next bitmap ACK triggers the fast retransmission) unless it is a `tail` loss, which
    /// waits for the timer; every later loss waits for its retransmission's timer. At the
    /// `release_after_rtos`-th expiry the packet goes back to the guest, whose RTO, counted from
    /// its own send, then recovers it: the delay is at least kGuestRtoMinS.
    double recovery_delay_s(int losses, bool tail, double round_trip_s) const;
    /// How long, on average, a packet holds one of the W window slots when each transmission is
    /// lost with probability p: one RTT plus the expected non-tail recovery, up to the release
    /// (after which the slot is free again).
    double expected_hold_s(double drop_rate, double rtt_s) const;

    /// Little's law on the window: W · MSS · 8 / expected_hold_s(p̄, R̄), deterministic (no table
    /// draw). p̄ is the leg's mean drop rate over its subflows, R̄ its base RTT.
    double loss_limited_bps(const RouteLeg& leg, const TransportTables& guest,
                            double u) const override;
    /// N_rtt(size, drop 0, R) · (R + Q) from the guest's short-flow table (its slow start sees no
    /// loss), plus the recovery of the packets lost on the way: each of the ⌈size / MSS⌉ packets
    /// is lost with the leg's drop rate, each retransmission again. A run of consecutive lost
    /// packets is recovered side by side and costs the longest recovery_delay_s of its packets,
    /// tail losses if no packet after the run arrives; runs add up (pessimistic: their
    /// recoveries may overlap, rare at the loss rates that matter). The loss draws come from a
    /// stream seeded by `u`.
    double short_flow_fct_s(double size_bytes, const RouteLeg& leg, double queueing_s,
                            const TransportTables& guest, double u) const override;

    const BifrostRecovery& recovery() const { return recovery_; }

   private:
    BifrostRecovery recovery_;
};

}  // namespace swarm
