// The short-flow measurements behind the FCT model of estimator/short_flow_fct.h: the body
// table (short_flow_body.tsv: RTT counts of flows that had no timeout) and the single-link
// validation of the whole model (bench/short_flow/). Both run batches of independent flows
// (short_batch.h) as cached, resumable jobs (runner.h). docs/tables.md and docs/model.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "tools/tables/ns3/runner.h"
#include "tools/tables/ns3/short_batch.h"

namespace swarm::ns3tables {

/// One measured point: flow size, drop rates of the two directions, round-trip propagation.
struct ShortPoint {
    double size_bytes = 10000;
    double drop_forward = 0.0;
    double drop_reverse = 0.0;
    double rtt_us = 20.0;
};

/// The flows of batches first_run .. first_run + batches - 1 at `point` (each batch a cached
/// job of `flows_per_batch` flows on a `link_bps` link), in run order.
struct BatchPlan {
    ShortPoint point;
    double link_bps = 10e12;
    int flows_per_batch = 500;
    std::uint64_t first_run = 1;
    int batches = 1;
};
std::vector<Job> batch_jobs(ns3common::CongestionControl cc, const BatchPlan& plan);
std::vector<ShortBatchFlow> batch_flows(ns3common::CongestionControl cc, const BatchPlan& plan,
                                        const ResultCache& cache);

struct ShortFlowOptions {
    std::filesystem::path out;  ///< body: the table-set root (data/tables); validation: the file
    int parallel = 2;
    std::string command;
    bool smoke = false;  ///< a tiny grid / point set, for the smoke test
};

/// Measures and writes <out>/ns3-<cc>/short_flow_body.tsv: per (size, drop rate, RTT) the
/// quantiles of FCT / RTT over flows with no timeout, with batches added until at least
/// 1000 such flows (0.99 level: n (1 - q) >= 10) or a cap.
std::filesystem::path generate_body_table(ns3common::CongestionControl cc,
                                          const ShortFlowOptions& options, ResultCache& cache);

/// The validation points (flow sizes x drop rates, both directions lossy, 10^4 flows each):
/// writes one row per point with the timeout counts and the FCT quantiles.
void run_short_validation(ns3common::CongestionControl cc, const ShortFlowOptions& options,
                          ResultCache& cache);

}  // namespace swarm::ns3tables
