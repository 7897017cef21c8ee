#include "tools/tables/ns3/congestion.h"

#include <cstdio>
#include <stdexcept>

#include "estimator/congestion_tables.h"
#include "estimator/transport_tables.h"
#include "tools/tables/ns3/generate_common.h"
#include "tools/tables/ns3/measure.h"

namespace swarm::ns3tables {

namespace {

/// Quantile levels of the three congestion tables (the queueing table's: tail levels matter
/// for the slowest competitor, which sets p1 throughput).
const std::vector<double>& levels() { return tables::kQueueingDelayLevels; }

TcpSettings settings(CongestionControl cc, double buffer) {
    TcpSettings tcp = table_tcp_settings(cc);
    tcp.buffer_packets = static_cast<std::uint32_t>(buffer);
    return tcp;
}

QueueingParams params(const GridSpec& g, double u, double n) {
    QueueingParams q = queueing_params(g, u, static_cast<std::uint32_t>(n));
    q.warmup_s = g.congestion_warmup_s;
    q.measure_s = g.congestion_measure_s;
    return q;
}

std::string key(CongestionControl cc, const GridSpec& g, double u, double buffer, double n,
                int run) {
    const QueueingParams q = params(g, u, n);
    return prefix("congestion", settings(cc, buffer), g) + "|C=" + format_number(q.link_bps) +
           "|rtt_us=" + format_number(g.queue_rtt_us) + "|u=" + format_number(u) +
           "|n=" + format_number(n) + "|warm=" + format_number(q.warmup_s) +
           "|T=" + format_number(q.measure_s) + "|gap=" + format_number(q.probe_gap_packets) +
           "|speedup=" + format_number(q.access_speedup) + "|run=" + std::to_string(run);
}

/// Cached value: drop rate, measured utilisation, wall seconds, n flow shares, the per-run
/// probe quantiles at run_levels().
Job job(CongestionControl cc, const GridSpec& g, double u, double buffer, double n, int run) {
    return {key(cc, g, u, buffer, n, run), [cc, g, u, buffer, n, run] {
                const auto r = run_queueing(settings(cc, buffer), params(g, u, n), g.seed,
                                            static_cast<std::uint64_t>(run));
                if (r.delays_packets.empty()) {
                    throw std::runtime_error("no probe samples");
                }
                std::vector<double> shares = fair_shares(r.flow_bytes);
                if (shares.size() != static_cast<std::size_t>(n)) {
                    throw std::runtime_error("no flow delivered anything in the window");
                }
                std::vector<double> out = {r.drop_rate, r.utilization_measured, r.wall_s};
                out.insert(out.end(), shares.begin(), shares.end());
                const auto q = empirical_quantiles(r.delays_packets, run_levels());
                out.insert(out.end(), q.begin(), q.end());
                return encode(out);
            }};
}

struct PointRuns {
    std::vector<double> drop_rates;
    std::vector<double> shares;  // pooled over runs
    std::vector<std::vector<double>> probe_quantiles;
    double utilization = 0.0;
};

PointRuns read_point(CongestionControl cc, const GridSpec& g, double u, double buffer, double n,
                     const ResultCache& cache) {
    PointRuns p;
    const auto flows = static_cast<std::size_t>(n);
    for (int r = 1; r <= g.congestion_repetitions; ++r) {
        const auto v = decode(cache.get(key(cc, g, u, buffer, n, r)));
        p.drop_rates.push_back(v.at(0));
        p.utilization += v.at(1) / g.congestion_repetitions;
        p.shares.insert(p.shares.end(), v.begin() + 3,
                        v.begin() + 3 + static_cast<std::ptrdiff_t>(flows));
        p.probe_quantiles.emplace_back(v.begin() + 3 + static_cast<std::ptrdiff_t>(flows), v.end());
    }
    return p;
}

TableFile table(const char* kind, const char* value, const std::string& what, CongestionControl cc,
                const GenerateOptions& o) {
    const GridSpec& g = o.grid;
    TableFile t(kind, {"utilization", "buffer_packets", "competing_flows"}, value, levels());
    t.sources = {
        "ns-3 measurement, SWARM Appendix B \"Queueing delay for short flows\" (Fig. 1(b)) "
        "with the egress buffer as an axis (issue 13): " +
        what};
    add_common(t, cc, o);
    t.provenance.emplace_back(
        "setup",
        "n long flows (bulk TCP), each from its own sender, through switch s1 to one "
        "receiver over the measured link of " +
            format_number(g.queue_link_bps / 1e9) + " Gb/s; RTT " + format_number(g.queue_rtt_us) +
            " us; u < 1: access links at u * C / n (flows bottlenecked there); u = 1: "
            "access links at 4 C, the measured link is the common bottleneck; the "
            "measured port's buffer is the buffer_packets axis (the switch line's limit "
            "does not apply)");
    t.provenance.emplace_back(
        "windows", "flows start in the first ms; measured from " +
                       format_number(g.congestion_warmup_s * 1e3) + " ms for " +
                       format_number(g.congestion_measure_s * 1e3) +
                       " ms (a long flow's typical lifetime, slow start included); " +
                       std::to_string(g.congestion_repetitions) + " repetitions per point");
    return t;
}

}  // namespace

void generate_congestion_tables(CongestionControl cc, const GenerateOptions& options,
                                ResultCache& cache) {
    const GridSpec& g = options.grid;
    const std::string name = "ns3-" + cc_name(cc);
    std::vector<Job> jobs;
    for (const double u : g.congestion_utilizations) {
        for (const double b : g.congestion_buffers) {
            for (const double n : g.congestion_flows) {
                for (int r = 1; r <= g.congestion_repetitions; ++r) {
                    jobs.push_back(job(cc, g, u, b, n, r));
                }
            }
        }
    }
    run_jobs(jobs, options.parallel, cache, name + " congestion");

    TableFile loss = table("congestion_loss", "drop_rate",
                           "packets the measured port's queue drops / packets offered to it in the "
                           "window (quantiles over repetitions)",
                           cc, options);
    TableFile queue = table("congestion_queue", "packets",
                            "FIFO wait at the measured port in MTU transmission times, virtual "
                            "Poisson probes (quantiles over the pooled probes of all repetitions)",
                            cc, options);
    TableFile spread = table("rate_spread", "share",
                             "each long flow's bytes delivered in the window / (all flows' bytes "
                             "/ n), i.e. its rate relative to the fair share (quantiles over the "
                             "pooled flows of all repetitions)",
                             cc, options);
    for (const double u : g.congestion_utilizations) {
        for (const double b : g.congestion_buffers) {
            for (const double n : g.congestion_flows) {
                const PointRuns p = read_point(cc, g, u, b, n, cache);
                double mean_drop = 0.0;
                for (const double d : p.drop_rates)
                    mean_drop += d / static_cast<double>(p.drop_rates.size());
                loss.add_comment("utilization=" + format_number(u) + " buffer_packets=" +
                                 format_number(b) + " competing_flows=" + format_number(n) +
                                 ": measured utilisation " + format_number(p.utilization, 4) +
                                 ", mean drop rate " + format_number(mean_drop, 4));
                loss.add_row({u, b, n}, empirical_quantiles(p.drop_rates, levels()));
                queue.add_row({u, b, n},
                              pooled_quantiles(p.probe_quantiles, run_levels(), levels()));
                spread.add_row({u, b, n}, empirical_quantiles(p.shares, levels()));
            }
        }
    }
    const std::filesystem::path dir = options.out_dir / name;
    std::filesystem::create_directories(dir);
    write_table_file(dir / "congestion_loss.tsv", loss);
    write_table_file(dir / "congestion_queue.tsv", queue);
    write_table_file(dir / "rate_spread.tsv", spread);
    // Self-check with the estimator's own loader: the whole set when the other tables are there.
    if (std::filesystem::exists(dir / "loss_limited_throughput.tsv")) {
        const auto tables = TransportTables::load(dir);
    } else {
        load_table_grid(dir / "congestion_loss.tsv", CongestionTables::loss_spec());
        load_table_grid(dir / "congestion_queue.tsv", CongestionTables::queue_spec());
        load_table_grid(dir / "rate_spread.tsv", CongestionTables::spread_spec());
    }
    std::fprintf(stderr, "[%s] wrote and loaded the congestion tables in %s\n", name.c_str(),
                 dir.string().c_str());
}

}  // namespace swarm::ns3tables
