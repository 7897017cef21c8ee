// The sections of an incident document (docs/incident-format.md), one reader each.
// incident_reader.cpp reads the document and calls them in dependency order: topology first,
// since routing, failures, actions and traffic patterns name its nodes and links. Each reports
// the JSON path of what is wrong and throws IncidentError on the first problem. Internal to the
// reader: callers use incident_reader.h.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "estimator/helper/json_fields.h"
#include "estimator/mitigation/model_registry.h"
#include "swarm/incident.h"

namespace swarm::incident_sections {

using json_fields::json;

// ---- incident_topology.cpp
Topology read_topology(const json& j, const std::string& path);
/// Absent (`j` null): plain ECMP.
RoutingSpec read_routing(const json* j, const std::string& path, const Topology& topo);

// ---- incident_actions.cpp
/// Absent: none.
std::vector<Failure> read_failures(const json* j, const std::string& path, const Topology& topo);
/// Ongoing mitigations: classic actions only (absent: none).
std::vector<Action> read_actions(const json* j, const std::string& path, const Topology& topo);
/// Candidate mitigations: classic actions or models of `models`; at least one candidate.
std::vector<Candidate> read_candidates(const json& j, const std::string& path, const Topology& topo,
                                       const ModelRegistry& models);

// ---- incident_traffic.cpp
/// `data_dir` holds cdfs/ for named flow-size CDFs.
TrafficSpec read_traffic(const json& j, const std::string& path, const Topology& topo,
                         const std::filesystem::path& data_dir);

// ---- incident_settings.cpp
/// Absent: the paper's default priority comparator.
ComparatorSpec read_comparator(const json* j, const std::string& path);
/// Absent: the default transport; `data_dir` holds tables/.
TransportSpec read_transport(const json* j, const std::string& path,
                             const std::filesystem::path& data_dir);
/// Absent: the defaults.
EstimatorSpec read_estimator(const json* j, const std::string& path);

}  // namespace swarm::incident_sections
