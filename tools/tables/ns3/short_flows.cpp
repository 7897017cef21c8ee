#include "tools/tables/ns3/short_flows.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "estimator/transport_tables.h"
#include "tools/tables/common/quantiles.h"
#include "tools/tables/common/table_writer.h"
#include "tools/tables/ns3/generate.h"

namespace swarm::ns3tables {

using tables::empirical_quantiles;
using tables::format_number;

namespace {

constexpr std::uint32_t kSeed = 1;
/// Body batches use runs 1, 2, ...; validation batches start here, so no flow is in both.
constexpr std::uint64_t kValidationFirstRun = 100001;
constexpr int kBodyMinUntimed = 1000;  // 0.99 level: n (1 - q) >= 10
constexpr int kBodyMaxBatches = 40;

std::string batch_key(ns3common::CongestionControl cc, const BatchPlan& plan, std::uint64_t run) {
    const TcpSettings tcp = table_tcp_settings(cc);
    const ShortPoint& pt = plan.point;
    return "batch|" + cc_name(cc) + "|mss=" + std::to_string(tcp.mss_bytes) +
           ",iw=" + std::to_string(tcp.initial_cwnd) + ",rto=" + format_number(tcp.min_rto_s) +
           ",syn=" + format_number(tcp.syn_rto_s) +
           ",delack=" + format_number(tcp.delack_timeout_s) + "|L=" + format_number(plan.link_bps) +
           "|size=" + format_number(pt.size_bytes) + "|pf=" + format_number(pt.drop_forward) +
           "|pr=" + format_number(pt.drop_reverse) + "|rtt_us=" + format_number(pt.rtt_us) +
           "|flows=" + std::to_string(plan.flows_per_batch) + "|seed=" + std::to_string(kSeed) +
           "|run=" + std::to_string(run);
}

ShortBatchParams batch_params(const BatchPlan& plan) {
    ShortBatchParams p;
    p.size_bytes = plan.point.size_bytes;
    p.drop_forward = plan.point.drop_forward;
    p.drop_reverse = plan.point.drop_reverse;
    p.rtt_s = plan.point.rtt_us * 1e-6;
    p.link_bps = plan.link_bps;
    p.flows = plan.flows_per_batch;
    return p;
}

/// Four numbers per flow: FCT, censored, handshake timeout, data timeouts.
std::string encode_flows(const std::vector<ShortBatchFlow>& flows) {
    std::string text;
    for (const ShortBatchFlow& f : flows) {
        text += format_number(f.fct_s, 10) + (f.censored ? " 1 " : " 0 ") +
                (f.handshake_timeout ? "1 " : "0 ") + std::to_string(f.data_timeouts) + " ";
    }
    return text;
}

void decode_flows(const std::string& text, std::vector<ShortBatchFlow>& out) {
    std::istringstream in(text);
    ShortBatchFlow f;
    int censored = 0;
    int handshake = 0;
    while (in >> f.fct_s >> censored >> handshake >> f.data_timeouts) {
        f.censored = censored != 0;
        f.handshake_timeout = handshake != 0;
        out.push_back(f);
    }
}

struct Counts {
    std::size_t flows = 0;
    std::size_t censored = 0;
    std::size_t handshake = 0;
    std::size_t data = 0;
    std::size_t timed_out = 0;
};

Counts count(const std::vector<ShortBatchFlow>& flows) {
    Counts c;
    for (const ShortBatchFlow& f : flows) {
        ++c.flows;
        c.censored += f.censored ? 1 : 0;
        c.handshake += f.handshake_timeout ? 1 : 0;
        c.data += f.data_timeouts > 0 ? 1 : 0;
        c.timed_out += f.timed_out() ? 1 : 0;
    }
    return c;
}

/// Runs every plan's batches, adding batches to plans with fewer than `min_untimed` flows
/// without a timeout (at most `max_batches` per plan).
void run_body_plans(ns3common::CongestionControl cc, std::vector<BatchPlan>& plans, int min_untimed,
                    int max_batches, int parallel, ResultCache& cache) {
    for (int round = 0;; ++round) {
        std::vector<Job> jobs;
        for (const BatchPlan& plan : plans) {
            const auto more = batch_jobs(cc, plan);
            jobs.insert(jobs.end(), more.begin(), more.end());
        }
        run_jobs(jobs, parallel, cache,
                 "ns3-" + cc_name(cc) + " body round " + std::to_string(round));
        bool grew = false;
        for (BatchPlan& plan : plans) {
            const Counts c = count(batch_flows(cc, plan, cache));
            const std::size_t untimed = c.flows - c.timed_out - c.censored;
            if (untimed >= static_cast<std::size_t>(min_untimed) || plan.batches >= max_batches) {
                continue;
            }
            // Enough batches for the untimed fraction seen so far, with 5% to spare for its noise.
            const double fraction = std::max(static_cast<double>(untimed) / c.flows, 0.02);
            const int needed =
                static_cast<int>(std::ceil(1.05 * min_untimed / (fraction * plan.flows_per_batch)));
            plan.batches = std::min(max_batches, std::max(plan.batches + 1, needed));
            grew = true;
        }
        if (!grew) {
            return;
        }
    }
}

tables::TableFile body_table(ns3common::CongestionControl cc, const std::vector<BatchPlan>& plans,
                             const ShortFlowOptions& o, const ResultCache& cache) {
    tables::TableFile t("short_flow_body", {"size_bytes", "drop_rate", "rtt_us"}, "rtts",
                        tables::kShortFlowBodyLevels);
    t.sources = {
        "ns-3 measurement, SWARM Appendix B \"Number of RTTs for short flows\", body only: "
        "completion time / round-trip propagation delay of the flows that had no "
        "retransmission timeout (handshake or data); the timeouts are the model's "
        "(estimator/short_flow_fct.h, docs/model.md)"};
    add_setting_provenance(t, cc, "short-flow batches (short_batch.cpp)", o.command);
    t.provenance.emplace_back(
        "setup", "one point-to-point link of " + format_number(plans.front().link_bps / 1e9) +
                     " Gb/s (window dynamics only), propagation RTT/2 each way, egress buffer 2^20 "
                     "packets (instead of the switch setting below) so that concurrent flows never "
                     "overflow it; independent flows "
                     "started 1 ms apart, each on its own connection; every packet but pure ACKs "
                     "dropped with drop_rate in the data direction (data, SYN, FIN), none in the "
                     "reverse direction (a lost SYN-ACK is a timeout, not body); FCT from the "
                     "sender's connect() to the last byte delivered to the receiving application");
    t.provenance.emplace_back(
        "timeouts",
        "a flow is excluded when its connection was established more than half a "
        "SYN RTO after its SYN, or it entered CA_LOSS (a retransmission timeout)");
    t.provenance.emplace_back(
        "seeds",
        "ns3::RngSeedManager::SetSeed(1); batch b of a point uses SetRun(b), b = 1, 2, "
        "...: batches were added until at least " +
            std::to_string(kBodyMinUntimed) +
            " flows had no timeout (0.99 level: n(1-q) >= 10) or " +
            std::to_string(kBodyMaxBatches) + " batches; per-row comments give the counts");
    for (const BatchPlan& plan : plans) {
        const auto flows = batch_flows(cc, plan, cache);
        const Counts c = count(flows);
        std::vector<double> body;
        for (const ShortBatchFlow& f : flows) {
            if (!f.timed_out() && !f.censored) {
                body.push_back(f.fct_s / (plan.point.rtt_us * 1e-6));
            }
        }
        const ShortPoint& pt = plan.point;
        t.add_comment(
            "size_bytes=" + format_number(pt.size_bytes) +
            " drop_rate=" + format_number(pt.drop_forward) + " rtt_us=" + format_number(pt.rtt_us) +
            ": " + std::to_string(c.flows) + " flows, " + std::to_string(c.handshake) +
            " handshake timeouts, " + std::to_string(c.data) + " with a data timeout, " +
            std::to_string(c.censored) + " censored; body from " + std::to_string(body.size()));
        if (body.empty()) {
            throw std::runtime_error("short-flow body: no flow without a timeout at size " +
                                     format_number(pt.size_bytes) + ", drop " +
                                     format_number(pt.drop_forward));
        }
        t.add_row({pt.size_bytes, pt.drop_forward, pt.rtt_us},
                  empirical_quantiles(body, tables::kShortFlowBodyLevels));
    }
    return t;
}

}  // namespace

std::vector<Job> batch_jobs(ns3common::CongestionControl cc, const BatchPlan& plan) {
    std::vector<Job> jobs;
    for (int b = 0; b < plan.batches; ++b) {
        const std::uint64_t run = plan.first_run + static_cast<std::uint64_t>(b);
        jobs.push_back({batch_key(cc, plan, run), [cc, plan, run] {
                            return encode_flows(run_short_batch(table_tcp_settings(cc),
                                                                batch_params(plan), kSeed, run));
                        }});
    }
    return jobs;
}

std::vector<ShortBatchFlow> batch_flows(ns3common::CongestionControl cc, const BatchPlan& plan,
                                        const ResultCache& cache) {
    std::vector<ShortBatchFlow> flows;
    for (int b = 0; b < plan.batches; ++b) {
        decode_flows(cache.get(batch_key(cc, plan, plan.first_run + static_cast<std::uint64_t>(b))),
                     flows);
    }
    return flows;
}

std::filesystem::path generate_body_table(ns3common::CongestionControl cc,
                                          const ShortFlowOptions& options, ResultCache& cache) {
    // Short flows only (the default threshold is 150 KB): larger flows fall back to the
    // short_flow_rtts table in the estimator (a 1 MB batch costs ~20x a 150 KB one).
    std::vector<double> sizes = {1000, 3000, 10000, 30000, 100000, 150000, 300000};
    std::vector<double> drops = {0, 1e-4, 1e-3, 3e-3, 1e-2, 3e-2};
    std::vector<double> rtts = {10, 100, 1000};
    int flows_per_batch = 500;
    int min_untimed = kBodyMinUntimed;
    if (options.smoke) {
        sizes = {10000, 100000};
        drops = {0, 1e-2};
        rtts = {10, 100};
        flows_per_batch = 50;
        min_untimed = 50;
    }
    std::vector<BatchPlan> plans;
    for (const double size : sizes) {
        for (const double p : drops) {
            for (const double rtt : rtts) {
                BatchPlan plan;
                plan.point = {size, p, 0.0, rtt};
                plan.flows_per_batch = flows_per_batch;
                plan.batches = (min_untimed + flows_per_batch - 1) / flows_per_batch;
                plans.push_back(plan);
            }
        }
    }
    run_body_plans(cc, plans, min_untimed, kBodyMaxBatches, options.parallel, cache);
    const std::filesystem::path dir = options.out / ("ns3-" + cc_name(cc));
    std::filesystem::create_directories(dir);
    tables::write_table_file(dir / "short_flow_body.tsv", body_table(cc, plans, options, cache));
    const auto loaded = TransportTables::load(dir);  // self-check: the estimator's own loader
    if (!loaded.short_flow_body) {
        throw std::runtime_error("short-flow body: " + dir.string() + " loaded without its body");
    }
    std::fprintf(stderr, "[ns3-%s] wrote and loaded %s\n", cc_name(cc).c_str(),
                 (dir / "short_flow_body.tsv").string().c_str());
    return dir;
}

void run_short_validation(ns3common::CongestionControl cc, const ShortFlowOptions& options,
                          ResultCache& cache) {
    std::vector<double> sizes = {10000, 150000};
    std::vector<double> drops = {1e-4, 3e-4, 1e-3, 3e-3, 1e-2};
    int flows_per_batch = 500;
    int batches = 20;  // 10^4 flows per point
    if (options.smoke) {
        sizes = {10000};
        drops = {1e-2};
        flows_per_batch = 100;
        batches = 2;
    }
    std::vector<BatchPlan> plans;
    std::vector<Job> jobs;
    for (const double size : sizes) {
        for (const double p : drops) {
            BatchPlan plan;
            plan.point = {size, p, p, 20.0};
            plan.flows_per_batch = flows_per_batch;
            plan.first_run = kValidationFirstRun;
            plan.batches = batches;
            plans.push_back(plan);
            const auto more = batch_jobs(cc, plan);
            jobs.insert(jobs.end(), more.begin(), more.end());
        }
    }
    run_jobs(jobs, options.parallel, cache, "ns3-" + cc_name(cc) + " short-flow validation");
    std::ostringstream text;
    text << "# swarm-validation: short_flow_fct\n"
            "# source: ns-3 single-link experiment, tools/tables/ns3 (swarm_tables_ns3 "
            "validate-short); checked by tests/estimator/test_short_flow_fct.cpp\n"
            "# command: "
         << options.command
         << "\n"
            "# simulator: "
         << ns3_version()
         << "\n"
            "# table_set: ns3-"
         << cc_name(cc)
         << "\n"
            "# setup: one 10 Tb/s link, "
         << flows_per_batch * batches << " independent flows per point (batches of "
         << flows_per_batch << " started 1 ms apart, ns-3 runs " << kValidationFirstRun
         << "..), every packet but "
            "pure ACKs dropped with drop_forward (data direction) or drop_reverse (SYN-ACK); "
            "FCT from connect() to the last byte delivered; quantiles type 7\n"
            "# timeouts: handshake = established more than half a SYN RTO after the SYN; data = "
            "entered CA_LOSS; timeouts = flows with either\n"
            "size_bytes\tdrop_forward\tdrop_reverse\trtt_us\tflows\tcensored\thandshake_timeouts\t"
            "data_timeouts\ttimeouts\tp50_s\tp99_s\tp999_s\n";
    for (const BatchPlan& plan : plans) {
        const auto flows = batch_flows(cc, plan, cache);
        const Counts c = count(flows);
        std::vector<double> fct;
        for (const ShortBatchFlow& f : flows) {
            fct.push_back(f.fct_s);
        }
        const auto q = empirical_quantiles(fct, {0.5, 0.99, 0.999});
        const ShortPoint& pt = plan.point;
        text << format_number(pt.size_bytes) << '\t' << format_number(pt.drop_forward) << '\t'
             << format_number(pt.drop_reverse) << '\t' << format_number(pt.rtt_us) << '\t'
             << c.flows << '\t' << c.censored << '\t' << c.handshake << '\t' << c.data << '\t'
             << c.timed_out << '\t' << format_number(q[0], 8) << '\t' << format_number(q[1], 8)
             << '\t' << format_number(q[2], 8) << '\n';
    }
    std::filesystem::create_directories(options.out.parent_path());
    std::ofstream out(options.out);
    out << text.str();
    if (!out) {
        throw std::runtime_error("cannot write " + options.out.string());
    }
    std::fprintf(stderr, "wrote %s\n", options.out.string().c_str());
}

}  // namespace swarm::ns3tables
