#include "estimator/diagnosis.h"

#include <algorithm>
#include <limits>
#include <type_traits>
#include <variant>

#include "estimator/demand.h"
#include "estimator/random.h"
#include "estimator/scenario.h"
#include "estimator/transport_mix.h"

namespace swarm {

namespace {

/// The incident's failed elements as channels and switches, in failure order.
std::vector<FailedElementUse> failed_elements(const Incident& incident) {
    const Topology& topo = incident.topology;
    std::vector<FailedElementUse> out;
    auto link = [&](LinkId l, std::optional<NodeId> from = std::nullopt) {
        const Link& lk = topo.link(l);
        for (NodeId end : {lk.a, lk.b}) {
            if (!from || *from == end) out.push_back({topo.channel(l, end), std::nullopt, 0.0});
        }
    };
    auto node = [&](NodeId n) { out.push_back({std::nullopt, n, 0.0}); };
    for (const Failure& failure : incident.failures) {
        std::visit(
            [&](const auto& f) {
                using F = std::decay_t<decltype(f)>;
                if constexpr (std::is_same_v<F, LinkLoss>) {
                    link(f.link, f.from);
                } else if constexpr (std::is_same_v<F, LinkDown> ||
                                     std::is_same_v<F, LinkCapacity> ||
                                     std::is_same_v<F, LinkBlackhole>) {
                    link(f.link);
                } else {
                    node(f.node);
                }
            },
            failure);
    }
    return out;
}

/// Adds up the routed flows of one scenario.
struct FlowTally {
    const Routing& routing;
    std::vector<double>& channel_bytes;
    CandidateDiagnosis& d;
    std::vector<double>& failed_bytes;
    double total_bytes = 0.0;
    std::size_t crossing = 0;
    std::size_t loss_limited = 0;

    void add(const std::vector<ChannelId>& path, const PathProperties& props, double bytes,
             bool is_long, const TransportTables& tables) {
        total_bytes += bytes;
        bool crosses = false;
        double narrowest = std::numeric_limits<double>::infinity();
        for (ChannelId c : path) {
            channel_bytes[static_cast<std::size_t>(c)] += bytes;
            narrowest = std::min(narrowest, routing.state().link_capacity_bps(c / 2));
            for (std::size_t e = 0; e < d.failed.size(); ++e) {
                const FailedElementUse& element = d.failed[e];
                const bool hit = element.channel ? *element.channel == c
                                                 : *element.node == routing.channel_head(c);
                if (!hit) continue;
                failed_bytes[e] += bytes;
                crosses = true;
            }
        }
        crossing += crosses;
        if (is_long && props.drop_rate > 0.0 &&
            tables.loss_limited.sample_bps(props.drop_rate, props.base_rtt_s, 0.5) < narrowest) {
            ++loss_limited;
        }
    }
};

CandidateDiagnosis diagnose_scenario(const Incident& incident, const Scenario& scenario,
                                     const DemandSample& demand, const TransportMix& transport,
                                     std::uint64_t seed, std::size_t top) {
    CandidateDiagnosis d;
    d.failed = failed_elements(incident);
    if (scenario.excluded) return d;
    d.diagnosed = true;
    const Routing& routing = *scenario.routing;
    const NetworkState& state = routing.state();
    const Topology& topo = incident.topology;
    std::vector<double> channel_bytes(topo.channel_count(), 0.0);
    std::vector<double> failed_bytes(d.failed.size(), 0.0);
    FlowTally tally{routing, channel_bytes, d, failed_bytes};
    // The streams of rank()'s first sample: traffic 0, routing 0 (epoch_simulator.cpp admit()).
    const std::uint64_t routing_seed = derive_seed(seed, {kRoutingStream, 0, 0});
    const std::uint64_t mix_seed = derive_seed(seed, {kTransportMixStream});
    std::vector<ChannelId> path;
    for (std::size_t flow = 0; flow < demand.size(); ++flow) {
        std::int32_t src = demand.src[flow];
        std::int32_t dst = demand.dst[flow];
        if (!scenario.editor->empty()) {
            src = scenario.editor->apply(src, flow, 0);
            dst = scenario.editor->apply(dst, flow, 1);
        }
        if (src == dst || !routing.reachable(src, dst)) continue;
        Rng rng(derive_seed(routing_seed, {flow}));
        path.clear();
        const PathProperties props = routing.sample_path(src, dst, rng, path);
        const bool is_long =
            demand.size_bytes[flow] > incident.estimator.short_flow_threshold.value;
        tally.add(path, props, demand.size_bytes[flow], is_long,
                  transport.for_flow(mix_seed, flow));
        ++d.flows;
        d.long_flows += is_long;
    }
    const double duration = incident.traffic.duration.value;
    for (std::size_t c = 0; c < channel_bytes.size(); ++c) {
        const auto channel = static_cast<ChannelId>(c);
        const Link& link = topo.link(channel / 2);
        // Switch-to-switch channels: a server's own link says nothing about the fabric.
        if (topo.node(link.a).kind == NodeKind::Server ||
            topo.node(link.b).kind == NodeKind::Server)
            continue;
        const double capacity = state.link_capacity_bps(channel / 2);
        if (channel_bytes[c] <= 0.0 || capacity <= 0.0) continue;
        const double bps = 8.0 * channel_bytes[c] / duration;
        d.busiest.push_back({channel, bps, bps / capacity, state.channel_drop_rate(channel)});
    }
    std::sort(d.busiest.begin(), d.busiest.end(), [](const ChannelLoad& a, const ChannelLoad& b) {
        return a.utilisation != b.utilisation ? a.utilisation > b.utilisation
                                              : a.channel < b.channel;
    });
    if (d.busiest.size() > top) d.busiest.resize(top);
    for (std::size_t e = 0; e < d.failed.size(); ++e) {
        d.failed[e].traffic_fraction =
            tally.total_bytes > 0.0 ? failed_bytes[e] / tally.total_bytes : 0.0;
    }
    d.crossing_failed_fraction =
        d.flows ? static_cast<double>(tally.crossing) / static_cast<double>(d.flows) : 0.0;
    d.loss_limited_fraction =
        d.long_flows ? static_cast<double>(tally.loss_limited) / static_cast<double>(d.long_flows)
                     : 0.0;
    return d;
}

}  // namespace

std::vector<CandidateDiagnosis> diagnose(const Incident& incident, const TransportTables& tables,
                                         const RankOptions& options, std::size_t top) {
    const std::uint64_t seed = options.seed.value_or(incident.estimator.seed);
    const TransportMix transport = incident_transport_mix(incident, tables, options);
    const DemandSampler sampler(incident.topology, incident.traffic);
    const DemandSample demand = sampler.sample(derive_seed(seed, {kTrafficStream, 0}));
    std::vector<CandidateDiagnosis> out;
    for (std::size_t s = 0; s <= incident.candidates.size(); ++s) {
        const Candidate* candidate = s == 0 ? nullptr : &incident.candidates[s - 1];
        const Scenario scenario = build_scenario(incident, transport, sampler, candidate, seed);
        out.push_back(diagnose_scenario(incident, scenario, demand, transport, seed, top));
        out.back().candidate = candidate ? candidate->name : "";
    }
    return out;
}

}  // namespace swarm
