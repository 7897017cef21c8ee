#include "tools/tables/ns3/long_window.h"

#include <algorithm>
#include <cstdio>

#include "estimator/long_flow_window.h"
#include "estimator/transport_tables.h"
#include "tools/tables/common/quantiles.h"
#include "tools/tables/common/table_writer.h"
#include "tools/tables/ns3/generate_common.h"
#include "tools/tables/ns3/measure.h"

namespace swarm::ns3tables {

using tables::empirical_quantiles;
using tables::format_number;
using tables::TableFile;
using tables::write_table_file;

namespace {

// Sizes from a few windows (the curve's start) to the web-search CDF's largest flow; RTTs over
// the base RTTs and the queueing RTTs of a data centre (a saturated 1000-packet port at 10 Gb/s
// adds ~1.2 ms). Loss-free runs differ only by ns-3's start jitter: 3 repetitions.
const std::vector<double> kSizes = {10e3, 30e3, 100e3, 150e3, 300e3, 600e3, 1e6,
                                    2e6,  3e6,  5e6,   10e6,  20e6,  30e6};
const std::vector<double> kSmokeSizes = {10e3, 150e3, 1e6};
const std::vector<double> kRtts = {10, 30, 100, 300, 1000, 3000};
const std::vector<double> kSmokeRtts = {10, 100};
const std::vector<double> kLevels = {0, 0.5, 1};
constexpr int kRepetitions = 3;

ShortFlowParams params(const GridSpec& g, double size, double rtt_us) {
    ShortFlowParams p;
    p.size_bytes = size;
    p.drop_rate = 0.0;
    p.rtt_s = rtt_us * 1e-6;
    p.link_bps = g.short_link_bps;
    p.time_limit_s = g.short_time_limit_s;
    return p;
}

std::string key(CongestionControl cc, const GridSpec& g, double size, double rtt_us, int run) {
    return prefix("window", cc, g) + "|L=" + format_number(g.short_link_bps) +
           "|limit=" + format_number(g.short_time_limit_s) + "|size=" + format_number(size) +
           "|rtt_us=" + format_number(rtt_us) + "|run=" + std::to_string(run);
}

Job job(CongestionControl cc, const GridSpec& g, double size, double rtt_us, int run) {
    return {key(cc, g, size, rtt_us, run), [cc, g, size, rtt_us, run] {
                const auto r = run_short_flow(table_tcp_settings(cc), params(g, size, rtt_us),
                                              g.seed, static_cast<std::uint64_t>(run));
                return encode({r.fct_s, r.censored ? 1.0 : 0.0, r.wall_s});
            }};
}

// ---- validation: a finite flow joining bulk flows at one switch -------------------------------

const std::vector<double> kProbeSizes = {200e3, 500e3, 1e6, 3e6, 10e6};
const std::vector<double> kProbeFlows = {1, 4, 16};
constexpr double kProbeBuffer = 1000;  // the ground truth's buffer (docs/fidelity.md)
constexpr double kProbeStart = 5e-3;   // the bulk flows' queue has built up by then
constexpr int kProbeRepetitions = 5;

QueueingParams probe_params(const GridSpec& g, double n) {
    QueueingParams q = queueing_params(g, 1.0, static_cast<std::uint32_t>(n));
    q.warmup_s = kProbeStart;
    return q;
}

TcpSettings probe_tcp(CongestionControl cc) {
    TcpSettings tcp = table_tcp_settings(cc);
    tcp.buffer_packets = static_cast<std::uint32_t>(kProbeBuffer);
    return tcp;
}

std::string probe_key(CongestionControl cc, const GridSpec& g, double n, double size, int run) {
    const QueueingParams q = probe_params(g, n);
    return prefix("probe", probe_tcp(cc), g) + "|C=" + format_number(q.link_bps) +
           "|rtt_us=" + format_number(q.rtt_s * 1e6) + "|n=" + format_number(n) +
           "|start=" + format_number(q.warmup_s) + "|size=" + format_number(size) +
           "|speedup=" + format_number(q.access_speedup) + "|run=" + std::to_string(run);
}

Job probe_job(CongestionControl cc, const GridSpec& g, double n, double size, int run) {
    return {probe_key(cc, g, n, size, run), [cc, g, n, size, run] {
                const auto r = run_probe_flow(probe_tcp(cc), probe_params(g, n), size, g.seed,
                                              static_cast<std::uint64_t>(run));
                return encode({r.fct_s, r.queue_packets, r.censored ? 1.0 : 0.0, r.wall_s});
            }};
}

/// The estimator's window-limited FCT of a lone flow at fair share `share_bps` and round-trip
/// time `rtt_s`: its epoch step (LongFlowWindow::cap_bps, capped at the share) with 10 µs
/// epochs, plus the handshake's round trip.
double model_fct_s(const LongFlowWindow& window, double size, double share_bps, double rtt_s) {
    constexpr double kStep = 10e-6;
    double delivered = 0.0;
    double t = 0.0;
    while (delivered < size) {
        const double rate = std::min(share_bps, window.cap_bps(delivered, size, rtt_s, kStep));
        const double bytes = rate * kStep / 8.0;
        if (delivered + bytes >= size) {
            t += (size - delivered) * 8.0 / rate;
            break;
        }
        delivered += bytes;
        t += kStep;
    }
    return t + rtt_s;
}

}  // namespace

void validate_long_window(CongestionControl cc, const GenerateOptions& options, ResultCache& cache,
                          const std::filesystem::path& window_file) {
    const GridSpec& g = options.grid;
    const LongFlowWindow window = LongFlowWindow::load(window_file);
    std::vector<Job> jobs;
    for (const double n : kProbeFlows) {
        for (const double size : kProbeSizes) {
            for (int r = 1; r <= kProbeRepetitions; ++r)
                jobs.push_back(probe_job(cc, g, n, size, r));
        }
    }
    run_jobs(jobs, options.parallel, cache, "ns3-" + cc_name(cc) + " probe flows");
    std::printf(
        "| bulk flows | size | queue (packets, mean) | ns-3 FCT median [min, max] | window model "
        "| fluid share | ns-3 / window / fluid throughput (Gb/s) "
        "|\n|---|---|---|---|---|---|---|\n");
    for (const double n : kProbeFlows) {
        const QueueingParams q = probe_params(g, n);
        const double packet_s = 1500.0 * 8.0 / q.link_bps;
        // Goodput share: payload per packet on the wire (1448 of 1500 + 2 PPP bytes).
        const double share = q.link_bps * 1448.0 / 1502.0 / (n + 1.0);
        for (const double size : kProbeSizes) {
            std::vector<double> fcts;
            std::vector<double> queues;
            for (int r = 1; r <= kProbeRepetitions; ++r) {
                const auto v = decode(cache.get(probe_key(cc, g, n, size, r)));
                fcts.push_back(v.at(0));
                queues.push_back(v.at(1));
            }
            const double fct = median(fcts);
            const double queue = median(queues);
            // The estimator's RTT (epoch_window_limits.cpp): the base RTT plus the queue less the
            // flow's own window's fraction of it, ~0 beside bulk flows' unbounded windows.
            const double rtt = q.rtt_s + queue * packet_s;
            const double model = model_fct_s(window, size, share, rtt);
            const double fluid = size * 8.0 / share + q.rtt_s;
            std::printf(
                "| %g | %s | %.0f | %.3g ms [%.3g, %.3g] | %.3g ms | %.3g ms | %.2f / %.2f / "
                "%.2f |\n",
                n, format_number(size).c_str(), queue, fct * 1e3,
                *std::min_element(fcts.begin(), fcts.end()) * 1e3,
                *std::max_element(fcts.begin(), fcts.end()) * 1e3, model * 1e3, fluid * 1e3,
                size * 8e-9 / fct, size * 8e-9 / model, size * 8e-9 / fluid);
        }
    }
}

void generate_long_window_table(CongestionControl cc, const GenerateOptions& options,
                                ResultCache& cache) {
    const GridSpec& g = options.grid;
    const bool smoke = g.name == "smoke";
    const std::vector<double>& sizes = smoke ? kSmokeSizes : kSizes;
    const std::vector<double>& rtts = smoke ? kSmokeRtts : kRtts;
    const std::string name = "ns3-" + cc_name(cc);
    std::vector<Job> jobs;
    for (const double size : sizes) {
        for (const double rtt : rtts) {
            for (int r = 1; r <= kRepetitions; ++r) jobs.push_back(job(cc, g, size, rtt, r));
        }
    }
    run_jobs(jobs, options.parallel, cache, name + " long-flow window");

    TableFile t("long_flow_window", {"size_bytes", "rtt_us"}, "rtts", kLevels);
    t.sources = {
        "ns-3 measurement, SWARM Appendix B \"Number of RTTs for short flows\" extended to long "
        "flows (issue 13): completion time of one loss-free TCP flow divided by the round-trip "
        "propagation delay, i.e. the rounds its congestion window needs"};
    add_setting_provenance(t, cc, "long-flow window curve", options.command);
    t.provenance.emplace_back("seeds", "ns3::RngSeedManager::SetSeed(" + std::to_string(g.seed) +
                                           "); runs 1.." + std::to_string(kRepetitions));
    t.provenance.emplace_back(
        "setup", "one flow on one link of " + format_number(g.short_link_bps / 1e9) +
                     " Gb/s (capacity never binds), no loss, RTT = the rtt_us axis as "
                     "propagation delay; FCT from connect() to the last byte delivered");
    for (const double size : sizes) {
        for (const double rtt : rtts) {
            std::vector<double> samples;
            int censored = 0;
            for (int r = 1; r <= kRepetitions; ++r) {
                const auto v = decode(cache.get(key(cc, g, size, rtt, r)));
                samples.push_back(v.at(0) / (rtt * 1e-6));
                censored += v.at(1) > 0.0 ? 1 : 0;
            }
            if (censored > 0) {
                t.add_comment("size_bytes=" + format_number(size) +
                              " rtt_us=" + format_number(rtt) + ": " + std::to_string(censored) +
                              " censored runs");
            }
            t.add_row({size, rtt}, empirical_quantiles(samples, kLevels));
        }
    }
    const std::filesystem::path dir = options.out_dir / name;
    std::filesystem::create_directories(dir);
    write_table_file(dir / "long_flow_window.tsv", t);
    LongFlowWindow::load(dir / "long_flow_window.tsv");  // self-check: the estimator's loader
    std::fprintf(stderr, "[%s] wrote and loaded %s\n", name.c_str(),
                 (dir / "long_flow_window.tsv").string().c_str());
}

}  // namespace swarm::ns3tables
