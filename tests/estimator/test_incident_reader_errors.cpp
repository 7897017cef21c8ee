// The incident reader on bad inputs: a table of mutations of the documented example, each
// pinned to the exact JSON path and a key part of the message (docs/incident-format.md,
// "Errors"), and bad texts (duplicate keys, malformed JSON).
#include <cmath>
#include <cstdint>
#include <fstream>
#include <functional>
#include <limits>
#include <random>
#include <sstream>
#include <variant>

#include "incident_reader_test_support.h"

namespace swarm {
namespace {

using namespace reader_test;
using json = nlohmann::json;

// ---- bad inputs: one mutation of the example each
// ---------------------------------------------------

using Mutation = std::function<void(json&)>;

Mutation set(const std::string& pointer, json value) {
    return [pointer, value](json& doc) { doc[json::json_pointer(pointer)] = value; };
}

Mutation set_text(const std::string& pointer, const std::string& value_json) {
    return set(pointer, json::parse(value_json));
}

Mutation erase(const std::string& pointer) {
    return [pointer](json& doc) {
        const json::json_pointer p(pointer);
        doc[p.parent_pointer()].erase(p.back());
    };
}

Mutation with_matrix(Mutation then) {
    return [then](json& doc) {
        doc["traffic"]["pattern"] = matrix_pattern();
        then(doc);
    };
}

Mutation with_explicit(Mutation then) {
    return [then](json& doc) {
        doc = explicit_doc();
        then(doc);
    };
}

struct BadCase {
    std::string name;
    Mutation mutate;
    std::string path;
    std::string message;  ///< must occur in the error message
};

void PrintTo(const BadCase& c, std::ostream* out) { *out << c.name; }

class BadIncident : public testing::TestWithParam<BadCase> {};

TEST_P(BadIncident, ReportsPathAndMessage) {
    const BadCase& c = GetParam();
    json doc = example();
    c.mutate(doc);
    try {
        read(doc);
        FAIL() << "accepted: " << doc.dump();
    } catch (const IncidentError& e) {
        EXPECT_EQ(e.path(), c.path) << e.what();
        EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos) << e.what();
        EXPECT_EQ(std::string(e.what()).rfind(c.path + ": ", 0), 0u) << e.what();
    }
}

const BadCase kBadCases[] = {
    // top level
    {"root_not_object", [](json& d) { d = json::array(); }, "$", "expected an object, got array"},
    {"version_2", set("/version", 2), "$.version", "unsupported version 2"},
    {"version_missing", erase("/version"), "$.version", "required key is missing"},
    {"version_string", set("/version", "1"), "$.version", "unsupported version \"1\""},
    {"name_missing", erase("/name"), "$.name", "required key is missing"},
    {"name_empty", set("/name", ""), "$.name", "must not be empty"},
    {"name_number", set("/name", 7), "$.name", "expected a string, got number 7"},
    {"unknown_top_key", set("/nmae", "x"), "$.nmae",
     "unknown key \"nmae\"; allowed keys: version, name"},
    // topology
    {"topology_missing", erase("/topology"), "$.topology", "required key is missing"},
    {"topology_string", set("/topology", "clos"), "$.topology",
     "expected an object, got string \"clos\""},
    {"topology_empty", set_text("/topology", "{}"), "$.topology",
     "needs either \"clos\" or \"nodes\""},
    {"topology_both_forms", set_text("/topology/nodes", "[]"), "$.topology.nodes",
     "not allowed together with \"clos\""},
    {"clos_unknown_key", set("/topology/clos/pod", 2), "$.topology.clos.pod",
     "unknown key \"pod\""},
    {"clos_pods_zero", set("/topology/clos/pods", 0), "$.topology.clos.pods",
     "must be in [1, 100000], got 0"},
    {"clos_pods_float", set("/topology/clos/pods", 1.5), "$.topology.clos.pods",
     "expected an integer, got number 1.5"},
    {"clos_pods_string", set("/topology/clos/pods", "2"), "$.topology.clos.pods",
     "expected an integer, got string \"2\""},
    {"clos_missing_spines", erase("/topology/clos/spines"), "$.topology.clos.spines",
     "required key is missing"},
    {"clos_no_spines_two_pods", set("/topology/clos/spines", 0), "$.topology.clos.spines",
     "must be at least 1 when pods > 1"},
    {"clos_negative_gbps", set("/topology/clos/link_gbps", -10), "$.topology.clos.link_gbps",
     "must be > 0, got -10"},
    {"clos_zero_gbps", set("/topology/clos/link_gbps", 0), "$.topology.clos.link_gbps",
     "must be > 0, got 0"},
    {"clos_negative_delay", set("/topology/clos/link_delay_us", -1),
     "$.topology.clos.link_delay_us", "must be >= 0, got -1"},
    {"clos_zero_server_gbps", set("/topology/clos/server_link_gbps", 0),
     "$.topology.clos.server_link_gbps", "must be > 0, got 0"},
    {"clos_huge",
     [](json& d) {
         d["topology"]["clos"].update({{"tors_per_pod", 1000}, {"servers_per_tor", 1000}});
     },
     "$.topology.clos", "topology too large: 2002006 nodes"},
    {"clos_one_server",
     [](json& d) {
         d["topology"]["clos"].update({{"pods", 1}, {"tors_per_pod", 1}, {"servers_per_tor", 1}});
         d["failures"] = json::array();
         d["candidates"] = json::parse(R"([{"name":"x"}])");
     },
     "$.topology", "needs at least 2 servers"},
    {"explicit_duplicate_node", with_explicit(set("/topology/nodes/4/name", "s1")),
     "$.topology.nodes[4].name", "duplicate node name \"s1\""},
    {"explicit_servers_on_tier1", with_explicit(set("/topology/nodes/3/servers", 2)),
     "$.topology.nodes[3].servers", "only allowed on tier-0 nodes"},
    {"explicit_negative_tier", with_explicit(set("/topology/nodes/3/tier", -1)),
     "$.topology.nodes[3].tier", "must be in [0, 1000], got -1"},
    {"explicit_link_unknown_node",
     with_explicit(set_text("/topology/links/1/nodes", R"(["s1", "t0-c"])")),
     "$.topology.links[1].nodes[1]", "unknown node \"t0-c\""},
    {"explicit_self_link", with_explicit(set_text("/topology/links/1/nodes", R"(["s1", "s1"])")),
     "$.topology.links[1].nodes", "two different nodes"},
    {"parallel_link_named_without_member", with_explicit([](json& d) {
         d["topology"]["links"][1]["nodes"] = {"s1", "t0-a"};  // a second t0-a -- s1 member
         d["failures"] = json::parse(R"([{"type": "link_down", "link": ["t0-a", "s1"]}])");
     }),
     "$.failures[0].link",
     "2 parallel links join \"t0-a\" and \"s1\"; name one as [\"t0-a\", \"s1\", i] with i in 0..1"},
    {"parallel_link_member_out_of_range", with_explicit([](json& d) {
         d["topology"]["links"][1]["nodes"] = {"s1", "t0-a"};
         d["failures"] = json::parse(R"([{"type": "link_down", "link": ["t0-a", "s1", 2]}])");
     }),
     "$.failures[0].link[2]", "must be in [0, 1], got 2"},
    {"link_loss_bad_direction",
     set_text(
         "/failures/0",
         R"({"type": "link_loss", "link": ["t0-0-0", "t1-0-0"], "drop_rate": 0.1, "direction": "up"})"),
     "$.failures[0].direction", "must be \"both\", \"forward\" or \"reverse\", got \"up\""},
    {"direction_only_on_link_loss",
     set_text("/failures/0",
              R"({"type": "link_down", "link": ["t0-0-0", "t1-0-0"], "direction": "forward"})"),
     "$.failures[0].direction", "unknown key \"direction\" for failure type \"link_down\""},
    {"explicit_negative_gbps", with_explicit(set("/topology/links/0/gbps", -40)),
     "$.topology.links[0].gbps", "must be > 0, got -40"},
    {"explicit_no_gbps_default", with_explicit(erase("/topology/link_gbps")),
     "$.topology.links[1].gbps", "no top-level link_gbps default"},
    {"explicit_no_server_rate", with_explicit([](json& d) {
         d["topology"].erase("link_gbps");
         d["topology"].erase("server_link_gbps");
         for (auto& l : d["topology"]["links"]) {
             l["gbps"] = 10;
         }
     }),
     "$.topology.server_link_gbps", "required key is missing"},
    {"explicit_server_name_clash",
     with_explicit(set_text("/topology/nodes/5", R"({"name": "t0-b-h1", "tier": 1})")),
     "$.topology.nodes[1].servers", "collides"},
    {"explicit_unknown_node_key", with_explicit(set("/topology/nodes/0/severs", 4)),
     "$.topology.nodes[0].severs", "unknown key \"severs\""},
    // routing
    {"routing_bad_mode", set("/routing/mode", "ospf"), "$.routing.mode",
     "must be \"ecmp\" or \"wcmp\", got \"ospf\""},
    {"routing_ecmp_with_weights", set_text("/routing/weights", "[]"), "$.routing.weights",
     "only allowed when mode is \"wcmp\""},
    {"routing_wcmp_without_weights", set("/routing/mode", "wcmp"), "$.routing.weights",
     "required key is missing"},
    {"routing_wcmp_not_neighbour",
     set_text("/routing", R"({"mode":"wcmp","weights":[{"node":"t0-0-0","weights":{"t2-0":1}}]})"),
     "$.routing.weights[0].weights[\"t2-0\"]", "\"t2-0\" is not a neighbour of \"t0-0-0\""},
    {"routing_wcmp_negative",
     set_text("/routing",
              R"({"mode":"wcmp","weights":[{"node":"t0-0-0","weights":{"t1-0-0":-1}}]})"),
     "$.routing.weights[0].weights[\"t1-0-0\"]", "must be >= 0, got -1"},
    {"routing_wcmp_duplicate_node",
     set_text(
         "/routing",
         R"({"mode":"wcmp","weights":[{"node":"t2-0","weights":{"t1-0-0":1}},{"node":"t2-0","weights":{"t1-0-1":1}}]})"),
     "$.routing.weights[1].node", "already has weights at $.routing.weights[0]"},
    // failures
    {"failures_not_array", set_text("/failures", "{}"), "$.failures",
     "expected an array, got object"},
    {"drop_rate_above_one", set("/failures/0/drop_rate", 1.5), "$.failures[0].drop_rate",
     "must be in [0, 1], got 1.5"},
    {"drop_rate_negative", set("/failures/0/drop_rate", -0.1), "$.failures[0].drop_rate",
     "must be in [0, 1], got -0.1"},
    {"drop_rate_string", set("/failures/0/drop_rate", "0.1"), "$.failures[0].drop_rate",
     "expected a number, got string"},
    {"drop_rate_missing", erase("/failures/0/drop_rate"), "$.failures[0].drop_rate",
     "required key is missing"},
    {"failure_unknown_node", set_text("/failures/0/link", R"(["t0-0-0", "t1-9-9"])"),
     "$.failures[0].link[1]", "unknown node \"t1-9-9\""},
    {"failure_missing_link", set_text("/failures/0/link", R"(["t0-0-0", "t0-0-1"])"),
     "$.failures[0].link", "no link between \"t0-0-0\" and \"t0-0-1\""},
    {"failure_link_one_end", set_text("/failures/0/link", R"(["t0-0-0"])"), "$.failures[0].link",
     "expected an array of 2 node names"},
    {"failure_link_node_number", set_text("/failures/0/link", R"(["t0-0-0", 3])"),
     "$.failures[0].link[1]", "expected a string, got number 3"},
    {"failure_unknown_type", set("/failures/0/type", "link_lost"), "$.failures[0].type",
     "unknown failure type \"link_lost\"; known types: link_blackhole, link_capacity, link_down, "
     "link_loss, node_blackhole, node_down, node_loss"},
    {"failure_type_missing", erase("/failures/0/type"), "$.failures[0].type",
     "required key is missing"},
    {"failure_unknown_key", set("/failures/0/rate", 0.1), "$.failures[0].rate",
     "unknown key \"rate\" for failure type \"link_loss\"; allowed keys: type, link, drop_rate"},
    {"capacity_zero",
     set_text("/failures/0", R"({"type":"link_capacity","link":["t0-0-0","t1-0-0"],"fraction":0})"),
     "$.failures[0].fraction", "must be in (0, 1], got 0"},
    {"capacity_negative",
     set_text("/failures/0",
              R"({"type":"link_capacity","link":["t0-0-0","t1-0-0"],"fraction":-0.5})"),
     "$.failures[0].fraction", "must be in (0, 1], got -0.5"},
    {"node_loss_on_server",
     set_text("/failures/0", R"({"type":"node_loss","node":"t0-0-0-h0","drop_rate":0.1})"),
     "$.failures[0].node", "\"t0-0-0-h0\" is a server; expected a switch"},
    {"node_down_unknown", set_text("/failures/0", R"({"type":"node_down","node":"t3-0"})"),
     "$.failures[0].node", "unknown node \"t3-0\""},
    // actions
    {"action_missing_link", set_text("/candidates/1/actions/0/link", R"(["t0-0-0", "t2-0"])"),
     "$.candidates[1].actions[0].link", "no link between \"t0-0-0\" and \"t2-0\""},
    {"action_unknown_type", set("/candidates/1/actions/0/type", "reboot"),
     "$.candidates[1].actions[0].type",
     // The full list, models included, is checked in tests/models/test_model_core.cpp.
     "unknown action type \"reboot\"; known types: "},
    {"action_not_object", set("/candidates/1/actions/0", "disable"), "$.candidates[1].actions[0]",
     "expected an object, got string"},
    {"ongoing_unknown_node",
     set_text("/ongoing_mitigations", R"([{"type":"enable_node","node":"t9"}])"),
     "$.ongoing_mitigations[0].node", "unknown node \"t9\""},
    {"move_same_place",
     set_text("/candidates/1/actions/0",
              R"({"type":"move_traffic","from":"t0-0-0","to":"t0-0-0","fraction":0.5})"),
     "$.candidates[1].actions[0].to", "must differ from \"from\""},
    {"move_from_agg",
     set_text("/candidates/1/actions/0",
              R"({"type":"move_traffic","from":"t1-0-0","to":"t0-0-0","fraction":0.5})"),
     "$.candidates[1].actions[0].from", "\"t1-0-0\" is neither a server nor a ToR"},
    {"move_fraction_zero",
     set_text("/candidates/1/actions/0",
              R"({"type":"move_traffic","from":"t0-0-0","to":"t0-0-1","fraction":0})"),
     "$.candidates[1].actions[0].fraction", "must be in (0, 1], got 0"},
    {"set_wcmp_empty",
     set_text("/candidates/1/actions/0", R"({"type":"set_wcmp","node":"t0-0-0","weights":{}})"),
     "$.candidates[1].actions[0].weights", "at least one neighbour"},
    {"set_wcmp_unknown_neighbour",
     set_text("/candidates/1/actions/0",
              R"({"type":"set_wcmp","node":"t0-0-0","weights":{"t1-7-7":1}})"),
     "$.candidates[1].actions[0].weights[\"t1-7-7\"]", "unknown node \"t1-7-7\""},
    {"disable_node_server",
     set_text("/candidates/1/actions/0", R"({"type":"disable_node","node":"t0-1-0-h2"})"),
     "$.candidates[1].actions[0].node", "is a server"},
    // traffic
    {"traffic_missing", erase("/traffic"), "$.traffic", "required key is missing"},
    {"traffic_unknown_key", set("/traffic/arrival_rate", 5), "$.traffic.arrival_rate",
     "unknown key \"arrival_rate\""},
    {"arrival_zero", set("/traffic/arrival_rate_per_server", 0),
     "$.traffic.arrival_rate_per_server", "must be > 0, got 0"},
    {"arrival_missing", erase("/traffic/arrival_rate_per_server"),
     "$.traffic.arrival_rate_per_server", "required key is missing"},
    {"arrival_bool", set("/traffic/arrival_rate_per_server", true),
     "$.traffic.arrival_rate_per_server", "expected a number, got boolean true"},
    {"cdf_unknown_name", set("/traffic/flow_size_cdf", "websearch"), "$.traffic.flow_size_cdf",
     "unknown flow-size CDF \"websearch\"; available: "},
    {"cdf_lists_names", set("/traffic/flow_size_cdf", "../cdfs/dctcp-websearch"),
     "$.traffic.flow_size_cdf", "dctcp-websearch"},
    {"cdf_non_monotone", set_text("/traffic/flow_size_cdf", "[[0,0],[1000,0.5],[500,1]]"),
     "$.traffic.flow_size_cdf", "bytes must increase"},
    {"cdf_probability_decreases",
     set_text("/traffic/flow_size_cdf", "[[0,0],[1000,0.6],[2000,0.5],[3000,1]]"),
     "$.traffic.flow_size_cdf", "must not decrease"},
    {"cdf_not_ending_at_one", set_text("/traffic/flow_size_cdf", "[[0,0],[1000,0.9]]"),
     "$.traffic.flow_size_cdf", "last probability must be 1"},
    {"cdf_point_not_pair", set_text("/traffic/flow_size_cdf", "[[0,0],[1000]]"),
     "$.traffic.flow_size_cdf[1]", "expected a [bytes, cdf] pair"},
    {"cdf_point_string", set_text("/traffic/flow_size_cdf", R"([[0,0],["1000",1]])"),
     "$.traffic.flow_size_cdf[1][0]", "expected a number, got string"},
    {"cdf_number", set("/traffic/flow_size_cdf", 3), "$.traffic.flow_size_cdf",
     "expected a CDF name (string) or [[bytes, cdf], ...]"},
    {"window_reversed", set_text("/traffic/measure_window_s", "[150, 50]"),
     "$.traffic.measure_window_s", "start must be before end, got [150,50]"},
    {"window_empty", set_text("/traffic/measure_window_s", "[50, 50]"),
     "$.traffic.measure_window_s", "start must be before end"},
    {"window_past_duration", set_text("/traffic/measure_window_s", "[50, 250]"),
     "$.traffic.measure_window_s[1]", "must be <= duration_s (200), got 250"},
    {"window_negative_start", set_text("/traffic/measure_window_s", "[-1, 50]"),
     "$.traffic.measure_window_s[0]", "must be >= 0, got -1"},
    {"window_three_numbers", set_text("/traffic/measure_window_s", "[1, 2, 3]"),
     "$.traffic.measure_window_s", "expected [start, end]"},
    {"duration_zero", set("/traffic/duration_s", 0), "$.traffic.duration_s", "must be > 0, got 0"},
    {"short_duration_default_window", set("/traffic/duration_s", 100),
     "$.traffic.measure_window_s[1]", "must be <= duration_s (100), got 150"},
    // patterns
    {"pattern_unknown_type", set("/traffic/pattern/type", "gravity"), "$.traffic.pattern.type",
     "unknown pattern type \"gravity\"; known types: locality, matrix, uniform"},
    {"pattern_uniform_extra_key", set("/traffic/pattern/same_rack", 0.5),
     "$.traffic.pattern.same_rack", "unknown key \"same_rack\""},
    {"locality_sum",
     set_text("/traffic/pattern",
              R"({"type":"locality","same_rack":0.5,"same_pod":0.3,"other_pod":0.3})"),
     "$.traffic.pattern", "same_rack + same_pod + other_pod must be 1, got 1.1"},
    {"locality_negative",
     set_text("/traffic/pattern",
              R"({"type":"locality","same_rack":1.5,"same_pod":-0.5,"other_pod":0})"),
     "$.traffic.pattern.same_pod", "must be >= 0, got -0.5"},
    {"locality_missing_field",
     set_text("/traffic/pattern", R"({"type":"locality","same_rack":0.5,"same_pod":0.5})"),
     "$.traffic.pattern.other_pod", "required key is missing"},
    {"locality_without_pods",
     with_explicit(
         set_text("/traffic/pattern",
                  R"({"type":"locality","same_rack":0.5,"same_pod":0.3,"other_pod":0.2})")),
     "$.traffic.pattern", "\"t0-b\" has none"},
    {"matrix_missing_tor", with_matrix([](json& d) {
         auto& p = d["traffic"]["pattern"];
         p["tors"].erase(5);
         p["probability"].erase(5);
         for (auto& row : p["probability"]) {
             row.erase(5);
             row[0] = 0.6;
         }
     }),
     "$.traffic.pattern.tors", "ToR \"t0-0-0\" is missing"},
    {"matrix_row_sum", with_matrix(set("/traffic/pattern/probability/2/3", 0.2)),
     "$.traffic.pattern.probability[2]", "row must sum to 1, got 1.1"},
    {"matrix_short_row",
     with_matrix([](json& d) { d["traffic"]["pattern"]["probability"][1].erase(0); }),
     "$.traffic.pattern.probability[1]", "expected a row of 6 probabilities, got array of 5"},
    {"matrix_too_few_rows",
     with_matrix([](json& d) { d["traffic"]["pattern"]["probability"].erase(0); }),
     "$.traffic.pattern.probability", "expected 6 rows (one per listed ToR), got 5"},
    {"matrix_not_a_tor", with_matrix(set("/traffic/pattern/tors/0", "t1-0-0")),
     "$.traffic.pattern.tors[0]", "\"t1-0-0\" is not a ToR"},
    {"matrix_duplicate_tor", with_matrix(set("/traffic/pattern/tors/0", "t0-0-0")),
     "$.traffic.pattern.tors[5]", "\"t0-0-0\" is listed twice (also $.traffic.pattern.tors[0])"},
    {"matrix_negative", with_matrix([](json& d) {
         auto& row = d["traffic"]["pattern"]["probability"][0];
         row[0] = 0.7;
         row[1] = -0.1;
     }),
     "$.traffic.pattern.probability[0][1]", "must be >= 0, got -0.1"},
    {"matrix_unknown_tor", with_matrix(set("/traffic/pattern/tors/2", "t0-5-5")),
     "$.traffic.pattern.tors[2]", "unknown node \"t0-5-5\""},
    {"matrix_to_empty_tor",
     with_explicit(
         set_text("/traffic/pattern", R"({"type":"matrix","tors":["t0-a","t0-b","t0-empty"],
                                                   "probability":[[0.5,0.5,0],[0.5,0.25,0.25],[0.5,0.5,0]]})")),
     "$.traffic.pattern.probability[1][2]", "has no servers"},
    // candidates
    {"zero_candidates", set_text("/candidates", "[]"), "$.candidates", "at least one candidate"},
    {"candidates_object", set_text("/candidates", "{}"), "$.candidates",
     "expected an array, got object"},
    {"duplicate_candidate", set("/candidates/1/name", "no-action"), "$.candidates[1].name",
     "duplicate candidate name \"no-action\" (also $.candidates[0])"},
    {"candidate_empty_name", set("/candidates/0/name", ""), "$.candidates[0].name",
     "must not be empty"},
    {"candidate_unknown_key", set("/candidates/0/action", json::array()), "$.candidates[0].action",
     "unknown key \"action\"; allowed keys: name, description, actions"},
    // comparator
    {"bad_metric", set("/comparator/order/1", "avg_thruput"), "$.comparator.order[1]",
     "unknown metric \"avg_thruput\""},
    {"metric_p100", set("/comparator/order/2", "p100_fct"), "$.comparator.order[2]",
     "unknown metric \"p100_fct\""},
    {"duplicate_metric", set("/comparator/order/2", "p1.0_throughput"), "$.comparator.order[2]",
     "duplicate metric \"p1_throughput\" (also $.comparator.order[0])"},
    {"empty_order", set_text("/comparator/order", "[]"), "$.comparator.order",
     "at least one metric"},
    {"tie_tolerance_one", set("/comparator/tie_tolerance", 1), "$.comparator.tie_tolerance",
     "must be in [0, 1), got 1"},
    {"comparator_unknown_type", set("/comparator/type", "lexicographic"), "$.comparator.type",
     "unknown comparator type \"lexicographic\""},
    {"linear_all_zero", set_text("/comparator", R"({"type":"linear","weights":{"avg_fct":0}})"),
     "$.comparator.weights", "at least one metric with a weight > 0"},
    {"linear_negative", set_text("/comparator", R"({"type":"linear","weights":{"p99.9_fct":-1}})"),
     "$.comparator.weights[\"p99.9_fct\"]", "must be >= 0, got -1"},
    {"linear_bad_metric",
     set_text("/comparator", R"({"type":"linear","weights":{"p99_latency":1}})"),
     "$.comparator.weights.p99_latency", "unknown metric"},
    {"linear_with_order",
     set_text("/comparator", R"({"type":"linear","weights":{"avg_fct":1},"order":[]})"),
     "$.comparator.order", "unknown key \"order\""},
    // estimator
    {"confidence_one", set("/estimator/confidence", 1), "$.estimator.confidence",
     "must be in (0, 1), got 1"},
    {"epsilon_zero", set("/estimator/epsilon", 0), "$.estimator.epsilon",
     "must be in (0, 1), got 0"},
    {"epoch_negative", set("/estimator/epoch_ms", -200), "$.estimator.epoch_ms",
     "must be > 0, got -200"},
    {"short_flow_zero", set("/estimator/short_flow_bytes", 0), "$.estimator.short_flow_bytes",
     "must be > 0, got 0"},
    {"seed_negative", set("/estimator/seed", -1), "$.estimator.seed",
     "expected a non-negative integer, got number -1"},
    {"seed_float", set("/estimator/seed", 1.5), "$.estimator.seed",
     "expected a non-negative integer, got number 1.5"},
    {"samples_zero", set("/estimator/traffic_samples", 0), "$.estimator.traffic_samples",
     "must be in [1, 2147483647], got 0"},
    {"samples_huge", set("/estimator/routing_samples", 1e12), "$.estimator.routing_samples",
     "expected an integer"},
    {"estimator_unknown_key", set("/estimator/confidance", 0.9), "$.estimator.confidance",
     "unknown key \"confidance\"; allowed keys: confidence"},
    {"number_nan", set("/estimator/confidence", std::nan("")), "$.estimator.confidence",
     "must be finite"},
    {"number_infinite",
     set("/traffic/arrival_rate_per_server", std::numeric_limits<double>::infinity()),
     "$.traffic.arrival_rate_per_server", "must be finite"},
};

INSTANTIATE_TEST_SUITE_P(Table, BadIncident, testing::ValuesIn(kBadCases),
                         [](const testing::TestParamInfo<BadCase>& info) {
                             return info.param.name;
                         });

// ---- bad text
// ------------------------------------------------------------------------------------

struct BadText {
    std::string name;
    std::string text;
    std::string path;
    std::string message;
};

void PrintTo(const BadText& c, std::ostream* out) { *out << c.name; }

class BadIncidentText : public testing::TestWithParam<BadText> {};

TEST_P(BadIncidentText, ReportsPathAndMessage) {
    const BadText& c = GetParam();
    try {
        read_incident_text(c.text, kDataDir, builtin_models());
        FAIL() << "accepted: " << c.text;
    } catch (const IncidentError& e) {
        EXPECT_EQ(e.path(), c.path) << e.what();
        EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos) << e.what();
    }
}

