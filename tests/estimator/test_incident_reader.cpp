// The incident reader on valid documents: the documented example read back field by field,
// both topology forms, every pattern, failure and action, and the defaults. The bad inputs are
// in test_incident_reader_errors.cpp.
#include <cmath>
#include <cstdint>
#include <fstream>
#include <functional>
#include <limits>
#include <random>
#include <sstream>
#include <variant>

#include "incident_reader_test_support.h"

namespace swarm {
namespace {

using namespace reader_test;
using json = nlohmann::json;

// ---- the valid example, field by field ---------------------------------------------------------

TEST(IncidentReader, ExampleTopLevelAndTopology) {
    const Incident incident = read(example());
    EXPECT_EQ(incident.version, 1);
    EXPECT_EQ(incident.name, "scenario1-low-fcs");
    const Topology& topo = incident.topology;
    EXPECT_EQ(topo.tors().size(), 6u);
    EXPECT_EQ(topo.servers().size(), 36u);
    EXPECT_EQ(topo.node_count(), 48u);
    EXPECT_EQ(topo.link(link(incident, "t1-1-1", "t2-1")).capacity, BitsPerSec::from_gbps(10));
    EXPECT_EQ(topo.link(link(incident, "t1-1-1", "t2-1")).delay, Seconds::from_us(1));
    EXPECT_TRUE(incident.routing.wcmp.empty());
    EXPECT_TRUE(incident.ongoing_mitigations.empty());
}

TEST(IncidentReader, ExampleFailures) {
    const Incident incident = read(example());
    ASSERT_EQ(incident.failures.size(), 1u);
    const auto* loss = std::get_if<LinkLoss>(&incident.failures[0]);
    ASSERT_NE(loss, nullptr);
    EXPECT_EQ(loss->link, link(incident, "t1-0-0", "t0-0-0"));
    EXPECT_DOUBLE_EQ(loss->drop_rate, 0.0001);
}

TEST(IncidentReader, ExampleTraffic) {
    const Incident incident = read(example());
    const TrafficSpec& t = incident.traffic;
    EXPECT_DOUBLE_EQ(t.arrival_rate_per_server, 180.0);
    EXPECT_EQ(t.flow_size.name, "dctcp-websearch");
    ASSERT_GE(t.flow_size.points.size(), 2u);
    EXPECT_DOUBLE_EQ(t.flow_size.points.back().second, 1.0);
    EXPECT_TRUE(std::holds_alternative<UniformPattern>(t.pattern));
    EXPECT_EQ(t.duration, Seconds{200.0});
    EXPECT_EQ(t.window_start, Seconds{50.0});
    EXPECT_EQ(t.window_end, Seconds{150.0});
}

TEST(IncidentReader, ExampleCandidates) {
    const Incident incident = read(example());
    ASSERT_EQ(incident.candidates.size(), 2u);
    EXPECT_EQ(incident.candidates[0].name, "no-action");
    EXPECT_TRUE(incident.candidates[0].actions.empty());
    EXPECT_EQ(incident.candidates[1].name, "disable-fcs-link");
    ASSERT_EQ(incident.candidates[1].actions.size(), 1u);
    const auto* disable = std::get_if<DisableLink>(&incident.candidates[1].actions[0]);
    ASSERT_NE(disable, nullptr);
    EXPECT_EQ(disable->link, link(incident, "t0-0-0", "t1-0-0"));
}

TEST(IncidentReader, ExampleComparatorAndEstimator) {
    const Incident incident = read(example());
    const auto* priority = std::get_if<PriorityComparatorSpec>(&incident.comparator);
    ASSERT_NE(priority, nullptr);
    EXPECT_EQ(priority->order, (std::vector<Metric>{metric("p1_throughput"),
                                                    metric("avg_throughput"), metric("p99_fct")}));
    EXPECT_DOUBLE_EQ(priority->tie_tolerance, 0.1);
    const EstimatorSpec& e = incident.estimator;
    EXPECT_DOUBLE_EQ(e.confidence, 0.95);
    EXPECT_DOUBLE_EQ(e.epsilon, 0.05);
    EXPECT_DOUBLE_EQ(e.epoch.value, 0.2);
    EXPECT_EQ(e.short_flow_threshold, Bytes{150000.0});
    EXPECT_EQ(e.seed, 1u);
    EXPECT_FALSE(e.traffic_samples.has_value());
    EXPECT_FALSE(e.routing_samples.has_value());
}

TEST(IncidentReader, TextAndDocumentAgree) {
    const Incident from_text = read_incident_text(kExample, kDataDir, builtin_models());
    EXPECT_EQ(from_text.name, "scenario1-low-fcs");
    EXPECT_EQ(from_text.topology.node_count(), 48u);
}

// ---- defaults
// ------------------------------------------------------------------------------------

TEST(IncidentReader, OptionalSectionsDefault) {
    json doc = example();
    for (const char* key :
         {"routing", "ongoing_mitigations", "failures", "comparator", "estimator"}) {
        doc.erase(key);
    }
    doc["traffic"].erase("pattern");
    doc["traffic"].erase("measure_window_s");
    doc["traffic"]["duration_s"] = 100;
    const Incident incident = read(doc);
    EXPECT_TRUE(incident.failures.empty());
    EXPECT_TRUE(std::holds_alternative<UniformPattern>(incident.traffic.pattern));
    EXPECT_EQ(incident.traffic.window_start, Seconds{25.0});
    EXPECT_EQ(incident.traffic.window_end, Seconds{75.0});
    const auto* priority = std::get_if<PriorityComparatorSpec>(&incident.comparator);
    ASSERT_NE(priority, nullptr);
    EXPECT_EQ(priority->order, (std::vector<Metric>{metric("p1_throughput"),
                                                    metric("avg_throughput"), metric("p99_fct")}));
    EXPECT_DOUBLE_EQ(priority->tie_tolerance, 0.1);
    EXPECT_DOUBLE_EQ(incident.estimator.confidence, 0.95);
    EXPECT_EQ(incident.estimator.seed, 1u);
}

TEST(IncidentReader, DefaultDurationAndWindow) {
    json doc = example();
    doc["traffic"].erase("duration_s");
    doc["traffic"].erase("measure_window_s");
    doc["estimator"].erase("epoch_ms");
    // Derived from the fabric (estimator_defaults.h): 36 servers x 180 flows/s, 42.9% of them
    // long (3.94 MB on average, 3.15 ms at 10 Gb/s), the largest 30 MB (24 ms).
    const Incident incident = read(doc);
    EXPECT_NEAR(incident.traffic.window_start.value, 0.072, 1e-12);  // 3 x 24 ms > 20 x 3.15 ms
    EXPECT_NEAR(incident.traffic.window_end.value, 0.072 + 0.720,
                1e-12);  // 2000 / 2781 long flows/s, whole ms
    EXPECT_NEAR(incident.traffic.duration.value, 0.072 + 0.720 + 0.072, 1e-12);
}

TEST(IncidentReader, EstimatorSamplesAndSeed) {
    json doc = example();
    doc["estimator"] = {
        {"traffic_samples", 7}, {"routing_samples", 3}, {"seed", 18446744073709551615ull}};
    const Incident incident = read(doc);
    EXPECT_EQ(incident.estimator.traffic_samples, 7);
    EXPECT_EQ(incident.estimator.routing_samples, 3);
    EXPECT_EQ(incident.estimator.seed, 18446744073709551615ull);
}

// ---- topology forms
// --------------------------------------------------------------------------------

TEST(IncidentReader, ParallelLinksAreSeparateMembers) {
    json doc = explicit_doc();
    doc["topology"]["links"].push_back({{"nodes", {"s1", "t0-a"}}, {"gbps", 10}});  // second member
    doc["failures"] =
        json::parse(R"([{"type": "link_loss", "link": ["s1", "t0-a", 1], "drop_rate": 0.01},
                                      {"type": "link_down", "link": ["t0-b", "s1"]}])");
    const Incident incident = read(doc);
    const Topology& topo = incident.topology;
    const auto members = topo.links_between(node(incident, "t0-a"), node(incident, "s1"));
    ASSERT_EQ(members.size(), 2u);
    EXPECT_EQ(topo.link(members[0]).capacity, BitsPerSec::from_gbps(40));
    EXPECT_EQ(topo.link(members[1]).capacity, BitsPerSec::from_gbps(10));
    EXPECT_EQ(std::get<LinkLoss>(incident.failures[0]).link, members[1]);
    EXPECT_FALSE(std::get<LinkLoss>(incident.failures[0]).from);
}

TEST(IncidentReader, OneDirectionLinkLoss) {
    json doc = example();
    doc["failures"] = json::parse(R"([
        {"type": "link_loss", "link": ["t1-0-0", "t0-0-0"], "drop_rate": 0.01, "direction": "forward"},
        {"type": "link_loss", "link": ["t1-0-0", "t0-0-0"], "drop_rate": 0.02, "direction": "reverse"},
        {"type": "link_loss", "link": ["t1-0-0", "t0-0-0"], "drop_rate": 0.03, "direction": "both"}])");
    const Incident incident = read(doc);
    EXPECT_EQ(std::get<LinkLoss>(incident.failures[0]).from, node(incident, "t1-0-0"));
    EXPECT_EQ(std::get<LinkLoss>(incident.failures[1]).from, node(incident, "t0-0-0"));
    EXPECT_FALSE(std::get<LinkLoss>(incident.failures[2]).from);
}

