// Why each candidate ranks where it does: the metric that put it above the next candidate, with
// both values (estimator/comparator.h explain_order), and what its network does with the
// traffic (estimator/diagnosis.h: the most utilised channels, the loss-limited long flows, the
// flows crossing failed elements, how the traffic splits over each failed element). In
// `swarm rank` output (table, JSON), REST results and the HTML report; docs/api.md
// "Explanations".
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "estimator/diagnosis.h"
#include "swarm/incident.h"
#include "swarm/ranking.h"

namespace swarm::service {

using Diagnoses = std::vector<CandidateDiagnosis>;

/// One entry per ranked candidate except the last connected one: {"candidate", "next",
/// "decided_by" (metric name, or "linear_score"), "value", "next_value", "all_tied"}; values are
/// the JSON contract's units (bit/s, s) or the linear comparator's scores.
nlohmann::json explain_ranking(const Incident& incident, const Ranking& ranking);

/// A candidate's diagnosis as JSON: "busiest_channels" [{"channel", "utilisation",
/// "drop_rate"}], "loss_limited_fraction", "crossing_failed_fraction", "failed_elements"
/// [{"element", "traffic_fraction", "healthy_traffic_fraction"}]. Channel and element names as
/// in the report ("t0 → a0", "(member 2 of 2)" for a LAG member).
nlohmann::json diagnosis_json(const Incident& incident, const CandidateDiagnosis& d,
                              const CandidateDiagnosis& healthy);

/// Adds each candidate's "explanation" to its entry of `result` (the JSON contract): the
/// ordering fields of explain_ranking() (not for the last candidate) and diagnosis_json().
void add_explanations(nlohmann::json& result, const Incident& incident, const Ranking& ranking,
                      const Diagnoses& diagnoses);

/// to_json(ranking) with the explanations added.
nlohmann::json explained_json(const Incident& incident, const Ranking& ranking,
                              const Diagnoses& diagnoses);

/// The table's "why" lines: per candidate, why it ranks above the next and what its network
/// does with the traffic.
std::string explanation_lines(const Incident& incident, const Ranking& ranking,
                              const Diagnoses& diagnoses);

/// The ordering as one sentence: "ranks above disable-link on p1_throughput: 1.34 Gbps vs
/// 689 Mbps (beyond the 10% tie tolerance)". Empty without "next" (the last candidate).
std::string explanation_text(const Incident& incident, const nlohmann::json& explanation);

/// The diagnosis as one sentence: "busiest t0 → a1 at 42%; 12% of long flows loss-limited;
/// 29% of flows cross a failed element; t0 → a0 carries 14% of the bytes (healthy 14%)".
std::string diagnosis_text(const nlohmann::json& explanation);

/// "leaf-0 ↔ spine-0", with "(member k of n)" for a parallel link; channels "leaf-0 → spine-0".
std::string link_label(const Topology& topology, LinkId link);
std::string channel_label(const Topology& topology, ChannelId channel);

}  // namespace swarm::service
