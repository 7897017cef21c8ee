// What the model behaviour tests share: the measured table set, flow requests, lookups into a
// Ranking (a candidate, a metric or a side metric by name), shipped incidents as JSON, and the
// message an incident document is rejected with.
#pragma once

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "estimator/flow_policy.h"
#include "estimator/helper/incident_reader.h"
#include "estimator/transport_tables.h"
#include "swarm/ranking.h"

namespace swarm::testing {

/// The default tables (measured with ns-3, docs/tables.md), loaded once.
inline const TransportTables& cubic_tables() {
    static const TransportTables tables =
        TransportTables::load(std::filesystem::path(SWARM_SOURCE_DATA_DIR) / "tables" / "ns3-cubic");
    return tables;
}

/// A flow as the epoch loop presents it to a policy (short: up to the shipped 150 KB).
inline FlowRequest flow_request(std::int32_t src, std::int32_t dst, double arrival_s, double bytes,
                                std::uint64_t path_seed) {
    FlowRequest r;
    r.flow = static_cast<std::size_t>(path_seed);
    r.src_server = src;
    r.dst_server = dst;
    r.arrival_s = arrival_s;
    r.size_bytes = bytes;
    r.is_short = bytes <= 150000;
    r.path_seed = path_seed;
    return r;
}

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
