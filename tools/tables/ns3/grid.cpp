#include "tools/tables/ns3/grid.h"

#include <algorithm>

namespace swarm::ns3tables {

GridSpec full_grid() {
    GridSpec g;
    g.name = "full";
    // Drop rates: 0 and log-spaced 1e-5..0.2 (1-3 per decade from 1e-4, where the curves bend).
    g.drop_rates = {0, 1e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.2};
    // RTTs: intra-rack (10 us, the shipped Clos) to cross-pod / WAN-ish (1 ms), 1-3 per decade.
    g.rtts_us = {10, 30, 100, 300, 1000};
    // Sizes: 1 segment to 1 MB, covering the 150 KB short-flow threshold.
    g.sizes_bytes = {1000, 3000, 10000, 30000, 100000, 150000, 300000, 1000000};
    g.utilizations = {0, 0.25, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0};
    g.competing_flows = {0, 1, 2, 4, 16, 64, 128};
    g.congestion_utilizations = {0.9, 1.0};
    // Buffers: a shallow per-port share (100 packets, 150 KB) to a deep one (2000, 3 MB).
    g.congestion_buffers = {100, 200, 500, 1000, 2000};
    g.congestion_flows = {1, 2, 4, 8, 16, 64};
    return g;
}

GridSpec coarse_grid() {
    GridSpec g = full_grid();
    g.name = "coarse";
    g.drop_rates = {0, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 0.2};
    g.rtts_us = {10, 100, 1000};
    g.sizes_bytes = {1000, 10000, 30000, 100000, 150000, 1000000};
    g.utilizations = {0, 0.5, 0.8, 0.9, 0.95, 1.0};
    g.competing_flows = {0, 1, 4, 16, 128};
    return g;
}

GridSpec smoke_grid() {
    GridSpec g;
    g.name = "smoke";
    g.repetitions = 5;
    g.drop_rates = {0, 1e-2};
    g.rtts_us = {10, 100};
    g.sizes_bytes = {10000, 150000};
    g.utilizations = {0, 0.5, 1.0};
    g.competing_flows = {0, 2};
    g.measure_segments = 1000;
    g.time_limit_s = 5.0;
    g.short_time_limit_s = 60.0;
    g.queue_warmup_below_s = 0.001;
    g.queue_measure_below_s = 0.002;
    g.queue_warmup_saturated_s = 0.003;
    g.queue_measure_saturated_s = 0.003;
    g.congestion_utilizations = {0.8, 1.0};
    g.congestion_buffers = {100, 1000};
    g.congestion_flows = {1, 4};
    g.congestion_repetitions = 3;
    g.congestion_measure_s = 0.003;
    return g;
}

LongFlowParams long_params(const GridSpec& grid, double drop_rate, double rtt_s) {
    LongFlowParams p;
    p.drop_rate = drop_rate;
    p.rtt_s = rtt_s;
    p.link_bps = grid.long_link_bps;
    p.warmup_s = std::max(grid.warmup_rtts * rtt_s, grid.min_warmup_s);
    p.measure_s = grid.time_limit_s;
    p.max_segments = grid.measure_segments;
    return p;
}

QueueingParams queueing_params(const GridSpec& grid, double utilization, std::uint32_t flows) {
    QueueingParams q;
    q.utilization = utilization;
    q.competing_flows = flows;
    q.link_bps = grid.queue_link_bps;
    q.rtt_s = grid.queue_rtt_us * 1e-6;
    const bool saturated = utilization >= 1.0;
    q.warmup_s = saturated ? grid.queue_warmup_saturated_s : grid.queue_warmup_below_s;
    q.measure_s = saturated ? grid.queue_measure_saturated_s : grid.queue_measure_below_s;
    q.probe_gap_packets = grid.probe_gap_packets;
    return q;
}

}  // namespace swarm::ns3tables
