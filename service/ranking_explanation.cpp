#include "service/ranking_explanation.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "estimator/comparator.h"
#include "estimator/helper/ranking_json.h"
#include "service/ranking_table.h"

namespace swarm::service {
namespace {

using nlohmann::json;

json number_or_null(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

std::string percent(double fraction) {
    char text[32];
    std::snprintf(text, sizeof text, fraction > 0.0 && fraction < 0.01 ? "%.1f%%" : "%.0f%%",
                  100.0 * fraction);
    return text;
}

std::string member_suffix(const Topology& topo, LinkId l) {
    const Link& link = topo.link(l);
    const std::vector<LinkId> members = topo.links_between(link.a, link.b);
    if (members.size() < 2) return "";
    const auto at = std::find(members.begin(), members.end(), l) - members.begin();
    return " (member " + std::to_string(at + 1) + " of " + std::to_string(members.size()) + ")";
}

std::string shown(const std::string& metric, const json& value) {
    if (!value.is_number()) return "not measured";
    const double v = value.get<double>();
    if (metric == "linear_score") {
        char text[32];
        std::snprintf(text, sizeof text, "%.4g", v);
        return text;
    }
    const auto parsed = Metric::parse(metric);
    return parsed && parsed->quantity == Metric::Quantity::Fct ? cli::format_duration(v)
                                                               : cli::format_rate(v);
}

}  // namespace

std::string link_label(const Topology& topo, LinkId l) {
    const Link& link = topo.link(l);
    return topo.node(link.a).name + " ↔ " + topo.node(link.b).name + member_suffix(topo, l);
}

std::string channel_label(const Topology& topo, ChannelId c) {
    const Link& link = topo.link(c / 2);
    const bool forward = c % 2 == 0;  // channel 2l goes a -> b
    return topo.node(forward ? link.a : link.b).name + " → " +
           topo.node(forward ? link.b : link.a).name + member_suffix(topo, c / 2);
}

json diagnosis_json(const Incident& incident, const CandidateDiagnosis& d,
                    const CandidateDiagnosis& healthy) {
    const Topology& topo = incident.topology;
    json busiest = json::array();
    for (const ChannelLoad& load : d.busiest) {
        busiest.push_back({{"channel", channel_label(topo, load.channel)},
                           {"utilisation", load.utilisation},
                           {"drop_rate", load.drop_rate}});
    }
    json failed = json::array();
    for (std::size_t e = 0; e < d.failed.size(); ++e) {
        const FailedElementUse& use = d.failed[e];
        failed.push_back({{"element", use.channel ? channel_label(topo, *use.channel)
                                                  : topo.node(*use.node).name},
                          {"traffic_fraction", use.traffic_fraction},
                          {"healthy_traffic_fraction",
                           e < healthy.failed.size() ? json(healthy.failed[e].traffic_fraction)
                                                     : json(nullptr)}});
    }
    return {{"busiest_channels", std::move(busiest)},
            {"loss_limited_fraction", d.loss_limited_fraction},
            {"crossing_failed_fraction", d.crossing_failed_fraction},
            {"failed_elements", std::move(failed)}};
}

std::string diagnosis_text(const json& e) {
    if (!e.contains("busiest_channels")) return "";
    std::string text;
    const json& busiest = e["busiest_channels"];
    if (!busiest.empty()) {
        text = "busiest " + busiest[0]["channel"].get<std::string>() + " at " +
               percent(busiest[0]["utilisation"].get<double>());
    }
    text += std::string(text.empty() ? "" : "; ") +
            percent(e["loss_limited_fraction"].get<double>()) + " of long flows loss-limited; " +
            percent(e["crossing_failed_fraction"].get<double>()) +
            " of flows cross a failed element";
    for (const json& f : e["failed_elements"]) {
        text += "; " + f["element"].get<std::string>() + " carries " +
                percent(f["traffic_fraction"].get<double>()) + " of the bytes";
        if (f["healthy_traffic_fraction"].is_number()) {
            text += " (healthy " + percent(f["healthy_traffic_fraction"].get<double>()) + ")";
        }
    }
    return text;
}

json explain_ranking(const Incident& incident, const Ranking& ranking) {
    json out = json::array();
    for (std::size_t i = 0; i + 1 < ranking.ranking.size(); ++i) {
        const CandidateResult& a = ranking.ranking[i];
        const CandidateResult& b = ranking.ranking[i + 1];
        if (!a.connected) break;
        if (!b.connected) {
            out.push_back({{"candidate", a.candidate},
                           {"next", b.candidate},
                           {"decided_by", "connectivity"},
                           {"value", nullptr},
                           {"next_value", nullptr},
                           {"all_tied", false}});
            continue;
        }
        const PairDecision d =
            explain_order(incident.comparator, a.metrics, b.metrics, ranking.healthy);
        out.push_back({{"candidate", a.candidate},
                       {"next", b.candidate},
                       {"decided_by", d.linear   ? std::string("linear_score")
                                      : d.metric ? d.metric->name()
                                                 : ""},
                       {"value", number_or_null(d.value)},
                       {"next_value", number_or_null(d.other)},
                       {"all_tied", d.all_tied}});
    }
    return out;
}

std::string explanation_text(const Incident& incident, const json& e) {
    if (!e.contains("next")) return "";
    const std::string metric = e.value("decided_by", std::string());
    const std::string next = e.value("next", std::string());
    if (metric == "connectivity")
        return "ranks above " + next + ", which partitions servers that have demand";
    std::string text = "ranks above " + next + " on " +
                       (metric == "linear_score" ? "the linear score" : metric) + ": " +
                       shown(metric, e["value"]) + " vs " + shown(metric, e["next_value"]);
    if (metric == "linear_score") return text + " (lower is better)";
    if (e.value("all_tied", false))
        return text + " (every metric within the tie tolerance; the exact values decide)";
    if (const auto* p = std::get_if<PriorityComparatorSpec>(&incident.comparator)) {
        char tolerance[32];
        std::snprintf(tolerance, sizeof tolerance, "%g%%", 100.0 * p->tie_tolerance);
        text += std::string(" (beyond the ") + tolerance + " tie tolerance";
        if (!p->order.empty() && p->order.front().name() != metric)
            text += "; the metrics before it tie";
        text += ")";
    }
    return text;
}

void add_explanations(json& result, const Incident& incident, const Ranking& ranking,
                      const Diagnoses& diagnoses) {
    const json order = explain_ranking(incident, ranking);
    for (json& entry : result["ranking"]) {
        const std::string name = entry.value("candidate", std::string());
        json explanation = json::object();
        for (const json& e : order) {
            if (e["candidate"] != name) continue;
            explanation = e;
            explanation.erase("candidate");
        }
        for (const CandidateDiagnosis& d : diagnoses) {
            if (d.candidate == name && d.diagnosed) {
                explanation.update(diagnosis_json(incident, d, diagnoses.front()));
            }
        }
        if (!explanation.empty()) entry["explanation"] = std::move(explanation);
    }
}

json explained_json(const Incident& incident, const Ranking& ranking, const Diagnoses& diagnoses) {
    json result = to_json(ranking);
    add_explanations(result, incident, ranking, diagnoses);
    return result;
}

std::string explanation_lines(const Incident& incident, const Ranking& ranking,
                              const Diagnoses& diagnoses) {
    const json result = explained_json(incident, ranking, diagnoses);
    std::string out;
    for (const json& entry : result["ranking"]) {
        if (!entry.contains("explanation")) continue;
        const std::string name = entry["candidate"];
        const std::string order = explanation_text(incident, entry["explanation"]);
        const std::string diagnosis = diagnosis_text(entry["explanation"]);
        if (!order.empty()) out += "  " + name + " " + order + "\n";
        if (!diagnosis.empty())
            out += "  " + std::string(order.empty() ? name + ": " : "    ") + diagnosis + "\n";
    }
    return out.empty() ? out : "why:\n" + out;
}

}  // namespace swarm::service
