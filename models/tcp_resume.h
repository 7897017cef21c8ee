// When the guest's TCP sends again after its path went dead (docs/models/README.md "Dead
// paths"): an overlay that moves a flow off a blackhole (ZooRoute, RON) cannot make TCP resume
// earlier than its next retransmission timeout. RFC 6298 §5: the timer doubles at each expiry;
// Linux caps the doubling (TCP_RTO_MAX), here at 64 x RTO_min as in docs/models/README.md.
#pragma once

namespace swarm {

/// Linux TCP_RTO_MIN: the guest's first retransmission timeout (docs/tables.md "Common
/// parameters": RTO = max(200 ms, RTT + 4 RTTvar) = 200 ms on the whole RTT grid).
inline constexpr double kGuestRtoMinS = 0.2;

/// The first retransmission at or after `ready_s` of a flow whose path died at `died_s`:
/// retransmissions go out at died_s + RTO_min (2^j - 1), j = 1, 2, ..., each step capped at
/// 64 RTO_min. Returns `died_s` if the flow was moved before its path died (ready_s <= died_s).
/// PRECONDITION: finite arguments.
inline double tcp_resume_s(double died_s, double ready_s, double rto_min_s = kGuestRtoMinS) {
    if (ready_s <= died_s) return died_s;
    const double max_step = 64.0 * rto_min_s;
    double t = died_s;
    double step = rto_min_s;
    while (t < ready_s) {
        t += step;
        step = step * 2.0 < max_step ? step * 2.0 : max_step;
    }
    return t;
}

}  // namespace swarm
