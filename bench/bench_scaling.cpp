// Scaling run of the CLP estimator (SWARM §3.3, §3.4 "Scaling"): ranks a Scenario-1 incident
// (one lossy T0-T1 link, paper Table A.1) on Clos fabrics of about 1K, 4K and 16K servers and
// reports wall time, CPU time and peak memory per thread count. Numbers go to
// docs/performance.md ("Estimator speed").
//
//   bench_scaling            quick mode: 1K servers, threads 1 and 2
//   bench_scaling --full     1K, 4K and 16K servers
//   options: --sizes 1k,4k,16k  --threads 1,2  --repeat N
//
// Every (size, threads, repeat) runs in a forked child so that getrusage's ru_maxrss is the
// peak of that configuration alone (the parent never starts TBB, so forking is safe).
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "estimator/demand.h"
#include "estimator/epoch_simulator.h"
#include "estimator/helper/incident_reader.h"
#include "estimator/network_state.h"
#include "estimator/random.h"
#include "estimator/routing.h"
#include "estimator/transport_tables.h"
#include "models/builtin_models.h"
#include "swarm/rank.h"

namespace {

struct Size {
    std::string label;
    int pods;
    int tors_per_pod;
};

// 32 servers per ToR, 8 aggregation switches per pod, 32 spines; pods scale the fabric. The
// 1K case uses two half-size pods rather than one pod so that inter-pod (spine) paths exist.
// Offered load is 120 flows/s x 1.71 MB (web-search mean) = 1.64 Gbps per server: ToR uplinks
// (4:1 oversubscribed) run at ~65% and agg-spine links at 16% / 49% / 61% for 1K / 4K / 16K.
// With 16 spines the 16K fabric would be 123% loaded at the spine tier: flows would pile up
// without bound and the run would measure an unstable queue, not the estimator.
const std::vector<Size> kSizes = {{"1k", 2, 16}, {"4k", 4, 32}, {"16k", 16, 32}};

nlohmann::json scenario1(const Size& size) {
    using nlohmann::json;
    json incident = {
        {"version", 1},
        {"name", "bench-scenario1-" + size.label},
        {"topology",
         {{"clos",
           {{"pods", size.pods},
            {"tors_per_pod", size.tors_per_pod},
            {"aggs_per_pod", 8},
            {"spines", 32},
            {"servers_per_tor", 32},
            {"link_gbps", 10},
            {"link_delay_us", 1}}}}},
        {"routing", {{"mode", "ecmp"}}},
        {"failures",
         json::array(
             {{{"type", "link_loss"}, {"link", {"t0-0-0", "t1-0-0"}}, {"drop_rate", 0.001}}})},
        // Window [0.1, 0.2] s: the 100 ms warm-up is ~70x the mean long-flow duration (1.4 ms at
        // 10 Gbps) and 4x the largest web-search flow's (30 MB, 24 ms), so the measured flows
        // see a network in steady state; 100 ms of arrivals hold thousands of long flows per
        // sample even at 1K servers, so p1 rests on tens of flows (docs/performance.md).
        {"traffic",
         {{"arrival_rate_per_server", 120},
          {"flow_size_cdf", "dctcp-websearch"},
          {"pattern", {{"type", "uniform"}}},
          {"duration_s", 0.3},
          {"measure_window_s", {0.1, 0.2}}}},
        {"candidates",
         json::array({{{"name", "no-action"}, {"actions", json::array()}},
                      {{"name", "disable-link"},
                       {"actions",
                        json::array({{{"type", "disable_link"}, {"link", {"t0-0-0", "t1-0-0"}}}})}},
                      {{"name", "wcmp-deprioritise"},
                       {"actions", json::array({{{"type", "set_wcmp"},
                                                 {"node", "t0-0-0"},
                                                 {"weights", {{"t1-0-0", 1}, {"t1-0-1", 3}}}}})}},
                      {{"name", "disable-other-link"},
                       {"actions", json::array({{{"type", "disable_link"},
                                                 {"link", {"t0-0-1", "t1-0-1"}}}})}}})},
        {"comparator",
         {{"type", "priority"},
          {"order", {"p1_throughput", "avg_throughput", "p99_fct"}},
          {"tie_tolerance", 0.1}}},
        {"estimator",
         {{"epoch_ms", 1},
          {"short_flow_bytes", 150000},
          {"seed", 1},
          {"traffic_samples", 2},
          {"routing_samples", 2}}}};
    return incident;
}

double cpu_seconds(const rusage& usage) {
    auto seconds = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double metric_of(const swarm::MetricEstimates& metrics, std::string_view name) {
    for (const auto& [metric, estimate] : metrics) {
        if (metric.name() == name) return estimate.estimate;
    }
    return 0.0;
}

/// One sample of the no-action candidate, timed by phase: what a single work unit costs.
struct SampleBreakdown {
    std::size_t flows = 0;
    std::size_t epochs = 0;
    double demand_s = 0.0;
    double routing_build_s = 0.0;
    double simulate_s = 0.0;
};

SampleBreakdown time_one_sample(const swarm::Incident& incident,
                                const swarm::TransportTables& tables) {
    using clock = std::chrono::steady_clock;
    auto since = [](clock::time_point t) {
        return std::chrono::duration<double>(clock::now() - t).count();
    };
    SampleBreakdown b;
    const swarm::DemandSampler sampler(incident.topology, incident.traffic);
    auto t = clock::now();
    const swarm::DemandSample demand =
        sampler.sample(swarm::derive_seed(incident.estimator.seed, {swarm::kTrafficStream, 0}));
    b.demand_s = since(t);
    b.flows = demand.size();

    swarm::NetworkState state(incident.topology);
    for (const swarm::Failure& f : incident.failures) state.apply(f);
    t = clock::now();
    const swarm::Routing routing(state, tables.mtu_bytes);
    b.routing_build_s = since(t);
    const swarm::DemandEditor editor({}, incident.topology.servers().size(), 0);
    const auto& traffic = incident.traffic;
    const swarm::SimulationSettings settings{
        incident.estimator.epoch.value, incident.estimator.short_flow_threshold.value,
        traffic.duration.value, traffic.window_start.value, traffic.window_end.value};
    const swarm::TransportMix transport(tables);
    swarm::EpochSimulator simulator(routing, transport, settings);
    swarm::FlowOutcomes outcomes;
    t = clock::now();
    simulator.run(demand, editor, 11, 12, outcomes);
    b.simulate_s = since(t);
    b.epochs = outcomes.epochs;
    return b;
}

int run_configuration(const Size& size, int threads) {
    const swarm::TransportTables tables =
        swarm::TransportTables::load(std::string(SWARM_SOURCE_DATA_DIR) + "/tables/analytic-reno");
    const swarm::Incident incident =
        swarm::read_incident(scenario1(size), SWARM_SOURCE_DATA_DIR, swarm::builtin_models());

    rusage before{};
    getrusage(RUSAGE_SELF, &before);
    const auto started = std::chrono::steady_clock::now();
    swarm::RankOptions options;
    options.threads = threads;
    const swarm::Ranking ranking = swarm::rank(incident, tables, options);
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    rusage after{};
    getrusage(RUSAGE_SELF, &after);
    const double cpu = cpu_seconds(after) - cpu_seconds(before);
    const double peak_mb = static_cast<double>(after.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB

    const SampleBreakdown b = time_one_sample(incident, tables);
    std::string order;
    for (const auto& entry : ranking.ranking) {
        char item[160];
        std::snprintf(item, sizeof item, "%s%s(p1 %.3g avg %.3g Gbps, p99fct %.0f us)",
                      order.empty() ? "" : " > ", entry.candidate.c_str(),
                      metric_of(entry.metrics, "p1_throughput") * 1e-9,
                      metric_of(entry.metrics, "avg_throughput") * 1e-9,
                      metric_of(entry.metrics, "p99_fct") * 1e6);
        order += item;
    }
    std::printf(
        "%-4s %7zu %6zu %9zu %7zu %3dx%d %7d %8.2f %8.2f %8.1f   | demand %.3f s, routing %.3f s, "
        "sample %.3f s\n",
        size.label.c_str(), incident.topology.servers().size(), incident.topology.link_count(),
        b.flows, b.epochs, static_cast<int>(incident.candidates.size()) + 1,
        ranking.traffic_samples * ranking.routing_samples, threads, wall, cpu, peak_mb, b.demand_s,
        b.routing_build_s, b.simulate_s);
    std::printf("     ranking: %s\n", order.c_str());
    std::fflush(stdout);
    return 0;
}

std::vector<std::string> split(std::string_view list) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start <= list.size()) {
        const std::size_t comma = list.find(',', start);
        const std::size_t end = comma == std::string_view::npos ? list.size() : comma;
        if (end > start) items.emplace_back(list.substr(start, end - start));
        start = end + 1;
    }
    return items;
}

int usage() {
    std::fprintf(
        stderr, "usage: bench_scaling [--full] [--sizes 1k,4k,16k] [--threads 1,2] [--repeat N]\n");
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> sizes = {"1k"};
    std::vector<std::string> thread_counts = {"1", "2"};
    int repeat = 1;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        const bool has_value = i + 1 < argc;
        if (arg == "--full") {
            sizes = {"1k", "4k", "16k"};
        } else if (arg == "--quick") {
            sizes = {"1k"};
        } else if (arg == "--sizes" && has_value) {
            sizes = split(argv[++i]);
        } else if (arg == "--threads" && has_value) {
            thread_counts = split(argv[++i]);
        } else if (arg == "--repeat" && has_value) {
            repeat = std::atoi(argv[++i]);
        } else {
            return usage();
        }
    }
    std::printf(
        "Scenario 1 (lossy T0-T1 link), web-search CDF, 120 flows/s/server, epoch 1 ms, 0.3 s, "
        "window [0.1, 0.2] s\n");
    std::printf("%-4s %7s %6s %9s %7s %5s %7s %8s %8s %8s   | one no-action sample\n", "size",
                "servers", "links", "flows/smp", "epochs", "cxs", "threads", "wall s", "cpu s",
                "rss MB");
    std::fflush(stdout);
    int status_all = 0;
    for (const std::string& label : sizes) {
        const Size* size = nullptr;
        for (const Size& s : kSizes) {
            if (s.label == label) size = &s;
        }
        if (!size) return usage();
        for (const std::string& t : thread_counts) {
            for (int r = 0; r < repeat; ++r) {
                const pid_t child = fork();
                if (child == 0) {
                    try {
                        std::_Exit(run_configuration(*size, std::atoi(t.c_str())));
                    } catch (const std::exception& e) {
                        std::fprintf(stderr, "bench_scaling: %s\n", e.what());
                        std::_Exit(1);
                    }
                }
                int status = 0;
                waitpid(child, &status, 0);
                if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) status_all = 1;
            }
        }
    }
    return status_all;
}
