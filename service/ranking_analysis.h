// A ranking plus the percentile curves that the HTML report plots. The Ranking is exactly what
// swarm::rank() gives for the incident (same candidates, order, estimates and intervals); the
// curves are extra percentiles of long-flow throughput and short-flow FCT computed in the same
// run (RankOptions::extra_metrics, which never change the order), so a report costs no second
// estimation.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "swarm/incident.h"
#include "swarm/rank.h"
#include "swarm/ranking.h"

namespace swarm::service {

/// Percentile levels of the curves, in (0, 100).
const std::vector<double>& curve_percentiles();

struct Analysis {
    Ranking ranking;
    /// {"percentiles": [...], "throughput_bps": {"healthy": [[estimate, ci_low, ci_high], ...],
    ///  "<candidate>": [...]}, "fct_s": {...}}; null entries where no flow was measured.
    nlohmann::json curves;
};

Analysis analyse(const Incident& incident, const TransportTables& tables,
                 const RankOptions& options);

}  // namespace swarm::service