std::string example_with(const std::string& from, const std::string& to) {
    std::string text = kExample;
    text.replace(text.find(from), from.size(), to);
    return text;
}

const BadText kBadTexts[] = {
    {"empty", "", "$", "malformed JSON at byte 1"},
    {"truncated", std::string(kExample).substr(0, 100), "$", "malformed JSON at byte"},
    {"trailing_comma", example_with("\"seed\": 1}", "\"seed\": 1,}"), "$", "malformed JSON"},
    {"garbage", "{\"version\": 1} trailing", "$", "malformed JSON at byte 18"},
    {"comment", "// hi\n{}", "$", "malformed JSON"},
    {"invalid_utf8", "{\"name\": \"\xff\"}", "$", "malformed JSON"},
    {"bare_number", "42", "$", "expected an object, got number 42"},
    {"duplicate_key",
     example_with("\"drop_rate\": 0.0001", "\"drop_rate\": 0.0001, \"drop_rate\": 0.5"),
     "$.failures[0].drop_rate", "duplicate key \"drop_rate\""},
    {"duplicate_top_key", example_with("\"version\": 1,", "\"version\": 1, \"version\": 1,"),
     "$.version", "duplicate key"},
    {"duplicate_key_in_nested_array",
     example_with("\"actions\": []", "\"actions\": [{\"type\": \"x\", \"type\": \"y\"}]"),
     "$.candidates[0].actions[0].type", "duplicate key"},
};

