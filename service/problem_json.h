// RFC 9457 problem details ("application/problem+json"): every error the REST API returns.
// Input errors name the failing JSON path of the incident (`json_path`, e.g.
// "$.failures[0].drop_rate") and the same place as an RFC 6901 JSON Pointer (`pointer`).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace swarm::service {

inline constexpr const char* kProblemContentType = "application/problem+json";

struct Problem {
    int status = 500;
    std::string type;   ///< a slug such as "invalid-incident"; rendered as urn:swarm:problem:<slug>
    std::string title;  ///< short, the same for every occurrence of the type
    std::string detail;     ///< this occurrence
    std::string json_path;  ///< where in the request body, if anywhere

    /// Never throws on what a client sent: every string is passed through printable_utf8 (the
    /// request path may hold any byte: httplib decodes %FF to 0xFF).
    nlohmann::json to_json(const std::string& instance) const;
    /// to_json(...).dump(2) with a trailing newline: the response body.
    std::string body(const std::string& instance) const;
};

/// `text` with every byte that is not part of a well-formed UTF-8 sequence written as %XX
/// (the way it arrived in a URL), so that it can be echoed and serialised safely.
std::string printable_utf8(const std::string& text);

/// "$.failures[0].drop_rate" -> "/failures/0/drop_rate"; "$" -> "". Keys written ["k"] are
/// unquoted and escaped per RFC 6901 (~ -> ~0, / -> ~1).
std::string json_path_to_pointer(const std::string& json_path);

}  // namespace swarm::service
