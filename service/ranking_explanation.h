// Why each candidate ranks where it does: the metric that put it above the next candidate, with
// both values (estimator/comparator.h explain_order). In `swarm rank` output (table and JSON)
// and the HTML report; docs/api.md "Explanations".
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "swarm/incident.h"
#include "swarm/ranking.h"

namespace swarm::service {

/// One entry per ranked candidate except the last connected one: {"candidate", "next",
/// "decided_by" (metric name, or "linear_score"), "value", "next_value", "all_tied"}; values are
/// the JSON contract's units (bit/s, s) or the linear comparator's scores.
nlohmann::json explain_ranking(const Incident& incident, const Ranking& ranking);

/// Adds each explanation to its candidate's entry of `result` (the JSON contract) as
/// "explanation": {...} (the `swarm rank` JSON and the HTML report).
void add_explanations(nlohmann::json& result, const Incident& incident, const Ranking& ranking);

/// to_json(ranking) with the explanations added.
nlohmann::json explained_json(const Incident& incident, const Ranking& ranking);

/// The table's "why" lines, one per explained candidate.
std::string explanation_lines(const Incident& incident, const Ranking& ranking);

/// The same as one sentence: "ranks above disable-link on p1_throughput: 1.34 Gbps vs 689 Mbps
/// (beyond the 10% tie tolerance)". Empty for the last candidate.
std::string explanation_text(const Incident& incident, const nlohmann::json& explanation);

}  // namespace swarm::service
