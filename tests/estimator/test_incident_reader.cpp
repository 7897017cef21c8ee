// The incident reader: the documented example read back field by field, both topology forms,
// every pattern, failure and action, defaults, and a table of bad inputs, each pinned to the
// exact JSON path and a key part of the message (docs/incident-format.md, "Errors").
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <variant>

#include "estimator/helper/incident_reader.h"
#include "models/builtin_models.h"

#ifndef SWARM_SOURCE_DATA_DIR
#error "SWARM_SOURCE_DATA_DIR must name the source data/ directory"
#endif

namespace swarm {
namespace {

using json = nlohmann::json;

const std::filesystem::path kDataDir = SWARM_SOURCE_DATA_DIR;

// The example of docs/incident-format.md (and of the format brief), verbatim.
constexpr const char* kExample = R"({
  "version": 1,
  "name": "scenario1-low-fcs",
  "topology": {"clos": {"pods": 2, "tors_per_pod": 3, "aggs_per_pod": 2, "spines": 2,
                        "servers_per_tor": 6, "link_gbps": 10, "link_delay_us": 1}},
  "routing": {"mode": "ecmp"},
  "ongoing_mitigations": [],
  "failures": [{"type": "link_loss", "link": ["t0-0-0", "t1-0-0"], "drop_rate": 0.0001}],
  "traffic": {"arrival_rate_per_server": 180, "flow_size_cdf": "dctcp-websearch",
              "pattern": {"type": "uniform"}, "duration_s": 200, "measure_window_s": [50, 150]},
  "candidates": [
    {"name": "no-action", "actions": []},
    {"name": "disable-fcs-link", "actions": [{"type": "disable_link", "link": ["t0-0-0", "t1-0-0"]}]}
  ],
  "comparator": {"type": "priority", "order": ["p1_throughput", "avg_throughput", "p99_fct"], "tie_tolerance": 0.1},
  "estimator": {"confidence": 0.95, "epsilon": 0.05, "epoch_ms": 200, "short_flow_bytes": 150000, "seed": 1}
})";

json example() { return json::parse(kExample); }

Incident read(const json& doc) { return read_incident(doc, kDataDir, builtin_models()); }

NodeId node(const Incident& incident, const std::string& name) {
    const auto id = incident.topology.find_node(name);
    EXPECT_TRUE(id.has_value()) << name;
    return id.value_or(-1);
}

LinkId link(const Incident& incident, const std::string& a, const std::string& b) {
    const auto id = incident.topology.find_link(node(incident, a), node(incident, b));
    EXPECT_TRUE(id.has_value()) << a << " " << b;
    return id.value_or(-1);
}

Metric metric(const std::string& name) { return Metric::parse(name).value(); }

/// A valid 6x6 matrix for the example's Clos, listing the ToRs in reverse order (so that the
/// reader's reordering into Topology::tors() order is observable): 70% to the own rack.
json matrix_pattern() {
    const std::vector<std::string> tors{"t0-1-2", "t0-1-1", "t0-1-0", "t0-0-2", "t0-0-1", "t0-0-0"};
    json rows = json::array();
    for (std::size_t r = 0; r < tors.size(); ++r) {
        json row = json::array();
        for (std::size_t c = 0; c < tors.size(); ++c) {
            row.push_back(r == c ? 0.5 : 0.1);
        }
        rows.push_back(row);
    }
    return {{"type", "matrix"}, {"tors", tors}, {"probability", rows}};
}

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
    const Incident incident = read(doc);
    EXPECT_EQ(incident.traffic.duration, Seconds{200.0});
    EXPECT_EQ(incident.traffic.window_start, Seconds{50.0});
    EXPECT_EQ(incident.traffic.window_end, Seconds{150.0});
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

json explicit_topology() {
    return json::parse(R"({
      "nodes": [{"name": "t0-a", "tier": 0, "servers": 4, "pod": 0},
                {"name": "t0-b", "tier": 0, "servers": 2},
                {"name": "t0-empty", "tier": 0},
                {"name": "s1", "tier": 1}, {"name": "s2", "tier": 1}],
      "links": [{"nodes": ["t0-a", "s1"], "gbps": 40, "delay_us": 2},
                {"nodes": ["s1", "t0-b"]},
                {"nodes": ["t0-a", "s2"], "gbps": 10},
                {"nodes": ["t0-b", "s2"], "delay_us": 5},
                {"nodes": ["t0-empty", "s2"]}],
      "link_gbps": 100, "link_delay_us": 1,
      "server_link_gbps": 25, "server_link_delay_us": 0.5})");
}

