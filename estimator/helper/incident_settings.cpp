// Incident settings sections (docs/incident-format.md): "comparator" (how candidates are
// ordered), "transport" (which transport tables) and "estimator" (sampling and precision).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "estimator/helper/incident_sections.h"

namespace swarm::incident_sections {

using namespace json_fields;

namespace {

// ---- comparator

Metric metric_named(const std::string& name, const std::string& path) {
    if (auto metric = Metric::parse(name)) {
        return *metric;
    }
    fail(path, "unknown metric " + in_quotes(name) +
                   "; expected avg_throughput, avg_fct, pN_throughput or pN_fct with 0 < N < 100 "
                   "(e.g. p1_throughput, p99.9_fct)");
}

PriorityComparatorSpec read_priority(const json& j, const std::string& path) {
    check_keys(j, path, {"type", "order", "tie_tolerance"});
    PriorityComparatorSpec spec;
    const std::string at = child(path, "order");
    const json& order = as_array(required_field(j, path, "order"), at);
    if (order.empty()) {
        fail(at, "must list at least one metric");
    }
    for (std::size_t i = 0; i < order.size(); ++i) {
        const Metric metric = metric_named(as_string(order[i], item(at, i)), item(at, i));
        const auto dup = std::find(spec.order.begin(), spec.order.end(), metric);
        if (dup != spec.order.end()) {
            fail(item(at, i), "duplicate metric " + in_quotes(metric.name()) + " (also " +
                                  item(at, static_cast<std::size_t>(dup - spec.order.begin())) +
                                  ")");
        }
        spec.order.push_back(metric);
    }
    if (const json* t = optional_field(j, "tie_tolerance")) {
        spec.tie_tolerance =
            number_in(*t, child(path, "tie_tolerance"), Range{0.0, 1.0, false, true});
    }
    return spec;
}

LinearComparatorSpec read_linear(const json& j, const std::string& path) {
    check_keys(j, path, {"type", "weights"});
    LinearComparatorSpec spec;
    const std::string at = child(path, "weights");
    const json& weights = as_object(required_field(j, path, "weights"), at);
    bool any_positive = false;
    for (const auto& [name, value] : weights.items()) {
        const Metric metric = metric_named(name, child(at, name));
        for (const auto& [other, w] : spec.weights) {
            if (other == metric) {
                fail(child(at, name), "duplicate metric: same as " + in_quotes(other.name()));
            }
        }
        const double weight = number_in(value, child(at, name), kNonNegative);
        any_positive = any_positive || weight > 0.0;
        spec.weights.emplace_back(metric, weight);
    }
    if (!any_positive) {
        fail(at, "needs at least one metric with a weight > 0");
    }
    return spec;
}

}  // namespace

ComparatorSpec read_comparator(const json* j, const std::string& path) {
    if (j == nullptr) {
        // Default: tail throughput first, then mean throughput, then tail FCT (the three CLP
        // metrics of the paper's §4.1 comparators), with its 10% tie tolerance.
        return PriorityComparatorSpec{{*Metric::parse("p1_throughput"),
                                       *Metric::parse("avg_throughput"), *Metric::parse("p99_fct")},
                                      0.1};
    }
    as_object(*j, path);
    const std::string& type = as_string(required_field(*j, path, "type"), child(path, "type"));
    if (type == "priority") {
        return read_priority(*j, path);
    }
    if (type == "linear") {
        return read_linear(*j, path);
    }
    fail(child(path, "type"),
         "unknown comparator type " + in_quotes(type) + "; known types: linear, priority");
}

namespace {

// ---- transport

/// Table-set directories under <data_dir>/tables, sorted.
std::vector<std::string> table_sets(const std::filesystem::path& data_dir) {
    std::vector<std::string> sets;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(data_dir / "tables", ec)) {
        if (entry.is_directory()) sets.push_back(entry.path().filename().string());
    }
    std::sort(sets.begin(), sets.end());
    return sets;
}

/// A congestion control's table set: measured (ns3-<cc>) before analytic (analytic-<cc>).
std::string table_set_for(const json& cc_json, const std::string& path,
                          const std::vector<std::string>& sets) {
    const std::string& cc = as_name(cc_json, path);
    for (const std::string prefix : {"ns3-", "analytic-"}) {
        if (std::find(sets.begin(), sets.end(), prefix + cc) != sets.end()) return prefix + cc;
    }
    std::vector<std::string> known;
    for (const std::string& set : sets) {
        const auto dash = set.find('-');
        if (dash == std::string::npos) continue;
        const std::string name = set.substr(dash + 1);
        if (std::find(known.begin(), known.end(), name) == known.end()) known.push_back(name);
    }
    fail(path, "no transport tables for congestion control " + in_quotes(cc) +
                   "; available: " + joined(known));
}

}  // namespace