TEST(IncidentReader, ImportedTopologiesReadLikeTheirExplicitForm) {
    for (const char* format : {"graphml", "networkx", "containerlab"}) {
        const std::filesystem::path file =
            kDataDir / "incidents" / (std::string("import-") + format + ".json");
        std::ifstream in(file);
        const std::string text((std::istreambuf_iterator<char>(in)), {});
        const Incident incident =
            read_incident_text(text, kDataDir, builtin_models(), WorkBudget{}, file.parent_path());
        const Topology& topo = incident.topology;
        EXPECT_EQ(topo.tors().size(), 4u) << format;
        EXPECT_EQ(topo.servers().size(), 8u) << format;
        EXPECT_EQ(topo.link_count(), 9u + 8u) << format;  // 8 + a LAG member, 8 server links
        const auto lag = topo.links_between(node(incident, "leaf-0"), node(incident, "spine-0"));
        ASSERT_EQ(lag.size(), 2u) << format;
        const auto& loss = std::get<LinkLoss>(incident.failures.at(0));
        EXPECT_EQ(loss.link, lag[1]) << format;
        EXPECT_EQ(loss.from, node(incident, "leaf-0")) << format;
        EXPECT_EQ(topo.link(topo.server_link(0)).capacity, BitsPerSec::from_gbps(25)) << format;
        // Without a base directory (REST, embedders) a file reference is refused.
        EXPECT_THROW(read_incident_text(text, kDataDir, builtin_models()), IncidentError) << format;
    }
}

