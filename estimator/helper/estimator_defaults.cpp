#include "estimator/helper/estimator_defaults.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "estimator/flow_size_cdf_library.h"

namespace swarm {

namespace {

/// The largest of 1, 2, 5 x 10^n that is at most x (x > 0).
double nice_floor(double x) {
    const double decade = std::pow(10.0, std::floor(std::log10(x)));
    for (double step : {5.0, 2.0, 1.0}) {
        if (step * decade <= x * (1.0 + 1e-12)) return step * decade;
    }
    return decade;
}

/// x rounded up to a whole number of epochs.
double whole_epochs(double x, double epoch_s) { return std::ceil(x / epoch_s - 1e-9) * epoch_s; }

}  // namespace

FabricTimescales fabric_timescales(const Topology& topology, const TrafficSpec& traffic,
                                   double short_flow_bytes) {
    FabricTimescales scales;
    for (std::size_t s = 0; s < topology.servers().size(); ++s) {
        const Link& link = topology.link(topology.server_link(static_cast<std::int32_t>(s)));
        scales.line_rate_bps = std::max(scales.line_rate_bps, link.capacity.value);
    }
    const FlowSizeSampler sizes(traffic.flow_size);
    double long_bytes = sizes.mean_above(short_flow_bytes);
    // With no long flow at all the epoch only paces short-flow queueing: use the largest flow.
    if (!std::isfinite(long_bytes)) long_bytes = sizes.max_bytes();
    scales.mean_long_flow_s = long_bytes * 8.0 / scales.line_rate_bps;
    scales.max_flow_s = sizes.max_bytes() * 8.0 / scales.line_rate_bps;
    scales.long_flows_per_s = traffic.arrival_rate_per_server *
                              static_cast<double>(topology.servers().size()) *
                              (1.0 - sizes.cdf(short_flow_bytes));
    return scales;
}

double default_epoch_s(const FabricTimescales& scales) {
    return nice_floor(scales.mean_long_flow_s / 2.0);
}

DefaultHorizon default_horizon(const FabricTimescales& scales, double epoch_s) {
    DefaultHorizon h;
    h.warmup_s =
        whole_epochs(std::max(20.0 * scales.mean_long_flow_s, 3.0 * scales.max_flow_s), epoch_s);
    const double to_measure =
        scales.long_flows_per_s > 0.0 ? kDefaultMeasuredLongFlows / scales.long_flows_per_s : 0.0;
    h.window_s = whole_epochs(std::max(to_measure, 2.0 * scales.max_flow_s), epoch_s);
    h.duration_s = 2.0 * h.warmup_s + h.window_s;
    return h;
}

std::optional<std::string> coarse_epoch_warning(double epoch_s, const FabricTimescales& scales) {
    if (epoch_s <= scales.mean_long_flow_s) return std::nullopt;
    char text[320];
    std::snprintf(
        text, sizeof text,
        "estimator.epoch_ms %g is longer than the mean long-flow time at line rate (%.3g ms at "
        "%.3g Gb/s): "
        "bandwidth freed inside an epoch waits for the next one, so long-flow throughput is "
        "underestimated (docs/model.md); leave epoch_ms out to use %g ms",
        epoch_s * 1e3, scales.mean_long_flow_s * 1e3, scales.line_rate_bps / 1e9,
        default_epoch_s(scales) * 1e3);
    return std::string(text);
}

void fill_derived_defaults(Incident& incident, GivenTimeSettings given) {
    TrafficSpec& traffic = incident.traffic;
    EstimatorSpec& estimator = incident.estimator;
    const FabricTimescales scales =
        fabric_timescales(incident.topology, traffic, estimator.short_flow_threshold.value);
    if (!given.epoch) {
        estimator.epoch = Seconds{default_epoch_s(scales)};
    } else if (auto warning = coarse_epoch_warning(estimator.epoch.value, scales)) {
        incident.warnings.push_back(std::move(*warning));
    }
    if (given.duration) return;
    const DefaultHorizon horizon = default_horizon(scales, estimator.epoch.value);
    if (given.window) {
        traffic.duration = Seconds{traffic.window_end.value + horizon.warmup_s};
        return;
    }
    traffic.window_start = Seconds{horizon.warmup_s};
    traffic.window_end = Seconds{horizon.warmup_s + horizon.window_s};
    traffic.duration = Seconds{horizon.duration_s};
}

}  // namespace swarm
