// Repetitions of one point, run in parallel worker processes (runner.h) without a cache file:
// for single measurements on the command line, the rate-independence checks and the agreement
// test against the tables.
#pragma once

#include <cstdint>
#include <vector>

#include "tools/tables/ns3/experiments.h"

namespace swarm::ns3tables {

/// Runs first_run .. first_run + count - 1 of the point; results in run order.
std::vector<LongFlowResult> measure_long(const TcpSettings& tcp, const LongFlowParams& params,
                                         std::uint32_t seed, std::uint64_t first_run, int count,
                                         int parallel);
std::vector<ShortFlowResult> measure_short(const TcpSettings& tcp, const ShortFlowParams& params,
                                           std::uint32_t seed, std::uint64_t first_run, int count,
                                           int parallel);
/// Per run: the probe samples' median, 0.9 quantile and mean, measured utilisation, full
/// fraction, the port's congestion drop rate and the smallest flow's rate / fair share.
struct QueueSummary {
    double median_packets;
    double p90_packets;
    double utilization;
    double full_fraction;
    double mean_packets;
    double drop_rate;
    double min_share;
    double wall_s;
};

/// Each flow's rate relative to the fair share, bytes_i / (sum / n): mean 1 by construction.
std::vector<double> fair_shares(const std::vector<double>& flow_bytes);
std::vector<QueueSummary> measure_queue(const TcpSettings& tcp, const QueueingParams& params,
                                        std::uint32_t seed, std::uint64_t first_run, int count,
                                        int parallel);

/// The sample median (mean of the two middle values for an even count).
double median(std::vector<double> values);

}  // namespace swarm::ns3tables
