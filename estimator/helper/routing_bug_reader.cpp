#include "estimator/helper/routing_bug_reader.h"

#include <algorithm>
#include <cmath>

#include "estimator/helper/json_fields.h"
#include "estimator/random.h"
#include "estimator/routing_bug.h"

namespace swarm {

namespace {

using namespace json_fields;

constexpr std::uint64_t kDestinationStream = 0xB06;
constexpr std::uint64_t kNextHopStream = 0xB07;

bool boolean_at(const json& j, const std::string& path, std::string_view key, bool default_value) {
    const json* value = optional_field(j, key);
    if (!value) return default_value;
    if (!value->is_boolean()) fail(child(path, key), "expected a boolean, got " + given(*value));
    return value->get<bool>();
}

double number_or(const json& j, const std::string& path, std::string_view key, double default_value,
                 const Range& range) {
    const json* value = optional_field(j, key);
    return value ? number_in(*value, child(path, key), range) : default_value;
}

std::vector<NodeId> listed_destinations(const json& list, const std::string& path,
                                        const Topology& topo, NodeId node) {
    as_array(list, path);
    if (list.empty()) fail(path, "must list at least one ToR");
    std::vector<NodeId> out;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string at = item(path, i);
        const NodeId tor = switch_ref(list[i], at, topo);
        if (!is_tor(topo, tor))
            fail(at, in_quotes(topo.node(tor).name) + " is not a ToR; destinations are racks");
        if (tor == node) fail(at, in_quotes(topo.node(tor).name) + " is the buggy switch itself");
        if (std::find(out.begin(), out.end(), tor) != out.end()) {
            fail(at, in_quotes(topo.node(tor).name) + " is listed twice");
        }
        out.push_back(tor);
    }
    std::sort(out.begin(), out.end());
    return out;
}

/// round(fraction x eligible ToRs), at least one, drawn without replacement from `seed`.
std::vector<NodeId> drawn_destinations(double fraction, std::uint64_t seed, const Topology& topo,
                                       NodeId node) {
    std::vector<NodeId> eligible;
    for (NodeId tor : topo.tors()) {
        if (tor != node) eligible.push_back(tor);
    }
    const auto count =
        std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(fraction * eligible.size())));
    Rng rng(derive_seed(seed, {kDestinationStream}));
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t j = i + rng.below(static_cast<std::uint32_t>(eligible.size() - i));
        std::swap(eligible[i], eligible[j]);
    }
    eligible.resize(count);
    std::sort(eligible.begin(), eligible.end());
    return eligible;
}

std::vector<NodeId> read_destinations(const json& j, const std::string& path, const Topology& topo,
                                      const RoutingBug& bug) {
    const json* listed = optional_field(j, "destinations");
    const json* fraction = optional_field(j, "destination_fraction");
    if (listed && fraction)
        fail(child(path, "destination_fraction"), "give either \"destinations\" or this, not both");
    if (listed) return listed_destinations(*listed, child(path, "destinations"), topo, bug.node);
    if (!fraction) fail(path, "needs \"destinations\" (ToR names) or \"destination_fraction\"");
    return drawn_destinations(number_in(*fraction, child(path, "destination_fraction"), kFraction),
                              bug.seed, topo, bug.node);
}

std::vector<NodeId> read_next_hops(const json& j, const std::string& path, const Topology& topo,
                                   const RoutingBug& bug) {
    const json* given_action = optional_field(j, "action");
    const std::string action =
        given_action ? as_string(*given_action, child(path, "action")) : "blackhole";
    const json* named = optional_field(j, "next_hop");
    if (action == "blackhole") {
        if (named)
            fail(child(path, "next_hop"), "applies only with \"action\": \"wrong_next_hop\"");
        return {};
    }
    if (action != "wrong_next_hop") {
        fail(child(path, "action"),
             "expected \"blackhole\" or \"wrong_next_hop\", got " + in_quotes(action));
    }
    if (named) {
        const NodeId hop = switch_ref(*named, child(path, "next_hop"), topo);
        const auto& adjacent = topo.adjacent(bug.node);
        if (std::none_of(adjacent.begin(), adjacent.end(),
                         [&](const Topology::Adjacent& a) { return a.node == hop; })) {
            fail(child(path, "next_hop"), in_quotes(topo.node(hop).name) +
                                              " is not a neighbour of " +
                                              in_quotes(topo.node(bug.node).name));
        }
        return std::vector<NodeId>(bug.destinations.size(), hop);
    }
    // §2.5.1: the bug "change[s] the next-hop attribute": a neighbour off the shortest paths.
    Rng rng(derive_seed(bug.seed, {kNextHopStream}));
    std::vector<NodeId> hops;
    for (NodeId tor : bug.destinations) {
        const std::vector<NodeId> wrong = wrong_next_hops(topo, bug.node, tor);
        if (wrong.empty()) {
            fail(child(path, "action"),
                 "every neighbour of " + in_quotes(topo.node(bug.node).name) +
                     " is a shortest-path next hop towards " + in_quotes(topo.node(tor).name) +
                     "; name \"next_hop\" or use \"blackhole\"");
        }
        hops.push_back(wrong[rng.below(static_cast<std::uint32_t>(wrong.size()))]);
    }
    return hops;
}

