#include "estimator/budget.h"

#include <algorithm>
#include <cmath>
#include <thread>

#include "estimator/clp_statistics.h"
#include "estimator/dkw.h"

namespace swarm {

namespace {

/// Whole counts in full ("1000000 servers"), anything else as the reader prints numbers.
std::string format_number(double value) {
    if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e15) {
        return std::to_string(static_cast<long long>(value));
    }
    return json_fields::format_number(value);
}

}  // namespace

BudgetExceeded::BudgetExceeded(std::string path, std::string limit, double limit_value,
                               double requested, const std::string& message)
    : IncidentError(std::move(path), message + " is over the work budget's " + limit + " of " +
                                         format_number(limit_value)),
      limit_(std::move(limit)),
      limit_value_(limit_value),
      requested_(requested) {}

namespace {

// Bytes per item, measured from the data structures (docs/incident-format.md, "Limits"): a
// flow in a DemandSample (arrival, source, destination, size), an active flow in the epoch
// loop (14 per-flow columns, its path's link indices, its share of the allocator's arrays),
// a measured outcome, a node or link of the topology (name, adjacency), a next-hop entry of
// one scenario's routing (distance and next-hop tables per switch and destination ToR).
constexpr double kDemandFlowBytes = 24;
constexpr double kActiveFlowBytes = 160;
constexpr double kOutcomeBytes = 8;
constexpr double kNodeBytes = 200;
constexpr double kLinkBytes = 150;
constexpr double kRoutingEntryBytes = 12;
constexpr double kSampleRowBytes = 64;

/// Samples rank() will run: the DKW count split as default_sample_counts() does, in doubles.
double sample_count(const EstimatorSpec& spec) {
    const double dkw =
        std::ceil(std::log(2.0 / (1.0 - spec.confidence)) / (2.0 * spec.epsilon * spec.epsilon));
    const double traffic = spec.traffic_samples ? *spec.traffic_samples : std::ceil(std::sqrt(dkw));
    const double routing =
        spec.routing_samples ? *spec.routing_samples : std::max(1.0, std::ceil(dkw / traffic));
    return traffic * routing;
}

double concurrency(int threads) {
    if (threads > 0) return threads;
    return std::max(1u, std::thread::hardware_concurrency());
}

void over(const std::string& path, const char* limit, double limit_value, double requested,
          const std::string& what) {
    if (requested > limit_value || std::isnan(requested)) {
        throw BudgetExceeded(path, limit, limit_value, requested, what);
    }
}

void check_size(const std::string& path, double servers, double links, const WorkBudget& budget,
                const std::string& how) {
    over(path, "max_servers", budget.max_servers, servers,
         format_number(servers) + " servers" + how);
    over(path, "max_links", budget.max_links, links, format_number(links) + " links" + how);
}

/// A count from the document, or nullopt when it is not a number (the reader will say so).
std::optional<double> number(const nlohmann::json& object, const char* key) {
    if (!object.is_object()) return std::nullopt;
    const auto it = object.find(key);
    if (it == object.end() || !it->is_number()) return std::nullopt;
    return it->get<double>();
}

}  // namespace

WorkEstimate estimate_work(const Incident& incident, int threads) {
    const Topology& topo = incident.topology;
    WorkEstimate e;
    e.servers = static_cast<double>(topo.servers().size());
    e.links = static_cast<double>(topo.link_count());
    const double duration = incident.traffic.duration.value;
    e.flows_per_sample = incident.traffic.arrival_rate_per_server * e.servers * duration;
    e.epochs_per_sample = 2.0 * duration / incident.estimator.epoch.value;
    e.samples = sample_count(incident.estimator);

    const double nodes = static_cast<double>(topo.node_count());
    const double switches = nodes - e.servers;
    const double tors = static_cast<double>(topo.tors().size());
    const double scenarios = static_cast<double>(incident.candidates.size()) + 1.0;
    const double in_flight = std::min(concurrency(threads), e.samples * scenarios);
    const double metrics = static_cast<double>(metrics_to_report(incident.comparator).size());
    e.memory_bytes =
        nodes * kNodeBytes + e.links * kLinkBytes +
        scenarios * (switches * tors * kRoutingEntryBytes + (nodes + e.links) * kLinkBytes) +
        in_flight * e.flows_per_sample * (kDemandFlowBytes + kActiveFlowBytes + kOutcomeBytes) +
        e.samples * scenarios * (kSampleRowBytes + metrics * 8.0);
    return e;
}

