#include "estimator/helper/downscale.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "estimator/helper/estimator_defaults.h"

namespace swarm {

namespace {

void scale_throughput(MetricEstimates& estimates, double k) {
    for (auto& [metric, e] : estimates) {
        if (metric.quantity != Metric::Quantity::Throughput) continue;
        e.estimate *= k;
        e.ci_low *= k;
        e.ci_high *= k;
    }
}

/// The same topology, node and link ids included, with every capacity multiplied by `factor`:
/// replayed in id order (a server and its link are added together, as the builders add them).
Topology scaled_topology(const Topology& topo, double factor) {
    Topology out;
    std::size_t next_link = 0;
    auto add_links_before = [&](std::size_t end) {
        for (; next_link < end; ++next_link) {
            const Link& l = topo.links()[next_link];
            if (static_cast<std::size_t>(std::max(l.a, l.b)) >= out.node_count()) {
                throw std::logic_error("down-scaling: link " +
                                       topo.link_name(static_cast<LinkId>(next_link)) +
                                       " precedes its endpoints");
            }
            out.add_link(l.a, l.b, BitsPerSec{l.capacity.value * factor}, l.delay);
        }
    };
    for (std::size_t n = 0; n < topo.node_count(); ++n) {
        const Node& node = topo.nodes()[n];
        if (node.kind != NodeKind::Server) {
            out.add_switch(node.name, node.tier, node.pod);
            continue;
        }
        const LinkId own = topo.server_link(topo.server_index(static_cast<NodeId>(n)));
        add_links_before(static_cast<std::size_t>(own));
        const Link& l = topo.link(own);
        out.add_servers(node.tor, 1, BitsPerSec{l.capacity.value * factor}, l.delay);
        if (out.nodes().back().name != node.name)
            throw std::logic_error("down-scaling: server " + node.name + " renamed");
        next_link = static_cast<std::size_t>(own) + 1;
    }
    add_links_before(topo.link_count());
    return out;
}

}  // namespace

Incident downscaled(const Incident& incident, int k) {
    Incident sub = incident;
    const auto factor = static_cast<double>(k);
    sub.topology = scaled_topology(incident.topology, 1.0 / factor);
    sub.traffic.arrival_rate_per_server /= factor;
    sub.estimator.epoch.value *= factor;
    return sub;
}

void upscale(Ranking& ranking, int k) {
    const auto factor = static_cast<double>(k);
    scale_throughput(ranking.healthy, factor);
    for (CandidateResult& c : ranking.ranking) scale_throughput(c.metrics, factor);
    for (DecisionMargin& m : ranking.decision.margins) {
        if (m.metric.quantity != Metric::Quantity::Throughput) continue;
        m.margin *= factor;
        m.ci_low *= factor;
        m.ci_high *= factor;
    }
}

int auto_downscale(const Incident& incident) {
    const FabricTimescales scales = fabric_timescales(
        incident.topology, incident.traffic, incident.estimator.short_flow_threshold.value);
    const DefaultHorizon needed = default_horizon(scales, incident.estimator.epoch.value);
    const TrafficSpec& t = incident.traffic;
    const double warmup_slack = t.window_start.value / needed.warmup_s;
    const double measured = scales.long_flows_per_s * (t.window_end.value - t.window_start.value);
    const double window_slack = measured / kDefaultMeasuredLongFlows;
    return std::max(1, static_cast<int>(std::floor(std::min(warmup_slack, window_slack))));
}

}  // namespace swarm
