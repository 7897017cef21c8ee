// Untrusted JSON text -> a document, for every entry point that reads one (incident files,
// REST bodies): bounded nesting, no duplicate keys, and time and memory linear in the input.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace swarm {

/// How deeply arrays and objects may nest. Incidents need 6 levels; 64 leaves room for model
/// parameters while keeping every recursive walk over a document (printing it, destroying it,
/// echoing a value in a message) shallow. docs/incident-format.md, "Limits".
inline constexpr int kMaxJsonDepth = 64;

/// Parses `text`. Throws IncidentError: at "$" with "malformed JSON at byte N" for syntax
/// errors; at the path of the container that nests too deeply ("$[0][0]...") past `max_depth`
/// levels; at the path of the second occurrence of a duplicate key (nlohmann would silently keep
/// the last one, so a typo'd repeat would change the incident without a word).
nlohmann::json parse_json_document(std::string_view text, int max_depth = kMaxJsonDepth);

}  // namespace swarm
