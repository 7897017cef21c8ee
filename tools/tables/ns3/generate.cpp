#include "tools/tables/ns3/generate.h"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include "estimator/dkw.h"
#include "estimator/transport_tables.h"
#include "tools/tables/ns3/generate_common.h"

namespace swarm::ns3tables {

namespace {

constexpr std::uint64_t kBaselineRun = 1000;  // outside the repetitions' runs 1..R
constexpr double kDkwConfidence = 0.95;
// Below saturation the long flows are bottlenecked on their own access links. Window-based
// senders (Cubic, NewReno, DCTCP) then send back-to-back at the access rate whatever their
// congestion control (`swarm_tables_ns3 checks`: identical results), so those queueing points
// are measured once, with Cubic, and shared. BBR paces below the access rate part of the time
// and gets its own.
constexpr CongestionControl kBelowSaturationCc = CongestionControl::kCubic;

}  // namespace

/// Per-run quantile levels of the probe samples kept for pooling: every 0.5% and the tail.
std::vector<double> run_levels() {
    std::vector<double> levels;
    for (int k = 0; k <= 200; ++k) {
        levels.push_back(k / 200.0);
    }
    levels.insert(levels.end() - 1, {0.999, 0.9999});
    return levels;
}

std::string encode(const std::vector<double>& values) {
    std::string text;
    for (const double v : values) {
        text += (text.empty() ? "" : " ") + format_number(v, 10);
    }
    return text;
}

std::vector<double> decode(const std::string& text) {
    std::istringstream in(text);
    std::vector<double> values;
    std::string token;
    while (in >> token) {
        values.push_back(token == "inf" ? HUGE_VAL : std::stod(token));
    }
    return values;
}

namespace {

/// Everything besides the CC that changes a result; part of every cache key, so changing a
/// setting never reuses stale runs.
std::string settings_key(const TcpSettings& t) {
    return "mss=" + std::to_string(t.mss_bytes) + ",iw=" + std::to_string(t.initial_cwnd) +
           ",rto=" + format_number(t.min_rto_s) + ",syn=" + format_number(t.syn_rto_s) +
           ",retries=" + std::to_string(t.data_retries) +
           ",buf=" + std::to_string(t.socket_buffer_bytes) +
           ",q=" + std::to_string(t.buffer_packets) +
           ",k=" + std::to_string(t.ecn_threshold_packets);
}

}  // namespace

std::string prefix(const char* kind, CongestionControl cc, const GridSpec& g) {
    return prefix(kind, table_tcp_settings(cc), g);
}

std::string prefix(const char* kind, const TcpSettings& tcp, const GridSpec& g) {
    return std::string(kind) + "|" + cc_name(tcp.cc) + "|" + settings_key(tcp) +
           "|seed=" + std::to_string(g.seed);
}

namespace {

// ---- keys and jobs -----------------------------------------------------------------------------

/// One long-flow run; drop_rate 0 is App. B's loss-free baseline (run kBaselineRun).
std::string long_key(CongestionControl cc, const GridSpec& g, double p, double rtt_us,
                     std::uint64_t run) {
    const LongFlowParams lp = long_params(g, p, rtt_us * 1e-6);
    return prefix("long", cc, g) + "|L=" + format_number(lp.link_bps) + "|p=" + format_number(p) +
           "|rtt_us=" + format_number(rtt_us) + "|warm=" + format_number(lp.warmup_s, 10) +
           "|seg=" + std::to_string(lp.max_segments) + "|limit=" + format_number(lp.measure_s) +
           "|run=" + std::to_string(run);
}

Job long_job(CongestionControl cc, const GridSpec& g, double p, double rtt_us, std::uint64_t run) {
    return {long_key(cc, g, p, rtt_us, run), [cc, g, p, rtt_us, run] {
                const auto r = run_long_flow(table_tcp_settings(cc),
                                             long_params(g, p, rtt_us * 1e-6), g.seed, run);
                return encode({r.goodput_bps, r.measured_s, r.wall_s});
            }};
}

ShortFlowParams short_params(const GridSpec& g, double size, double p, double rtt_us) {
    ShortFlowParams sp;
    sp.size_bytes = size;
    sp.drop_rate = p;
    sp.rtt_s = rtt_us * 1e-6;
    sp.link_bps = g.short_link_bps;
    sp.time_limit_s = g.short_time_limit_s;
    return sp;
}

std::string short_key(CongestionControl cc, const GridSpec& g, double size, double p, double rtt_us,
                      int run) {
    return prefix("short", cc, g) + "|L=" + format_number(g.short_link_bps) +
           "|limit=" + format_number(g.short_time_limit_s) + "|size=" + format_number(size) +
           "|p=" + format_number(p) + "|rtt_us=" + format_number(rtt_us) +
           "|run=" + std::to_string(run);
}

Job short_job(CongestionControl cc, const GridSpec& g, double size, double p, double rtt_us,
              int run) {
    return {short_key(cc, g, size, p, rtt_us, run), [cc, g, size, p, rtt_us, run] {
                const auto r =
                    run_short_flow(table_tcp_settings(cc), short_params(g, size, p, rtt_us), g.seed,
                                   static_cast<std::uint64_t>(run));
                return encode({r.fct_s, r.censored ? 1.0 : 0.0, r.wall_s});
            }};
}

CongestionControl queue_cc(CongestionControl cc, double u) {
    return u < 1.0 && cc != CongestionControl::kBbr ? kBelowSaturationCc : cc;
}

std::string queue_key(CongestionControl cc, const GridSpec& g, double u, double n, int run) {
    const QueueingParams q = queueing_params(g, u, static_cast<std::uint32_t>(n));
    return prefix("queue", queue_cc(cc, u), g) + "|C=" + format_number(q.link_bps) +
           "|rtt_us=" + format_number(g.queue_rtt_us) + "|u=" + format_number(u) +
           "|n=" + format_number(n) + "|warm=" + format_number(q.warmup_s) +
           "|T=" + format_number(q.measure_s) + "|gap=" + format_number(q.probe_gap_packets) +
           "|speedup=" + format_number(q.access_speedup) + "|run=" + std::to_string(run);
}

Job queue_job(CongestionControl cc, const GridSpec& g, double u, double n, int run) {
    return {queue_key(cc, g, u, n, run), [cc, g, u, n, run] {
                const auto r = run_queueing(table_tcp_settings(queue_cc(cc, u)),
                                            queueing_params(g, u, static_cast<std::uint32_t>(n)),
                                            g.seed, static_cast<std::uint64_t>(run));
                if (r.delays_packets.empty()) {
                    throw std::runtime_error("no probe samples");
                }
                std::vector<double> out = {r.full_fraction, r.utilization_measured, r.wall_s};
                const auto q = empirical_quantiles(r.delays_packets, run_levels());
                out.insert(out.end(), q.begin(), q.end());
                return encode(out);
            }};
}

// ---- provenance
// ----------------------------------------------------------------------------------

std::string cc_description(CongestionControl cc) {
    switch (cc) {
        case CongestionControl::kCubic:
            return "cubic: ns3::TcpCubic, ns-3 defaults (beta 0.7, C 0.4, fast convergence, "
                   "HyStart on as in Linux)";
        case CongestionControl::kNewReno:
            return "newreno: ns3::TcpNewReno";
        case CongestionControl::kDctcp:
            return "dctcp: ns3::TcpDctcp (g = 1/16), ECN on (ns3::TcpSocketBase::UseEcn = On)";
        case CongestionControl::kBbr:
            return "bbr: ns3::TcpBbr (BBRv1), pacing on (ns3::TcpSocketState::EnablePacing), "
                   "max pacing rate 10 Tb/s (ns-3 default 4 Gb/s)";
    }
    return "?";
}

std::string tcp_description(const TcpSettings& t) {
    return "MSS " + std::to_string(t.mss_bytes) + " B, initial cwnd " +
           std::to_string(t.initial_cwnd) + " segments, MinRto " +
           format_number(t.min_rto_s * 1e3) + " ms (Linux; ns-3 default 1 s), SYN RTO " +
           format_number(t.syn_rto_s) + " s (Linux; ns-3 default 3 s), DataRetries " +
           std::to_string(t.data_retries) +
           " (Linux tcp_retries2; ns-3 default 6), delayed ACK every " +
           std::to_string(t.delack_count) + " segments or after " +
           format_number(t.delack_timeout_s * 1e3) +
           " ms (ns-3 defaults: 2, 200 ms), SACK on, timestamps on, window scaling on, limited "
           "transmit "
           "on, PRR recovery (ns-3 defaults), socket buffers " +
           std::to_string(t.socket_buffer_bytes >> 20) +
           " MiB (Linux tcp_wmem max; above the BDP of every long-flow point)";
}

std::string switch_description(const TcpSettings& t, CongestionControl cc) {
    const std::string limit = std::to_string(t.buffer_packets) + " packets";
    const std::string qdisc =
        cc == CongestionControl::kDctcp
            ? "ns3::RedQueueDisc as DCTCP's step marker (instantaneous queue QW=1, MinTh=" +
                  std::to_string(t.ecn_threshold_packets) +
                  ", MaxTh=" + std::to_string(t.ecn_threshold_packets + 1) +
                  " packets, ECN marking, no early or hard drop of ECN-capable packets), limit " +
                  limit
            : "ns3::FifoQueueDisc (drop-tail), limit " + limit;
    return "every egress port: " + qdisc + "; point-to-point device queue 1 packet";
}

std::string seed_description(const GridSpec& g) {
    return "ns3::RngSeedManager::SetSeed(" + std::to_string(g.seed) +
           "); repetition r of every grid point uses SetRun(r), r = 1.." +
           std::to_string(g.repetitions) +
           " (common random numbers across grid points and sets); the loss-free long-flow baseline "
           "uses run " +
           std::to_string(kBaselineRun) + "; each run in its own forked process";
}

std::string repetition_description(const GridSpec& g) {
    return std::to_string(g.repetitions) +
           " per grid point; DKW: with 95% confidence the "
           "empirical CDF of a grid point is within eps = sqrt(ln(2/0.05)/(2n)) = " +
           format_number(dkw_epsilon(kDkwConfidence, g.repetitions), 3) + " of the true CDF";
}

}  // namespace

void add_common(TableFile& t, CongestionControl cc, const GenerateOptions& o) {
    add_setting_provenance(t, cc, "grid '" + o.grid.name + "'", o.command);
    t.provenance.emplace_back("seeds", seed_description(o.grid));
    t.provenance.emplace_back("repetitions", repetition_description(o.grid));
}

namespace {

// ---- tables
// ---------------------------------------------------------------------------------------

TableFile long_table(CongestionControl cc, const GenerateOptions& o, const ResultCache& cache) {
    const GridSpec& g = o.grid;
    TableFile t("loss_limited_throughput", {"drop_rate", "rtt_us"}, "throughput_bps",
                tables::kLossLimitedThroughputLevels);
    t.sources = {
        "ns-3 measurement, SWARM Appendix B \"Throughput of long flows in a lossy "
        "network\": goodput of one bulk TCP flow h1 -> h2 under random packet drop "
        "only, capacity never the bottleneck"};
    add_common(t, cc, o);
    t.provenance.emplace_back(
        "setup", "one point-to-point link of " + format_number(g.long_link_bps / 1e9) +
                     " Gb/s, propagation delay RTT/2 each way; ns3::RateErrorModel (packet unit) "
                     "on the receiver's device drops data-direction packets only; goodput = "
                     "bytes delivered in order to the receiving application (iperf3's measure)");
    t.provenance.emplace_back(
        "measure", "each repetition times the delivery of " + std::to_string(g.measure_segments) +
                       " segments (" + format_number(g.measure_segments * 1448 / 1e6, 3) +
                       " MB) after a warm-up of max(" + format_number(g.warmup_rtts) + " RTT, " +
                       format_number(g.min_warmup_s * 1e3) +
                       " ms): goodput = bytes * 8 / time (iperf3 "
                       "-n). A fixed amount of data, not a fixed time: a 200 ms RTO is longer "
                       "than a short window and would read as ~0 b/s, whereas a transfer pays "
                       "what the timeout costs it. Runs not done after " +
                       format_number(g.time_limit_s) + " s simulated report what they delivered");
    t.provenance.emplace_back(
        "inf", "drop_rate 0 rows, and runs reaching " + format_number(g.not_loss_limited_fraction) +
                   " of the loss-free goodput on the same link and RTT (App. B's baseline "
                   "rule: not loss-limited; valid for links up to " +
                   format_number(g.long_link_bps / 1e9) + " Gb/s)");
    t.provenance.emplace_back("floor",
                              "a run delivering nothing within the time limit is "
                              "stored as one segment per time limit");
    for (const double p : g.drop_rates) {
        for (const double rtt : g.rtts_us) {
            if (p == 0.0) {
                t.add_row({p, rtt}, std::vector<double>(tables::kLossLimitedThroughputLevels.size(),
                                                        HUGE_VAL));
                continue;
            }
            const double baseline =
                decode(cache.get(long_key(cc, g, 0.0, rtt, kBaselineRun))).at(0);
            std::vector<double> samples;
            std::vector<double> seconds;
            int not_limited = 0;
            for (int r = 1; r <= g.repetitions; ++r) {
                const auto v =
                    decode(cache.get(long_key(cc, g, p, rtt, static_cast<std::uint64_t>(r))));
                double bps = v.at(0);
                seconds.push_back(v.at(1));
                if (bps >= g.not_loss_limited_fraction * baseline) {
                    bps = HUGE_VAL;
                    ++not_limited;
                }
                samples.push_back(
                    std::max(bps, table_tcp_settings(cc).mss_bytes * 8.0 / g.time_limit_s));
            }
            const auto time_range = empirical_quantiles(seconds, {0.0, 0.5, 1.0});
            t.add_comment("drop_rate=" + format_number(p) + " rtt_us=" + format_number(rtt) +
                          ": transfer time min " + format_number(time_range[0], 3) + " s, median " +
                          format_number(time_range[1], 3) + " s, max " +
                          format_number(time_range[2], 3) + " s; " + std::to_string(not_limited) +
                          "/" + std::to_string(g.repetitions) +
                          " runs >= " + format_number(g.not_loss_limited_fraction) +
                          " x loss-free " + format_number(baseline, 4) + " b/s (inf)");
            t.add_row({p, rtt}, empirical_quantiles(samples, tables::kLossLimitedThroughputLevels));
        }
    }
    return t;
}

TableFile short_table(CongestionControl cc, const GenerateOptions& o, const ResultCache& cache) {
    const GridSpec& g = o.grid;
    TableFile t("short_flow_rtts", {"size_bytes", "drop_rate", "rtt_us"}, "rtts",
                tables::kShortFlowRttLevels);
    t.sources = {
        "ns-3 measurement, SWARM Appendix B \"Number of RTTs for short flows\": "
        "completion time of one TCP flow divided by the round-trip propagation delay"};
    add_common(t, cc, o);
    t.provenance.emplace_back(
        "setup", "same one-link topology and loss as the long-flow table, link " +
                     format_number(g.short_link_bps / 1e9) +
                     " Gb/s so that capacity never binds (window dynamics only); FCT from the "
                     "sender's connect() (SYN, so the handshake counts) to the last byte "
                     "delivered to the receiving application");
    t.provenance.emplace_back("censoring", "a flow not finished after " +
                                               format_number(g.short_time_limit_s) +
                                               " s simulated is stored as that time; per-row "
                                               "comments count them");
    for (const double size : g.sizes_bytes) {
        for (const double p : g.drop_rates) {
            for (const double rtt : g.rtts_us) {
                std::vector<double> samples;
                int censored = 0;
                for (int r = 1; r <= g.repetitions; ++r) {
                    const auto v = decode(cache.get(short_key(cc, g, size, p, rtt, r)));
                    samples.push_back(v.at(0) / (rtt * 1e-6));
                    censored += v.at(1) > 0.0 ? 1 : 0;
                }
                if (censored > 0) {
                    t.add_comment("size_bytes=" + format_number(size) + " drop_rate=" +
                                  format_number(p) + " rtt_us=" + format_number(rtt) + ": " +
                                  std::to_string(censored) + " censored runs");
                }
                t.add_row({size, p, rtt},
                          empirical_quantiles(samples, tables::kShortFlowRttLevels));
            }
        }
    }
    return t;
}

TableFile queue_table(CongestionControl cc, const GenerateOptions& o, const ResultCache& cache) {
    const GridSpec& g = o.grid;
    TableFile t("queueing_delay", {"utilization", "competing_flows"}, "packets",
                tables::kQueueingDelayLevels);
    t.sources = {
        "ns-3 measurement, SWARM Appendix B \"Queueing delay for short flows\" "
        "(Fig. 1(b)): FIFO wait at an egress port carrying competing long flows, in "
        "MTU transmission times"};
    add_common(t, cc, o);
    t.provenance.emplace_back(
        "setup",
        "n long flows (bulk TCP), each from its own sender, through switch s1 to one receiver "
        "over the measured link of " +
            format_number(g.queue_link_bps / 1e9) + " Gb/s; RTT " + format_number(g.queue_rtt_us) +
            " us; utilisation u < 1: each sender's access link runs at "
            "u * C / n, so the flows are bottlenecked there (App. B's h4-s1 link) and load the "
            "measured link to u; u = 1: access links at 4 C, the measured link is the "
            "bottleneck");
    t.provenance.emplace_back(
        "probe", "virtual probe at Poisson times (mean gap " + format_number(g.probe_gap_packets) +
                     " packet times; PASTA): the wait a packet arriving then would have (queue "
                     "disc + device backlog + rest of the packet on the wire); quantiles over "
                     "the pooled probes of all repetitions");
    t.provenance.emplace_back(
        "windows", "u < 1: " + format_number(g.queue_warmup_below_s * 1e3) + " ms warm-up, " +
                       format_number(g.queue_measure_below_s * 1e3) + " ms measured; u = 1: " +
                       format_number(g.queue_warmup_saturated_s * 1e3) + " ms warm-up, " +
                       format_number(g.queue_measure_saturated_s * 1e3) + " ms measured");
    t.provenance.emplace_back(
        "sharing", "rows with u < 1 are measured with " + cc_name(queue_cc(cc, 0.5)) +
                       (queue_cc(cc, 0.5) == cc ? ""
                                                : " and shared by the cubic, newreno and "
                                                  "dctcp sets (window-based senders send at "
                                                  "their access rate whatever the CC)") +
                       "; rows with u = 0 or n = 0 are 0 by construction (no competing "
                       "traffic)");
    const auto levels = run_levels();
    for (const double u : g.utilizations) {
        for (const double n : g.competing_flows) {
            if (u == 0.0 || n == 0.0) {
                t.add_row({u, n}, std::vector<double>(tables::kQueueingDelayLevels.size(), 0.0));
                continue;
            }
            std::vector<std::vector<double>> runs;
            double full = 0.0;
            double util = 0.0;
            for (int r = 1; r <= g.repetitions; ++r) {
                const auto v = decode(cache.get(queue_key(cc, g, u, n, r)));
                full += v.at(0) / g.repetitions;
                util += v.at(1) / g.repetitions;
                runs.emplace_back(v.begin() + 3, v.end());
            }
            t.add_comment("utilization=" + format_number(u) + " competing_flows=" +
                          format_number(n) + ": measured utilisation " + format_number(util, 4) +
                          ", buffer full at " + format_number(100.0 * full, 3) + "% of probes");
            t.add_row({u, n}, pooled_quantiles(runs, levels, tables::kQueueingDelayLevels));
        }
    }
    return t;
}

// ---- jobs of one set
// -------------------------------------------------------------------------------

std::vector<Job> baseline_jobs(CongestionControl cc, const GridSpec& g) {
    std::vector<Job> jobs;
    for (const double rtt : g.rtts_us) {
        jobs.push_back(long_job(cc, g, 0.0, rtt, kBaselineRun));
    }
    return jobs;
}

std::vector<Job> measurement_jobs(CongestionControl cc, const GridSpec& g) {
    std::vector<Job> jobs;
    // Expensive kinds first so that the cheap short flows fill the tail on both workers.
    for (const double p : g.drop_rates) {
        for (const double rtt : g.rtts_us) {
            for (int r = 1; r <= g.repetitions && p > 0.0; ++r) {
                jobs.push_back(long_job(cc, g, p, rtt, static_cast<std::uint64_t>(r)));
            }
        }
    }
    for (const double u : g.utilizations) {
        for (const double n : g.competing_flows) {
            for (int r = 1; r <= g.repetitions && u > 0.0 && n > 0.0; ++r) {
                jobs.push_back(queue_job(cc, g, u, n, r));
            }
        }
    }
    for (const double size : g.sizes_bytes) {
        for (const double p : g.drop_rates) {
            for (const double rtt : g.rtts_us) {
                for (int r = 1; r <= g.repetitions; ++r) {
                    jobs.push_back(short_job(cc, g, size, p, rtt, r));
                }
            }
        }
    }
    return jobs;
}

}  // namespace

void add_setting_provenance(TableFile& t, CongestionControl cc, const std::string& what,
                            const std::string& command) {
    const TcpSettings tcp = table_tcp_settings(cc);
    t.mss_bytes = tcp.mss_bytes;
    t.mtu_bytes = 1500;
    t.provenance.emplace_back("generator", "tools/tables/ns3 (swarm_tables_ns3), " + what);
    t.provenance.emplace_back("command", command);
    t.provenance.emplace_back("simulator", ns3_version());
    t.provenance.emplace_back("congestion_control", cc_description(cc));
    t.provenance.emplace_back("tcp", tcp_description(tcp));
    t.provenance.emplace_back("switch", switch_description(tcp, cc));
}

TcpSettings table_tcp_settings(CongestionControl cc) {
    TcpSettings t;
    t.cc = cc;
    return t;
}

std::filesystem::path generate_table_set(CongestionControl cc, const GenerateOptions& options,
                                         ResultCache& cache) {
    const std::string name = "ns3-" + cc_name(cc);
    std::vector<Job> jobs = baseline_jobs(cc, options.grid);
    const std::vector<Job> measurements = measurement_jobs(cc, options.grid);
    jobs.insert(jobs.end(), measurements.begin(), measurements.end());
    run_jobs(jobs, options.parallel, cache, name);

    const std::filesystem::path dir = options.out_dir / name;
    std::filesystem::create_directories(dir);
    write_table_file(dir / "loss_limited_throughput.tsv", long_table(cc, options, cache));
    write_table_file(dir / "short_flow_rtts.tsv", short_table(cc, options, cache));
    write_table_file(dir / "queueing_delay.tsv", queue_table(cc, options, cache));
    const auto tables = TransportTables::load(dir);  // self-check: the estimator's own loader
    std::fprintf(stderr, "[%s] wrote and loaded %s\n", name.c_str(), dir.string().c_str());
    return dir;
}

}  // namespace swarm::ns3tables
