// The Clos shorthand of the incident format. Ids follow insertion order, which callers (and
// the matrix traffic pattern, via Topology::tors()) rely on, so the order below is a contract.
#include "estimator/helper/clos_builder.h"

#include <string>
#include <vector>

namespace swarm {
namespace {

std::string tor_name(int pod, int index) {
    return "t0-" + std::to_string(pod) + "-" + std::to_string(index);
}
std::string agg_name(int pod, int index) {
    return "t1-" + std::to_string(pod) + "-" + std::to_string(index);
}
std::string spine_name(int index) { return "t2-" + std::to_string(index); }

}  // namespace

Topology build_clos(const ClosParams& p) {
    Topology topo;
    const auto capacity = BitsPerSec::from_gbps(p.link_gbps);
    const auto delay = Seconds::from_us(p.link_delay_us);

    std::vector<NodeId> tors;
    for (int pod = 0; pod < p.pods; ++pod) {
        for (int i = 0; i < p.tors_per_pod; ++i) {
            tors.push_back(topo.add_switch(tor_name(pod, i), 0, pod));
        }
    }
    std::vector<NodeId> aggs;
    for (int pod = 0; pod < p.pods; ++pod) {
        for (int j = 0; j < p.aggs_per_pod; ++j) {
            aggs.push_back(topo.add_switch(agg_name(pod, j), 1, pod));
        }
    }
    std::vector<NodeId> spines;
    for (int k = 0; k < p.spines; ++k) {
        spines.push_back(topo.add_switch(spine_name(k), 2, -1));
    }

    for (NodeId tor : tors) {
        const int pod = topo.node(tor).pod;
        for (int j = 0; j < p.aggs_per_pod; ++j) {
            const NodeId agg = aggs[static_cast<std::size_t>(pod * p.aggs_per_pod + j)];
            topo.add_link(tor, agg, capacity, delay);
        }
    }
    for (NodeId agg : aggs) {
        for (NodeId spine : spines) {
            topo.add_link(agg, spine, capacity, delay);
        }
    }

    const auto server_capacity = BitsPerSec::from_gbps(p.server_link_gbps.value_or(p.link_gbps));
    const auto server_delay = Seconds::from_us(p.server_link_delay_us.value_or(p.link_delay_us));
    for (NodeId tor : tors) {
        topo.add_servers(tor, p.servers_per_tor, server_capacity, server_delay);
    }
    return topo;
}

}  // namespace swarm
