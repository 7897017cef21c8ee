#include "models/bifrost_transport.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>

#include "estimator/random.h"
#include "estimator/transport_tables.h"

namespace swarm {

double BifrostTransport::timer_s(int r) const {
    return recovery_.initial_rto_s * std::pow(recovery_.rto_backoff, static_cast<double>(r));
}

// §4.3: a gap in the bitmap triggers an immediate retransmission; a tail loss or a lost
// retransmission waits for the timer of that transmission (4 ms, 8 ms, 16 ms, ...). §7.4: after
// three consecutive RTO failures (about 28 ms) the descriptor is released and the guest recovers.
double BifrostTransport::recovery_delay_s(int losses, bool tail, double round_trip_s) const {
    double delay = 0.0;
    int expiries = 0;
    for (int r = 0; r < losses; ++r) {  // transmission r is lost
        if (r == 0 && !tail) {
            delay += round_trip_s;
            continue;
        }
        delay += timer_s(r);
        if (++expiries >= recovery_.release_after_rtos) return std::max(delay, kGuestRtoMinS);
    }
    return delay;
}

double BifrostTransport::expected_hold_s(double drop_rate, double rtt_s) const {
    double hold = rtt_s;
    double all_lost = 1.0;  // P(transmissions 0..r are all lost)
    int expiries = 0;
    for (int r = 0; expiries < recovery_.release_after_rtos; ++r) {
        all_lost *= drop_rate;
        if (all_lost == 0.0) break;
        if (r == 0) {
            hold += all_lost * rtt_s;
            continue;
        }
        hold += all_lost * timer_s(r);
        ++expiries;
    }
    return hold;
}

double BifrostTransport::loss_limited_bps(const RouteLeg& leg, const TransportTables& guest,
                                          double u) const {
    (void)u;
    return recovery_.window_packets * guest.mss_bytes * 8.0 /
           expected_hold_s(leg.drop_rate, leg.base_rtt_s);
}

double BifrostTransport::short_flow_fct_s(double size_bytes, const RouteLeg& leg, double queueing_s,
                                          const TransportTables& guest, double u) const {
    const double round_trip = leg.base_rtt_s + queueing_s;
    const double fct =
        guest.short_flow_rtts.sample_rtts(size_bytes, 0.0, leg.base_rtt_s, u) * round_trip;
    const double p = leg.drop_rate;
    if (p <= 0.0) return fct;

    // The flow's own loss stream, from its draw u (which is already per flow and seeded).
    Rng rng(derive_seed(std::bit_cast<std::uint64_t>(u), {kModelStream}));
    const auto packets =
        static_cast<std::int64_t>(std::max(1.0, std::ceil(size_bytes / guest.mss_bytes)));
    const double log_keep = p < 1.0 ? std::log1p(-p) : 0.0;
    // Index of the next lost first transmission after `after` (geometric gaps: no draw per packet).
    auto next_loss = [&](std::int64_t after) {
        if (p >= 1.0) return after + 1;
        const double gap = std::floor(std::log1p(-rng.uniform()) / log_keep);
        return gap >= static_cast<double>(packets) ? packets
                                                   : after + 1 + static_cast<std::int64_t>(gap);
    };
    // How many transmissions of one packet are lost, from its first (lost) one; more than
    // release_after_rtos + 1 changes nothing.
    auto losses = [&]() {
        int n = 1;
        while (n <= recovery_.release_after_rtos && rng.uniform() < p) ++n;
        return n;
    };
    // One run of consecutive lost packets is revealed by one bitmap (or expires at once): its
    // packets are recovered side by side, the run costs its longest recovery. Runs add up.
    auto run_delay = [&](std::int64_t count, bool tail) {
        double longest = 0.0;
        for (std::int64_t i = 0; i < count; ++i)
            longest = std::max(longest, recovery_delay_s(losses(), tail, round_trip));
        return longest;
    };
    double extra = 0.0;
    std::int64_t run_start = -1;
    std::int64_t run_end = -1;
    for (std::int64_t i = next_loss(-1); i < packets; i = next_loss(i)) {
        if (run_start >= 0 && i == run_end + 1) {
            run_end = i;
            continue;
        }
        if (run_start >= 0) extra += run_delay(run_end - run_start + 1, false);
        run_start = run_end = i;
    }
    if (run_start >= 0) extra += run_delay(run_end - run_start + 1, run_end == packets - 1);
    return fct + extra;
}

}  // namespace swarm