std::vector<BugEpisode> read_episodes(const json& list, const std::string& path) {
    as_array(list, path);
    if (list.empty()) fail(path, "must list at least one [start_s, end_s]");
    std::vector<BugEpisode> out;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string at = item(path, i);
        if (!list[i].is_array() || list[i].size() != 2)
            fail(at, "expected [start_s, end_s], got " + given(list[i]));
        const double start = number_in(list[i][0], item(at, 0), kNonNegative);
        const double end = number_in(list[i][1], item(at, 1), kPositive);
        if (end <= start) fail(item(at, 1), "must be after the start " + format_number(start));
        out.push_back({start, end});
    }
    return out;
}

void read_timing(const json& j, const std::string& path, RoutingBug& bug) {
    if (const json* listed = optional_field(j, "episodes")) {
        for (std::string_view key : {"start_s", "duration_s", "interarrival_s", "random"}) {
            if (optional_field(j, key))
                fail(child(path, key), "give either \"episodes\" or the episode timing, not both");
        }
        bug.episodes = read_episodes(*listed, child(path, "episodes"));
        return;
    }
    bug.start_s = number_or(j, path, "start_s", 0.0, kNonNegative);
    bug.duration_s = number_or(j, path, "duration_s", 600.0, kPositive);          // §2.5.1
    bug.interarrival_s = number_or(j, path, "interarrival_s", 1.2e6, kPositive);  // §2.5.1
    bug.random = boolean_at(j, path, "random", false);
    if (bug.interarrival_s < bug.duration_s) {
        fail(child(path, "interarrival_s"),
             "must be at least duration_s (" + format_number(bug.duration_s) +
                 "): it is the time from one episode's start to the next");
    }
}

}  // namespace

const std::vector<std::string_view>& routing_bug_keys() {
    static const std::vector<std::string_view> keys{
        "node",    "destinations", "destination_fraction", "action", "next_hop",
        "start_s", "duration_s",   "interarrival_s",       "random", "seed",
        "episodes"};
    return keys;
}

Failure read_routing_bug(const json& j, const std::string& path, const Topology& topo) {
    RoutingBug bug;
    bug.node = switch_ref(required_field(j, path, "node"), child(path, "node"), topo);
    if (const json* seed = optional_field(j, "seed")) {
        bug.seed = static_cast<std::uint64_t>(
            integer_in(*seed, child(path, "seed"), 0, std::int64_t{1} << 53));
    }
    bug.destinations = read_destinations(j, path, topo, bug);
    bug.next_hops = read_next_hops(j, path, topo, bug);
    read_timing(j, path, bug);
    return bug;
}

void check_routing_bug_episodes(const std::vector<Failure>& failures, double horizon_s,
                                const std::string& failures_path) {
    for (std::size_t f = 0; f < failures.size(); ++f) {
        const auto* bug = std::get_if<RoutingBug>(&failures[f]);
        if (!bug ||
            bug_episodes(*bug, horizon_s).size() <= static_cast<std::size_t>(kMaxBugEpisodes))
            continue;
        const std::string at = item(failures_path, f);
        fail(bug->episodes.empty() ? child(at, "interarrival_s") : child(at, "episodes"),
             "gives more than " + std::to_string(kMaxBugEpisodes) + " episodes in the simulated " +
                 format_number(horizon_s) + " s (each is two routing phases)");
    }
}

}  // namespace swarm