void check_budget(const Incident& incident, const WorkBudget& budget, int threads) {
    const WorkEstimate e = estimate_work(incident, threads);
    check_size("$.topology", e.servers, e.links, budget, "");
    const std::string traffic = format_number(incident.traffic.arrival_rate_per_server) +
                                " flows/s per server x " + format_number(e.servers) +
                                " servers x " + format_number(incident.traffic.duration.value) +
                                " s";
    over("$.traffic.arrival_rate_per_server", "max_flows_per_sample", budget.max_flows_per_sample,
         e.flows_per_sample,
         traffic + " = " + format_number(e.flows_per_sample) + " flows per sample");
    over("$.estimator.epoch_ms", "max_epochs_per_sample", budget.max_epochs_per_sample,
         e.epochs_per_sample,
         "2 x " + format_number(incident.traffic.duration.value) + " s / " +
             format_number(incident.estimator.epoch.value * 1e3) +
             " ms = " + format_number(e.epochs_per_sample) + " epochs per sample");
    const EstimatorSpec& spec = incident.estimator;
    const char* samples_path = spec.traffic_samples || spec.routing_samples
                                   ? "$.estimator.traffic_samples"
                                   : "$.estimator.epsilon";
    over(samples_path, "max_samples", budget.max_samples, e.samples,
         format_number(e.samples) + " traffic x routing samples");
    over("$", "max_memory_bytes", budget.max_memory_bytes, e.memory_bytes,
         "an estimated " + format_number(e.memory_bytes / 1e9) + " GB (topology, " +
             std::to_string(incident.candidates.size() + 1) + " networks' routing, " +
             format_number(e.flows_per_sample) + " flows per sample x samples in flight)");
}

void check_topology_budget(const nlohmann::json& document, const WorkBudget& budget) {
    if (!document.is_object()) return;
    const auto topology = document.find("topology");
    if (topology == document.end() || !topology->is_object()) return;
    if (const auto clos = topology->find("clos"); clos != topology->end()) {
        const auto pods = number(*clos, "pods");
        const auto tors_per_pod = number(*clos, "tors_per_pod");
        const auto aggs_per_pod = number(*clos, "aggs_per_pod");
        const auto spines = number(*clos, "spines");
        const auto servers_per_tor = number(*clos, "servers_per_tor");
        if (!pods || !tors_per_pod || !aggs_per_pod || !spines || !servers_per_tor) return;
        const double tors = *pods * *tors_per_pod;
        const double aggs = *pods * *aggs_per_pod;
        const double servers = tors * *servers_per_tor;
        // As build_clos wires them: ToR-agg within a pod, agg-spine, server-ToR.
        const double links = tors * *aggs_per_pod + aggs * *spines + servers;
        check_size("$.topology.clos", servers, links, budget, " (the Clos's counts multiplied)");
        return;
    }
    double servers = 0;
    if (const auto nodes = topology->find("nodes"); nodes != topology->end() && nodes->is_array()) {
        for (const auto& node : *nodes) servers += number(node, "servers").value_or(0.0);
    }
    double links = servers;
    if (const auto list = topology->find("links"); list != topology->end() && list->is_array()) {
        links += static_cast<double>(list->size());
    }
    check_size("$.topology", servers, links, budget, " (the nodes' \"servers\" and the links)");
}

}  // namespace swarm
