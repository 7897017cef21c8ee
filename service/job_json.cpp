#include "service/job_json.h"

#include <cstdio>
#include <ctime>

namespace swarm::service {

namespace {

std::string rfc3339(std::int64_t unix_ms) {
    const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[96];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  static_cast<int>(unix_ms % 1000));
    return text;
}

nlohmann::json time_or_null(std::int64_t unix_ms) {
    return unix_ms > 0 ? nlohmann::json(rfc3339(unix_ms)) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json job_json(const JobView& view) {
    const JobRecord& job = view.record;
    const std::string self = "/v1/rankings/" + job.id;
    nlohmann::json out = {{"id", job.id},
                          {"status", to_string(job.status)},
                          {"incident", job.incident_name},
                          {"progress", view.progress},
                          {"samples_done", view.samples_done},
                          {"created_at", rfc3339(job.created_ms)},
                          {"started_at", time_or_null(job.started_ms)},
                          {"finished_at", time_or_null(job.finished_ms)},
                          {"deadline", job.deadline_ms ? nlohmann::json(rfc3339(*job.deadline_ms))
                                                       : nlohmann::json(nullptr)},
                          {"seed", job.seed ? nlohmann::json(*job.seed) : nlohmann::json(nullptr)},
                          {"attempts", job.attempts},
                          {"links", {{"self", self}}}};
    if (job.status == JobStatus::Done) {
        out["result"] = nlohmann::json::parse(job.result_json);
        out["samples_done"] = out["result"]["decision"].value("samples", view.samples_done);
        out["links"]["report"] = self + "/report";
    }
    if (job.status == JobStatus::Failed || job.status == JobStatus::Cancelled)
        out["error"] = job.error;
    return out;
}

std::string json_text(const nlohmann::json& body) {
    return body.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace swarm::service