json explicit_doc() {
    json doc = example();
    doc["topology"] = explicit_topology();
    doc["failures"] = json::array();
    doc["candidates"] = json::parse(R"([{"name": "no-action"},
        {"name": "drain-s1", "actions": [{"type": "disable_node", "node": "s1"}]}])");
    return doc;
}

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

// ---- bad inputs: one mutation of the example each
// ---------------------------------------------------

using Mutation = std::function<void(json&)>;

Mutation set(const std::string& pointer, json value) {
    return [pointer, value](json& doc) { doc[json::json_pointer(pointer)] = value; };
}

Mutation set_text(const std::string& pointer, const std::string& value_json) {
    return set(pointer, json::parse(value_json));
}

Mutation erase(const std::string& pointer) {
    return [pointer](json& doc) {
        const json::json_pointer p(pointer);
        doc[p.parent_pointer()].erase(p.back());
    };
}

Mutation with_matrix(Mutation then) {
    return [then](json& doc) {
        doc["traffic"]["pattern"] = matrix_pattern();
        then(doc);
    };
}

Mutation with_explicit(Mutation then) {
    return [then](json& doc) {
        doc = explicit_doc();
        then(doc);
    };
}

struct BadCase {
    std::string name;
    Mutation mutate;
    std::string path;
    std::string message;  ///< must occur in the error message
};

void PrintTo(const BadCase& c, std::ostream* out) { *out << c.name; }

class BadIncident : public testing::TestWithParam<BadCase> {};

TEST_P(BadIncident, ReportsPathAndMessage) {
    const BadCase& c = GetParam();
    json doc = example();
    c.mutate(doc);
    try {
        read(doc);
        FAIL() << "accepted: " << doc.dump();
    } catch (const IncidentError& e) {
        EXPECT_EQ(e.path(), c.path) << e.what();
        EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos) << e.what();
        EXPECT_EQ(std::string(e.what()).rfind(c.path + ": ", 0), 0u) << e.what();
    }
}

