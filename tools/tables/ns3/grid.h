// Grids and measurement windows of the ns-3 table generator: what is simulated at which point,
// for the full regeneration and for the smoke mode. Every number here is written into the
// tables' provenance headers (generate.cpp); docs/tables.md explains the choices.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tools/tables/ns3/experiments.h"

namespace swarm::ns3tables {

struct GridSpec {
    std::string name;  // "full", "coarse" or "smoke"
    int repetitions = 30;
    std::uint32_t seed = 1;  // ns3::RngSeedManager::SetSeed; repetition r uses SetRun(r)

    // Long and short flows (Appendix B, Fig. 1(a)).
    std::vector<double> drop_rates;  // includes 0
    std::vector<double> rtts_us;
    std::vector<double> sizes_bytes;

    // Long flows: one link of long_link_bps. Each repetition measures the time to deliver
    // measure_segments after a warm-up of max(warmup_rtts * RTT, min_warmup_s): goodput =
    // segments * MSS * 8 / time (iperf3 -n). A fixed amount of data rather than a fixed time:
    // a 200 ms retransmission timeout is longer than a short window and would read as ~0 b/s,
    // whereas a transfer pays exactly what the timeout costs it; and every run costs about
    // measure_segments packets whatever the point. Runs not done after time_limit_s report
    // what they delivered by then.
    double long_link_bps = 20e9;             // 2x the shipped Clos' 10 Gb/s
    std::uint64_t measure_segments = 10000;  // 14.5 MB
    double time_limit_s = 60.0;
    double warmup_rtts = 20.0;
    double min_warmup_s = 1e-3;
    /// App. B's baseline rule: a run reaching this fraction of the loss-free goodput on the
    /// same link is "not loss-limited" and stored as inf.
    double not_loss_limited_fraction = 0.9;

    // Short flows: a link fast enough never to be the bottleneck (window dynamics only).
    double short_link_bps = 10e12;
    double short_time_limit_s = 3600.0;

    // Queueing (Appendix B, Fig. 1(b)).
    std::vector<double> utilizations;     // includes 0 and 1
    std::vector<double> competing_flows;  // includes 0
    double queue_link_bps = 10e9;         // the shipped Clos' link rate
    double queue_rtt_us = 20.0;           // the shipped Clos' base RTTs are ~10-30 us
    double queue_warmup_below_s = 0.003;  // utilisation < 1: no TCP dynamics on the link
    double queue_measure_below_s = 0.010;
    double queue_warmup_saturated_s = 0.030;  // utilisation 1: past slow start and a sawtooth
    double queue_measure_saturated_s = 0.030;
    double probe_gap_packets = 10.0;

    // Congestion (issue 13): the queueing experiment with the buffer as a grid axis, recording
    // the port's drop-tail loss and the spread of per-flow rates besides the queue. The window
    // starts once every flow has started (they start in the first millisecond) and lasts a
    // long flow's typical lifetime in a data centre (1.7 MB, the web-search mean, at a few
    // Gb/s: a few ms), so it holds the slow-start overshoot a steady-state window leaves out.
    std::vector<double> congestion_utilizations;  // > 0; includes 1
    std::vector<double> congestion_buffers;       // packets per egress port
    std::vector<double> congestion_flows;         // > 0
    int congestion_repetitions = 10;
    double congestion_warmup_s = 0.001;
    double congestion_measure_s = 0.010;
};

/// The regeneration grid (sized to finish in about an hour on two cores for four CCs).
GridSpec full_grid();
/// The full grid thinned to fit the time budget (every second RTT, fewer drop rates, sizes and
/// flow counts; same windows and repetitions): used for BBR, measured last.
GridSpec coarse_grid();
/// A tiny grid that exercises every experiment and the writer in well under a minute.
GridSpec smoke_grid();

/// The long-flow run at one point (drop_rate 0: the loss-free baseline of App. B).
LongFlowParams long_params(const GridSpec& grid, double drop_rate, double rtt_s);

/// Queueing run parameters at one (utilisation, flows) point; utilisation and flows > 0.
QueueingParams queueing_params(const GridSpec& grid, double utilization, std::uint32_t flows);

}  // namespace swarm::ns3tables
