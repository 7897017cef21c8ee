// The job resource as the REST API renders it (docs/api.md, "The job resource").
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "service/ranking_jobs.h"

namespace swarm::service {

nlohmann::json job_json(const JobView& view);

/// `body` as the response text: indented, and never throwing on invalid UTF-8 (replaced).
std::string json_text(const nlohmann::json& body);

}  // namespace swarm::service
