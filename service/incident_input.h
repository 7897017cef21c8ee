// Incident files on the command line: a path or `-` for stdin; relative topology-import files
// resolve against the incident file's directory (the current directory for stdin).
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "swarm/incident.h"

namespace swarm::cli {

/// The whole file, or stdin for "-"; throws std::runtime_error naming the file.
std::string read_input_text(const std::string& path);
/// Where a topology import's relative `file` is looked up.
std::filesystem::path input_base_dir(const std::string& path);
/// Reads and validates an incident file (throws IncidentError or std::runtime_error).
Incident read_incident_file(const std::string& path, const std::filesystem::path& data_dir);
/// The incident document of a file with any imported topology converted to swarm's explicit
/// form (`swarm convert`); validated like read_incident_file.
nlohmann::json converted_incident(const std::string& path, const std::filesystem::path& data_dir);

}  // namespace swarm::cli
