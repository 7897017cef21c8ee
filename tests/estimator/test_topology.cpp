// Topology construction and lookups, and the Clos builder's names, counts and order (the
// incident reader and the matrix traffic pattern depend on both).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "estimator/helper/clos_builder.h"
#include "swarm/topology.h"

namespace swarm {
namespace {

ClosParams small_clos() {
    ClosParams p;
    p.pods = 2;
    p.tors_per_pod = 3;
    p.aggs_per_pod = 2;
    p.spines = 2;
    p.servers_per_tor = 6;
    p.link_gbps = 10.0;
    p.link_delay_us = 1.0;
    return p;
}

NodeId id_of(const Topology& topo, const std::string& name) {
    const auto id = topo.find_node(name);
    EXPECT_TRUE(id.has_value()) << name;
    return id.value_or(-1);
}

TEST(Topology, AddSwitchRecordsTierPodAndTors) {
    Topology topo;
    const NodeId tor = topo.add_switch("tor", 0, 3);
    const NodeId agg = topo.add_switch("agg", 1, 3);
    EXPECT_EQ(topo.node(tor).kind, NodeKind::Switch);
    EXPECT_EQ(topo.node(tor).tier, 0);
    EXPECT_EQ(topo.node(tor).pod, 3);
    EXPECT_EQ(topo.node(tor).tor, tor);
    EXPECT_EQ(topo.node(agg).tor, -1);
    EXPECT_EQ(topo.tors(), std::vector<NodeId>{tor});
    EXPECT_EQ(topo.server_index(agg), -1);
}

TEST(Topology, ServersAreNamedAfterTheirTorAndNumberedDensely) {
    Topology topo;
    const NodeId a = topo.add_switch("a", 0);
    const NodeId b = topo.add_switch("b", 0);
    topo.add_servers(a, 2, BitsPerSec::from_gbps(25), Seconds::from_us(2));
    topo.add_servers(b, 1, BitsPerSec::from_gbps(25), Seconds::from_us(2));
    ASSERT_EQ(topo.servers().size(), 3u);
    EXPECT_EQ(topo.node(topo.servers()[0]).name, "a-h0");
    EXPECT_EQ(topo.node(topo.servers()[1]).name, "a-h1");
    EXPECT_EQ(topo.node(topo.servers()[2]).name, "b-h0");
    for (std::int32_t i = 0; i < 3; ++i) {
        const NodeId s = topo.servers()[static_cast<std::size_t>(i)];
        EXPECT_EQ(topo.server_index(s), i);
        EXPECT_EQ(topo.node(s).kind, NodeKind::Server);
        EXPECT_EQ(topo.node(s).tier, -1);
        const Link& link = topo.link(topo.server_link(i));
        EXPECT_EQ(link.a, s);
        EXPECT_EQ(link.b, topo.node(s).tor);
        EXPECT_EQ(link.capacity, BitsPerSec::from_gbps(25));
        EXPECT_EQ(link.delay, Seconds::from_us(2));
    }
    EXPECT_EQ(topo.servers_of_tor(a), (std::vector<std::int32_t>{0, 1}));
    EXPECT_EQ(topo.servers_of_tor(b), (std::vector<std::int32_t>{2}));
}

TEST(Topology, SecondAddServersContinuesNumbering) {
    Topology topo;
    const NodeId a = topo.add_switch("a", 0);
    topo.add_servers(a, 1, BitsPerSec::from_gbps(10), Seconds{});
    topo.add_servers(a, 1, BitsPerSec::from_gbps(10), Seconds{});
    EXPECT_TRUE(topo.find_node("a-h1").has_value());
    EXPECT_EQ(topo.servers_of_tor(a).size(), 2u);
}

TEST(Topology, SwitchWithoutServersHasEmptyList) {
    Topology topo;
    const NodeId tor = topo.add_switch("lonely", 0);
    const NodeId spine = topo.add_switch("spine", 2);
    EXPECT_TRUE(topo.servers_of_tor(tor).empty());
    EXPECT_TRUE(topo.servers_of_tor(spine).empty());
}

TEST(Topology, FindLinkWorksInEitherOrder) {
    Topology topo;
    const NodeId a = topo.add_switch("a", 0);
    const NodeId b = topo.add_switch("b", 1);
    const NodeId c = topo.add_switch("c", 1);
    const LinkId ab = topo.add_link(a, b, BitsPerSec::from_gbps(40), Seconds::from_us(1));
    EXPECT_EQ(topo.find_link(a, b), ab);
    EXPECT_EQ(topo.find_link(b, a), ab);
    EXPECT_FALSE(topo.find_link(a, c).has_value());
    EXPECT_FALSE(topo.find_link(b, c).has_value());
    EXPECT_EQ(topo.link_name(ab), "a-b");
}

TEST(Topology, ChannelsAndAdjacency) {
    Topology topo;
    const NodeId a = topo.add_switch("a", 0);
    const NodeId b = topo.add_switch("b", 1);
    const LinkId ab = topo.add_link(a, b, BitsPerSec::from_gbps(10), Seconds{});
    EXPECT_EQ(topo.channel(ab, a), 2 * ab);
    EXPECT_EQ(topo.channel(ab, b), 2 * ab + 1);
    EXPECT_EQ(topo.channel_count(), 2u);
    ASSERT_EQ(topo.adjacent(a).size(), 1u);
    EXPECT_EQ(topo.adjacent(a)[0].node, b);
    EXPECT_EQ(topo.adjacent(a)[0].link, ab);
    EXPECT_EQ(topo.adjacent(b)[0].node, a);
}

TEST(Topology, FindNodeUnknownIsEmpty) {
    Topology topo;
    topo.add_switch("a", 0);
    EXPECT_FALSE(topo.find_node("b").has_value());
    EXPECT_FALSE(topo.find_node("").has_value());
}

TEST(ClosBuilder, CountsMatchTheShape) {
    const Topology topo = build_clos(small_clos());
    // 6 ToRs + 4 aggs + 2 spines + 36 servers.
    EXPECT_EQ(topo.node_count(), 48u);
    // ToR-agg 6*2, agg-spine 4*2, server links 36.
    EXPECT_EQ(topo.link_count(), 12u + 8u + 36u);
    EXPECT_EQ(topo.tors().size(), 6u);
    EXPECT_EQ(topo.servers().size(), 36u);
}

TEST(ClosBuilder, NamesAndInsertionOrder) {
    const Topology topo = build_clos(small_clos());
    const std::vector<std::string> expected_switches{"t0-0-0", "t0-0-1", "t0-0-2", "t0-1-0",
                                                     "t0-1-1", "t0-1-2", "t1-0-0", "t1-0-1",
                                                     "t1-1-0", "t1-1-1", "t2-0",   "t2-1"};
    for (std::size_t i = 0; i < expected_switches.size(); ++i) {
        EXPECT_EQ(topo.node(static_cast<NodeId>(i)).name, expected_switches[i]) << i;
    }
    EXPECT_EQ(topo.node(12).name, "t0-0-0-h0");
    EXPECT_EQ(topo.node(17).name, "t0-0-0-h5");
    EXPECT_EQ(topo.node(18).name, "t0-0-1-h0");
    EXPECT_EQ(topo.node(47).name, "t0-1-2-h5");
    for (std::size_t k = 0; k < 6; ++k) {
        EXPECT_EQ(topo.tors()[k], static_cast<NodeId>(k));
    }
}

TEST(ClosBuilder, TiersPodsAndTors) {
    const Topology topo = build_clos(small_clos());
    EXPECT_EQ(topo.node(id_of(topo, "t0-1-2")).tier, 0);
    EXPECT_EQ(topo.node(id_of(topo, "t0-1-2")).pod, 1);
    EXPECT_EQ(topo.node(id_of(topo, "t1-1-0")).tier, 1);
    EXPECT_EQ(topo.node(id_of(topo, "t1-1-0")).pod, 1);
    EXPECT_EQ(topo.node(id_of(topo, "t2-1")).tier, 2);
    EXPECT_EQ(topo.node(id_of(topo, "t2-1")).pod, -1);
    const Node& server = topo.node(id_of(topo, "t0-1-2-h3"));
    EXPECT_EQ(server.kind, NodeKind::Server);
    EXPECT_EQ(server.pod, 1);
    EXPECT_EQ(server.tor, id_of(topo, "t0-1-2"));
}

TEST(ClosBuilder, WiringIsPodLocalBelowAndFullAbove) {
    const Topology topo = build_clos(small_clos());
    EXPECT_TRUE(topo.find_link(id_of(topo, "t0-0-2"), id_of(topo, "t1-0-1")).has_value());
    EXPECT_TRUE(topo.find_link(id_of(topo, "t1-0-1"), id_of(topo, "t0-0-2")).has_value());
    EXPECT_FALSE(topo.find_link(id_of(topo, "t0-0-2"), id_of(topo, "t1-1-0")).has_value());
    EXPECT_FALSE(topo.find_link(id_of(topo, "t0-0-0"), id_of(topo, "t2-0")).has_value());
    EXPECT_TRUE(topo.find_link(id_of(topo, "t1-1-1"), id_of(topo, "t2-0")).has_value());
    EXPECT_FALSE(topo.find_link(id_of(topo, "t1-0-0"), id_of(topo, "t1-0-1")).has_value());
    EXPECT_EQ(topo.adjacent(id_of(topo, "t0-0-0")).size(), 2u + 6u);  // 2 aggs + 6 servers
    EXPECT_EQ(topo.adjacent(id_of(topo, "t1-0-0")).size(), 3u + 2u);  // 3 ToRs + 2 spines
    EXPECT_EQ(topo.adjacent(id_of(topo, "t2-0")).size(), 4u);
}

TEST(ClosBuilder, LinkRatesAndServerOverrides) {
    ClosParams p = small_clos();
    p.link_gbps = 40.0;
    p.link_delay_us = 2.0;
    Topology topo = build_clos(p);
    const auto up = *topo.find_link(id_of(topo, "t0-0-0"), id_of(topo, "t1-0-0"));
    EXPECT_EQ(topo.link(up).capacity, BitsPerSec::from_gbps(40));
    EXPECT_EQ(topo.link(up).delay, Seconds::from_us(2));
    EXPECT_EQ(topo.link(topo.server_link(0)).capacity, BitsPerSec::from_gbps(40));

    p.server_link_gbps = 10.0;
    p.server_link_delay_us = 0.5;
    topo = build_clos(p);
    EXPECT_EQ(topo.link(topo.server_link(0)).capacity, BitsPerSec::from_gbps(10));
    EXPECT_EQ(topo.link(topo.server_link(0)).delay, Seconds::from_us(0.5));
    const auto top = *topo.find_link(id_of(topo, "t1-0-0"), id_of(topo, "t2-1"));
    EXPECT_EQ(topo.link(top).capacity, BitsPerSec::from_gbps(40));
}

TEST(ClosBuilder, SinglePodWithoutSpines) {
    ClosParams p = small_clos();
    p.pods = 1;
    p.spines = 0;
    const Topology topo = build_clos(p);
    EXPECT_EQ(topo.node_count(), 3u + 2u + 18u);
    EXPECT_EQ(topo.link_count(), 6u + 18u);
}

TEST(ClosBuilder, NamesAreUnique) {
    const Topology topo = build_clos(small_clos());
    std::set<std::string> names;
    for (const Node& n : topo.nodes()) {
        names.insert(n.name);
    }
    EXPECT_EQ(names.size(), topo.node_count());
}

}  // namespace
}  // namespace swarm
