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

    nlohmann::json to_json(const std::string& instance) const;
};

/// "$.failures[0].drop_rate" -> "/failures/0/drop_rate"; "$" -> "". Keys written ["k"] are
/// unquoted and escaped per RFC 6901 (~ -> ~0, / -> ~1).
std::string json_path_to_pointer(const std::string& json_path);

}  // namespace swarm::service
