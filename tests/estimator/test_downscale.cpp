// Traffic down-scaling (estimator/helper/downscale.h, SWARM §3.4): the sub-network keeps every
// node and link id with capacities / k, arrivals / k and the epoch x k; results scale back by k
// on throughput only; auto_downscale() finds no slack in derived defaults and the slack of a
// generous explicit horizon; a down-scaled ranking reads in full-network units.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "estimator/comparator.h"
#include "estimator/helper/downscale.h"
#include "estimator/helper/incident_reader.h"
#include "estimator/transport_tables.h"
#include "models/builtin_models.h"
#include "swarm/rank.h"

namespace swarm {
namespace {

const std::filesystem::path kData = SWARM_SOURCE_DATA_DIR;

nlohmann::json incident_json() {
    return nlohmann::json::parse(R"({
      "version": 1, "name": "pop",
      "topology": {"clos": {"pods": 2, "tors_per_pod": 3, "aggs_per_pod": 2, "spines": 2,
                            "servers_per_tor": 6, "link_gbps": 10, "link_delay_us": 1}},
      "failures": [{"type": "link_loss", "link": ["t0-0-0", "t1-0-0"], "drop_rate": 0.05}],
      "traffic": {"arrival_rate_per_server": 120, "flow_size_cdf": "dctcp-websearch"},
      "candidates": [
        {"name": "no-action", "actions": []},
        {"name": "disable-link", "actions": [{"type": "disable_link", "link": ["t0-0-0", "t1-0-0"]}]}
      ],
      "estimator": {"epsilon": 0.3, "seed": 5}
    })");
}

TEST(Downscale, TheSubNetworkKeepsIdsAndScalesCapacityArrivalsAndEpoch) {
    const Incident full = read_incident(incident_json(), kData, builtin_models());
    const Incident sub = downscaled(full, 4);
    ASSERT_EQ(sub.topology.node_count(), full.topology.node_count());
    ASSERT_EQ(sub.topology.link_count(), full.topology.link_count());
    for (std::size_t n = 0; n < full.topology.node_count(); ++n) {
        EXPECT_EQ(sub.topology.nodes()[n].name, full.topology.nodes()[n].name);
    }
    for (std::size_t l = 0; l < full.topology.link_count(); ++l) {
        const Link& a = full.topology.links()[l];
        const Link& b = sub.topology.links()[l];
        EXPECT_EQ(a.a, b.a);
        EXPECT_EQ(a.b, b.b);
        EXPECT_DOUBLE_EQ(b.capacity.value, a.capacity.value / 4.0);
        EXPECT_EQ(b.delay, a.delay);
    }
    for (std::size_t s = 0; s < full.topology.servers().size(); ++s) {
        EXPECT_EQ(sub.topology.server_link(static_cast<std::int32_t>(s)),
                  full.topology.server_link(static_cast<std::int32_t>(s)));
    }
    EXPECT_DOUBLE_EQ(sub.traffic.arrival_rate_per_server, 30.0);
    EXPECT_DOUBLE_EQ(sub.estimator.epoch.value, 4.0 * full.estimator.epoch.value);
    EXPECT_EQ(sub.traffic.duration, full.traffic.duration);
}

TEST(Downscale, UpscaleMultipliesThroughputOnly) {
    Ranking r;
    const Metric p1 = *Metric::parse("p1_throughput");
    const Metric fct = *Metric::parse("p99_fct");
    r.healthy = {{p1, {1.0, 0.5, 1.5, 3}}, {fct, {2.0, 1.0, 3.0, 3}}};
    r.decision.margins = {{p1, 0.1, 0.05, 0.15}, {fct, 0.2, 0.1, 0.3}};
    upscale(r, 3);
    EXPECT_DOUBLE_EQ(r.healthy[0].second.estimate, 3.0);
    EXPECT_DOUBLE_EQ(r.healthy[0].second.ci_high, 4.5);
    EXPECT_DOUBLE_EQ(r.healthy[1].second.estimate, 2.0);
    EXPECT_DOUBLE_EQ(r.decision.margins[0].ci_low, 0.15000000000000002);
    EXPECT_DOUBLE_EQ(r.decision.margins[1].margin, 0.2);
}

TEST(Downscale, AutoFindsNoSlackInDerivedDefaultsAndTheSlackOfALongHorizon) {
    EXPECT_EQ(auto_downscale(read_incident(incident_json(), kData, builtin_models())), 1);
    nlohmann::json doc = incident_json();
    // 36 servers x 120 flows/s x 42.9% long = 1854 long flows/s: a 20 s window holds 18x the
    // 2000 wanted; a 0.5 s warm-up is 6.9x the 72 ms needed.
    doc["traffic"]["duration_s"] = 21;
    doc["traffic"]["measure_window_s"] = {0.5, 20.5};
    EXPECT_EQ(auto_downscale(read_incident(doc, kData, builtin_models())), 6);
}

TEST(Downscale, ARankingOfTheSubNetworkReadsInFullNetworkUnits) {
    static const TransportTables tables = TransportTables::load(kData / "tables" / "analytic-reno");
    const Incident incident = read_incident(incident_json(), kData, builtin_models());
    RankOptions options;
    options.sampling = SamplingMode::Dkw;
    const Ranking full = rank(incident, tables, options);
    options.downscale = 2;
    const Ranking half = rank(incident, tables, options);
    EXPECT_EQ(full.downscale, 1);
    EXPECT_EQ(half.downscale, 2);
    const Metric avg = *Metric::parse("avg_throughput");
    const double a = estimate_of(full.healthy, avg);
    const double b = estimate_of(half.healthy, avg);
    EXPECT_NEAR(b / a, 1.0, 0.3) << a << " vs " << b;
    EXPECT_EQ(half.ranking[0].candidate, full.ranking[0].candidate);
}

}  // namespace
}  // namespace swarm