TEST(IncidentReader, ExplicitTopology) {
    const Incident incident = read(explicit_doc());
    const Topology& topo = incident.topology;
    EXPECT_EQ(topo.node_count(), 5u + 6u);
    EXPECT_EQ(topo.link_count(), 5u + 6u);
    EXPECT_EQ(topo.tors(), (std::vector<NodeId>{0, 1, 2}));
    EXPECT_EQ(topo.servers_of_tor(node(incident, "t0-a")).size(), 4u);
    EXPECT_EQ(topo.servers_of_tor(node(incident, "t0-b")).size(), 2u);
    EXPECT_TRUE(topo.servers_of_tor(node(incident, "t0-empty")).empty());
    EXPECT_EQ(topo.node(node(incident, "t0-a")).pod, 0);
    EXPECT_EQ(topo.node(node(incident, "t0-b")).pod, -1);
    EXPECT_EQ(topo.node(node(incident, "s1")).tier, 1);

    const Link& explicit_rates = topo.link(link(incident, "s1", "t0-a"));
    EXPECT_EQ(explicit_rates.capacity, BitsPerSec::from_gbps(40));
    EXPECT_EQ(explicit_rates.delay, Seconds::from_us(2));
    const Link& defaults = topo.link(link(incident, "t0-b", "s1"));
    EXPECT_EQ(defaults.capacity, BitsPerSec::from_gbps(100));
    EXPECT_EQ(defaults.delay, Seconds::from_us(1));
    EXPECT_EQ(topo.link(link(incident, "t0-a", "s2")).capacity, BitsPerSec::from_gbps(10));
    EXPECT_EQ(topo.link(link(incident, "t0-b", "s2")).delay, Seconds::from_us(5));

    const Link& server = topo.link(link(incident, "t0-b-h1", "t0-b"));
    EXPECT_EQ(server.capacity, BitsPerSec::from_gbps(25));
    EXPECT_EQ(server.delay, Seconds::from_us(0.5));
    ASSERT_EQ(incident.candidates.size(), 2u);
    EXPECT_TRUE(incident.candidates[0].actions.empty());
    EXPECT_EQ(std::get<DisableNode>(incident.candidates[1].actions[0]).node, node(incident, "s1"));
}

