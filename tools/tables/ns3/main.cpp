// swarm_tables_ns3: measures SWARM's three transport tables (§3.3, Appendix B) with ns-3.
//
//   swarm_tables_ns3 generate [--out data/tables] [--cc cubic,newreno,dctcp[,bbr]] [--jobs 2]
//                             [--cache ns3-cache/full.tsv] [--smoke]
//       regenerates <out>/ns3-<cc>/ for each congestion control (resumable: finished runs are
//       kept in the cache file); --smoke runs a tiny grid in well under a minute.
//   swarm_tables_ns3 congestion [--out data/tables] [--cc cubic] [--jobs 2]
//                               [--cache ns3-cache/congestion.tsv] [--smoke]
//       the congestion tables of <out>/ns3-<cc>/ (drop-tail loss, queue and rate spread at and
//       below saturation, per buffer size; resumable like generate).
//   swarm_tables_ns3 long-window [--out data/tables] [--cc cubic] [--jobs 2]
//                                [--cache ns3-cache/long-window.tsv] [--smoke]
//       the long-flow window curve <out>/ns3-<cc>/long_flow_window.tsv (resumable); with
//       --validate FILE instead its single-switch validation (a markdown table on stdout).
//   swarm_tables_ns3 long|short|queue --cc C [point options] [--runs N] [--first-run R]
//       repetitions of one point, one line per run and the median.
//   swarm_tables_ns3 body [--out data/tables] [--cc cubic] [--cache ...] [--smoke]
//       the short-flow body table <out>/ns3-<cc>/short_flow_body.tsv (resumable).
//   swarm_tables_ns3 validate-short [--out FILE] [--cc cubic] [--cache ...] [--smoke]
//       the single-link validation of the short-flow FCT model (bench/short_flow/).
//   swarm_tables_ns3 batch --size B --drop P [--drop-reverse P] [--rtt-us R] [--flows N]
//       one batch of independent short flows: timeout counts and FCT quantiles.
//   swarm_tables_ns3 checks [--runs N]
//       the rate-independence and set-sharing checks quoted in docs/tables.md (markdown).
//
// docs/tables.md documents the experiments, grids and settings.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "tools/tables/common/quantiles.h"
#include "tools/tables/common/table_writer.h"
#include "tools/tables/ns3/congestion.h"
#include "tools/tables/ns3/generate.h"
#include "tools/tables/ns3/long_window.h"
#include "tools/tables/ns3/measure.h"
#include "tools/tables/ns3/short_flows.h"

