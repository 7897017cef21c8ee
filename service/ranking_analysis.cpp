#include "service/ranking_analysis.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "estimator/clp_statistics.h"
#include "estimator/comparator.h"

namespace swarm::service {

namespace {

Metric percentile_metric(Metric::Quantity quantity, double percentile) {
    Metric m;
    m.quantity = quantity;
    m.percentile = percentile;
    return m;
}

std::vector<Metric> curve_metrics() {
    std::vector<Metric> metrics;
    for (Metric::Quantity q : {Metric::Quantity::Throughput, Metric::Quantity::Fct}) {
        for (double p : curve_percentiles()) metrics.push_back(percentile_metric(q, p));
    }
    return metrics;
}

bool contains(const std::vector<Metric>& metrics, const Metric& m) {
    return std::find(metrics.begin(), metrics.end(), m) != metrics.end();
}

ComparatorSpec with_curve_metrics(const ComparatorSpec& comparator) {
    ComparatorSpec extended = comparator;
    if (auto* p = std::get_if<PriorityComparatorSpec>(&extended)) {
        for (const Metric& m : curve_metrics()) {
            if (!contains(p->order, m)) p->order.push_back(m);
        }
    } else {
        auto& weights = std::get<LinearComparatorSpec>(extended).weights;
        for (const Metric& m : curve_metrics()) {
            const bool present = std::any_of(weights.begin(), weights.end(),
                                             [&](const auto& w) { return w.first == m; });
            if (!present) weights.emplace_back(m, 0.0);
        }
    }
    return extended;
}

MetricEstimates only(const MetricEstimates& estimates, const std::vector<Metric>& keep) {
    MetricEstimates out;
    for (const Metric& m : keep) {
        const auto it = std::find_if(estimates.begin(), estimates.end(),
                                     [&](const auto& e) { return e.first == m; });
        if (it != estimates.end()) out.push_back(*it);
    }
    return out;
}

nlohmann::json number_or_null(double v) {
    return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

nlohmann::json curve_of(const MetricEstimates& estimates, Metric::Quantity quantity) {
    nlohmann::json points = nlohmann::json::array();
    for (double p : curve_percentiles()) {
        const Metric m = percentile_metric(quantity, p);
        const auto it = std::find_if(estimates.begin(), estimates.end(),
                                     [&](const auto& e) { return e.first == m; });
        if (it == estimates.end()) {
            points.push_back(nullptr);
        } else {
            points.push_back({number_or_null(it->second.estimate),
                              number_or_null(it->second.ci_low),
                              number_or_null(it->second.ci_high)});
        }
    }
    return points;
}

}  // namespace

const std::vector<double>& curve_percentiles() {
    static const std::vector<double> levels = {1,  2,  5,  10, 20, 30, 40, 50,
                                               60, 70, 80, 90, 95, 98, 99};
    return levels;
}

Analysis analyse(const Incident& incident, const TransportTables& tables,
                 const RankOptions& options) {
    Incident extended = incident;
    extended.comparator = with_curve_metrics(incident.comparator);
    Ranking full = rank(extended, tables, options);

    // Re-order with the operator's comparator, over the candidates in input order.
    std::map<std::string, const CandidateResult*> by_name;
    for (const CandidateResult& c : full.ranking) by_name[c.candidate] = &c;
    std::vector<MetricEstimates> estimates;
    std::vector<char> eligible;
    for (const Candidate& c : incident.candidates) {
        estimates.push_back(by_name.at(c.name)->metrics);
        eligible.push_back(by_name.at(c.name)->connected ? 1 : 0);
    }
    const std::vector<std::size_t> order =
        order_candidates(incident.comparator, estimates, full.healthy, eligible);

    const std::vector<Metric> reported = metrics_to_report(incident.comparator);
    Analysis analysis;
    analysis.curves = {
        {"percentiles", curve_percentiles()},
        {"throughput_bps", {{"healthy", curve_of(full.healthy, Metric::Quantity::Throughput)}}},
        {"fct_s", {{"healthy", curve_of(full.healthy, Metric::Quantity::Fct)}}}};
    Ranking& ranking = analysis.ranking;
    ranking = full;
    ranking.ranking.clear();
    ranking.healthy = only(full.healthy, reported);
    for (std::size_t position = 0; position < order.size(); ++position) {
        CandidateResult entry = *by_name.at(incident.candidates[order[position]].name);
        entry.rank = static_cast<int>(position) + 1;
        if (entry.connected) {
            analysis.curves["throughput_bps"][entry.candidate] =
                curve_of(entry.metrics, Metric::Quantity::Throughput);
            analysis.curves["fct_s"][entry.candidate] =
                curve_of(entry.metrics, Metric::Quantity::Fct);
        }
        entry.metrics = only(entry.metrics, reported);
        ranking.ranking.push_back(std::move(entry));
    }
    return analysis;
}

}  // namespace swarm::service