TEST(IncidentReader, ExplicitServerLinksDefaultToLinkDefaults) {
    json doc = explicit_doc();
    doc["topology"].erase("server_link_gbps");
    doc["topology"].erase("server_link_delay_us");
    const Incident incident = read(doc);
    const Link& server = incident.topology.link(link(incident, "t0-a-h0", "t0-a"));
    EXPECT_EQ(server.capacity, BitsPerSec::from_gbps(100));
    EXPECT_EQ(server.delay, Seconds::from_us(1));
}

TEST(IncidentReader, ClosServerLinkOverrides) {
    json doc = example();
    doc["topology"]["clos"]["server_link_gbps"] = 25;
    doc["topology"]["clos"]["server_link_delay_us"] = 0.25;
    const Incident incident = read(doc);
    const Link& server = incident.topology.link(incident.topology.server_link(0));
    EXPECT_EQ(server.capacity, BitsPerSec::from_gbps(25));
    EXPECT_EQ(server.delay, Seconds::from_us(0.25));
    EXPECT_EQ(incident.topology.link(link(incident, "t0-0-0", "t1-0-0")).capacity,
              BitsPerSec::from_gbps(10));
}

// ---- patterns, CDFs, routing, failures, actions, comparators
// -------------------------------------

TEST(IncidentReader, LocalityPattern) {
    json doc = example();
    doc["traffic"]["pattern"] = {
        {"type", "locality"}, {"same_rack", 0.5}, {"same_pod", 0.3}, {"other_pod", 0.2}};
    const Incident incident = read(doc);
    const auto& p = std::get<LocalityPattern>(incident.traffic.pattern);
    EXPECT_DOUBLE_EQ(p.same_rack, 0.5);
    EXPECT_DOUBLE_EQ(p.same_pod, 0.3);
    EXPECT_DOUBLE_EQ(p.other_pod, 0.2);
}

TEST(IncidentReader, MatrixPatternIsReorderedIntoTorOrder) {
    json doc = example();
    json pattern = matrix_pattern();
    pattern["probability"][0] = {0.0, 0.0, 0.0, 0.0, 0.25, 0.75};  // t0-1-2 -> t0-0-1 / t0-0-0
    doc["traffic"]["pattern"] = pattern;
    const Incident incident = read(doc);
    const auto& m = std::get<MatrixPattern>(incident.traffic.pattern).tor_probability;
    ASSERT_EQ(m.size(), 6u);
    // Topology::tors() order is t0-0-0 .. t0-1-2; the listed row 0 (t0-1-2) lands in row 5.
    EXPECT_EQ(m[5], (std::vector<double>{0.75, 0.25, 0.0, 0.0, 0.0, 0.0}));
    EXPECT_DOUBLE_EQ(m[0][0], 0.5);
    EXPECT_DOUBLE_EQ(m[0][5], 0.1);
}

