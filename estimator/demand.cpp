#include "estimator/demand.h"

#include <algorithm>
#include <cassert>

namespace swarm {

DemandSampler::DemandSampler(const Topology& topology, const TrafficSpec& traffic)
    : topology_(&topology), traffic_(&traffic), sizes_(traffic.flow_size) {
    const auto& tors = topology.tors();
    std::vector<std::int32_t> tor_of_node(topology.node_count(), -1);
    for (std::size_t i = 0; i < tors.size(); ++i)
        tor_of_node[static_cast<std::size_t>(tors[i])] = static_cast<std::int32_t>(i);
    tor_servers_.resize(tors.size());
    tor_pod_.resize(tors.size());
    int pods = 0;
    for (std::size_t i = 0; i < tors.size(); ++i) {
        tor_pod_[i] = std::max(0, topology.node(tors[i]).pod);
        pods = std::max(pods, tor_pod_[i] + 1);
    }
    pod_servers_.resize(static_cast<std::size_t>(pods));
    const auto& servers = topology.servers();
    server_tor_.resize(servers.size());
    for (std::size_t s = 0; s < servers.size(); ++s) {
        const auto t = tor_of_node[static_cast<std::size_t>(topology.node(servers[s]).tor)];
        server_tor_[s] = t;
        tor_servers_[static_cast<std::size_t>(t)].push_back(static_cast<std::int32_t>(s));
        pod_servers_[static_cast<std::size_t>(tor_pod_[static_cast<std::size_t>(t)])].push_back(
            static_cast<std::int32_t>(s));
    }
    if (const auto* matrix = std::get_if<MatrixPattern>(&traffic.pattern)) {
        for (const auto& row : matrix->tor_probability) {
            std::vector<double> cumulative(row.size());
            double sum = 0.0;
            for (std::size_t j = 0; j < row.size(); ++j) cumulative[j] = (sum += row[j]);
            cumulative_rows_.push_back(std::move(cumulative));
        }
    }
}

DemandSample DemandSampler::sample(std::uint64_t seed) const {
    Rng rng(seed);
    DemandSample demand;
    const auto server_count = static_cast<std::uint32_t>(topology_->servers().size());
    const double total_rate = traffic_->arrival_rate_per_server * server_count;
    const double horizon = traffic_->duration.value;
    const auto expected = static_cast<std::size_t>(total_rate * horizon * 1.05) + 16;
    demand.arrival_s.reserve(expected);
    demand.src.reserve(expected);
    demand.dst.reserve(expected);
    demand.size_bytes.reserve(expected);
    // Superposed per-server Poisson processes = one Poisson process with a uniform source.
    for (double t = rng.exponential(total_rate); t < horizon; t += rng.exponential(total_rate)) {
        const auto src = static_cast<std::int32_t>(rng.below(server_count));
        const std::int32_t dst = pick_destination(src, rng);
        if (dst < 0) continue;  // no other server in the chosen group
        demand.arrival_s.push_back(t);
        demand.src.push_back(src);
        demand.dst.push_back(dst);
        demand.size_bytes.push_back(sizes_.sample(rng.uniform()));
    }
    return demand;
}

std::int32_t DemandSampler::pick_in_group(const std::vector<std::int32_t>& servers,
                                          std::int32_t avoid, Rng& rng) const {
    const auto n = static_cast<std::uint32_t>(servers.size());
    const bool contains_avoid = std::find(servers.begin(), servers.end(), avoid) != servers.end();
    if (n == 0 || (n == 1 && contains_avoid)) return -1;
    for (;;) {  // terminates: at least one member differs from `avoid`
        const std::int32_t s = servers[rng.below(n)];
        if (s != avoid) return s;
    }
}

std::int32_t DemandSampler::pick_in_tor(std::size_t tor_index, std::int32_t avoid, Rng& rng) const {
    return pick_in_group(tor_servers_[tor_index], avoid, rng);
}

std::int32_t DemandSampler::pick_destination(std::int32_t src, Rng& rng) const {
    const auto server_count = static_cast<std::uint32_t>(topology_->servers().size());
    const auto src_tor = static_cast<std::size_t>(server_tor_[static_cast<std::size_t>(src)]);
    if (std::holds_alternative<UniformPattern>(traffic_->pattern)) {
        const auto other = static_cast<std::int32_t>(rng.below(server_count - 1));
        return other >= src ? other + 1 : other;
    }
    if (const auto* matrix = std::get_if<MatrixPattern>(&traffic_->pattern)) {
        (void)matrix;
        const auto& row = cumulative_rows_[src_tor];
        const double u = rng.uniform() * row.back();
        const auto it = std::upper_bound(row.begin(), row.end(), u);
        const auto dst_tor = static_cast<std::size_t>(std::min<std::ptrdiff_t>(
            it - row.begin(), static_cast<std::ptrdiff_t>(row.size()) - 1));
        return pick_in_tor(dst_tor, src, rng);
    }
    const auto& locality = std::get<LocalityPattern>(traffic_->pattern);
    const double u = rng.uniform();
    const auto pod = static_cast<std::size_t>(tor_pod_[src_tor]);
    if (u < locality.same_rack) return pick_in_tor(src_tor, src, rng);
    if (u < locality.same_rack + locality.same_pod) {
        // Another rack of the same pod: draw from the pod, rejecting the source's own rack.
        const auto& in_pod = pod_servers_[pod];
        if (in_pod.size() == tor_servers_[src_tor].size()) return -1;
        for (;;) {
            const std::int32_t s = in_pod[rng.below(static_cast<std::uint32_t>(in_pod.size()))];
            if (server_tor_[static_cast<std::size_t>(s)] != static_cast<std::int32_t>(src_tor))
                return s;
        }
    }
    if (pod_servers_.size() <= 1) return -1;
    for (;;) {
        const auto s = static_cast<std::int32_t>(rng.below(server_count));
        if (tor_pod_[static_cast<std::size_t>(server_tor_[static_cast<std::size_t>(s)])] !=
            static_cast<std::int32_t>(pod))
            return s;
    }
}

double DemandSampler::tor_probability(std::size_t src_tor_index, std::size_t dst_tor_index) const {
    const double servers = static_cast<double>(topology_->servers().size());
    const double in_dst = static_cast<double>(tor_servers_[dst_tor_index].size());
    const double in_src = static_cast<double>(tor_servers_[src_tor_index].size());
    if (std::holds_alternative<UniformPattern>(traffic_->pattern)) {
        if (servers <= 1.0) return 0.0;
        return (src_tor_index == dst_tor_index ? in_dst - 1.0 : in_dst) / (servers - 1.0);
    }
    if (const auto* matrix = std::get_if<MatrixPattern>(&traffic_->pattern)) {
        return matrix->tor_probability[src_tor_index][dst_tor_index];
    }
    const auto& locality = std::get<LocalityPattern>(traffic_->pattern);
    if (src_tor_index == dst_tor_index) return in_src > 1.0 ? locality.same_rack : 0.0;
    const auto pod = static_cast<std::size_t>(tor_pod_[src_tor_index]);
    const double pod_size = static_cast<double>(pod_servers_[pod].size());
    if (tor_pod_[dst_tor_index] == tor_pod_[src_tor_index]) {
        return pod_size > in_src ? locality.same_pod * in_dst / (pod_size - in_src) : 0.0;
    }
    return servers > pod_size ? locality.other_pod * in_dst / (servers - pod_size) : 0.0;
}

}  // namespace swarm