INSTANTIATE_TEST_SUITE_P(Table, BadIncidentText, testing::ValuesIn(kBadTexts),
                         [](const testing::TestParamInfo<BadText>& info) {
                             return info.param.name;
                         });

TEST(IncidentReader, SameKeyInSiblingObjectsIsFine) {
    EXPECT_NO_THROW(read_incident_text(kExample, kDataDir, builtin_models()));
}

// ---- robustness: truncations and byte flips never crash, only IncidentError
// ------------------------

TEST(IncidentReader, MangledTextOnlyEverThrowsIncidentError) {
    const std::string text = kExample;
    std::mt19937 rng(12345);
    const std::string alphabet = "{}[]\":,0123456789-.eE tnfrua\\\x01\xff";
    for (int round = 0; round < 400; ++round) {
        std::string mangled = text.substr(0, rng() % (text.size() + 1));
        if (round % 2 == 1) {
            mangled = text;
            for (int flips = 0; flips < 3; ++flips) {
                mangled[rng() % mangled.size()] = alphabet[rng() % alphabet.size()];
            }
        }
        try {
            read_incident_text(mangled, kDataDir, builtin_models());
        } catch (const IncidentError&) {
        } catch (const std::exception& e) {
            FAIL() << "non-IncidentError " << e.what() << " for: " << mangled;
        }
    }
}