TEST(IncidentReader, InlineCdf) {
    json doc = example();
    doc["traffic"]["flow_size_cdf"] = json::parse("[[0, 0], [1000, 0.5], [100000, 1]]");
    const FlowSizeCdf cdf = read(doc).traffic.flow_size;
    EXPECT_EQ(cdf.name, "inline");
    EXPECT_EQ(cdf.points,
              (std::vector<std::pair<double, double>>{{0, 0}, {1000, 0.5}, {100000, 1}}));
}

TEST(IncidentReader, WcmpRouting) {
    json doc = example();
    doc["routing"] = json::parse(R"({"mode": "wcmp", "weights": [
        {"node": "t0-0-0", "weights": {"t1-0-0": 1, "t1-0-1": 3}}]})");
    const Incident incident = read(doc);
    ASSERT_EQ(incident.routing.wcmp.size(), 1u);
    const SetWcmp& w = incident.routing.wcmp[0];
    EXPECT_EQ(w.node, node(incident, "t0-0-0"));
    EXPECT_EQ(w.weights, (std::vector<std::pair<NodeId, double>>{{node(incident, "t1-0-0"), 1.0},
                                                                 {node(incident, "t1-0-1"), 3.0}}));
}

TEST(IncidentReader, EveryFailureType) {
    json doc = example();
    doc["failures"] = json::parse(R"([
        {"type": "link_loss", "link": ["t1-0-0", "t0-0-0"], "drop_rate": 1},
        {"type": "link_down", "link": ["t1-0-1", "t2-0"]},
        {"type": "link_capacity", "link": ["t0-0-0-h1", "t0-0-0"], "fraction": 0.5},
        {"type": "node_loss", "node": "t0-1-1", "drop_rate": 0},
        {"type": "node_down", "node": "t2-1"}])");
    const Incident incident = read(doc);
    ASSERT_EQ(incident.failures.size(), 5u);
    EXPECT_EQ(std::get<LinkLoss>(incident.failures[0]).link, link(incident, "t0-0-0", "t1-0-0"));
    EXPECT_DOUBLE_EQ(std::get<LinkLoss>(incident.failures[0]).drop_rate, 1.0);
    EXPECT_EQ(std::get<LinkDown>(incident.failures[1]).link, link(incident, "t2-0", "t1-0-1"));
    EXPECT_EQ(std::get<LinkCapacity>(incident.failures[2]).link,
              link(incident, "t0-0-0", "t0-0-0-h1"));
    EXPECT_DOUBLE_EQ(std::get<LinkCapacity>(incident.failures[2]).fraction, 0.5);
    EXPECT_EQ(std::get<NodeLoss>(incident.failures[3]).node, node(incident, "t0-1-1"));
    EXPECT_EQ(std::get<NodeDown>(incident.failures[4]).node, node(incident, "t2-1"));
}

