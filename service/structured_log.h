// The service's log: one JSON object per line on stderr (the access log of every HTTP response,
// each job's start and end), so that a log shipper parses it without a grammar. docs/api.md,
// "Logs".
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace swarm::service {

/// Writes `fields` with "ts" (RFC 3339, UTC, milliseconds) added first, as one line, in one
/// write: lines of concurrent callers never interleave. Invalid UTF-8 is replaced. Never throws.
void log_event(const nlohmann::json& fields);

/// `unix_ms` as RFC 3339 in UTC with milliseconds ("2026-12-07T16:20:00.123Z").
std::string rfc3339(std::int64_t unix_ms);

}  // namespace swarm::service
