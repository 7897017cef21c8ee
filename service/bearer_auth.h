// Optional bearer-token access control for the REST API (RFC 6750). The token comes from a
// file (--token-file) or the SWARM_API_TOKEN environment variable and is compared in constant
// time, so response timing reveals nothing about how much of a guess was right.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace swarm::service {

/// Equal without an early exit: the time depends on the length of `expected` only.
bool constant_time_equal(std::string_view presented, std::string_view expected);

/// Reads the token: `token_file` if given (surrounding whitespace trimmed), else
/// $SWARM_API_TOKEN, else none (auth off). Throws std::runtime_error on an unreadable or
/// empty file.
std::optional<std::string> load_api_token(const std::string& token_file);

/// True when the "Authorization" header value carries `token` ("Bearer <token>").
bool authorized(const std::string& authorization_header, const std::string& token);

}  // namespace swarm::service
