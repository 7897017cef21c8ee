// swarm_truth: the ns-3 ground truth of an incident's candidates (docs/fidelity.md).
//
//   swarm_truth INCIDENT.json [--candidate NAME|all] [--healthy] [--scale F] [--slices N]
//               [--jobs J] [--buffer-packets B] [--cc cubic] [--seed S] [--out FILE]
//
// Prints (or writes) the `swarm rank --format json` document of the simulated candidates,
// ranked by the incident's comparator, plus a "ground_truth" object.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "estimator/helper/incident_reader.h"
#include "models/builtin_models.h"
#include "tools/truth/truth_run.h"

int main(int argc, char** argv) {
    CLI::App app{"ns-3 ground truth for an incident's candidates (docs/fidelity.md)"};
    std::string incident_path;
    std::string candidate = "all";
    std::string out_path;
    std::string data_dir = SWARM_SOURCE_DATA_DIR;
    std::string cc = "cubic";
    std::string cache;
    std::uint64_t seed = 0;
    swarm::truth::TruthOptions options;
    std::uint32_t buffer = options.tcp.buffer_packets;
    app.add_option("incident", incident_path, "incident JSON file")
        ->required()
        ->check(CLI::ExistingFile);
    app.add_option("--candidate", candidate, "candidate name, or 'all'");
    app.add_flag("--healthy", options.healthy, "also simulate the network without failures");
    app.add_option("--scale", options.scale,
                   "down-scaling factor F: rates / F, time x F (paper: 120)")
        ->check(CLI::Range(1.0, 1e6));
    app.add_option("--slices", options.slices, "traffic samples per candidate")
        ->check(CLI::Range(1, 10000));
    app.add_option("--jobs", options.jobs, "ns-3 processes in parallel")->check(CLI::Range(1, 64));
    app.add_option("--buffer-packets", buffer, "egress buffer per switch port, packets")
        ->check(CLI::Range(2, 1000000));
    app.add_option("--cc", cc, "congestion control: cubic, newreno, dctcp");
    app.add_option("--seed", seed, "seed (default: the incident's estimator seed)");
    app.add_option("--cache", cache,
                   "result cache file: a rerun skips finished (candidate, slice) runs");
    app.add_option("--data-dir", data_dir, "data directory (flow-size CDFs)");
    app.add_option("--out", out_path, "write the JSON here instead of stdout");
    CLI11_PARSE(app, argc, argv);
    try {
        options.tcp = swarm::truth::truth_tcp_settings(swarm::ns3common::parse_cc(cc));
        options.tcp.buffer_packets = buffer;
        if (candidate != "all") options.candidates = {candidate};
        if (app.count("--seed") > 0) options.seed = seed;
        options.cache = cache;
        std::ifstream in(incident_path);
        std::stringstream text;
        text << in.rdbuf();
        const swarm::Incident incident =
            swarm::read_incident_text(text.str(), data_dir, swarm::builtin_models());
        const nlohmann::json doc = swarm::truth::run_truth(incident, options);
        if (out_path.empty()) {
            std::cout << doc.dump(2) << "\n";
        } else {
            std::ofstream out(out_path);
            out << doc.dump(2) << "\n";
            if (!out) throw std::runtime_error("cannot write " + out_path);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "swarm_truth: %s: %s\n", incident_path.c_str(), e.what());
        return 1;
    }
    return 0;
}
