#include "tools/tables/ns3/measure.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>
#include <string>

#include "tools/tables/common/quantiles.h"
#include "tools/tables/common/table_writer.h"
#include "tools/tables/ns3/runner.h"

namespace swarm::ns3tables {

using tables::empirical_quantiles;
using tables::format_number;

namespace {

std::vector<double> parse(const std::string& text) {
    std::istringstream in(text);
    std::vector<double> values;
    double v = 0.0;
    while (in >> v) {
        values.push_back(v);
    }
    return values;
}

/// Runs `work(run)` for each run in worker processes; returns each run's numbers in run order.
template <typename Work>
std::vector<std::vector<double>> run_all(std::uint64_t first_run, int count, int parallel,
                                         Work work) {
    std::vector<Job> jobs;
    for (int i = 0; i < count; ++i) {
        const std::uint64_t run = first_run + static_cast<std::uint64_t>(i);
        jobs.push_back({std::to_string(run), [work, run] { return work(run); }});
    }
    ResultCache cache("");
    run_jobs(jobs, parallel, cache, "measure");
    std::vector<std::vector<double>> out;
    for (const Job& job : jobs) {
        out.push_back(parse(cache.get(job.key)));
    }
    return out;
}

std::string join(const std::vector<double>& values) {
    std::string text;
    for (const double v : values) {
        text += (text.empty() ? "" : " ") + format_number(v, 10);
    }
    return text;
}

}  // namespace

std::vector<LongFlowResult> measure_long(const TcpSettings& tcp, const LongFlowParams& params,
                                         std::uint32_t seed, std::uint64_t first_run, int count,
                                         int parallel) {
    const auto rows = run_all(first_run, count, parallel, [tcp, params, seed](std::uint64_t run) {
        const auto r = run_long_flow(tcp, params, seed, run);
        return join({r.goodput_bps, r.measured_s, r.wall_s});
    });
    std::vector<LongFlowResult> out;
    for (const auto& v : rows) {
        out.push_back({v.at(0), v.at(1), v.at(2)});
    }
    return out;
}

std::vector<ShortFlowResult> measure_short(const TcpSettings& tcp, const ShortFlowParams& params,
                                           std::uint32_t seed, std::uint64_t first_run, int count,
                                           int parallel) {
    const auto rows = run_all(first_run, count, parallel, [tcp, params, seed](std::uint64_t run) {
        const auto r = run_short_flow(tcp, params, seed, run);
        return join({r.fct_s, r.censored ? 1.0 : 0.0, r.wall_s});
    });
    std::vector<ShortFlowResult> out;
    for (const auto& v : rows) {
        out.push_back({v.at(0), v.at(1) > 0.0, v.at(2)});
    }
    return out;
}

std::vector<QueueSummary> measure_queue(const TcpSettings& tcp, const QueueingParams& params,
                                        std::uint32_t seed, std::uint64_t first_run, int count,
                                        int parallel) {
    const auto rows = run_all(first_run, count, parallel, [tcp, params, seed](std::uint64_t run) {
        const auto r = run_queueing(tcp, params, seed, run);
        if (r.delays_packets.empty()) {
            throw std::runtime_error("no probe samples");
        }
        const auto q = empirical_quantiles(r.delays_packets, {0.5, 0.9});
        double mean = 0.0;
        for (const double d : r.delays_packets) {
            mean += d / static_cast<double>(r.delays_packets.size());
        }
        const auto shares = fair_shares(r.flow_bytes);
        const double min_share =
            shares.empty() ? 0.0 : *std::min_element(shares.begin(), shares.end());
        return join({q[0], q[1], r.utilization_measured, r.full_fraction, mean, r.drop_rate,
                     min_share, r.wall_s});
    });
    std::vector<QueueSummary> out;
    for (const auto& v : rows) {
        out.push_back({v.at(0), v.at(1), v.at(2), v.at(3), v.at(4), v.at(5), v.at(6), v.at(7)});
    }
    return out;
}

std::vector<double> fair_shares(const std::vector<double>& flow_bytes) {
    double total = 0.0;
    for (const double b : flow_bytes) {
        total += b;
    }
    std::vector<double> shares;
    if (total <= 0.0) {
        return shares;
    }
    const double fair = total / static_cast<double>(flow_bytes.size());
    for (const double b : flow_bytes) {
        shares.push_back(b / fair);
    }
    return shares;
}

double median(std::vector<double> values) {
    if (values.empty()) {
        throw std::invalid_argument("median of nothing");
    }
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

}  // namespace swarm::ns3tables