const BadCase kBadCases[] = {
    // top level
    {"root_not_object", [](json& d) { d = json::array(); }, "$", "expected an object, got array"},
    {"version_2", set("/version", 2), "$.version", "unsupported version 2"},
    {"version_missing", erase("/version"), "$.version", "required key is missing"},
    {"version_string", set("/version", "1"), "$.version", "unsupported version \"1\""},
    {"name_missing", erase("/name"), "$.name", "required key is missing"},
    {"name_empty", set("/name", ""), "$.name", "must not be empty"},
    {"name_number", set("/name", 7), "$.name", "expected a string, got number 7"},
    {"unknown_top_key", set("/nmae", "x"), "$.nmae",
     "unknown key \"nmae\"; allowed keys: version, name"},
    // topology
    {"topology_missing", erase("/topology"), "$.topology", "required key is missing"},
    {"topology_string", set("/topology", "clos"), "$.topology",
     "expected an object, got string \"clos\""},
    {"topology_empty", set_text("/topology", "{}"), "$.topology",
     "needs either \"clos\" or \"nodes\""},
    {"topology_both_forms", set_text("/topology/nodes", "[]"), "$.topology.nodes",
     "not allowed together with \"clos\""},
    {"clos_unknown_key", set("/topology/clos/pod", 2), "$.topology.clos.pod",
     "unknown key \"pod\""},
    {"clos_pods_zero", set("/topology/clos/pods", 0), "$.topology.clos.pods",
     "must be in [1, 100000], got 0"},
    {"clos_pods_float", set("/topology/clos/pods", 1.5), "$.topology.clos.pods",
     "expected an integer, got number 1.5"},
    {"clos_pods_string", set("/topology/clos/pods", "2"), "$.topology.clos.pods",
     "expected an integer, got string \"2\""},
    {"clos_missing_spines", erase("/topology/clos/spines"), "$.topology.clos.spines",
     "required key is missing"},
    {"clos_no_spines_two_pods", set("/topology/clos/spines", 0), "$.topology.clos.spines",
     "must be at least 1 when pods > 1"},
    {"clos_negative_gbps", set("/topology/clos/link_gbps", -10), "$.topology.clos.link_gbps",
     "must be > 0, got -10"},
    {"clos_zero_gbps", set("/topology/clos/link_gbps", 0), "$.topology.clos.link_gbps",
     "must be > 0, got 0"},
    {"clos_negative_delay", set("/topology/clos/link_delay_us", -1),
     "$.topology.clos.link_delay_us", "must be >= 0, got -1"},
    {"clos_zero_server_gbps", set("/topology/clos/server_link_gbps", 0),
     "$.topology.clos.server_link_gbps", "must be > 0, got 0"},
    {"clos_huge",
     [](json& d) {
         d["topology"]["clos"].update({{"tors_per_pod", 1000}, {"servers_per_tor", 1000}});
     },
     "$.topology.clos", "topology too large: 2002006 nodes"},
    {"clos_one_server",
     [](json& d) {
         d["topology"]["clos"].update({{"pods", 1}, {"tors_per_pod", 1}, {"servers_per_tor", 1}});
         d["failures"] = json::array();
         d["candidates"] = json::parse(R"([{"name":"x"}])");
     },
     "$.topology", "needs at least 2 servers"},
    {"explicit_duplicate_node", with_explicit(set("/topology/nodes/4/name", "s1")),
     "$.topology.nodes[4].name", "duplicate node name \"s1\""},
    {"explicit_servers_on_tier1", with_explicit(set("/topology/nodes/3/servers", 2)),
     "$.topology.nodes[3].servers", "only allowed on tier-0 nodes"},
    {"explicit_negative_tier", with_explicit(set("/topology/nodes/3/tier", -1)),
     "$.topology.nodes[3].tier", "must be in [0, 1000], got -1"},
    {"explicit_link_unknown_node",
     with_explicit(set_text("/topology/links/1/nodes", R"(["s1", "t0-c"])")),
     "$.topology.links[1].nodes[1]", "unknown node \"t0-c\""},
    {"explicit_self_link", with_explicit(set_text("/topology/links/1/nodes", R"(["s1", "s1"])")),
     "$.topology.links[1].nodes", "two different nodes"},
    {"parallel_link_named_without_member", with_explicit([](json& d) {
         d["topology"]["links"][1]["nodes"] = {"s1", "t0-a"};  // a second t0-a -- s1 member
         d["failures"] = json::parse(R"([{"type": "link_down", "link": ["t0-a", "s1"]}])");
     }),
     "$.failures[0].link",
     "2 parallel links join \"t0-a\" and \"s1\"; name one as [\"t0-a\", \"s1\", i] with i in 0..1"},
    {"parallel_link_member_out_of_range", with_explicit([](json& d) {
         d["topology"]["links"][1]["nodes"] = {"s1", "t0-a"};
         d["failures"] = json::parse(R"([{"type": "link_down", "link": ["t0-a", "s1", 2]}])");
     }),
     "$.failures[0].link[2]", "must be in [0, 1], got 2"},
    {"link_loss_bad_direction",
     set_text(
         "/failures/0",
         R"({"type": "link_loss", "link": ["t0-0-0", "t1-0-0"], "drop_rate": 0.1, "direction": "up"})"),
     "$.failures[0].direction", "must be \"both\", \"forward\" or \"reverse\", got \"up\""},
    {"direction_only_on_link_loss",
     set_text("/failures/0",
              R"({"type": "link_down", "link": ["t0-0-0", "t1-0-0"], "direction": "forward"})"),
     "$.failures[0].direction", "unknown key \"direction\" for failure type \"link_down\""},
    {"explicit_negative_gbps", with_explicit(set("/topology/links/0/gbps", -40)),
     "$.topology.links[0].gbps", "must be > 0, got -40"},
    {"explicit_no_gbps_default", with_explicit(erase("/topology/link_gbps")),
     "$.topology.links[1].gbps", "no top-level link_gbps default"},
    {"explicit_no_server_rate", with_explicit([](json& d) {
         d["topology"].erase("link_gbps");
         d["topology"].erase("server_link_gbps");
         for (auto& l : d["topology"]["links"]) {
             l["gbps"] = 10;
         }
     }),
     "$.topology.server_link_gbps", "required key is missing"},
    {"explicit_server_name_clash",
     with_explicit(set_text("/topology/nodes/5", R"({"name": "t0-b-h1", "tier": 1})")),
     "$.topology.nodes[1].servers", "collides"},
    {"explicit_unknown_node_key", with_explicit(set("/topology/nodes/0/severs", 4)),
     "$.topology.nodes[0].severs", "unknown key \"severs\""},
    // routing
    {"routing_bad_mode", set("/routing/mode", "ospf"), "$.routing.mode",
     "must be \"ecmp\" or \"wcmp\", got \"ospf\""},
    {"routing_ecmp_with_weights", set_text("/routing/weights", "[]"), "$.routing.weights",
     "only allowed when mode is \"wcmp\""},
    {"routing_wcmp_without_weights", set("/routing/mode", "wcmp"), "$.routing.weights",
     "required key is missing"},
    {"routing_wcmp_not_neighbour",
     set_text("/routing", R"({"mode":"wcmp","weights":[{"node":"t0-0-0","weights":{"t2-0":1}}]})"),
     "$.routing.weights[0].weights[\"t2-0\"]", "\"t2-0\" is not a neighbour of \"t0-0-0\""},
    {"routing_wcmp_negative",
     set_text("/routing",
              R"({"mode":"wcmp","weights":[{"node":"t0-0-0","weights":{"t1-0-0":-1}}]})"),
     "$.routing.weights[0].weights[\"t1-0-0\"]", "must be >= 0, got -1"},
    {"routing_wcmp_duplicate_node",
     set_text(
         "/routing",
         R"({"mode":"wcmp","weights":[{"node":"t2-0","weights":{"t1-0-0":1}},{"node":"t2-0","weights":{"t1-0-1":1}}]})"),
     "$.routing.weights[1].node", "already has weights at $.routing.weights[0]"},
    // failures
    {"failures_not_array", set_text("/failures", "{}"), "$.failures",
     "expected an array, got object"},
    {"drop_rate_above_one", set("/failures/0/drop_rate", 1.5), "$.failures[0].drop_rate",
     "must be in [0, 1], got 1.5"},
    {"drop_rate_negative", set("/failures/0/drop_rate", -0.1), "$.failures[0].drop_rate",
     "must be in [0, 1], got -0.1"},
    {"drop_rate_string", set("/failures/0/drop_rate", "0.1"), "$.failures[0].drop_rate",
     "expected a number, got string"},
    {"drop_rate_missing", erase("/failures/0/drop_rate"), "$.failures[0].drop_rate",
     "required key is missing"},
    {"failure_unknown_node", set_text("/failures/0/link", R"(["t0-0-0", "t1-9-9"])"),
     "$.failures[0].link[1]", "unknown node \"t1-9-9\""},
    {"failure_missing_link", set_text("/failures/0/link", R"(["t0-0-0", "t0-0-1"])"),
     "$.failures[0].link", "no link between \"t0-0-0\" and \"t0-0-1\""},
    {"failure_link_one_end", set_text("/failures/0/link", R"(["t0-0-0"])"), "$.failures[0].link",
     "expected an array of 2 node names"},
    {"failure_link_node_number", set_text("/failures/0/link", R"(["t0-0-0", 3])"),
     "$.failures[0].link[1]", "expected a string, got number 3"},
    {"failure_unknown_type", set("/failures/0/type", "link_lost"), "$.failures[0].type",
     "unknown failure type \"link_lost\"; known types: link_blackhole, link_capacity, link_down, "
     "link_loss, node_blackhole, node_down, node_loss"},
    {"failure_type_missing", erase("/failures/0/type"), "$.failures[0].type",
     "required key is missing"},
    {"failure_unknown_key", set("/failures/0/rate", 0.1), "$.failures[0].rate",
     "unknown key \"rate\" for failure type \"link_loss\"; allowed keys: type, link, drop_rate"},
    {"capacity_zero",
     set_text("/failures/0", R"({"type":"link_capacity","link":["t0-0-0","t1-0-0"],"fraction":0})"),
     "$.failures[0].fraction", "must be in (0, 1], got 0"},
    {"capacity_negative",
     set_text("/failures/0",
              R"({"type":"link_capacity","link":["t0-0-0","t1-0-0"],"fraction":-0.5})"),
     "$.failures[0].fraction", "must be in (0, 1], got -0.5"},
    {"node_loss_on_server",
     set_text("/failures/0", R"({"type":"node_loss","node":"t0-0-0-h0","drop_rate":0.1})"),
     "$.failures[0].node", "\"t0-0-0-h0\" is a server; expected a switch"},
    {"node_down_unknown", set_text("/failures/0", R"({"type":"node_down","node":"t3-0"})"),
     "$.failures[0].node", "unknown node \"t3-0\""},
    // actions
    {"action_missing_link", set_text("/candidates/1/actions/0/link", R"(["t0-0-0", "t2-0"])"),
     "$.candidates[1].actions[0].link", "no link between \"t0-0-0\" and \"t2-0\""},
    {"action_unknown_type", set("/candidates/1/actions/0/type", "reboot"),
     "$.candidates[1].actions[0].type",
     // The full list, models included, is checked in tests/models/test_model_core.cpp.
     "unknown action type \"reboot\"; known types: "},
    {"action_not_object", set("/candidates/1/actions/0", "disable"), "$.candidates[1].actions[0]",
     "expected an object, got string"},
    {"ongoing_unknown_node",
     set_text("/ongoing_mitigations", R"([{"type":"enable_node","node":"t9"}])"),
     "$.ongoing_mitigations[0].node", "unknown node \"t9\""},
    {"move_same_place",
     set_text("/candidates/1/actions/0",
              R"({"type":"move_traffic","from":"t0-0-0","to":"t0-0-0","fraction":0.5})"),
     "$.candidates[1].actions[0].to", "must differ from \"from\""},
    {"move_from_agg",
     set_text("/candidates/1/actions/0",
              R"({"type":"move_traffic","from":"t1-0-0","to":"t0-0-0","fraction":0.5})"),
     "$.candidates[1].actions[0].from", "\"t1-0-0\" is neither a server nor a ToR"},
    {"move_fraction_zero",
     set_text("/candidates/1/actions/0",
              R"({"type":"move_traffic","from":"t0-0-0","to":"t0-0-1","fraction":0})"),
     "$.candidates[1].actions[0].fraction", "must be in (0, 1], got 0"},
    {"set_wcmp_empty",
     set_text("/candidates/1/actions/0", R"({"type":"set_wcmp","node":"t0-0-0","weights":{}})"),
     "$.candidates[1].actions[0].weights", "at least one neighbour"},
    {"set_wcmp_unknown_neighbour",
     set_text("/candidates/1/actions/0",
              R"({"type":"set_wcmp","node":"t0-0-0","weights":{"t1-7-7":1}})"),
     "$.candidates[1].actions[0].weights[\"t1-7-7\"]", "unknown node \"t1-7-7\""},
    {"disable_node_server",
     set_text("/candidates/1/actions/0", R"({"type":"disable_node","node":"t0-1-0-h2"})"),
     "$.candidates[1].actions[0].node", "is a server"},
    // traffic
    {"traffic_missing", erase("/traffic"), "$.traffic", "required key is missing"},
    {"traffic_unknown_key", set("/traffic/arrival_rate", 5), "$.traffic.arrival_rate",
     "unknown key \"arrival_rate\""},
    {"arrival_zero", set("/traffic/arrival_rate_per_server", 0),
     "$.traffic.arrival_rate_per_server", "must be > 0, got 0"},
    {"arrival_missing", erase("/traffic/arrival_rate_per_server"),
     "$.traffic.arrival_rate_per_server", "required key is missing"},
    {"arrival_bool", set("/traffic/arrival_rate_per_server", true),
     "$.traffic.arrival_rate_per_server", "expected a number, got boolean true"},
    {"cdf_unknown_name", set("/traffic/flow_size_cdf", "websearch"), "$.traffic.flow_size_cdf",
     "unknown flow-size CDF \"websearch\"; available: "},
    {"cdf_lists_names", set("/traffic/flow_size_cdf", "../cdfs/dctcp-websearch"),
     "$.traffic.flow_size_cdf", "dctcp-websearch"},
    {"cdf_non_monotone", set_text("/traffic/flow_size_cdf", "[[0,0],[1000,0.5],[500,1]]"),
     "$.traffic.flow_size_cdf", "bytes must increase"},
    {"cdf_probability_decreases",
     set_text("/traffic/flow_size_cdf", "[[0,0],[1000,0.6],[2000,0.5],[3000,1]]"),
     "$.traffic.flow_size_cdf", "must not decrease"},
    {"cdf_not_ending_at_one", set_text("/traffic/flow_size_cdf", "[[0,0],[1000,0.9]]"),
     "$.traffic.flow_size_cdf", "last probability must be 1"},
    {"cdf_point_not_pair", set_text("/traffic/flow_size_cdf", "[[0,0],[1000]]"),
     "$.traffic.flow_size_cdf[1]", "expected a [bytes, cdf] pair"},
    {"cdf_point_string", set_text("/traffic/flow_size_cdf", R"([[0,0],["1000",1]])"),
     "$.traffic.flow_size_cdf[1][0]", "expected a number, got string"},
    {"cdf_number", set("/traffic/flow_size_cdf", 3), "$.traffic.flow_size_cdf",
     "expected a CDF name (string) or [[bytes, cdf], ...]"},
    {"window_reversed", set_text("/traffic/measure_window_s", "[150, 50]"),
     "$.traffic.measure_window_s", "start must be before end, got [150,50]"},
    {"window_empty", set_text("/traffic/measure_window_s", "[50, 50]"),
     "$.traffic.measure_window_s", "start must be before end"},
    {"window_past_duration", set_text("/traffic/measure_window_s", "[50, 250]"),
     "$.traffic.measure_window_s[1]", "must be <= duration_s (200), got 250"},
    {"window_negative_start", set_text("/traffic/measure_window_s", "[-1, 50]"),
     "$.traffic.measure_window_s[0]", "must be >= 0, got -1"},
    {"window_three_numbers", set_text("/traffic/measure_window_s", "[1, 2, 3]"),
     "$.traffic.measure_window_s", "expected [start, end]"},
    {"duration_zero", set("/traffic/duration_s", 0), "$.traffic.duration_s", "must be > 0, got 0"},
    {"short_duration_default_window", set("/traffic/duration_s", 100),
     "$.traffic.measure_window_s[1]", "must be <= duration_s (100), got 150"},
    // patterns
    {"pattern_unknown_type", set("/traffic/pattern/type", "gravity"), "$.traffic.pattern.type",
     "unknown pattern type \"gravity\"; known types: locality, matrix, uniform"},
    {"pattern_uniform_extra_key", set("/traffic/pattern/same_rack", 0.5),
     "$.traffic.pattern.same_rack", "unknown key \"same_rack\""},
    {"locality_sum",
     set_text("/traffic/pattern",
              R"({"type":"locality","same_rack":0.5,"same_pod":0.3,"other_pod":0.3})"),
     "$.traffic.pattern", "same_rack + same_pod + other_pod must be 1, got 1.1"},
    {"locality_negative",
     set_text("/traffic/pattern",
              R"({"type":"locality","same_rack":1.5,"same_pod":-0.5,"other_pod":0})"),
     "$.traffic.pattern.same_pod", "must be >= 0, got -0.5"},
    {"locality_missing_field",
     set_text("/traffic/pattern", R"({"type":"locality","same_rack":0.5,"same_pod":0.5})"),
     "$.traffic.pattern.other_pod", "required key is missing"},
    {"locality_without_pods",
     with_explicit(
         set_text("/traffic/pattern",
                  R"({"type":"locality","same_rack":0.5,"same_pod":0.3,"other_pod":0.2})")),
     "$.traffic.pattern", "\"t0-b\" has none"},
    {"matrix_missing_tor", with_matrix([](json& d) {
         auto& p = d["traffic"]["pattern"];
         p["tors"].erase(5);
         p["probability"].erase(5);
         for (auto& row : p["probability"]) {
             row.erase(5);
             row[0] = 0.6;
         }
     }),
     "$.traffic.pattern.tors", "ToR \"t0-0-0\" is missing"},
    {"matrix_row_sum", with_matrix(set("/traffic/pattern/probability/2/3", 0.2)),
     "$.traffic.pattern.probability[2]", "row must sum to 1, got 1.1"},
    {"matrix_short_row",
     with_matrix([](json& d) { d["traffic"]["pattern"]["probability"][1].erase(0); }),
     "$.traffic.pattern.probability[1]", "expected a row of 6 probabilities, got array of 5"},
    {"matrix_too_few_rows",
     with_matrix([](json& d) { d["traffic"]["pattern"]["probability"].erase(0); }),
     "$.traffic.pattern.probability", "expected 6 rows (one per listed ToR), got 5"},
    {"matrix_not_a_tor", with_matrix(set("/traffic/pattern/tors/0", "t1-0-0")),
     "$.traffic.pattern.tors[0]", "\"t1-0-0\" is not a ToR"},
    {"matrix_duplicate_tor", with_matrix(set("/traffic/pattern/tors/0", "t0-0-0")),
     "$.traffic.pattern.tors[5]", "\"t0-0-0\" is listed twice (also $.traffic.pattern.tors[0])"},
    {"matrix_negative", with_matrix([](json& d) {
         auto& row = d["traffic"]["pattern"]["probability"][0];
         row[0] = 0.7;
         row[1] = -0.1;
     }),
     "$.traffic.pattern.probability[0][1]", "must be >= 0, got -0.1"},
    {"matrix_unknown_tor", with_matrix(set("/traffic/pattern/tors/2", "t0-5-5")),
     "$.traffic.pattern.tors[2]", "unknown node \"t0-5-5\""},
    {"matrix_to_empty_tor",
     with_explicit(
         set_text("/traffic/pattern", R"({"type":"matrix","tors":["t0-a","t0-b","t0-empty"],
                                                   "probability":[[0.5,0.5,0],[0.5,0.25,0.25],[0.5,0.5,0]]})")),
     "$.traffic.pattern.probability[1][2]", "has no servers"},
    // candidates
    {"zero_candidates", set_text("/candidates", "[]"), "$.candidates", "at least one candidate"},
    {"candidates_object", set_text("/candidates", "{}"), "$.candidates",
     "expected an array, got object"},
    {"duplicate_candidate", set("/candidates/1/name", "no-action"), "$.candidates[1].name",
     "duplicate candidate name \"no-action\" (also $.candidates[0])"},
    {"candidate_empty_name", set("/candidates/0/name", ""), "$.candidates[0].name",
     "must not be empty"},
    {"candidate_unknown_key", set("/candidates/0/action", json::array()), "$.candidates[0].action",
     "unknown key \"action\"; allowed keys: name, description, actions"},
    // comparator
    {"bad_metric", set("/comparator/order/1", "avg_thruput"), "$.comparator.order[1]",
     "unknown metric \"avg_thruput\""},
    {"metric_p100", set("/comparator/order/2", "p100_fct"), "$.comparator.order[2]",
     "unknown metric \"p100_fct\""},
    {"duplicate_metric", set("/comparator/order/2", "p1.0_throughput"), "$.comparator.order[2]",
     "duplicate metric \"p1_throughput\" (also $.comparator.order[0])"},
    {"empty_order", set_text("/comparator/order", "[]"), "$.comparator.order",
     "at least one metric"},
    {"tie_tolerance_one", set("/comparator/tie_tolerance", 1), "$.comparator.tie_tolerance",
     "must be in [0, 1), got 1"},
    {"comparator_unknown_type", set("/comparator/type", "lexicographic"), "$.comparator.type",
     "unknown comparator type \"lexicographic\""},
    {"linear_all_zero", set_text("/comparator", R"({"type":"linear","weights":{"avg_fct":0}})"),
     "$.comparator.weights", "at least one metric with a weight > 0"},
    {"linear_negative", set_text("/comparator", R"({"type":"linear","weights":{"p99.9_fct":-1}})"),
     "$.comparator.weights[\"p99.9_fct\"]", "must be >= 0, got -1"},
    {"linear_bad_metric",
     set_text("/comparator", R"({"type":"linear","weights":{"p99_latency":1}})"),
     "$.comparator.weights.p99_latency", "unknown metric"},
    {"linear_with_order",
     set_text("/comparator", R"({"type":"linear","weights":{"avg_fct":1},"order":[]})"),
     "$.comparator.order", "unknown key \"order\""},
    // estimator
    {"confidence_one", set("/estimator/confidence", 1), "$.estimator.confidence",
     "must be in (0, 1), got 1"},
    {"epsilon_zero", set("/estimator/epsilon", 0), "$.estimator.epsilon",
     "must be in (0, 1), got 0"},
    {"epoch_negative", set("/estimator/epoch_ms", -200), "$.estimator.epoch_ms",
     "must be > 0, got -200"},
    {"short_flow_zero", set("/estimator/short_flow_bytes", 0), "$.estimator.short_flow_bytes",
     "must be > 0, got 0"},
    {"seed_negative", set("/estimator/seed", -1), "$.estimator.seed",
     "expected a non-negative integer, got number -1"},
    {"seed_float", set("/estimator/seed", 1.5), "$.estimator.seed",
     "expected a non-negative integer, got number 1.5"},
    {"samples_zero", set("/estimator/traffic_samples", 0), "$.estimator.traffic_samples",
     "must be in [1, 2147483647], got 0"},
    {"samples_huge", set("/estimator/routing_samples", 1e12), "$.estimator.routing_samples",
     "expected an integer"},
    {"estimator_unknown_key", set("/estimator/confidance", 0.9), "$.estimator.confidance",
     "unknown key \"confidance\"; allowed keys: confidence"},
    {"number_nan", set("/estimator/confidence", std::nan("")), "$.estimator.confidence",
     "must be finite"},
    {"number_infinite",
     set("/traffic/arrival_rate_per_server", std::numeric_limits<double>::infinity()),
     "$.traffic.arrival_rate_per_server", "must be finite"},
};

