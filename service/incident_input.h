// Incident files on the command line: a path or `-` for stdin; relative topology-import files
// resolve against the incident file's directory (the current directory for stdin).
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "swarm/budget.h"
#include "swarm/incident.h"

namespace swarm::cli {

/// Incident files larger than this are refused before reading (64 MiB; the REST body limit is 1 MiB).
inline constexpr std::uintmax_t kMaxInputFileBytes = 64u << 20;

/// Why `path` is not a regular file ("a FIFO", "a broken symbolic link", "a symbolic link
/// loop", ...), or empty when it is one. Never throws.
std::string not_a_regular_file(const std::filesystem::path& path);

/// Reads a whole regular file of at most kMaxInputFileBytes; throws std::runtime_error naming it
/// and what is wrong (a FIFO would otherwise block forever).
std::string read_text_file(const std::string& path);

/// read_text_file(), or stdin for "-" (also at most kMaxInputFileBytes).
std::string read_input_text(const std::string& path);
/// Where a topology import's relative `file` is looked up.
std::filesystem::path input_base_dir(const std::string& path);
/// Reads and validates an incident file (throws IncidentError or std::runtime_error).
Incident read_incident_file(const std::string& path, const std::filesystem::path& data_dir,
                            const WorkBudget& budget = WorkBudget{});
/// The incident document of a file with any imported topology converted to swarm's explicit
/// form (`swarm convert`); validated like read_incident_file.
nlohmann::json converted_incident(const std::string& path, const std::filesystem::path& data_dir);

}  // namespace swarm::cli
