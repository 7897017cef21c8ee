// The incident the end-to-end estimator tests share: the paper's testbed Clos (§4) with one
// lossy ToR uplink and the two candidates that matter for it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>

namespace swarm::testing {

/// The testbed Clos (2 pods x 3 ToRs x 2 aggregation switches, 2 spines, 6 servers per ToR,
/// 10 Gb/s links of 1 us) at 120 web-search flows/s per server, with link t0-0-0 - t1-0-0
/// dropping `drop_rate`, and the candidates no-action and disable-link. Traffic runs for
/// `duration_s` and is measured over `window_s`; tests add the comparator and the estimator.
inline nlohmann::json testbed_lossy_uplink(const std::string& name, double drop_rate,
                                           double duration_s, std::pair<double, double> window_s) {
    nlohmann::json doc = nlohmann::json::parse(R"({
      "version": 1,
      "topology": {"clos": {"pods": 2, "tors_per_pod": 3, "aggs_per_pod": 2, "spines": 2,
                            "servers_per_tor": 6, "link_gbps": 10, "link_delay_us": 1}},
      "failures": [{"type": "link_loss", "link": ["t0-0-0", "t1-0-0"]}],
      "traffic": {"arrival_rate_per_server": 120, "flow_size_cdf": "dctcp-websearch"},
      "candidates": [
        {"name": "no-action", "actions": []},
        {"name": "disable-link", "actions": [{"type": "disable_link", "link": ["t0-0-0", "t1-0-0"]}]}
      ]
    })");
    doc["name"] = name;
    doc["failures"][0]["drop_rate"] = drop_rate;
    doc["traffic"]["duration_s"] = duration_s;
    doc["traffic"]["measure_window_s"] = {window_s.first, window_s.second};
    return doc;
}

}  // namespace swarm::testing
