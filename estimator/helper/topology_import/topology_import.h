// Resolves `"topology": {"import": {...}}` in an incident document: reads the GraphML,
// NetworkX or Containerlab topology it names (a file or inline) and puts swarm's explicit
// topology form in its place (docs/incident-format.md#imported-topologies).
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>

namespace swarm {

/// The document with an imported topology replaced by the explicit form; any other document is
/// returned unchanged. Relative `file` paths are resolved against `base_dir` (the incident
/// file's directory); with an empty `base_dir` (REST, embedded callers) `file` is refused, so a
/// request can never make the service read its own files. Throws IncidentError.
nlohmann::json resolve_topology_import(const nlohmann::json& document,
                                       const std::filesystem::path& base_dir);

}  // namespace swarm