TEST(IncidentReader, EveryValueReplacedByEveryTypeOnlyEverThrowsIncidentError) {
    const json base = example();
    const json flat = base.flatten();
    const json replacements[] = {nullptr,
                                 true,
                                 -1,
                                 0,
                                 1e300,
                                 "t0-0-0",
                                 json::array(),
                                 json::object(),
                                 json::parse(R"(["t0-0-0", "t1-0-0"])")};
    for (const auto& [pointer, value] : flat.items()) {
        for (const json& replacement : replacements) {
            json doc = base;
            doc[json::json_pointer(pointer)] = replacement;
            try {
                read(doc);
            } catch (const IncidentError& e) {
                EXPECT_EQ(e.path().rfind("$", 0), 0u);
            } catch (const std::exception& e) {
                FAIL() << "non-IncidentError " << e.what() << " at " << pointer;
            }
        }
    }
}

// ---- shipped files
// ------------------------------------------------------------------------------------

TEST(IncidentSchema, IsDraft202012AndCoversTheTopLevelKeys) {
    std::ifstream in(kDataDir / "schema" / "incident.schema.json");
    ASSERT_TRUE(in.good());
    const json schema = json::parse(in);
    EXPECT_EQ(schema.at("$schema"), "https://json-schema.org/draft/2020-12/schema");
    const json doc = example();
    for (const auto& [key, value] : doc.items()) {
        EXPECT_TRUE(schema.at("properties").contains(key)) << key;
    }
    EXPECT_EQ(schema.at("additionalProperties"), false);
}

}  // namespace
}  // namespace swarm
