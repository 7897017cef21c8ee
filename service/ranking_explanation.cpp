#include "service/ranking_explanation.h"

#include <cmath>
#include <cstdio>

#include "estimator/comparator.h"
#include "estimator/helper/ranking_json.h"
#include "service/ranking_table.h"

namespace swarm::service {
namespace {

using nlohmann::json;

json number_or_null(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

std::string shown(const std::string& metric, const json& value) {
    if (!value.is_number()) return "not measured";
    const double v = value.get<double>();
    if (metric == "linear_score") {
        char text[32];
        std::snprintf(text, sizeof text, "%.4g", v);
        return text;
    }
    const auto parsed = Metric::parse(metric);
    return parsed && parsed->quantity == Metric::Quantity::Fct ? cli::format_duration(v) : cli::format_rate(v);
}

}  // namespace

json explain_ranking(const Incident& incident, const Ranking& ranking) {
    json out = json::array();
    for (std::size_t i = 0; i + 1 < ranking.ranking.size(); ++i) {
        const CandidateResult& a = ranking.ranking[i];
        const CandidateResult& b = ranking.ranking[i + 1];
        if (!a.connected) break;
        if (!b.connected) {
            out.push_back({{"candidate", a.candidate}, {"next", b.candidate}, {"decided_by", "connectivity"},
                           {"value", nullptr}, {"next_value", nullptr}, {"all_tied", false}});
            continue;
        }
        const PairDecision d = explain_order(incident.comparator, a.metrics, b.metrics, ranking.healthy);
        out.push_back({{"candidate", a.candidate},
                       {"next", b.candidate},
                       {"decided_by", d.linear ? std::string("linear_score") : d.metric ? d.metric->name() : ""},
                       {"value", number_or_null(d.value)},
                       {"next_value", number_or_null(d.other)},
                       {"all_tied", d.all_tied}});
    }
    return out;
}

std::string explanation_text(const Incident& incident, const json& e) {
    const std::string metric = e.value("decided_by", std::string());
    const std::string next = e.value("next", std::string());
    if (metric == "connectivity") return "ranks above " + next + ", which partitions servers that have demand";
    std::string text = "ranks above " + next + " on " + (metric == "linear_score" ? "the linear score" : metric) +
                       ": " + shown(metric, e["value"]) + " vs " + shown(metric, e["next_value"]);
    if (metric == "linear_score") return text + " (lower is better)";
    if (e.value("all_tied", false)) return text + " (every metric within the tie tolerance; the exact values decide)";
    if (const auto* p = std::get_if<PriorityComparatorSpec>(&incident.comparator)) {
        char tolerance[32];
        std::snprintf(tolerance, sizeof tolerance, "%g%%", 100.0 * p->tie_tolerance);
        text += std::string(" (beyond the ") + tolerance + " tie tolerance";
        if (!p->order.empty() && p->order.front().name() != metric) text += "; the metrics before it tie";
        text += ")";
    }
    return text;
}

void add_explanations(json& result, const Incident& incident, const Ranking& ranking) {
    for (const json& e : explain_ranking(incident, ranking)) {
        for (json& entry : result["ranking"]) {
            if (entry.value("candidate", std::string()) != e["candidate"]) continue;
            json explanation = e;
            explanation.erase("candidate");
            entry["explanation"] = std::move(explanation);
        }
    }
}

json explained_json(const Incident& incident, const Ranking& ranking) {
    json result = to_json(ranking);
    add_explanations(result, incident, ranking);
    return result;
}

std::string explanation_lines(const Incident& incident, const Ranking& ranking) {
    std::string out;
    for (const json& e : explain_ranking(incident, ranking)) {
        out += "  " + e["candidate"].get<std::string>() + " " + explanation_text(incident, e) + "\n";
    }
    return out.empty() ? out : "why:\n" + out;
}

}  // namespace swarm::service