TransportSpec read_transport(const json* j, const std::string& path,
                             const std::filesystem::path& data_dir) {
    TransportSpec spec;
    if (j == nullptr) return spec;
    as_object(*j, path);
    check_keys(*j, path, {"cc", "mix"});
    const std::vector<std::string> sets = table_sets(data_dir);
    const json* cc = optional_field(*j, "cc");
    const json* mix = optional_field(*j, "mix");
    if ((cc == nullptr) == (mix == nullptr)) {
        fail(path, "give exactly one of \"cc\" (one congestion control) or \"mix\"");
    }
    if (cc != nullptr) {
        spec.mix.emplace_back(table_set_for(*cc, child(path, "cc"), sets), 1.0);
        return spec;
    }
    as_array(*mix, child(path, "mix"));
    if (mix->empty()) fail(child(path, "mix"), "must list at least one congestion control");
    double total = 0.0;
    for (std::size_t i = 0; i < mix->size(); ++i) {
        const std::string at = item(child(path, "mix"), i);
        as_object((*mix)[i], at);
        check_keys((*mix)[i], at, {"cc", "probability"});
        const std::string set =
            table_set_for(required_field((*mix)[i], at, "cc"), child(at, "cc"), sets);
        for (const auto& [seen, p] : spec.mix) {
            if (seen == set) fail(child(at, "cc"), "listed twice");
        }
        const double p = number_in(required_field((*mix)[i], at, "probability"),
                                   child(at, "probability"), kPositive);
        spec.mix.emplace_back(set, p);
        total += p;
    }
    if (std::abs(total - 1.0) > 1e-6) {
        fail(child(path, "mix"), "probabilities must sum to 1, got " + std::to_string(total));
    }
    return spec;
}

// ---- estimator settings

EstimatorSpec read_estimator(const json* j, const std::string& path) {
    EstimatorSpec spec;
    if (j == nullptr) {
        return spec;
    }
    as_object(*j, path);
    check_keys(*j, path,
               {"confidence", "epsilon", "epoch_ms", "short_flow_bytes", "seed", "traffic_samples",
                "routing_samples"});
    const auto field = [&](std::string_view key) { return optional_field(*j, key); };
    if (const json* v = field("confidence")) {
        spec.confidence = number_in(*v, child(path, "confidence"), kOpenUnit);
    }
    if (const json* v = field("epsilon")) {
        spec.epsilon = number_in(*v, child(path, "epsilon"), kOpenUnit);
    }
    if (const json* v = field("epoch_ms")) {
        spec.epoch = Seconds::from_ms(number_in(*v, child(path, "epoch_ms"), kPositive));
    }
    if (const json* v = field("short_flow_bytes")) {
        spec.short_flow_threshold =
            Bytes{number_in(*v, child(path, "short_flow_bytes"), kPositive)};
    }
    if (const json* v = field("seed")) {
        // Literals >= 0 parse as unsigned; documents built in code may hold signed ones.
        const bool non_negative =
            v->is_number_unsigned() || (v->is_number_integer() && v->get<std::int64_t>() >= 0);
        if (!non_negative) {
            fail(child(path, "seed"), "expected a non-negative integer, got " + given(*v));
        }
        spec.seed = v->get<std::uint64_t>();
    }
    constexpr std::int64_t kMaxSamples = std::numeric_limits<int>::max();
    if (const json* v = field("traffic_samples")) {
        spec.traffic_samples = int_in(*v, child(path, "traffic_samples"), 1, kMaxSamples);
    }
    if (const json* v = field("routing_samples")) {
        spec.routing_samples = int_in(*v, child(path, "routing_samples"), 1, kMaxSamples);
    }
    return spec;
}

}  // namespace swarm::incident_sections
