// What the incident reader tests share: the documented example, lookups, and the explicit
// topology form (test_incident_reader.cpp reads valid documents, test_incident_reader_errors.cpp
// pins every bad input to its JSON path).
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "estimator/helper/incident_reader.h"
#include "models/builtin_models.h"

#ifndef SWARM_SOURCE_DATA_DIR
#error "SWARM_SOURCE_DATA_DIR must name the source data/ directory"
#endif

namespace swarm::reader_test {

using json = nlohmann::json;

inline const std::filesystem::path kDataDir = SWARM_SOURCE_DATA_DIR;

// The example of docs/incident-format.md (and of the format brief), verbatim.
inline constexpr const char* kExample = R"({
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

inline json example() { return json::parse(kExample); }

inline Incident read(const json& doc) { return read_incident(doc, kDataDir, builtin_models()); }

inline NodeId node(const Incident& incident, const std::string& name) {
    const auto id = incident.topology.find_node(name);
    EXPECT_TRUE(id.has_value()) << name;
    return id.value_or(-1);
}

inline LinkId link(const Incident& incident, const std::string& a, const std::string& b) {
    const auto id = incident.topology.find_link(node(incident, a), node(incident, b));
    EXPECT_TRUE(id.has_value()) << a << " " << b;
    return id.value_or(-1);
}

inline Metric metric(const std::string& name) { return Metric::parse(name).value(); }

/// A valid 6x6 matrix for the example's Clos, listing the ToRs in reverse order (so that the
/// reader's reordering into Topology::tors() order is observable): 70% to the own rack.
inline json matrix_pattern() {
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

inline json explicit_topology() {
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

inline json explicit_doc() {
    json doc = example();
    doc["topology"] = explicit_topology();
    doc["failures"] = json::array();
    doc["candidates"] = json::parse(R"([{"name": "no-action"},
        {"name": "drain-s1", "actions": [{"type": "disable_node", "node": "s1"}]}])");
    return doc;
}

}  // namespace swarm::reader_test
