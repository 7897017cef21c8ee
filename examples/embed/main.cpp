// Embedding swarm: load an incident from JSON (or build one in code), rank it with a progress
// callback and a cancel token, read the result, print the CLI's JSON contract.
//
//   embed_rank INCIDENT.json     rank a file
//   embed_rank --in-code         rank an incident assembled in code from the JSON of a string
#include <swarm/swarm.h>

#include <atomic>
#include <cstdio>
#include <iostream>
#include <string>

namespace {

// A two-pod Clos with one lossy link, built as a document in code; real tools would fill
// these fields from their own inventory.
std::string incident_in_code() {
    return R"({
      "version": 1, "name": "built-in-code",
      "topology": {"clos": {"pods": 2, "tors_per_pod": 2, "aggs_per_pod": 2, "spines": 2,
                            "servers_per_tor": 4, "link_gbps": 10, "link_delay_us": 1}},
      "failures": [{"type": "link_loss", "link": ["t0-0-0", "t1-0-0"], "drop_rate": 0.001}],
      "traffic": {"arrival_rate_per_server": 100, "flow_size_cdf": "dctcp-websearch",
                  "duration_s": 0.3, "measure_window_s": [0.1, 0.2]},
      "candidates": [{"name": "no-action"},
                     {"name": "disable-link", "actions": [{"type": "disable_link", "link": ["t0-0-0", "t1-0-0"]}]}],
      "estimator": {"epoch_ms": 1, "traffic_samples": 2, "routing_samples": 2, "seed": 3}
    })";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: embed_rank INCIDENT.json | --in-code\n";
        return 2;
    }
    const std::filesystem::path data = EMBED_SWARM_DATA_DIR;
    try {
        const std::string arg = argv[1];
        const swarm::Incident incident = arg == "--in-code"
                                             ? swarm::parse_incident(incident_in_code(), data)
                                             : swarm::load_incident(arg, data);
        // The set `swarm rank` uses by default: measured with ns-3 (docs/tables.md).
        const swarm::TableSet tables = swarm::TableSet::load(data / "tables" / "ns3-cubic");

        std::atomic<bool> cancel{false};
        std::atomic<int> calls{0};
        swarm::RankOptions options;
        options.threads = 2;
        options.cancel = &cancel;  // another thread could set it to stop early (RankCancelled)
        options.progress = [&](double) { ++calls; };
        const swarm::Ranking ranking = swarm::rank(incident, tables, options);

        std::cerr << "swarm " << swarm::version() << " ranked " << ranking.incident
                  << " with tables " << tables.name() << " (" << calls.load()
                  << " progress calls); best: " << ranking.ranking.front().candidate << "\n";
        std::cout << swarm::to_json_string(ranking) << "\n";
    } catch (const swarm::InvalidIncident& e) {
        std::cerr << "invalid incident at " << e.json_path() << ": " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
