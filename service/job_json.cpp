#include "service/job_json.h"

#include "service/structured_log.h"

namespace swarm::service {

namespace {

nlohmann::json time_or_null(std::int64_t unix_ms) {
    return unix_ms > 0 ? nlohmann::json(rfc3339(unix_ms)) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json job_summary_json(const JobView& view) {
    const JobRecord& job = view.record;
    const std::string self = "/v1/rankings/" + job.id;
    const nlohmann::json started = time_or_null(job.started_ms);
    const nlohmann::json finished = time_or_null(job.finished_ms);
    nlohmann::json out = {{"id", job.id},
                          {"name", "rankings/" + job.id},
                          {"status", to_string(job.status)},
                          {"done", is_terminal(job.status)},
                          {"incident", job.incident_name},
                          {"progress", view.progress},
                          {"samples_done", view.samples_done},
                          {"created_at", rfc3339(job.created_ms)},
                          {"started_at", started},
                          {"finished_at", finished},
                          {"deadline", job.deadline_ms ? nlohmann::json(rfc3339(*job.deadline_ms))
                                                       : nlohmann::json(nullptr)},
                          {"seed", job.seed ? nlohmann::json(*job.seed) : nlohmann::json(nullptr)},
                          {"attempts", job.attempts},
                          {"links", {{"self", self}}}};
    // AIP-151: what a long-running operation reports while it runs, under `metadata`; the
    // same values stay at the top level, where clients of the first API version read them.
    out["metadata"] = {{"incident", job.incident_name},
                       {"status", to_string(job.status)},
                       {"progress", view.progress},
                       {"created_at", out["created_at"]},
                       {"started_at", started},
                       {"finished_at", finished},
                       {"samples_done", view.samples_done},
                       {"attempts", job.attempts}};
    if (job.network_name) {
        out["network"] = {{"name", *job.network_name}, {"version", job.network_version}};
    }
    if (job.status == JobStatus::Done) out["links"]["report"] = self + "/report";
    if (job.status == JobStatus::Failed || job.status == JobStatus::Cancelled) {
        out["error"] = job.error;
    }
    return out;
}

nlohmann::json job_json(const JobView& view) {
    nlohmann::json out = job_summary_json(view);
    if (view.record.status == JobStatus::Done) {
        out["result"] = nlohmann::json::parse(view.record.result_json);
        // A finished job's samples are those its decision used (the live count stops earlier).
        const nlohmann::json& decision = out["result"]["decision"];
        if (decision.is_object() && decision.contains("samples"))
            out["samples_done"] = decision["samples"];
        // The result records what it was computed on: the stored network's version.
        if (out.contains("network")) out["result"]["network"] = out["network"];
    }
    return out;
}

std::string json_text(const nlohmann::json& body) {
    return body.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace swarm::service
