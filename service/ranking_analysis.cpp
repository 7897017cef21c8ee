#include "service/ranking_analysis.h"

#include <algorithm>
#include <cmath>

#include "estimator/clp_statistics.h"

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
    RankOptions with_curves = options;
    const std::vector<Metric> extra = curve_metrics();
    with_curves.extra_metrics.insert(with_curves.extra_metrics.end(), extra.begin(), extra.end());
    Analysis analysis;
    Ranking& ranking = analysis.ranking;
    ranking = rank(incident, tables, with_curves);

    // Move the curve percentiles out of the Ranking: it reports what rank(incident, tables,
    // options) would.
    const std::vector<Metric> reported =
        metrics_to_report(incident.comparator, options.extra_metrics);
    analysis.curves = {
        {"percentiles", curve_percentiles()},
        {"throughput_bps", {{"healthy", curve_of(ranking.healthy, Metric::Quantity::Throughput)}}},
        {"fct_s", {{"healthy", curve_of(ranking.healthy, Metric::Quantity::Fct)}}}};
    ranking.healthy = only(ranking.healthy, reported);
    for (CandidateResult& entry : ranking.ranking) {
        if (entry.connected) {
            analysis.curves["throughput_bps"][entry.candidate] =
                curve_of(entry.metrics, Metric::Quantity::Throughput);
            analysis.curves["fct_s"][entry.candidate] =
                curve_of(entry.metrics, Metric::Quantity::Fct);
        }
        entry.metrics = only(entry.metrics, reported);
    }
    return analysis;
}

}  // namespace swarm::service