INSTANTIATE_TEST_SUITE_P(Table, BadIncident, testing::ValuesIn(kBadCases),
                         [](const testing::TestParamInfo<BadCase>& info) {
                             return info.param.name;
                         });

// ---- bad text
// ------------------------------------------------------------------------------------

struct BadText {
    std::string name;
    std::string text;
    std::string path;
    std::string message;
};

void PrintTo(const BadText& c, std::ostream* out) { *out << c.name; }

class BadIncidentText : public testing::TestWithParam<BadText> {};

TEST_P(BadIncidentText, ReportsPathAndMessage) {
    const BadText& c = GetParam();
    try {
        read_incident_text(c.text, kDataDir, builtin_models());
        FAIL() << "accepted: " << c.text;
    } catch (const IncidentError& e) {
        EXPECT_EQ(e.path(), c.path) << e.what();
        EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos) << e.what();
    }
}

std::string example_with(const std::string& from, const std::string& to) {
    std::string text = kExample;
    text.replace(text.find(from), from.size(), to);
    return text;
}

const BadText kBadTexts[] = {
    {"empty", "", "$", "malformed JSON at byte 1"},
    {"truncated", std::string(kExample).substr(0, 100), "$", "malformed JSON at byte"},
    {"trailing_comma", example_with("\"seed\": 1}", "\"seed\": 1,}"), "$", "malformed JSON"},
    {"garbage", "{\"version\": 1} trailing", "$", "malformed JSON at byte 18"},
    {"comment", "// hi\n{}", "$", "malformed JSON"},
    {"invalid_utf8", "{\"name\": \"\xff\"}", "$", "malformed JSON"},
    {"bare_number", "42", "$", "expected an object, got number 42"},
    {"duplicate_key",
     example_with("\"drop_rate\": 0.0001", "\"drop_rate\": 0.0001, \"drop_rate\": 0.5"),
     "$.failures[0].drop_rate", "duplicate key \"drop_rate\""},
    {"duplicate_top_key", example_with("\"version\": 1,", "\"version\": 1, \"version\": 1,"),
     "$.version", "duplicate key"},
    {"duplicate_key_in_nested_array",
     example_with("\"actions\": []", "\"actions\": [{\"type\": \"x\", \"type\": \"y\"}]"),
     "$.candidates[0].actions[0].type", "duplicate key"},
};

