// The job resource as the REST API renders it (docs/api.md, "The job resource").
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "service/ranking_jobs.h"

namespace swarm::service {

/// The job with its result (GET /v1/rankings/{id}): job_summary_json() plus "result" when done.
nlohmann::json job_json(const JobView& view);
/// The job without its result (the entries of GET /v1/rankings): id, AIP-151 "name", "done"
/// and "metadata", status, progress, times, links, and "error" when failed or cancelled.
nlohmann::json job_summary_json(const JobView& view);

/// `body` as the response text: indented, and never throwing on invalid UTF-8 (replaced).
std::string json_text(const nlohmann::json& body);

}  // namespace swarm::service
