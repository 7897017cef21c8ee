// Reads incident JSON (format v1, docs/incident-format.md) into a validated Incident.
// A helper in the ns-3 sense: wiring from text to the model, no modelling of its own.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "swarm/incident.h"

namespace swarm {

/// Bad input: `path` is a JSON path such as "$.failures[0].drop_rate".
class IncidentError : public std::runtime_error {
public:
    IncidentError(std::string path, const std::string& message)
        : std::runtime_error(path + ": " + message), path_(std::move(path)) {}
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

/// Validates and converts. `data_dir` holds cdfs/ for named flow-size CDFs.
/// Throws IncidentError on the first problem found.
Incident read_incident(const nlohmann::json& document, const std::filesystem::path& data_dir);

/// Parses text first; malformed JSON gives an IncidentError at "$" with the parser's position.
Incident read_incident_text(const std::string& text, const std::filesystem::path& data_dir);

}  // namespace swarm