INSTANTIATE_TEST_SUITE_P(Table, BadIncidentText, testing::ValuesIn(kBadTexts),
                         [](const testing::TestParamInfo<BadText>& info) {
                             return info.param.name;
                         });

TEST(IncidentReader, SameKeyInSiblingObjectsIsFine) {
    EXPECT_NO_THROW(read_incident_text(kExample, kDataDir, builtin_models()));
}

// ---- robustness: truncations and byte flips never crash, only IncidentError
// ------------------------

TEST(IncidentReader, MangledTextOnlyEverThrowsIncidentError) {
    const std::string text = kExample;
    std::mt19937 rng(12345);
    const std::string alphabet = "{}[]\":,0123456789-.eE tnfrua\\\x01\xff";
    for (int round = 0; round < 400; ++round) {
        std::string mangled = text.substr(0, rng() % (text.size() + 1));
        if (round % 2 == 1) {
            mangled = text;
            for (int flips = 0; flips < 3; ++flips) {
                mangled[rng() % mangled.size()] = alphabet[rng() % alphabet.size()];
            }
        }
        try {
            read_incident_text(mangled, kDataDir, builtin_models());
        } catch (const IncidentError&) {
        } catch (const std::exception& e) {
            FAIL() << "non-IncidentError " << e.what() << " for: " << mangled;
        }
    }
}

