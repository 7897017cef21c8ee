// Grids and measurement windows of the ns-3 table generator: what is simulated at which point,
// for the full regeneration and for the smoke mode. Every number here is written into the
// tables' provenance headers (table_output.cpp); docs/tables.md explains the choices.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tools/tables/ns3/experiments.h"

namespace swarm::ns3tables {

struct GridSpec {
    std::string name;  // "full" or "smoke"
    int repetitions = 30;
    std::uint32_t seed = 1;  // ns3::RngSeedManager::SetSeed; repetition r uses SetRun(r)

    // Long and short flows (Appendix B, Fig. 1(a)).
    std::vector<double> drop_rates;  // includes 0
    std::vector<double> rtts_us;
    std::vector<double> sizes_bytes;

    // Long flows: one link of long_link_bps. A pilot run (segment budget pilot_segments) gives
    // the goodput G of each point; the repetitions then measure over a fixed window
    // T = clamp(budget_segments * MSS * 8 / G, min_window_s, max_window_s) after a warm-up of
    // max(warmup_fraction * T, warmup_rtts * RTT), so that each run costs about budget_segments
    // packets whatever the point, and slow points still cover many 200 ms timeouts.
    double long_link_bps = 20e9;  // 2x the shipped Clos' 10 Gb/s
    std::uint64_t pilot_segments = 5000;
    std::uint64_t budget_segments = 10000;
    double min_window_s = 0.005;
    double max_window_s = 10.0;
    double warmup_fraction = 0.1;
    double warmup_rtts = 20.0;
    /// App. B's baseline rule: a run reaching this fraction of the loss-free goodput on the
    /// same link is "not loss-limited" and stored as inf.
    double not_loss_limited_fraction = 0.9;

    // Short flows: a link fast enough never to be the bottleneck (window dynamics only).
    double short_link_bps = 10e12;
    double short_time_limit_s = 3600.0;

    // Queueing (Appendix B, Fig. 1(b)).
    std::vector<double> utilizations;        // includes 0 and 1
    std::vector<double> competing_flows;     // includes 0
    double queue_link_bps = 10e9;            // the shipped Clos' link rate
    double queue_rtt_us = 20.0;              // the shipped Clos' base RTTs are ~10-30 us
    double queue_warmup_below_s = 0.003;     // utilisation < 1: no TCP dynamics on the link
    double queue_measure_below_s = 0.010;
    double queue_warmup_saturated_s = 0.030;  // utilisation 1: past slow start and a sawtooth
    double queue_measure_saturated_s = 0.030;
    double probe_gap_packets = 10.0;
};

/// The regeneration grid (sized to finish in about an hour on two cores for four CCs).
GridSpec full_grid();
/// A tiny grid that exercises every experiment and the writer in well under a minute.
GridSpec smoke_grid();

/// The fixed measurement window of a long-flow point from its pilot goodput.
struct LongWindow {
    double warmup_s;
    double measure_s;
};
LongWindow long_window(const GridSpec& grid, double rtt_s, double pilot_goodput_bps,
                       std::uint32_t mss_bytes);

/// The pilot run's parameters at one point (also used for the loss-free baseline, drop 0).
LongFlowParams pilot_params(const GridSpec& grid, double drop_rate, double rtt_s);

/// Queueing run parameters at one (utilisation, flows) point; utilisation and flows > 0.
QueueingParams queueing_params(const GridSpec& grid, double utilization, std::uint32_t flows);

}  // namespace swarm::ns3tables