namespace swarm::ns3tables {

using tables::format_number;

namespace {

std::vector<CongestionControl> parse_cc_list(const std::string& list) {
    std::vector<CongestionControl> out;
    std::istringstream in(list);
    std::string name;
    while (std::getline(in, name, ',')) {
        out.push_back(parse_cc(name));
    }
    return out;
}

// ---- generate ----------------------------------------------------------------------------------

struct GenerateArgs {
    std::string out = "data/tables";
    std::string ccs = "cubic,newreno,dctcp";  // bbr: experimental, see docs/tables.md
    std::string cache = "ns3-cache/full.tsv";
    int jobs = 2;
    bool smoke = false;
    bool full_bbr = false;
};

/// The options `generate` and `congestion` share: grid, output, parallelism, provenance.
GenerateOptions generate_options(const GenerateArgs& args, const std::string& command) {
    GenerateOptions options;
    options.grid = args.smoke ? smoke_grid() : full_grid();
    options.out_dir = args.out;
    options.parallel = args.jobs;
    options.command = command;
    return options;
}

int generate(const GenerateArgs& args, const std::string& command) {
    const GenerateOptions options = generate_options(args, command);
    ResultCache cache(args.cache);
    std::fprintf(stderr, "grid '%s', cache %s\n", options.grid.name.c_str(),
                 cache.file().string().c_str());
    for (const CongestionControl cc : parse_cc_list(args.ccs)) {
        GenerateOptions set_options = options;
        if (cc == CongestionControl::kBbr && !args.smoke && !args.full_bbr) {
            set_options.grid = coarse_grid();  // measured last: thinned to fit the time budget
        }
        generate_table_set(cc, set_options, cache);
    }
    return 0;
}

int congestion(const GenerateArgs& args, const std::string& command) {
    const GenerateOptions options = generate_options(args, command);
    ResultCache cache(args.cache);
    for (const CongestionControl cc : parse_cc_list(args.ccs)) {
        generate_congestion_tables(cc, options, cache);
    }
    return 0;
}

int long_window(const GenerateArgs& args, const std::string& command,
                const std::string& validate_with) {
    const GenerateOptions options = generate_options(args, command);
    ResultCache cache(args.cache);
    for (const CongestionControl cc : parse_cc_list(args.ccs)) {
        if (validate_with.empty()) {
            generate_long_window_table(cc, options, cache);
        } else {
            validate_long_window(cc, options, cache, validate_with);
        }
    }
    return 0;
}

// ---- single points
// -------------------------------------------------------------------------------

struct PointArgs {
    std::string cc = "cubic";
    double drop = 0.0;
    double rtt_us = 100.0;
    double link_gbps = 0.0;  // 0: the experiment's default
    double size = 100000;
    double warmup_s = 0.1;
    double measure_s = 1.0;
    double utilization = 0.5;
    std::uint32_t flows = 1;
    std::uint32_t buffer = 0;  // 0: the tables' default
    int runs = 5;
    std::uint64_t first_run = 1;
    std::uint32_t seed = 1;
    int jobs = 2;
};

int run_long_point(const PointArgs& a) {
    LongFlowParams p;
    p.drop_rate = a.drop;
    p.rtt_s = a.rtt_us * 1e-6;
    p.link_bps = a.link_gbps > 0 ? a.link_gbps * 1e9 : p.link_bps;
    p.warmup_s = a.warmup_s;
    p.measure_s = a.measure_s;
    const auto results =
        measure_long(table_tcp_settings(parse_cc(a.cc)), p, a.seed, a.first_run, a.runs, a.jobs);
    std::vector<double> values;
    for (std::size_t i = 0; i < results.size(); ++i) {
        std::printf("run %llu goodput_bps %s wall_s %.3f\n",
                    static_cast<unsigned long long>(a.first_run + i),
                    format_number(results[i].goodput_bps).c_str(), results[i].wall_s);
        values.push_back(results[i].goodput_bps);
    }
    std::printf("median goodput_bps %s\n", format_number(median(values)).c_str());
    return 0;
}

int run_short_point(const PointArgs& a) {
    ShortFlowParams p;
    p.size_bytes = a.size;
    p.drop_rate = a.drop;
    p.rtt_s = a.rtt_us * 1e-6;
    p.link_bps = a.link_gbps > 0 ? a.link_gbps * 1e9 : p.link_bps;
    const auto results =
        measure_short(table_tcp_settings(parse_cc(a.cc)), p, a.seed, a.first_run, a.runs, a.jobs);
    std::vector<double> values;
    for (std::size_t i = 0; i < results.size(); ++i) {
        std::printf("run %llu fct_s %s rtts %s%s\n",
                    static_cast<unsigned long long>(a.first_run + i),
                    format_number(results[i].fct_s).c_str(),
                    format_number(results[i].fct_s / p.rtt_s).c_str(),
                    results[i].censored ? " censored" : "");
        values.push_back(results[i].fct_s / p.rtt_s);
    }
    std::printf("median rtts %s\n", format_number(median(values)).c_str());
    return 0;
}

int run_queue_point(const PointArgs& a) {
    QueueingParams p;
    p.utilization = a.utilization;
    p.competing_flows = a.flows;
    p.rtt_s = a.rtt_us * 1e-6;
    p.link_bps = a.link_gbps > 0 ? a.link_gbps * 1e9 : p.link_bps;
    p.warmup_s = a.warmup_s;
    p.measure_s = a.measure_s;
    TcpSettings tcp = table_tcp_settings(parse_cc(a.cc));
    tcp.buffer_packets = a.buffer > 0 ? a.buffer : tcp.buffer_packets;
    const auto results = measure_queue(tcp, p, a.seed, a.first_run, a.runs, a.jobs);
    for (std::size_t i = 0; i < results.size(); ++i) {
        std::printf(
            "run %llu median_packets %s p90_packets %s mean_packets %s utilization %s full %s "
            "drop_rate %s min_share %s wall_s %.2f\n",
            static_cast<unsigned long long>(a.first_run + i),
            format_number(results[i].median_packets, 4).c_str(),
            format_number(results[i].p90_packets, 4).c_str(),
            format_number(results[i].mean_packets, 4).c_str(),
            format_number(results[i].utilization, 4).c_str(),
            format_number(results[i].full_fraction, 3).c_str(),
            format_number(results[i].drop_rate, 4).c_str(),
            format_number(results[i].min_share, 3).c_str(), results[i].wall_s);
    }
    return 0;
}

// ---- short flows: body table, validation, one batch ---------------------------------------------

struct ShortArgs {
    std::string out;
    std::string ccs = "cubic";
    std::string cache = "ns3-cache/short-batches.tsv";
    int jobs = 2;
    bool smoke = false;
};

int short_flows(const ShortArgs& args, bool body, const std::string& command) {
    ResultCache cache(args.cache);
    ShortFlowOptions options;
    options.out = args.out;
    options.parallel = args.jobs;
    options.command = command;
    options.smoke = args.smoke;
    for (const CongestionControl cc : parse_cc_list(args.ccs)) {
        if (body) {
            generate_body_table(cc, options, cache);
        } else {
            run_short_validation(cc, options, cache);
        }
    }
    return 0;
}

int run_batch_point(const PointArgs& a, double drop_reverse, int flows) {
    BatchPlan plan;
    plan.point = {a.size, a.drop, drop_reverse, a.rtt_us};
    plan.link_bps = a.link_gbps > 0 ? a.link_gbps * 1e9 : plan.link_bps;
    plan.flows_per_batch = flows;
    plan.first_run = a.first_run;
    ResultCache cache("");
    const auto cc = parse_cc(a.cc);
    run_jobs(batch_jobs(cc, plan), 1, cache, "batch");
    const auto results = batch_flows(cc, plan, cache);
    std::vector<double> fct;
    int handshake = 0;
    int data = 0;
    for (const ShortBatchFlow& f : results) {
        fct.push_back(f.fct_s);
        handshake += f.handshake_timeout ? 1 : 0;
        data += f.data_timeouts > 0 ? 1 : 0;
    }
    const auto q = tables::empirical_quantiles(fct, {0.5, 0.99, 0.999, 1.0});
    std::printf(
        "flows %zu handshake_timeouts %d data_timeouts %d p50_s %s p99_s %s p999_s %s max_s %s\n",
        results.size(), handshake, data, format_number(q[0]).c_str(), format_number(q[1]).c_str(),
        format_number(q[2]).c_str(), format_number(q[3]).c_str());
    return 0;
}

// ---- checks (docs/tables.md)
// -----------------------------------------------------------------------

/// Loss-limited goodput well below the link rate must not depend on the link rate; near it, it
/// does, which is what App. B's baseline rule (inf) handles.
void check_long_rates(int runs, int jobs) {
    struct Point {
        double drop;
        double rtt_us;
    };
    const std::vector<Point> points = {{1e-2, 10}, {1e-3, 100}, {1e-3, 1000}, {1e-4, 10}};
    std::printf(
        "\nLong flows, Cubic: median goodput (Gb/s) of %d runs by link rate (table's "
        "measure: 10000 segments after the warm-up)\n\n",
        runs);
    std::printf(
        "| drop rate | RTT (us) | 10 Gb/s | 20 Gb/s | 40 Gb/s | 100 Gb/s |\n"
        "|---|---|---|---|---|---|\n");
    for (const Point& pt : points) {
        std::printf("| %s | %s |", format_number(pt.drop).c_str(),
                    format_number(pt.rtt_us).c_str());
        for (const double gbps : {10.0, 20.0, 40.0, 100.0}) {
            GridSpec grid = full_grid();
            grid.long_link_bps = gbps * 1e9;
            const LongFlowParams p = long_params(grid, pt.drop, pt.rtt_us * 1e-6);
            std::vector<double> values;
            for (const auto& r :
                 measure_long(table_tcp_settings(CongestionControl::kCubic), p, 1, 1, runs, jobs)) {
                values.push_back(r.goodput_bps);
            }
            std::printf(" %s |", format_number(median(values) / 1e9, 3).c_str());
        }
        std::printf("\n");
    }
}

/// Short-flow RTT counts do not depend on the link rate while the window, not the link, limits
/// the flow; the table is measured at an effectively infinite rate.
void check_short_rates(int runs, int jobs) {
    std::printf("\nShort flows, Cubic: median FCT in RTTs of %d runs by link rate\n\n", runs);
    std::printf(
        "| size (B) | drop rate | RTT (us) | 10 Gb/s | 100 Gb/s | 10 Tb/s |\n"
        "|---|---|---|---|---|---|\n");
    for (const double size : {10000.0, 150000.0, 1000000.0}) {
        for (const double drop : {0.0, 1e-2}) {
            for (const double rtt_us : {10.0, 100.0}) {
                std::printf("| %s | %s | %s |", format_number(size).c_str(),
                            format_number(drop).c_str(), format_number(rtt_us).c_str());
                for (const double gbps : {10.0, 100.0, 10000.0}) {
                    ShortFlowParams p{size, drop, rtt_us * 1e-6, gbps * 1e9, 3600.0};
                    std::vector<double> values;
                    for (const auto& r : measure_short(
                             table_tcp_settings(CongestionControl::kCubic), p, 1, 1, runs, jobs)) {
                        values.push_back(r.fct_s / p.rtt_s);
                    }
                    std::printf(" %s |", format_number(median(values), 4).c_str());
                }
                std::printf("\n");
            }
        }
    }
}

/// Below saturation the queue does not depend on the congestion control (the sets share those
/// rows) nor, in packet times, on the link rate.
void check_queue_sharing(int runs, int jobs) {
    std::printf("\nQueueing below saturation: median / p90 wait (packets), mean of %d runs\n\n",
                runs);
    std::printf(
        "| u | n | link | cubic | newreno | dctcp | bbr |\n|---|---|---|---|---|---|---|\n");
    struct Point {
        double u;
        std::uint32_t n;
        double gbps;
    };
    for (const Point pt : {Point{0.8, 4, 10}, Point{0.8, 4, 1}, Point{0.95, 16, 10}}) {
        std::printf("| %s | %u | %s Gb/s |", format_number(pt.u).c_str(), pt.n,
                    format_number(pt.gbps).c_str());
        for (const char* cc : {"cubic", "newreno", "dctcp", "bbr"}) {
            QueueingParams p;
            p.utilization = pt.u;
            p.competing_flows = pt.n;
            p.link_bps = pt.gbps * 1e9;
            // Same number of packet times at both rates: windows scale with 1 / rate.
            p.warmup_s = 0.003 * 10.0 / pt.gbps;
            p.measure_s = 0.010 * 10.0 / pt.gbps;
            double med = 0.0;
            double p90 = 0.0;
            for (const auto& r :
                 measure_queue(table_tcp_settings(parse_cc(cc)), p, 1, 1, runs, jobs)) {
                med += r.median_packets / runs;
                p90 += r.p90_packets / runs;
            }
            std::printf(" %s / %s |", format_number(med, 3).c_str(), format_number(p90, 3).c_str());
        }
        std::printf("\n");
    }
}

}  // namespace
}  // namespace swarm::ns3tables

