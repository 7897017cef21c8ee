// Demand samples: Poisson arrivals, destinations by pattern, sizes by CDF (SWARM §3.3).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "estimator/demand.h"
#include "fixtures.h"

namespace swarm {
namespace {

using testing::node;
using testing::testbed_clos;

TrafficSpec traffic(TrafficPattern pattern, double rate = 100.0, double duration = 10.0) {
    TrafficSpec t;
    t.arrival_rate_per_server = rate;
    t.flow_size = {"test", {{1000.0, 0.0}, {2000.0, 1.0}}};
    t.pattern = std::move(pattern);
    t.duration = Seconds{duration};
    t.window_start = Seconds{0.0};
    t.window_end = Seconds{duration};
    return t;
}

TEST(Demand, PoissonArrivalsSortedWithinDurationAndSizesInRange) {
    const Topology topo = testbed_clos();
    const TrafficSpec spec = traffic(UniformPattern{});
    const DemandSample d = DemandSampler(topo, spec).sample(42);
    // 36 servers x 100 flows/s x 10 s = 36000 expected; Poisson sd = 190.
    EXPECT_NEAR(static_cast<double>(d.size()), 36000.0, 1000.0);
    EXPECT_TRUE(std::is_sorted(d.arrival_s.begin(), d.arrival_s.end()));
    EXPECT_LT(d.arrival_s.back(), 10.0);
    for (std::size_t i = 0; i < d.size(); ++i) {
        ASSERT_NE(d.src[i], d.dst[i]);
        ASSERT_GE(d.size_bytes[i], 1000.0);
        ASSERT_LE(d.size_bytes[i], 2000.0);
    }
}

TEST(Demand, SameSeedSameSampleDifferentSeedDifferentSample) {
    const Topology topo = testbed_clos();
    const TrafficSpec spec = traffic(UniformPattern{}, 10.0, 1.0);
    const DemandSampler sampler(topo, spec);
    const DemandSample a = sampler.sample(5);
    const DemandSample b = sampler.sample(5);
    const DemandSample c = sampler.sample(6);
    EXPECT_EQ(a.arrival_s, b.arrival_s);
    EXPECT_EQ(a.dst, b.dst);
    EXPECT_NE(a.arrival_s, c.arrival_s);
}

TEST(Demand, UniformPatternSpreadsOverOtherServers) {
    const Topology topo = testbed_clos();
    const TrafficSpec spec = traffic(UniformPattern{});
    const DemandSampler sampler(topo, spec);
    const DemandSample d = sampler.sample(3);
    std::vector<int> received(topo.servers().size(), 0);
    for (std::int32_t dst : d.dst) ++received[static_cast<std::size_t>(dst)];
    const double expected = static_cast<double>(d.size()) / 36.0;
    for (int r : received) EXPECT_NEAR(r, expected, 6.0 * std::sqrt(expected));
    // Same rack: 5 of 35 other servers.
    EXPECT_NEAR(sampler.tor_probability(0, 0), 5.0 / 35.0, 1e-12);
    EXPECT_NEAR(sampler.tor_probability(0, 1), 6.0 / 35.0, 1e-12);
}

TEST(Demand, LocalityPatternHitsItsFractions) {
    const Topology topo = testbed_clos();
    const TrafficSpec spec = traffic(LocalityPattern{0.5, 0.3, 0.2});
    const DemandSampler sampler(topo, spec);
    const DemandSample d = sampler.sample(11);
    double rack = 0, pod = 0, other = 0;
    for (std::size_t i = 0; i < d.size(); ++i) {
        const Node& s = topo.node(topo.servers()[static_cast<std::size_t>(d.src[i])]);
        const Node& t = topo.node(topo.servers()[static_cast<std::size_t>(d.dst[i])]);
        if (s.tor == t.tor) {
            ++rack;
        } else if (topo.node(s.tor).pod == topo.node(t.tor).pod) {
            ++pod;
        } else {
            ++other;
        }
    }
    const double n = static_cast<double>(d.size());
    EXPECT_NEAR(rack / n, 0.5, 0.02);
    EXPECT_NEAR(pod / n, 0.3, 0.02);
    EXPECT_NEAR(other / n, 0.2, 0.02);
    // Same pod, other rack: 0.3 spread over 12 servers of the 2 other racks in the pod.
    EXPECT_NEAR(sampler.tor_probability(0, 1), 0.3 * 6.0 / 12.0, 1e-12);
    EXPECT_NEAR(sampler.tor_probability(0, 3), 0.2 * 6.0 / 18.0, 1e-12);
}

TEST(Demand, MatrixPatternFollowsRows) {
    const Topology topo = testbed_clos();
    MatrixPattern matrix;
    matrix.tor_probability.assign(6, std::vector<double>(6, 0.0));
    for (std::size_t i = 0; i < 6; ++i) matrix.tor_probability[i][(i + 3) % 6] = 1.0;  // pod to pod
    const TrafficSpec spec = traffic(matrix);
    const DemandSample d = DemandSampler(topo, spec).sample(2);
    const auto& tors = topo.tors();
    for (std::size_t i = 0; i < d.size(); ++i) {
        const NodeId src_tor = topo.node(topo.servers()[static_cast<std::size_t>(d.src[i])]).tor;
        const NodeId dst_tor = topo.node(topo.servers()[static_cast<std::size_t>(d.dst[i])]).tor;
        const auto si = std::find(tors.begin(), tors.end(), src_tor) - tors.begin();
        ASSERT_EQ(dst_tor, tors[static_cast<std::size_t>((si + 3) % 6)]);
    }
}

}  // namespace
}  // namespace swarm
