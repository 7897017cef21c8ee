// Reference tests of the ns-3 ground-truth runner (tools/truth, docs/fidelity.md) on cases that
// can be solved by hand. Every ns-3 run happens in a forked child (ns3tables::run_jobs), as in
// the runner: ns-3's simulator and stream numbering are process-global.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "estimator/helper/incident_reader.h"
#include "estimator/transport_tables.h"
#include "models/builtin_models.h"
#include "tools/tables/ns3/runner.h"
#include "tools/truth/truth_run.h"
#include "tools/truth/truth_sim.h"

namespace swarm::truth {
namespace {

const std::filesystem::path kData(SWARM_SOURCE_DATA_DIR);

/// Runs each function in its own forked process (two at a time) and returns their outputs.
std::vector<std::string> forked(const std::vector<std::function<std::string()>>& work) {
    std::vector<ns3tables::Job> jobs;
    for (std::size_t i = 0; i < work.size(); ++i)
        jobs.push_back({"job" + std::to_string(i), work[i]});
    ns3tables::ResultCache cache{std::filesystem::path()};
    ns3tables::run_jobs(jobs, 2, cache, "test_truth");
    std::vector<std::string> out;
    for (const auto& job : jobs) out.push_back(cache.get(job.key));
    return out;
}

/// h0 (node 0) - switch (node 1) - h1 (node 2): two 10 Gb/s links of 2.5 us, so the round-trip
/// propagation delay is 10 us (a grid point of the tables). `drop` on the switch -> h1 link.
SimNetwork two_hop(double drop) {
    SimNetwork net;
    net.node_count = 3;
    net.node_drop_rate = {0.0, 0.0, 0.0};
    net.links = {{0, 1, 10e9, 2.5e-6, 0.0}, {1, 2, 10e9, 2.5e-6, drop}};
    return net;
}

/// Goodput (bytes x 8 / FCT) of one flow of `bytes` from h0 to h1, down-scaled by `scale`.
double lone_flow_goodput(double drop, std::uint64_t bytes, double scale, std::uint64_t run) {
    SimSettings settings;
    settings.tcp = truth_tcp_settings(ns3common::CongestionControl::kCubic);
    settings.time_scale = scale;
    settings.horizon_s = 60.0;
    settings.run = run;
    const SimResult r = simulate(two_hop(drop), {SimFlow{{0, 1, 2}, 0.0, bytes, true}}, settings);
    return r.flows[0].finish_s > 0.0 ? 8.0 * static_cast<double>(bytes) / r.flows[0].finish_s : 0.0;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

TEST(Truth, LoneFlowOnAnUnloadedPathGetsTheLineRateAtScale) {
    // 10 MB over 10 Gb/s: 8 ms of transfer against a few 10 us round trips of slow start, so
    // the goodput is the line rate times the payload share of a packet on the wire:
    // 1448 / (1448 + 32 TCP + 20 IP + 2 PPP) = 0.964.
    const double payload_share = 1448.0 / 1502.0;
    const auto out =
        forked({[] { return std::to_string(lone_flow_goodput(0.0, 10'000'000, 120.0, 1)); }});
    const double goodput = std::stod(out[0]);
    EXPECT_LE(goodput, 10e9 * payload_share);
    EXPECT_GE(goodput, 0.9 * 10e9 * payload_share);
}

TEST(Truth, LossOnALinkLimitsThroughputAsTheTablesSay) {
    // One flow across a link dropping 1% of packets: the measured ns3-cubic table's range at
    // (1e-2, 10 us). The table moved 10 000 segments after a warm-up over one link with loss on
    // data only; here 10 000 segments from the SYN over two links with loss both ways (ACKs
    // too), so the median of 5 runs must fall in the table's [q0, q1] widened by 1.5.
    const TransportTables tables = TransportTables::load(kData / "tables" / "ns3-cubic");
    std::vector<std::function<std::string()>> work;
    for (std::uint64_t run = 1; run <= 5; ++run) {
        work.push_back(
            [run] { return std::to_string(lone_flow_goodput(1e-2, 10000 * 1448, 120.0, run)); });
    }
    std::vector<double> goodputs;
    for (const std::string& s : forked(work)) goodputs.push_back(std::stod(s));
    const double measured = median(goodputs);
    const double lo = tables.loss_limited.sample_bps(1e-2, 10e-6, 0.0) / 1.5;
    const double hi = tables.loss_limited.sample_bps(1e-2, 10e-6, 1.0) * 1.5;
    EXPECT_GE(measured, lo);
    EXPECT_LE(measured, hi);
    EXPECT_LT(measured, 0.1 * 10e9);  // far below the line rate: loss, not capacity, limits it
}

constexpr const char* kTinyIncident = R"({
  "version": 1, "name": "tiny",
  "topology": {"clos": {"pods": 1, "tors_per_pod": 2, "aggs_per_pod": 2, "spines": 0,
                        "servers_per_tor": 2, "link_gbps": 10, "link_delay_us": 1}},
  "failures": [{"type": "link_loss", "link": ["t0-0-0", "t1-0-0"], "drop_rate": 0.01}],
  "traffic": {"arrival_rate_per_server": 400, "flow_size_cdf": "dctcp-websearch",
              "pattern": {"type": "uniform"}, "duration_s": 0.02, "measure_window_s": [0.005, 0.015]},
  "candidates": [{"name": "no-action", "actions": []},
                 {"name": "disable-link", "actions": [{"type": "disable_link", "link": ["t0-0-0", "t1-0-0"]}]}],
  "estimator": {"epsilon": 0.3, "epoch_ms": 1, "seed": 7}
})";

TEST(Truth, ADisabledLinkCarriesNothing) {
    const Incident incident = read_incident_text(kTinyIncident, kData, builtin_models());
    const NodeId tor = *incident.topology.find_node("t0-0-0");
    const NodeId agg = *incident.topology.find_node("t1-0-0");
    const auto crosses = [&](const SliceInput& in) {
        std::size_t n = 0;
        for (const SimFlow& f : in.flows) {
            for (std::size_t h = 0; h + 1 < f.path.size(); ++h) {
                n += (f.path[h] == tor && f.path[h + 1] == agg) ||
                     (f.path[h] == agg && f.path[h + 1] == tor);
            }
        }
        return n;
    };
    const auto has_link = [&](const SliceInput& in) {
        for (const SimLink& l : in.network.links) {
            if ((l.a == tor && l.b == agg) || (l.a == agg && l.b == tor)) return true;
        }
        return false;
    };
    const SliceInput kept = build_slice(incident, &incident.candidates[0].actions, 0, 7);
    const SliceInput disabled = build_slice(incident, &incident.candidates[1].actions, 0, 7);
    ASSERT_TRUE(kept.connected);
    ASSERT_TRUE(disabled.connected);
    EXPECT_TRUE(has_link(kept));
    EXPECT_GT(crosses(kept), 0U);  // ECMP sends some flows over it when it is up
    EXPECT_FALSE(has_link(disabled));
    EXPECT_EQ(crosses(disabled), 0U);
    // Common random numbers: both candidates carry the same flows.
    EXPECT_EQ(kept.flows.size(), disabled.flows.size());
}

TEST(Truth, TheSameSeedGivesIdenticalOutput) {
    const Incident incident = read_incident_text(kTinyIncident, kData, builtin_models());
    TruthOptions options;
    options.slices = 1;
    options.jobs = 2;
    const auto strip = [](nlohmann::json doc) {
        doc.erase("elapsed_s");
        for (auto& [name, c] : doc["ground_truth"]["candidates"].items()) c.erase("wall_s");
        return doc;
    };
    const nlohmann::json a = strip(run_truth(incident, options));
    const nlohmann::json b = strip(run_truth(incident, options));
    EXPECT_EQ(a.dump(), b.dump());
    for (const auto& [name, c] : a["ground_truth"]["candidates"].items()) {
        EXPECT_EQ(c["unrouted_packets"].get<int>(), 0) << name;
        EXPECT_GT(c["long_flows"].get<int>() + c["short_flows"].get<int>(), 0) << name;
    }
    options.seed = 8;
    EXPECT_NE(strip(run_truth(incident, options)).dump(), a.dump());
}

}  // namespace
}  // namespace swarm::truth
