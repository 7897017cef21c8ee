// Time to a settled decision (issue 14): ranks incident files with swarm's defaults (derived
// epoch and horizon, adaptive sampling) and reports wall and CPU seconds, peak RSS, the load
// average, and the decision. Numbers go to docs/performance.md ("Time to a decision").
//
//   bench_time_to_decision [--threads N] [--time-budget S] [--sampling dkw] FILE...
//   default FILEs: bench/incidents/clos16k.json
//
// Each file runs in a forked child, so that ru_maxrss is the peak of that ranking alone (the
// parent never starts TBB, so forking is safe).
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "estimator/helper/incident_reader.h"
#include "estimator/transport_tables.h"
#include "models/builtin_models.h"
#include "swarm/rank.h"

namespace {

double cpu_seconds(const rusage& usage) {
    auto seconds = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double load_average() {
    double load[1] = {0.0};
    return getloadavg(load, 1) == 1 ? load[0] : -1.0;
}

int run_file(const std::string& path, const swarm::RankOptions& options) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    const swarm::Incident incident =
        swarm::read_incident_text(text.str(), SWARM_SOURCE_DATA_DIR, swarm::builtin_models());
    const swarm::TransportTables tables =
        swarm::TransportTables::load(std::string(SWARM_SOURCE_DATA_DIR) + "/tables/ns3-cubic");
    const double load_before = load_average();
    rusage before{};
    getrusage(RUSAGE_SELF, &before);
    const auto started = std::chrono::steady_clock::now();
    const swarm::Ranking ranking = swarm::rank(incident, tables, options);
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    rusage after{};
    getrusage(RUSAGE_SELF, &after);
    const swarm::Decision& d = ranking.decision;
    std::printf(
        "%-10s %7zu %3zu %6.2f %6.1f %6.3f %8.2f %8.2f %8.1f %5.1f-%4.1f  %s %d samples %d rounds "
        "(%s) pick %s\n",
        incident.name.c_str(), incident.topology.servers().size(), incident.candidates.size(),
        incident.estimator.epoch.value * 1e3, incident.traffic.window_start.value * 1e3,
        incident.traffic.duration.value, wall, cpu_seconds(after) - cpu_seconds(before),
        static_cast<double>(after.ru_maxrss) / 1024.0, load_before, load_average(),
        d.settled ? "settled" : "UNSETTLED", d.samples, d.rounds, d.stopped_by.c_str(),
        d.pick.c_str());
    for (const auto& m : d.margins) {
        std::printf("           margin to %s on %s: %.4g [%.4g, %.4g]\n", d.runner_up.c_str(),
                    m.metric.name().c_str(), m.margin, m.ci_low, m.ci_high);
    }
    std::fflush(stdout);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    swarm::RankOptions options;
    std::vector<std::string> files;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const bool has_value = i + 1 < argc;
        if (arg == "--threads" && has_value) {
            options.threads = std::atoi(argv[++i]);
        } else if (arg == "--time-budget" && has_value) {
            options.time_budget_s = std::atof(argv[++i]);
        } else if (arg == "--sampling" && has_value) {
            options.sampling = std::string(argv[++i]) == "dkw" ? swarm::SamplingMode::Dkw
                                                               : swarm::SamplingMode::Adaptive;
        } else if (arg.rfind("--", 0) == 0) {
            std::fprintf(stderr,
                         "usage: bench_time_to_decision [--threads N] [--time-budget S] "
                         "[--sampling dkw] FILE...\n");
            return 2;
        } else {
            files.push_back(arg);
        }
    }
    if (files.empty())
        files.push_back(std::string(SWARM_SOURCE_DATA_DIR) + "/../bench/incidents/clos16k.json");
    std::printf("%-10s %7s %3s %6s %6s %6s %8s %8s %8s %10s  decision\n", "incident", "servers",
                "cand", "ep ms", "wu ms", "dur s", "wall s", "cpu s", "rss MB", "load");
    std::fflush(stdout);  // or the child would print the buffered header again
    int status_all = 0;
    for (const std::string& file : files) {
        const pid_t child = fork();
        if (child == 0) {
            try {
                std::_Exit(run_file(file, options));
            } catch (const std::exception& e) {
                std::fprintf(stderr, "bench_time_to_decision: %s: %s\n", file.c_str(), e.what());
                std::_Exit(1);
            }
        }
        int status = 0;
        waitpid(child, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) status_all = 1;
    }
    return status_all;
}
