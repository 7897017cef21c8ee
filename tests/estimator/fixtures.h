// Small documented topologies shared by the core tests (Parsimon's testing.rs idea), the shipped
// transport tables, and hand-written demands run through the epoch loop.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "estimator/demand.h"
#include "estimator/epoch_simulator.h"
#include "estimator/helper/clos_builder.h"
#include "estimator/network_state.h"
#include "estimator/routing.h"
#include "estimator/transport_mix.h"
#include "estimator/transport_tables.h"
#include "swarm/topology.h"

namespace swarm::testing {

/// The SWARM testbed shape (§4.1): 2 pods x 3 ToRs, 2 T1 per pod, 2 spines, 10 Gbps, 1 us.
/// Every ToR has 2 uplinks; every T1 has 2 spine links.
inline Topology testbed_clos(int servers_per_tor = 6) {
    ClosParams p;
    p.pods = 2;
    p.tors_per_pod = 3;
    p.aggs_per_pod = 2;
    p.spines = 2;
    p.servers_per_tor = servers_per_tor;
    p.link_gbps = 10.0;
    p.link_delay_us = 1.0;
    return build_clos(p);
}

inline NodeId node(const Topology& t, const char* name) { return *t.find_node(name); }
inline LinkId link(const Topology& t, const char* a, const char* b) {
    return *t.find_link(node(t, a), node(t, b));
}

/// A table set under data/tables/ ("analytic-reno" for hand-solved cases, "ns3-cubic").
inline const TransportTables& tables(const std::string& name) {
    static const TransportTables reno = TransportTables::load(
        std::filesystem::path(SWARM_SOURCE_DATA_DIR) / "tables" / "analytic-reno");
    static const TransportTables cubic = TransportTables::load(
        std::filesystem::path(SWARM_SOURCE_DATA_DIR) / "tables" / "ns3-cubic");
    if (name == "analytic-reno") return reno;
    if (name == "ns3-cubic") return cubic;
    throw std::invalid_argument("no table set " + name);
}

/// One flow of a hand-written demand.
struct Flow {
    double arrival;  ///< s
    std::int32_t src;
    std::int32_t dst;
    double bytes;
};

inline DemandSample demand_of(const std::vector<Flow>& flows) {
    DemandSample d;
    for (const Flow& f : flows) {
        d.arrival_s.push_back(f.arrival);
        d.src.push_back(f.src);
        d.dst.push_back(f.dst);
        d.size_bytes.push_back(f.bytes);
    }
    return d;
}

/// A 1 s run, measured from 0 to 1 s, with the shipped 150 KB short-flow threshold: short
/// enough to solve by hand, long enough that every hand-solved flow ends inside it.
inline SimulationSettings one_second_settings(double epoch_s = 1e-3) {
    SimulationSettings s;
    s.epoch_s = epoch_s;
    s.short_flow_bytes = 150000;
    s.duration_s = 1.0;
    s.window_start_s = 0.0;
    s.window_end_s = 1.0;
    return s;
}

/// `flows` through the epoch loop on `state` (analytic-reno tables, MTU 1500, no demand moves,
/// routing seed 11, transport seed 12), under `models` if given.
inline FlowOutcomes run_flows(const NetworkState& state, const std::vector<Flow>& flows,
                              const SimulationSettings& s, const ScenarioModels* models = nullptr) {
    const Routing routing(state, 1500);
    const std::vector<DemandMove> no_moves;
    const DemandEditor editor(no_moves, state.topology().servers().size(), 1);
    const TransportMix transport(tables("analytic-reno"));
    EpochSimulator simulator(routing, transport, s, models);
    FlowOutcomes out;
    simulator.run(demand_of(flows), editor, 11, 12, out);
    return out;
}

}  // namespace swarm::testing
