// The HTML report: one self-contained page (inline CSS, SVG and a few lines of JS; no network
// fetch) per run of one or more incidents. For each incident: the ranking table with
// confidence intervals and the healthy baseline, a dot plot per ranking metric (estimates with
// interval whiskers), one distribution chart per quantity overlaying every candidate and the
// healthy network (report_charts.h), and what the estimator assumed. Used by `swarm rank --report` and GET /v1/rankings/{id}/report.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "swarm/incident.h"

namespace swarm::service {

struct ReportEntry {
    std::string source;     ///< where the incident came from: a file name or a job id
    Incident incident;      ///< for the assumptions section
    nlohmann::json result;  ///< the CLI JSON contract (to_json(Ranking))
    nlohmann::json curves;  ///< Analysis::curves
};

std::string render_report_html(const std::vector<ReportEntry>& entries);

/// Escapes &, <, >, " and ' for HTML text and attribute values.
std::string html_escape(const std::string& text);

}  // namespace swarm::service
