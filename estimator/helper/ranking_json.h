// Ranking -> JSON, the contract of `swarm rank --format json` (docs/api.md). Shared by the
// CLI, the service and embedders so that every surface prints the same document.
#pragma once

#include <nlohmann/json.hpp>

#include "swarm/ranking.h"

namespace swarm {

/// JSON name of a metric with its unit: "p1_throughput_bps", "avg_throughput_bps", "p99_fct_s".
std::string metric_json_name(const Metric& metric);

nlohmann::json to_json(const Ranking& ranking);

}  // namespace swarm
