// swarm_tables_analytic: writes the "analytic" transport table set (SWARM §3.3, Appendix B)
// from textbook models, as a stand-in until ns-3 measurements replace it in the same format.
//
//   swarm_tables_analytic <output-dir>
//
// writes <output-dir>/{loss_limited_throughput,short_flow_rtts,queueing_delay}.tsv, each with a
// provenance header (model, parameters, seeds, command line), then loads them back with
// TransportTables::load as a self-check. Deterministic: fixed seeds, own RNG (estimator/random.h).
// Models and parameters are documented in docs/tables.md.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

#include "estimator/random.h"
#include "estimator/transport_tables.h"
#include "tools/tables/common/quantiles.h"
#include "tools/tables/common/table_writer.h"

namespace swarm::tables {
namespace {

// ---- parameters (all recorded in the file headers) --------------------------------------------

constexpr double kMssBytes = 1448.0;  // Linux payload with timestamps on a 1500-byte MTU
constexpr double kMtuBytes = 1500.0;
constexpr double kRtoMinS = 0.200;            // Linux TCP_RTO_MIN
constexpr double kRttVarFraction = 0.5;       // RTTvar = RTT/2 (RFC 6298's initial value)
constexpr int kMaxBackoff = 64;               // PFTK caps the timeout backoff at 64 T0
constexpr double kAcksPerWindowGrowth = 1.0;  // PFTK's b: packets acknowledged per ACK
constexpr double kInitialWindow = 10.0;       // RFC 6928 / Linux initial window, in MSS

constexpr std::uint64_t kThroughputSeed = 0x5357524d4c4c5431ULL;  // "SWRMLLT1"
constexpr std::uint64_t kShortFlowSeed = 0x5357524d53465231ULL;   // "SWRMSFR1"
constexpr int kThroughputRuns = 100;
constexpr double kThroughputDurationS = 10.0;  // iperf3's default run length (App. B uses iperf3)
constexpr int kShortFlowRuns = 1000;

// DCTCP standing queue (Alizadeh et al., SIGCOMM 2010, §3.3): the paper's 10 Gbps setting.
constexpr double kDctcpK = 65.0;           // ECN marking threshold, packets
constexpr double kDctcpBdpPackets = 83.0;  // C x RTT: 10 Gbps x 100 us / 1500 B
constexpr double kBufferPackets = 1000.0;  // cap: a shallow data-center switch buffer
constexpr double kQueueTopLevel = 0.9999;  // the model's quantile stored as level 1

const std::vector<double> kDropRates = {0,    1e-6, 2e-6, 5e-6, 1e-5, 2e-5, 5e-5, 1e-4, 2e-4,
                                        5e-4, 1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2, 0.1,  0.2};
const std::vector<double> kRttsUs = {5, 10, 20, 50, 100, 200, 500, 1000, 2000};
const std::vector<double> kSizesBytes = {1000,   2000,   5000,   10000,  20000,  50000,
                                         100000, 150000, 200000, 500000, 1000000};
const std::vector<double> kUtilizations = {0,   0.1, 0.2, 0.3,  0.4,  0.5, 0.6,
                                           0.7, 0.8, 0.9, 0.95, 0.98, 1.0};
const std::vector<double> kCompetingFlows = {0, 1, 2, 4, 8, 16, 32, 64, 128};

// ---- small helpers ----------------------------------------------------------------------------

double rto_s(double rtt_s) { return std::max(kRtoMinS, rtt_s + 4.0 * kRttVarFraction * rtt_s); }

// Successful packets before the next loss: geometric on {0, 1, ...}. Drawing whole gaps (valid
// by memorylessness) costs one log per loss instead of one draw per packet.
std::int64_t loss_gap(Rng& rng, double p) {
    if (p <= 0.0) {
        return std::numeric_limits<std::int64_t>::max();
    }
    if (p >= 1.0) {
        return 0;
    }
    const double g = std::floor(std::log1p(-rng.uniform()) / std::log1p(-p));
    return g >= 9e18 ? std::numeric_limits<std::int64_t>::max() : static_cast<std::int64_t>(g);
}

// ---- loss-limited throughput ------------------------------------------------------------------

/// PFTK full model (Padhye et al., SIGCOMM 1998, eq. 30 without the receiver-window cap), b/s.
double pftk_bps(double p, double rtt_s) {
    const double b = kAcksPerWindowGrowth;
    const double t0 = rto_s(rtt_s);
    const double denom =
        rtt_s * std::sqrt(2.0 * b * p / 3.0) +
        t0 * std::min(1.0, 3.0 * std::sqrt(3.0 * b * p / 8.0)) * p * (1.0 + 32.0 * p * p);
    return kMssBytes * 8.0 / denom;
}

/// One Reno flow for kThroughputDurationS under PFTK's loss process: packets are lost with
/// probability p, and once one is lost the rest of its round is lost too (PFTK §2). A loss is
/// repaired by fast retransmit when the packets acknowledged before it produce >= 3 duplicate
/// ACKs, else (or when a retransmission is lost) by a timeout T0 with doubling backoff.
double simulate_long_flow_bps(double p, double rtt_s, Rng& rng) {
    const double t0 = rto_s(rtt_s);
    double window = kInitialWindow;
    double ssthresh = std::numeric_limits<double>::infinity();
    double time = 0.0;
    double delivered = 0.0;
    std::int64_t gap = loss_gap(rng, p);
    while (time < kThroughputDurationS) {
        const auto w = static_cast<std::int64_t>(std::max(1.0, std::floor(window)));
        time += rtt_s;
        if (gap >= w) {
            gap -= w;
            delivered += static_cast<double>(w);
            window = window < ssthresh ? std::min(2.0 * window, std::max(ssthresh, window + 1.0))
                                       : window + 1.0 / kAcksPerWindowGrowth;
            continue;
        }
        const std::int64_t acked = gap;  // packets before the first loss of the round
        const std::int64_t lost = w - gap;
        delivered += static_cast<double>(acked);
        gap = loss_gap(rng, p);
        ssthresh = std::max(2.0, window / 2.0);
        if (acked >= 3) {
            // Fast retransmit: one more round repairs the round's losses. Like PFTK we do not
            // model lost retransmissions here (they are second order, ~p per repair).
            time += rtt_s;
            delivered += static_cast<double>(lost);
            window = ssthresh;
            continue;
        }
        // Timeout: wait T0, then retransmit one packet; each lost retransmission doubles T0.
        for (int backoff = 1;; backoff = std::min(2 * backoff, kMaxBackoff)) {
            time += backoff * t0;
            if (gap > 0) {
                --gap;
                break;
            }
            gap = loss_gap(rng, p);
        }
        delivered += 1.0;  // the other lost packets go out again in the following windows
        window = 1.0;
    }
    return delivered * kMssBytes * 8.0 / time;
}

// ---- short-flow RTT counts --------------------------------------------------------------------

/// What one short flow cost: rounds (each one RTT, the handshake included) and timeouts (in
/// units of one RTO, backoff included). RTTs = rounds + timeout_units * RTO / RTT, so one
/// trajectory serves every RTT of the grid.
struct ShortFlowCost {
    double rounds = 0.0;
    double timeout_units = 0.0;
};

/// Slow start with losses (independent per packet): IW 10, doubling per loss-free round. A lost
/// packet with >= 3 delivered packets after it in its window is repaired by fast retransmit
/// (one extra round, window halved); one with fewer, or a lost retransmission, by an RTO with
/// exponential backoff (repeated timeouts without progress).
ShortFlowCost simulate_short_flow(double size_bytes, double p, Rng& rng) {
    ShortFlowCost cost{1.0, 0.0};  // the handshake
    auto remaining = static_cast<std::int64_t>(std::ceil(size_bytes / kMssBytes));
    double window = kInitialWindow;
    double ssthresh = std::numeric_limits<double>::infinity();
    int backoff = 1;
    std::int64_t gap = loss_gap(rng, p);
    const auto time_out = [&] {
        cost.timeout_units += backoff;
        backoff = std::min(2 * backoff, kMaxBackoff);
        ssthresh = std::max(2.0, window / 2.0);
        window = 1.0;
    };
    while (remaining > 0) {
        const std::int64_t w =
            std::min(remaining, static_cast<std::int64_t>(std::max(1.0, std::floor(window))));
        cost.rounds += 1.0;
        std::int64_t lost = 0;
        std::int64_t last_lost = -1;
        std::int64_t pos = gap;  // 0-based position of the next loss
        while (pos < w) {
            ++lost;
            last_lost = pos;
            const std::int64_t next = loss_gap(rng, p);
            pos = next >= std::numeric_limits<std::int64_t>::max() - pos - 1
                      ? std::numeric_limits<std::int64_t>::max()
                      : pos + next + 1;
        }
        gap = pos == std::numeric_limits<std::int64_t>::max() ? pos : pos - w;
        remaining -= w - lost;
        if (w - lost > 0) {
            backoff = 1;  // new data was acknowledged
        }
        if (lost == 0) {
            window = window < ssthresh ? std::min(2.0 * window, std::max(ssthresh, window + 1.0))
                                       : window + 1.0;
            continue;
        }
        if (w - 1 - last_lost < 3) {
            time_out();  // too few packets after the last loss to trigger 3 duplicate ACKs
            continue;
        }
        cost.rounds += 1.0;  // fast retransmit of the round's losses
        if (gap < lost) {
            remaining -= gap;  // retransmissions before the lost one got through
            gap = loss_gap(rng, p);
            time_out();
            continue;
        }
        gap -= lost;
        remaining -= lost;
        ssthresh = std::max(2.0, window / 2.0);
        window = ssthresh;
    }
    return cost;
}

// ---- queueing delay ---------------------------------------------------------------------------

/// M/D/1 waiting time in packet times (Pollaczek-Khinchine mean rho / (2 (1 - rho))) with
/// Kingman's exponential approximation of its distribution: P(W > t) = rho exp(-t rho / E[W]).
double md1_quantile(double rho, double q) {
    if (rho <= 0.0 || q <= 1.0 - rho) {
        return 0.0;  // an arrival finds the link idle with probability 1 - rho (PASTA)
    }
    const double mean = rho / (2.0 * (1.0 - rho));
    // std::max(0.0, x) rather than clamp: it also turns -0 into 0.
    return std::min(kBufferPackets, std::max(0.0, -std::log((1.0 - q) / rho) * mean / rho));
}

/// DCTCP at saturation with n long flows (Alizadeh et al. 2010, §3.3): a sawtooth between
/// Q_max = K + n and Q_max - A, A = sqrt(2 n (C x RTT + K)) / 2; a sawtooth is uniform in time.
double dctcp_quantile(double n, double q) {
    const double q_max = kDctcpK + n;
    const double amplitude = 0.5 * std::sqrt(2.0 * n * (kDctcpBdpPackets + kDctcpK));
    const double q_min = std::max(0.0, q_max - amplitude);
    return std::min(kBufferPackets, q_min + q * (q_max - q_min));
}

/// Below saturation the long flows are bottlenecked elsewhere and only add load: M/D/1 at the
/// utilisation, whatever n. At utilisation 1 the link is a bottleneck and its queue is DCTCP's
/// standing queue; with no long flow counted we use n = 1 (a saturated link always has a
/// bottlenecked flow, and M/D/1 has no steady state at rho = 1).
double queue_quantile(double utilization, double flows, double q) {
    const double level = q >= 1.0 ? kQueueTopLevel : q;
    if (utilization < 1.0) {
        return md1_quantile(utilization, level);
    }
    return dctcp_quantile(std::max(1.0, flows), q);
}

// ---- assembling the table files ---------------------------------------------------------------

const char* kStandIn =
    "analytic stand-in, not a measurement; to be replaced by ns-3 measurements (same format)";

void add_common(TableFile& table, const std::string& command) {
    table.sources.insert(table.sources.begin(), kStandIn);
    table.mss_bytes = kMssBytes;
    table.mtu_bytes = kMtuBytes;
    table.provenance.emplace_back("generator",
                                  "tools/tables/analytic/generate_analytic_tables.cpp");
    table.provenance.emplace_back("command", command);
}

TableFile loss_limited_table(const std::string& command) {
    TableFile t("loss_limited_throughput", {"drop_rate", "rtt_us"}, "throughput_bps",
                kLossLimitedThroughputLevels);
    t.sources = {
        "model: Padhye, Firoiu, Towsley, Kurose, \"Modeling TCP Throughput\", SIGCOMM 1998 (PFTK)",
        "spread: Monte Carlo of PFTK's renewal process (Reno rounds, correlated in-round loss, "
        "fast retransmit vs timeout with backoff), quantiles over runs"};
    add_common(t, command);
    t.provenance.emplace_back(
        "parameters",
        "b=1, T0=max(RTO_min=200ms, RTT+4*RTTvar), RTTvar=RTT/2, backoff cap 64*T0, IW=10, "
        "MSS=1448 B, duration=" +
            format_number(kThroughputDurationS) + " s per run, runs=" +
            std::to_string(kThroughputRuns) + " per grid point, no receiver-window cap");
    t.provenance.emplace_back("seed", "run r uses derive_seed(" + std::to_string(kThroughputSeed) +
                                          ", {r}) at every grid point (common random numbers)");
    t.provenance.emplace_back("note",
                              "drop_rate 0 is inf: not loss-limited. PFTK point value for "
                              "comparison: B(p) = MSS / (RTT sqrt(2bp/3) + T0 min(1, "
                              "3 sqrt(3bp/8)) p (1 + 32 p^2))");
    for (const double p : kDropRates) {
        for (const double rtt_us : kRttsUs) {
            std::vector<double> samples;
            for (int r = 0; r < kThroughputRuns && p > 0.0; ++r) {
                Rng rng(derive_seed(kThroughputSeed, {static_cast<std::uint64_t>(r)}));
                samples.push_back(simulate_long_flow_bps(p, rtt_us * 1e-6, rng));
            }
            const auto values = p > 0.0 ? empirical_quantiles(samples, t.levels)
                                        : std::vector<double>(t.levels.size(), HUGE_VAL);
            t.add_row({p, rtt_us}, values);
        }
    }
    return t;
}

TableFile short_flow_table(const std::string& command) {
    TableFile t("short_flow_rtts", {"size_bytes", "drop_rate", "rtt_us"}, "rtts",
                kShortFlowRttLevels);
    t.sources = {
        "model: Monte Carlo of TCP slow start with independent packet loss (this repository)"};
    add_common(t, command);
    t.provenance.emplace_back(
        "parameters",
        "IW=10 MSS, window x2 per loss-free RTT (+1 above ssthresh), handshake = 1 RTT, "
        "loss with >=3 delivered packets after it in its window: fast retransmit, +1 RTT, "
        "window halved; otherwise or lost retransmission: RTO=max(200ms, RTT+4*RTTvar) "
        "expressed in RTTs, backoff x2 per repeated timeout (cap 64), window 1; MSS=1448 B; "
        "runs=" +
            std::to_string(kShortFlowRuns) + " per (size, drop rate)");
    t.provenance.emplace_back("seed", "run r uses derive_seed(" + std::to_string(kShortFlowSeed) +
                                          ", {r}) at every grid point (common random numbers); one "
                                          "trajectory serves all RTTs");
    for (const double size : kSizesBytes) {
        for (const double p : kDropRates) {
            std::vector<ShortFlowCost> costs;
            for (int r = 0; r < kShortFlowRuns; ++r) {
                Rng rng(derive_seed(kShortFlowSeed, {static_cast<std::uint64_t>(r)}));
                costs.push_back(simulate_short_flow(size, p, rng));
            }
            for (const double rtt_us : kRttsUs) {
                const double rto_rtts = rto_s(rtt_us * 1e-6) / (rtt_us * 1e-6);
                std::vector<double> samples;
                for (const auto& c : costs) {
                    samples.push_back(c.rounds + c.timeout_units * rto_rtts);
                }
                t.add_row({size, p, rtt_us}, empirical_quantiles(samples, t.levels));
            }
        }
    }
    return t;
}

TableFile queueing_table(const std::string& command) {
    TableFile t("queueing_delay", {"utilization", "competing_flows"}, "packets",
                kQueueingDelayLevels);
    t.sources = {
        "model below saturation: M/D/1 waiting time (Pollaczek-Khinchine mean) with Kingman's "
        "exponential approximation of its distribution",
        "model at utilization 1: DCTCP standing queue, Alizadeh et al., \"Data Center TCP "
        "(DCTCP)\", SIGCOMM 2010, sec. 3.3 (Q_max = K + n, amplitude sqrt(2n(C*RTT+K))/2)"};
    add_common(t, command);
    t.provenance.emplace_back(
        "parameters",
        "K=" + format_number(kDctcpK) + " packets, C*RTT=" + format_number(kDctcpBdpPackets) +
            " packets (10 Gbps, 100 us, 1500 B), buffer cap " + format_number(kBufferPackets) +
            " packets, level 1 holds the model's " + format_number(kQueueTopLevel) +
            " quantile (the exponential tail has no maximum), n=0 at utilization 1 uses n=1");
    for (const double u : kUtilizations) {
        for (const double n : kCompetingFlows) {
            std::vector<double> values;
            for (const double q : t.levels) {
                values.push_back(queue_quantile(u, n, q));
            }
            t.add_row({u, n}, values);
        }
    }
    return t;
}

void print_pftk_comparison(const std::filesystem::path& dir) {
    const auto tables = TransportTables::load(dir);
    std::cout << "loaded " << tables.name << "; PFTK vs Monte Carlo median (b/s):\n";
    for (const double p : {1e-5, 1e-4, 1e-3, 1e-2, 0.1}) {
        for (const double rtt_us : {10.0, 100.0, 1000.0}) {
            std::cout << "  p=" << format_number(p) << " rtt=" << format_number(rtt_us)
                      << "us  pftk=" << format_number(pftk_bps(p, rtt_us * 1e-6), 4) << "  mc="
                      << format_number(tables.loss_limited.sample_bps(p, rtt_us * 1e-6, 0.5), 4)
                      << '\n';
        }
    }
}

}  // namespace
}  // namespace swarm::tables

int main(int argc, char** argv) {
    using namespace swarm::tables;
    if (argc != 2) {
        std::cerr << "usage: swarm_tables_analytic <output-dir>\n";
        return 2;
    }
    try {
        const std::filesystem::path dir = argv[1];
        std::filesystem::create_directories(dir);
        const std::string command = command_line_text(argc, argv);
        write_table_file(dir / "loss_limited_throughput.tsv", loss_limited_table(command));
        write_table_file(dir / "short_flow_rtts.tsv", short_flow_table(command));
        write_table_file(dir / "queueing_delay.tsv", queueing_table(command));
        print_pftk_comparison(dir);
    } catch (const std::exception& e) {
        std::cerr << "swarm_tables_analytic: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
