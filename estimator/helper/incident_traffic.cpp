// Incident section "traffic" (docs/incident-format.md): arrival rate, flow-size CDF (named or
// inline), the communication pattern (uniform, locality, ToR matrix) and the measurement window.
#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "estimator/flow_size_cdf_library.h"
#include "estimator/helper/incident_fields.h"
#include "estimator/helper/incident_sections.h"

namespace swarm::incident_sections {

using namespace json_fields;

namespace {

constexpr double kProbabilitySlack = 1e-6;

// ---- traffic

FlowSizeCdf read_named_cdf(const std::string& name, const std::string& path,
                           const std::filesystem::path& data_dir) {
    // Only names the library lists are looked up, so a name can never reach outside cdfs/.
    const std::vector<std::string> names = named_flow_size_cdfs(data_dir);
    if (std::find(names.begin(), names.end(), name) == names.end()) {
        fail(path, "unknown flow-size CDF " + in_quotes(name) +
                       "; available: " + (names.empty() ? "(none)" : joined(names)));
    }
    std::optional<FlowSizeCdf> cdf;
    try {
        cdf = load_named_flow_size_cdf(data_dir, name);
    } catch (const std::exception& e) {
        fail(path, "cannot load flow-size CDF " + in_quotes(name) + ": " + e.what());
    }
    if (!cdf) {
        fail(path, "unknown flow-size CDF " + in_quotes(name));
    }
    if (auto problem = check_flow_size_cdf(cdf->points)) {
        fail(path, "invalid flow-size CDF " + in_quotes(name) + ": " + *problem);
    }
    return *cdf;
}

FlowSizeCdf read_inline_cdf(const json& j, const std::string& path) {
    FlowSizeCdf cdf{"inline", {}};
    for (std::size_t i = 0; i < j.size(); ++i) {
        const std::string at = item(path, i);
        const json& point = j[i];
        if (!point.is_array() || point.size() != 2) {
            fail(at, "expected a [bytes, cdf] pair, got " + given(point));
        }
        cdf.points.emplace_back(as_number(point[0], item(at, 0)), as_number(point[1], item(at, 1)));
    }
    if (auto problem = check_flow_size_cdf(cdf.points)) {
        fail(path, "invalid CDF: " + *problem);
    }
    return cdf;
}

FlowSizeCdf read_cdf(const json& j, const std::string& path,
                     const std::filesystem::path& data_dir) {
    if (j.is_string()) {
        return read_named_cdf(j.get_ref<const std::string&>(), path, data_dir);
    }
    if (j.is_array()) {
        return read_inline_cdf(j, path);
    }
    fail(path, "expected a CDF name (string) or [[bytes, cdf], ...] (array), got " + given(j));
}

LocalityPattern read_locality(const json& j, const std::string& path, const Topology& topo) {
    check_keys(j, path, {"type", "same_rack", "same_pod", "other_pod"});
    const LocalityPattern p{number_at(j, path, "same_rack", kNonNegative),
                            number_at(j, path, "same_pod", kNonNegative),
                            number_at(j, path, "other_pod", kNonNegative)};
    const double sum = p.same_rack + p.same_pod + p.other_pod;
    if (std::abs(sum - 1.0) > kProbabilitySlack) {
        fail(path, "same_rack + same_pod + other_pod must be 1, got " + format_number(sum));
    }
    for (NodeId tor : topo.tors()) {
        if (topo.node(tor).pod < 0) {
            fail(path, "the locality pattern needs a pod on every ToR; " +
                           in_quotes(topo.node(tor).name) + " has none");
        }
    }
    return p;
}

/// Listed ToR names -> positions in Topology::tors(); each ToR exactly once.
std::vector<std::size_t> matrix_tors(const json& j, const std::string& path, const Topology& topo) {
    as_array(j, path);
    std::unordered_map<NodeId, std::size_t> position;
    for (std::size_t k = 0; k < topo.tors().size(); ++k) {
        position.emplace(topo.tors()[k], k);
    }
    std::vector<std::size_t> order;
    std::map<NodeId, std::size_t> seen;
    for (std::size_t i = 0; i < j.size(); ++i) {
        const NodeId id = node_ref(j[i], item(path, i), topo);
        if (!is_tor(topo, id)) {
            fail(item(path, i), in_quotes(topo.node(id).name) + " is not a ToR");
        }
        if (auto [it, fresh] = seen.emplace(id, i); !fresh) {
            fail(item(path, i), in_quotes(topo.node(id).name) + " is listed twice (also " +
                                    item(path, it->second) + ")");
        }
        order.push_back(position.at(id));
    }
    for (NodeId tor : topo.tors()) {
        if (!seen.count(tor)) {
            fail(path, "ToR " + in_quotes(topo.node(tor).name) +
                           " is missing; every ToR must be listed exactly once");
        }
    }
    return order;
}

std::vector<double> matrix_row(const json& j, const std::string& path,
                               const std::vector<std::size_t>& order, const Topology& topo) {
    if (!j.is_array() || j.size() != order.size()) {
        fail(path, "expected a row of " + std::to_string(order.size()) + " probabilities, got " +
                       given(j) + (j.is_array() ? " of " + std::to_string(j.size()) : ""));
    }
    std::vector<double> row(order.size(), 0.0);
    double sum = 0.0;
    for (std::size_t c = 0; c < order.size(); ++c) {
        const double p = number_in(j[c], item(path, c), kNonNegative);
        const NodeId dst = topo.tors()[order[c]];
        if (p > 0.0 && topo.servers_of_tor(dst).empty()) {
            fail(item(path, c), "ToR " + in_quotes(topo.node(dst).name) +
                                    " has no servers, so the probability must be 0, got " +
                                    shown(j[c]));
        }
        row[order[c]] = p;
        sum += p;
    }
    if (std::abs(sum - 1.0) > kProbabilitySlack) {
        fail(path, "row must sum to 1, got " + format_number(sum));
    }
    return row;
}

MatrixPattern read_matrix(const json& j, const std::string& path, const Topology& topo) {
    check_keys(j, path, {"type", "tors", "probability"});
    const std::vector<std::size_t> order =
        matrix_tors(required_field(j, path, "tors"), child(path, "tors"), topo);
    const std::string at = child(path, "probability");
    const json& rows = as_array(required_field(j, path, "probability"), at);
    if (rows.size() != order.size()) {
        fail(at, "expected " + std::to_string(order.size()) + " rows (one per listed ToR), got " +
                     std::to_string(rows.size()));
    }
    MatrixPattern pattern{std::vector<std::vector<double>>(order.size())};
    for (std::size_t r = 0; r < rows.size(); ++r) {
        pattern.tor_probability[order[r]] = matrix_row(rows[r], item(at, r), order, topo);
    }
    return pattern;
}

TrafficPattern read_pattern(const json* j, const std::string& path, const Topology& topo) {
    if (j == nullptr) {
        return UniformPattern{};
    }
    as_object(*j, path);
    const std::string& type = as_string(required_field(*j, path, "type"), child(path, "type"));
    if (type == "uniform") {
        check_keys(*j, path, {"type"});
        return UniformPattern{};
    }
    if (type == "locality") {
        return read_locality(*j, path, topo);
    }
    if (type == "matrix") {
        return read_matrix(*j, path, topo);
    }
    fail(child(path, "type"),
         "unknown pattern type " + in_quotes(type) + "; known types: locality, matrix, uniform");
}

void read_window(const json* j, const std::string& path, TrafficSpec& traffic) {
    const double duration = traffic.duration.value;
    if (j == nullptr) {
        // Default: the middle half, which for the default 200 s is the paper's [50, 150].
        traffic.window_start = Seconds{duration / 4};
        traffic.window_end = Seconds{3 * duration / 4};
        return;
    }
    if (!j->is_array() || j->size() != 2) {
        fail(path, "expected [start, end] in seconds, got " + given(*j));
    }
    const double start = number_in((*j)[0], item(path, 0), kNonNegative);
    const double end = as_number((*j)[1], item(path, 1));
    if (end > duration) {
        fail(item(path, 1),
             "must be <= duration_s (" + format_number(duration) + "), got " + shown((*j)[1]));
    }
    if (start >= end) {
        fail(path, "start must be before end, got " + shown(*j));
    }
    traffic.window_start = Seconds{start};
    traffic.window_end = Seconds{end};
}

}  // namespace

TrafficSpec read_traffic(const json& j, const std::string& path, const Topology& topo,
                         const std::filesystem::path& data_dir) {
    as_object(j, path);
    check_keys(
        j, path,
        {"arrival_rate_per_server", "flow_size_cdf", "pattern", "duration_s", "measure_window_s"});
    TrafficSpec traffic;
    traffic.arrival_rate_per_server = number_at(j, path, "arrival_rate_per_server", kPositive);
    traffic.flow_size =
        read_cdf(required_field(j, path, "flow_size_cdf"), child(path, "flow_size_cdf"), data_dir);
    traffic.pattern = read_pattern(optional_field(j, "pattern"), child(path, "pattern"), topo);
    if (const json* d = optional_field(j, "duration_s")) {
        traffic.duration = Seconds{number_in(*d, child(path, "duration_s"), kPositive)};
    }
    read_window(optional_field(j, "measure_window_s"), child(path, "measure_window_s"), traffic);
    return traffic;
}

}  // namespace swarm::incident_sections
