// Lookups into a Ranking shared by the model behaviour tests: a candidate by name, a metric or a
// side metric by name, and the message an incident document is rejected with.
#pragma once

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "estimator/helper/incident_reader.h"
#include "swarm/ranking.h"

namespace swarm::testing {

inline const CandidateResult& candidate(const Ranking& r, const std::string& name) {
    for (const auto& c : r.ranking) {
        if (c.candidate == name) return c;
    }
    throw std::runtime_error("no candidate " + name);
}

inline double metric(const MetricEstimates& m, const std::string& name) {
    for (const auto& [key, e] : m) {
        if (key.name() == name) return e.estimate;
    }
    throw std::runtime_error("no metric " + name);
}

inline double metric(const Ranking& r, const std::string& name, const std::string& metric_name) {
    return metric(candidate(r, name).metrics, metric_name);
}

inline double side_metric(const Ranking& r, const std::string& name, const std::string& side_name) {
    for (const auto& [key, value] : candidate(r, name).side_metrics) {
        if (key == side_name) return value;
    }
    throw std::runtime_error("no side metric " + side_name + " for " + name);
}

/// A shipped incident file (data/incidents/NAME.json) as JSON, for tests to vary.
inline nlohmann::json shipped_incident(const std::string& name) {
    std::ifstream in(std::filesystem::path(SWARM_SOURCE_DATA_DIR) / "incidents" / (name + ".json"));
    return nlohmann::json::parse(in);
}

/// The reader's message for `doc` with the built-in models, or "" if it is accepted.
inline std::string incident_error(const nlohmann::json& doc) {
    try {
        read_incident(doc, SWARM_SOURCE_DATA_DIR);
    } catch (const IncidentError& e) {
        return e.what();
    }
    return "";
}

}  // namespace swarm::testing