TEST(IncidentReader, EveryValueReplacedByEveryTypeOnlyEverThrowsIncidentError) {
    const json base = example();
    const json flat = base.flatten();
    const json replacements[] = {nullptr,
                                 true,
                                 -1,
                                 0,
                                 1e300,
                                 "t0-0-0",
                                 json::array(),
                                 json::object(),
                                 json::parse(R"(["t0-0-0", "t1-0-0"])")};
    for (const auto& [pointer, value] : flat.items()) {
        for (const json& replacement : replacements) {
            json doc = base;
            doc[json::json_pointer(pointer)] = replacement;
            try {
                read(doc);
            } catch (const IncidentError& e) {
                EXPECT_EQ(e.path().rfind("$", 0), 0u);
            } catch (const std::exception& e) {
                FAIL() << "non-IncidentError " << e.what() << " at " << pointer;
            }
        }
    }
}

// ---- shipped files
// ------------------------------------------------------------------------------------

TEST(IncidentSchema, IsDraft202012AndCoversTheTopLevelKeys) {
    std::ifstream in(kDataDir / "schema" / "incident.schema.json");
    ASSERT_TRUE(in.good());
    const json schema = json::parse(in);
    EXPECT_EQ(schema.at("$schema"), "https://json-schema.org/draft/2020-12/schema");
    const json doc = example();
    for (const auto& [key, value] : doc.items()) {
        EXPECT_TRUE(schema.at("properties").contains(key)) << key;
    }
    EXPECT_EQ(schema.at("additionalProperties"), false);
}

}  // namespace
}  // namespace swarm
