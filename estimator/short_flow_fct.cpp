#include "estimator/short_flow_fct.h"

#include <algorithm>
#include <cmath>

#include "estimator/transport_tables.h"

namespace swarm::short_flow {
namespace {

/// Further failures after the first, each with probability p (geometric); bounded, because
/// past the cap every wait costs the same and p close to 1 would not end.
int extra_failures(double p, Rng& rng) {
    constexpr int kMaxRetries = 30;
    int k = 0;
    while (k < kMaxRetries && rng.uniform() < p) ++k;
    return k;
}

/// Total wait of `attempts` consecutive timeouts starting at `first`, doubling, each capped.
double backoff_s(double first, int attempts, const TcpTimers& timers) {
    double total = 0.0;
    double wait = first;
    for (int i = 0; i < attempts; ++i) {
        total += std::min(wait, timers.max_rto_s);
        wait *= 2.0;
    }
    return total;
}

std::int64_t tail_segments(std::int64_t n, const TcpTimers& timers) {
    return std::min<std::int64_t>(n, timers.dupack_threshold);
}

}  // namespace

std::int64_t segments(double size_bytes, const TcpTimers& timers) {
    return std::max<std::int64_t>(
        1, static_cast<std::int64_t>(std::ceil(size_bytes / timers.mss_bytes)));
}

double handshake_timeout_probability(double drop_forward, double drop_reverse) {
    return 1.0 - (1.0 - drop_forward) * (1.0 - drop_reverse);
}

double expected_handshake_delay_s(double drop_forward, double drop_reverse,
                                  const TcpTimers& timers) {
    return timers.syn_rto_s *
           (drop_forward / (1.0 - 2.0 * drop_forward) + drop_reverse / (1.0 - 2.0 * drop_reverse));
}

double data_timeout_probability(std::int64_t segments, double drop, const TcpTimers& timers) {
    return 1.0 - std::pow(1.0 - drop, static_cast<double>(tail_segments(segments, timers)));
}

double data_rto_s(double rtt_s, const TcpTimers& timers) {
    return std::max(timers.min_rto_s, 3.0 * rtt_s);
}

double expected_data_delay_s(std::int64_t segments, double drop, double rtt_s,
                             const TcpTimers& timers) {
    return data_timeout_probability(segments, drop, timers) * data_rto_s(rtt_s, timers) /
           (1.0 - 2.0 * drop);
}

double timeout_probability(const ShortFlowPath& path, const TcpTimers& timers) {
    const double handshake = handshake_timeout_probability(path.drop_forward, path.drop_reverse);
    const double data =
        data_timeout_probability(segments(path.size_bytes, timers), path.drop_forward, timers);
    return 1.0 - (1.0 - handshake) * (1.0 - data);
}

double sample_timeout_delay_s(const ShortFlowPath& path, const TcpTimers& timers, Rng& rng) {
    const std::uint64_t draw = rng.next();
    const double u = static_cast<double>(draw >> 11) * 0x1.0p-53;
    const double pf = path.drop_forward;
    const double pr = path.drop_reverse;
    const double handshake = handshake_timeout_probability(pf, pr);
    const double data = data_timeout_probability(segments(path.size_bytes, timers), pf, timers);
    const double any = 1.0 - (1.0 - handshake) * (1.0 - data);
    if (u >= any) return 0.0;  // most flows: one draw, no timeout
    // u < handshake: the handshake failed (and the data part is independent); otherwise only
    // the data part did. Both have exactly their probabilities: P = handshake, (1 - handshake)
    // data.
    Rng detail(draw);
    double delay = 0.0;
    const bool handshake_failed = u < handshake;
    if (handshake_failed) {
        // SYN failures K_f >= 1 with probability p_f; else the SYN got through and the SYN-ACK
        // failed (K_r >= 1). CSA: each direction retries with its own doubling timer.
        int syn = 0;
        int syn_ack = 0;
        if (detail.uniform() * handshake < pf) {
            syn = 1 + extra_failures(pf, detail);
            syn_ack = extra_failures(pr, detail);
        } else {
            syn_ack = 1 + extra_failures(pr, detail);
        }
        delay +=
            backoff_s(timers.syn_rto_s, syn, timers) + backoff_s(timers.syn_rto_s, syn_ack, timers);
    }
    if (!handshake_failed || detail.uniform() < data) {
        // The RTO fires, and again (doubled) while its retransmission is lost.
        delay += backoff_s(data_rto_s(path.rtt_s, timers), 1 + extra_failures(pf, detail), timers);
    }
    return delay;
}

double sample_fct_s(const ShortFlowPath& path, const ShortFlowRttTable& body,
                    const TcpTimers& timers, double u_body, Rng& rng) {
    const double rounds =
        body.sample_rtts(path.size_bytes, path.drop_forward, path.base_rtt_s, u_body);
    return rounds * path.rtt_s + sample_timeout_delay_s(path, timers, rng);
}

}  // namespace swarm::short_flow