TEST(IncidentReader, EveryActionType) {
    json doc = example();
    doc["ongoing_mitigations"] =
        json::parse(R"([{"type": "disable_link", "link": ["t1-1-0", "t2-1"]}])");
    doc["candidates"][1]["actions"] = json::parse(R"([
        {"type": "enable_link", "link": ["t2-1", "t1-1-0"]},
        {"type": "disable_node", "node": "t1-0-0"},
        {"type": "enable_node", "node": "t0-0-0"},
        {"type": "set_wcmp", "node": "t1-0-1", "weights": {"t2-0": 0, "t0-0-2": 2.5}},
        {"type": "move_traffic", "from": "t0-0-0", "to": "t0-1-0-h3", "fraction": 1}])");
    const Incident incident = read(doc);
    EXPECT_EQ(std::get<DisableLink>(incident.ongoing_mitigations.at(0)).link,
              link(incident, "t1-1-0", "t2-1"));
    const auto& actions = incident.candidates[1].actions;
    ASSERT_EQ(actions.size(), 5u);
    EXPECT_EQ(std::get<EnableLink>(actions[0]).link, link(incident, "t1-1-0", "t2-1"));
    EXPECT_EQ(std::get<DisableNode>(actions[1]).node, node(incident, "t1-0-0"));
    EXPECT_EQ(std::get<EnableNode>(actions[2]).node, node(incident, "t0-0-0"));
    const auto& wcmp = std::get<SetWcmp>(actions[3]);
    EXPECT_EQ(wcmp.node, node(incident, "t1-0-1"));
    ASSERT_EQ(wcmp.weights.size(), 2u);  // object keys come back sorted by name
    EXPECT_EQ(wcmp.weights[0], std::make_pair(node(incident, "t0-0-2"), 2.5));
    EXPECT_EQ(wcmp.weights[1], std::make_pair(node(incident, "t2-0"), 0.0));
    const auto& move = std::get<MoveTraffic>(actions[4]);
    EXPECT_EQ(move.from, node(incident, "t0-0-0"));
    EXPECT_EQ(move.to, node(incident, "t0-1-0-h3"));
    EXPECT_DOUBLE_EQ(move.fraction, 1.0);
}

TEST(IncidentReader, LinearComparator) {
    json doc = example();
    doc["comparator"] =
        json::parse(R"({"type": "linear", "weights": {"p99.9_fct": 0, "avg_throughput": 2}})");
    const Incident incident = read(doc);
    const auto& linear = std::get<LinearComparatorSpec>(incident.comparator);
    ASSERT_EQ(linear.weights.size(), 2u);
    EXPECT_EQ(linear.weights[0], std::make_pair(metric("avg_throughput"), 2.0));
    EXPECT_EQ(linear.weights[1], std::make_pair(metric("p99.9_fct"), 0.0));
}

// ---- metric names
// ---------------------------------------------------------------------------------

TEST(MetricName, ParseAndRoundTrip) {
    for (const char* name : {"p1_throughput", "avg_throughput", "p99_fct", "p99.9_fct",
                             "p50_throughput", "avg_fct", "p0.001_fct", "p99.99_throughput"}) {
        const auto m = Metric::parse(name);
        ASSERT_TRUE(m.has_value()) << name;
        EXPECT_EQ(m->name(), name);
    }
    const Metric p999 = metric("p99.9_fct");
    EXPECT_EQ(p999.quantity, Metric::Quantity::Fct);
    EXPECT_DOUBLE_EQ(p999.percentile.value(), 99.9);
    EXPECT_FALSE(p999.higher_is_better());
    const Metric avg = metric("avg_throughput");
    EXPECT_FALSE(avg.percentile.has_value());
    EXPECT_TRUE(avg.higher_is_better());
    EXPECT_EQ((Metric{Metric::Quantity::Throughput, 1.0}).name(), "p1_throughput");
    EXPECT_EQ((Metric{Metric::Quantity::Fct, 99.9}).name(), "p99.9_fct");
}

TEST(MetricName, RejectsEverythingElse) {
    for (const char* name : {"",
                             "p1",
                             "throughput",
                             "_fct",
                             "p_fct",
                             "p0_fct",
                             "p100_fct",
                             "p-1_fct",
                             "p+1_fct",
                             "p1e1_fct",
                             "pnan_fct",
                             "pinf_fct",
                             "p1._fct",
                             "p.5_fct",
                             "avg_latency",
                             "mean_fct",
                             "P1_throughput",
                             "p1_throughput ",
                             "p99.9.9_fct",
                             "p1_fct_fct"}) {
        EXPECT_FALSE(Metric::parse(name).has_value()) << name;
    }
}

}  // namespace
}  // namespace swarm