int main(int argc, char** argv) {
    using namespace swarm::ns3tables;
    CLI::App app{"Measures SWARM's transport tables (Appendix B) with ns-3"};
    app.require_subcommand(1);

    GenerateArgs gen;
    auto* g = app.add_subcommand("generate", "regenerate table sets ns3-<cc> under --out");
    g->add_option("--out", gen.out, "directory holding the table sets")->capture_default_str();
    g->add_option("--cc", gen.ccs, "congestion controls, comma-separated")->capture_default_str();
    g->add_option("--cache", gen.cache, "result cache file (resumes an interrupted run)")
        ->capture_default_str();
    g->add_option("--jobs", gen.jobs, "parallel worker processes")->capture_default_str();
    g->add_flag("--smoke", gen.smoke, "tiny grid, a few seconds");
    g->add_flag("--full-bbr", gen.full_bbr, "BBR on the full grid too (default: the coarse grid)");

    GenerateArgs cong;
    cong.ccs = "cubic";
    cong.cache = "ns3-cache/congestion.tsv";
    auto* cg = app.add_subcommand("congestion", "congestion tables of ns3-<cc> under --out");
    cg->add_option("--out", cong.out, "directory holding the table sets")->capture_default_str();
    cg->add_option("--cc", cong.ccs, "congestion controls, comma-separated")->capture_default_str();
    cg->add_option("--cache", cong.cache, "result cache file")->capture_default_str();
    cg->add_option("--jobs", cong.jobs, "parallel worker processes")->capture_default_str();
    cg->add_flag("--smoke", cong.smoke, "tiny grid, a few seconds");

    GenerateArgs win;
    win.ccs = "cubic";
    win.cache = "ns3-cache/long-window.tsv";
    auto* wn = app.add_subcommand("long-window", "long-flow window curve of ns3-<cc> under --out");
    wn->add_option("--out", win.out, "directory holding the table sets")->capture_default_str();
    wn->add_option("--cc", win.ccs, "congestion controls, comma-separated")->capture_default_str();
    wn->add_option("--cache", win.cache, "result cache file")->capture_default_str();
    wn->add_option("--jobs", win.jobs, "parallel worker processes")->capture_default_str();
    wn->add_flag("--smoke", win.smoke, "tiny grid, a few seconds");
    std::string validate_with;
    wn->add_option("--validate", validate_with,
                   "instead: single-switch validation against this long_flow_window.tsv");

    PointArgs pt;
    const auto point_options = [&pt](CLI::App* sub) {
        sub->add_option("--cc", pt.cc)->capture_default_str();
        sub->add_option("--drop", pt.drop)->capture_default_str();
        sub->add_option("--rtt-us", pt.rtt_us)->capture_default_str();
        sub->add_option("--link-gbps", pt.link_gbps, "0: the experiment's default");
        sub->add_option("--runs", pt.runs)->capture_default_str();
        sub->add_option("--first-run", pt.first_run)->capture_default_str();
        sub->add_option("--seed", pt.seed)->capture_default_str();
        sub->add_option("--jobs", pt.jobs)->capture_default_str();
    };
    auto* lng = app.add_subcommand("long", "goodput of one long flow under random drop");
    point_options(lng);
    lng->add_option("--warmup-s", pt.warmup_s)->capture_default_str();
    lng->add_option("--measure-s", pt.measure_s)->capture_default_str();
    auto* shrt = app.add_subcommand("short", "FCT of one short flow, in RTTs");
    point_options(shrt);
    shrt->add_option("--size", pt.size, "bytes")->capture_default_str();
    auto* que = app.add_subcommand("queue", "queueing delay behind n long flows at utilisation u");
    point_options(que);
    que->add_option("--utilization", pt.utilization)->capture_default_str();
    que->add_option("--flows", pt.flows)->capture_default_str();
    que->add_option("--buffer", pt.buffer, "egress buffer, packets (0: the tables' 200)");
    que->add_option("--warmup-s", pt.warmup_s)->capture_default_str();
    que->add_option("--measure-s", pt.measure_s)->capture_default_str();
    ShortArgs body_args;
    body_args.out = "data/tables";
    auto* body =
        app.add_subcommand("body", "short-flow body table <out>/ns3-<cc>/short_flow_body.tsv");
    ShortArgs val_args;
    val_args.out = "bench/short_flow/validation-ns3-cubic.tsv";
    auto* val =
        app.add_subcommand("validate-short", "single-link validation of the short-flow FCT model");
    for (auto [sub, args] : {std::pair{body, &body_args}, std::pair{val, &val_args}}) {
        sub->add_option("--out", args->out)->capture_default_str();
        sub->add_option("--cc", args->ccs, "congestion controls, comma-separated")
            ->capture_default_str();
        sub->add_option("--cache", args->cache, "result cache file (resumes)")
            ->capture_default_str();
        sub->add_option("--jobs", args->jobs, "parallel worker processes")->capture_default_str();
        sub->add_flag("--smoke", args->smoke, "tiny grid, a few seconds");
    }
    double drop_reverse = 0.0;
    int batch_flows_count = 500;
    auto* batch = app.add_subcommand("batch", "one batch of independent short flows on one link");
    point_options(batch);
    batch->add_option("--size", pt.size, "bytes")->capture_default_str();
    batch->add_option("--drop-reverse", drop_reverse)->capture_default_str();
    batch->add_option("--flows", batch_flows_count)->capture_default_str();
    int check_runs = 10;
    int check_jobs = 2;
    auto* chk = app.add_subcommand("checks", "rate-independence and sharing checks (markdown)");
    chk->add_option("--runs", check_runs)->capture_default_str();
    chk->add_option("--jobs", check_jobs)->capture_default_str();

    CLI11_PARSE(app, argc, argv);
    try {
        if (g->parsed()) {
            return generate(gen, swarm::tables::command_line_text(argc, argv));
        }
        if (cg->parsed()) {
            return congestion(cong, swarm::tables::command_line_text(argc, argv));
        }
        if (wn->parsed()) {
            return long_window(win, swarm::tables::command_line_text(argc, argv), validate_with);
        }
        if (lng->parsed()) {
            return run_long_point(pt);
        }
        if (shrt->parsed()) {
            return run_short_point(pt);
        }
        if (body->parsed() || val->parsed()) {
            return short_flows(body->parsed() ? body_args : val_args, body->parsed(),
                               swarm::tables::command_line_text(argc, argv));
        }
        if (batch->parsed()) {
            return run_batch_point(pt, drop_reverse, batch_flows_count);
        }
        if (que->parsed()) {
            return run_queue_point(pt);
        }
        check_long_rates(check_runs, check_jobs);
        check_short_rates(check_runs, check_jobs);
        check_queue_sharing(std::max(1, check_runs / 2), check_jobs);
    } catch (const std::exception& e) {
        std::cerr << "swarm_tables_ns3: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
