#include "estimator/helper/ranking_json.h"

#include <cmath>

namespace swarm {

namespace {

nlohmann::json number_or_null(double value) {
    return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

nlohmann::json metrics_json(const MetricEstimates& estimates) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [metric, e] : estimates) {
        out[metric_json_name(metric)] = {{"estimate", number_or_null(e.estimate)},
                                         {"ci_low", number_or_null(e.ci_low)},
                                         {"ci_high", number_or_null(e.ci_high)},
                                         {"samples", e.samples}};
    }
    return out;
}

}  // namespace

std::string metric_json_name(const Metric& metric) {
    return metric.name() + (metric.quantity == Metric::Quantity::Throughput ? "_bps" : "_s");
}

nlohmann::json to_json(const Ranking& ranking) {
    nlohmann::json entries = nlohmann::json::array();
    for (const CandidateResult& c : ranking.ranking) {
        nlohmann::json entry = {
            {"candidate", c.candidate}, {"rank", c.rank}, {"connected", c.connected}};
        if (!c.connected) entry["reason"] = c.reason;
        entry["metrics"] = c.connected ? metrics_json(c.metrics) : nlohmann::json(nullptr);
        if (c.connected) entry["censored_fraction"] = c.censored_fraction;
        if (!c.side_metrics.empty()) {
            nlohmann::json side = nlohmann::json::object();
            for (const auto& [name, value] : c.side_metrics) side[name] = number_or_null(value);
            entry["side_metrics"] = std::move(side);
        }
        entries.push_back(std::move(entry));
    }
    return {{"incident", ranking.incident},
            {"ranking", std::move(entries)},
            {"healthy", metrics_json(ranking.healthy)},
            {"samples",
             {{"traffic", ranking.traffic_samples},
              {"routing", ranking.routing_samples},
              {"dkw_required", ranking.dkw_samples},
              {"dkw_epsilon", ranking.dkw_epsilon},
              {"confidence", ranking.confidence}}},
            {"seed", ranking.seed},
            {"tables", ranking.tables},
            {"swarm_version", ranking.version},
            {"elapsed_s", ranking.elapsed_s}};
}

}  // namespace swarm
