#include "tools/truth/truth_run.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "estimator/clp_statistics.h"
#include "estimator/comparator.h"
#include "estimator/demand.h"
#include "estimator/epoch_simulator.h"
#include "estimator/helper/ranking_json.h"
#include "estimator/network_state.h"
#include "estimator/random.h"
#include "estimator/routing.h"
#include "tools/tables/ns3/runner.h"

namespace swarm::truth {

namespace {

constexpr double kMtuBytes = 1500.0;  // the tables' MTU (docs/tables.md), for Routing's RTTs
/// Every measured flow is followed until it finishes or this much simulated time has passed
/// (then it is censored: a long flow reports the rate it achieved, a short flow the time so far,
/// a lower bound). The estimator censors long flows at 2 x duration, a budget choice; the truth
/// wants each flow's lifetime: with a 1 s SYN timeout a long flow whose SYN is lost would
/// otherwise read as 0 b/s in a 0.2 s horizon. 30 s covers a SYN and several backed-off data
/// timeouts; the flows still running by then are the slow ones, so following them costs little.
constexpr double kHorizonS = 30.0;

NetworkState network_state(const Incident& incident, const std::vector<Action>* actions) {
    NetworkState state(incident.topology);
    for (const SetWcmp& w : incident.routing.wcmp) state.apply_wcmp(w);
    if (actions == nullptr) return state;
    for (const Failure& f : incident.failures) state.apply(f);
    for (const Action& a : incident.ongoing_mitigations) state.apply(a);
    for (const Action& a : *actions) state.apply(a);
    return state;
}

SimNetwork sim_network(const NetworkState& state) {
    const Topology& topo = state.topology();
    SimNetwork net;
    net.node_count = static_cast<std::int32_t>(topo.node_count());
    for (std::size_t n = 0; n < topo.node_count(); ++n) {
        net.node_drop_rate.push_back(state.node_drop_rate(static_cast<NodeId>(n)));
    }
    for (std::size_t l = 0; l < topo.link_count(); ++l) {
        const auto id = static_cast<LinkId>(l);
        const Link& link = topo.link(id);
        if (!state.link_usable(id) || !state.node_usable(link.a) || !state.node_usable(link.b))
            continue;
        net.links.push_back({link.a, link.b, state.link_capacity_bps(id), link.delay.value,
                             state.link_drop_rate(id)});
    }
    return net;
}

nlohmann::json to_line(const SliceOutcome& o) {
    return {{"connected", o.connected},
            {"reason", o.reason},
            {"long", o.long_throughput_bps},
            {"short", o.short_fct_s},
            {"censored", o.censored},
            {"unroutable", o.unroutable},
            {"unrouted_packets", o.unrouted_packets},
            {"events", o.events},
            {"wall_s", o.wall_s}};
}

SliceOutcome from_line(const std::string& line) {
    const nlohmann::json j = nlohmann::json::parse(line);
    SliceOutcome o;
    o.connected = j.at("connected").get<bool>();
    o.reason = j.at("reason").get<std::string>();
    o.long_throughput_bps = j.at("long").get<std::vector<double>>();
    o.short_fct_s = j.at("short").get<std::vector<double>>();
    o.censored = j.at("censored").get<std::size_t>();
    o.unroutable = j.at("unroutable").get<std::size_t>();
    o.unrouted_packets = j.at("unrouted_packets").get<std::uint64_t>();
    o.events = j.at("events").get<std::uint64_t>();
    o.wall_s = j.at("wall_s").get<double>();
    return o;
}

std::string settings_key(const TruthOptions& o, std::uint64_t seed) {
    const auto& t = o.tcp;
    return ns3common::cc_name(t.cc) + ",scale=" + std::to_string(o.scale) +
           ",buf=" + std::to_string(t.buffer_packets) + ",rto=" + std::to_string(t.min_rto_s) +
           ",syn=" + std::to_string(t.syn_rto_s) + ",seed=" + std::to_string(seed);
}

}  // namespace

ns3common::TcpSettings truth_tcp_settings(ns3common::CongestionControl cc) {
    ns3common::TcpSettings t;
    t.cc = cc;
    t.buffer_packets = 1000;
    return t;
}

SliceInput build_slice(const Incident& incident, const std::vector<Action>* actions, int slice,
                       std::uint64_t seed) {
    SliceInput in;
    NetworkState state = network_state(incident, actions);
    if (auto why_not = state.finalize_demand_moves()) {
        in.connected = false;
        in.reason = std::move(*why_not);
        return in;
    }
    const Routing routing(state, kMtuBytes);
    const Topology& topo = incident.topology;
    const DemandEditor editor(state.demand_moves(), topo.servers().size(),
                              derive_seed(seed, {kDemandEditStream}));
    const auto s = static_cast<std::uint64_t>(slice);
    const DemandSample demand =
        DemandSampler(topo, incident.traffic).sample(derive_seed(seed, {kTrafficStream, s}));
    const std::uint64_t routing_seed = derive_seed(seed, {kRoutingStream, s, 0});
    in.network = sim_network(state);
    const TrafficSpec& traffic = incident.traffic;
    std::vector<ChannelId> channels;
    // As EpochSimulator::admit: demand edits, then each flow's path from its own routing stream
    // derive_seed(routing seed, {flow}), so the same flows take the same paths as in the
    // estimator's (slice, 0) sample.
    for (std::size_t f = 0; f < demand.size(); ++f) {
        std::int32_t src = demand.src[f];
        std::int32_t dst = demand.dst[f];
        if (!editor.empty()) {
            src = editor.apply(src, f, 0);
            dst = editor.apply(dst, f, 1);
            if (src == dst) continue;
        }
        const double arrival = demand.arrival_s[f];
        const bool measured =
            arrival >= traffic.window_start.value && arrival < traffic.window_end.value;
        if (!routing.reachable(src, dst)) {
            in.unroutable_measured += measured ? 1 : 0;
            continue;
        }
        channels.clear();
        Rng path_rng(derive_seed(routing_seed, {f}));
        routing.sample_path(src, dst, path_rng, channels);
        SimFlow flow;
        NodeId at = topo.servers()[static_cast<std::size_t>(src)];
        flow.path.push_back(at);
        for (ChannelId c : channels) {
            const Link& link = topo.link(c / 2);
            at = (c % 2 == 0) ? link.b : link.a;
            flow.path.push_back(at);
        }
        flow.start_s = arrival;
        flow.bytes = static_cast<std::uint64_t>(std::max(1.0, std::ceil(demand.size_bytes[f])));
        flow.measured = measured;
        in.is_long.push_back(demand.size_bytes[f] > incident.estimator.short_flow_threshold.value);
        in.flows.push_back(std::move(flow));
    }
    if (in.unroutable_measured > 0) {
        in.connected = false;
        in.reason = std::to_string(in.unroutable_measured) + " measured flows have no usable path";
    }
    return in;
}

SliceOutcome run_slice(const Incident& incident, const std::vector<Action>* actions, int slice,
                       std::uint64_t seed, const TruthOptions& options) {
    const SliceInput in = build_slice(incident, actions, slice, seed);
    SliceOutcome out;
    out.connected = in.connected;
    out.reason = in.reason;
    out.unroutable = in.unroutable_measured;
    if (!in.connected) return out;
    SimSettings settings;
    settings.tcp = options.tcp;
    settings.time_scale = options.scale;
    settings.horizon_s = std::max(kHorizonS, 2.0 * incident.traffic.duration.value);
    settings.seed = 1;
    settings.run = static_cast<std::uint64_t>(slice) + 1;  // the error models' streams: per slice
    const SimResult sim = simulate(in.network, in.flows, settings);
    out.unrouted_packets = sim.unrouted_packets;
    out.events = sim.events;
    out.wall_s = sim.wall_s;
    for (std::size_t f = 0; f < in.flows.size(); ++f) {
        const SimFlow& flow = in.flows[f];
        if (!flow.measured) continue;
        const SimFlowResult& r = sim.flows[f];
        // Receiver-side completion from the sender's connect() (handshake included).
        const bool done = r.finish_s >= 0.0;
        out.censored += done ? 0 : 1;
        const double elapsed = (done ? r.finish_s : sim.end_s) - flow.start_s;
        if (in.is_long[f]) {
            const double bits = 8.0 * static_cast<double>(done ? flow.bytes : r.bytes_received);
            out.long_throughput_bps.push_back(elapsed > 0.0 ? bits / elapsed : 0.0);
        } else {
            out.short_fct_s.push_back(elapsed);  // unfinished: a lower bound
        }
    }
    return out;
}

nlohmann::json run_truth(const Incident& incident, const TruthOptions& options) {
    if (options.slices < 1) throw std::invalid_argument("slices must be at least 1");
    if (!(options.scale >= 1.0)) throw std::invalid_argument("scale must be at least 1");
    const std::uint64_t seed = options.seed.value_or(incident.estimator.seed);

    // Scenarios: healthy (optional) then the requested candidates in input order.
    struct Scenario {
        std::string name;
        const std::vector<Action>* actions;
    };
    std::vector<Scenario> scenarios;
    if (options.healthy) scenarios.push_back({"(healthy)", nullptr});
    for (const Candidate& c : incident.candidates) {
        const bool wanted = options.candidates.empty() ||
                            std::find(options.candidates.begin(), options.candidates.end(),
                                      c.name) != options.candidates.end();
        if (!wanted) continue;
        for (const std::vector<Action>* list : {&incident.ongoing_mitigations, &c.actions}) {
            for (const Action& a : *list) {
                if (const auto* m = std::get_if<ModelAction>(&a)) {
                    throw std::invalid_argument(
                        "candidate '" + c.name + "' uses mitigation model '" + m->type +
                        "': the ground-truth runner simulates classic actions only");
                }
            }
        }
        scenarios.push_back({c.name, &c.actions});
    }
    for (const std::string& name : options.candidates) {
        const bool known = std::any_of(incident.candidates.begin(), incident.candidates.end(),
                                       [&](const Candidate& c) { return c.name == name; });
        if (!known)
            throw std::invalid_argument("unknown candidate '" + name + "' in incident " +
                                        incident.name);
    }

    std::vector<ns3tables::Job> jobs;
    const std::string prefix = incident.name + "|" + settings_key(options, seed) + "|";
    for (const Scenario& sc : scenarios) {
        for (int s = 0; s < options.slices; ++s) {
            jobs.push_back(
                {prefix + sc.name + "|" + std::to_string(s), [&incident, &options, sc, s, seed] {
                     return to_line(run_slice(incident, sc.actions, s, seed, options)).dump();
                 }});
        }
    }
    ns3tables::ResultCache cache(options.cache);
    ns3tables::run_jobs(jobs, options.jobs, cache, "truth " + incident.name);

    const std::vector<Metric> metrics = metrics_to_report(incident.comparator);
    const double confidence = incident.estimator.confidence;
    std::vector<MetricEstimates> estimates;
    std::vector<char> eligible;
    std::vector<std::string> names;
    std::vector<std::string> reasons;
    MetricEstimates healthy;
    nlohmann::json details = nlohmann::json::object();
    for (std::size_t i = 0; i < scenarios.size(); ++i) {
        FlowOutcomes pooled;
        std::vector<std::vector<double>> per_slice;
        SliceOutcome total;
        std::uint64_t events = 0;
        double wall = 0.0;
        for (int s = 0; s < options.slices; ++s) {
            const SliceOutcome o =
                from_line(cache.get(prefix + scenarios[i].name + "|" + std::to_string(s)));
            if (!o.connected) {
                total.connected = false;
                total.reason = o.reason;
                continue;
            }
            FlowOutcomes slice;
            slice.long_throughput_bps = o.long_throughput_bps;
            slice.short_fct_s = o.short_fct_s;
            per_slice.push_back(sample_metrics(slice, metrics));
            pooled.long_throughput_bps.insert(pooled.long_throughput_bps.end(),
                                              o.long_throughput_bps.begin(),
                                              o.long_throughput_bps.end());
            pooled.short_fct_s.insert(pooled.short_fct_s.end(), o.short_fct_s.begin(),
                                      o.short_fct_s.end());
            total.censored += o.censored;
            total.unrouted_packets += o.unrouted_packets;
            events += o.events;
            wall += o.wall_s;
        }
        MetricEstimates est;
        nlohmann::json pooled_json = nlohmann::json::object();
        if (total.connected) {
            for (std::size_t m = 0; m < metrics.size(); ++m) {
                std::vector<double> column;
                for (const auto& row : per_slice) column.push_back(row[m]);
                est.emplace_back(metrics[m], summarise_composite(column, confidence));
            }
            const std::vector<double> all = sample_metrics(pooled, metrics);
            for (std::size_t m = 0; m < metrics.size(); ++m)
                pooled_json[metric_json_name(metrics[m])] = all[m];
        }
        details[scenarios[i].name] = {{"connected", total.connected},
                                      {"reason", total.reason},
                                      {"long_flows", pooled.long_throughput_bps.size()},
                                      {"short_flows", pooled.short_fct_s.size()},
                                      {"censored", total.censored},
                                      {"unrouted_packets", total.unrouted_packets},
                                      {"pooled", pooled_json},
                                      {"ns3_events", events},
                                      {"wall_s", wall}};
        if (scenarios[i].actions == nullptr) {
            healthy = est;
            continue;
        }
        estimates.push_back(est);
        eligible.push_back(total.connected);
        names.push_back(scenarios[i].name);
        reasons.push_back(total.reason);
    }

    Ranking ranking;
    ranking.incident = incident.name;
    ranking.healthy = healthy;
    for (const std::size_t c :
         order_candidates(incident.comparator, estimates, healthy, eligible)) {
        CandidateResult entry;
        entry.candidate = names[c];
        entry.rank = static_cast<int>(ranking.ranking.size()) + 1;
        entry.connected = eligible[c] != 0;
        entry.reason = reasons[c];
        entry.metrics = estimates[c];
        const auto& d = details[names[c]];
        const double measured = d["long_flows"].get<double>() + d["short_flows"].get<double>();
        entry.censored_fraction = measured > 0 ? d["censored"].get<double>() / measured : 0.0;
        ranking.ranking.push_back(std::move(entry));
    }
    ranking.traffic_samples = options.slices;
    ranking.routing_samples = 1;
    ranking.confidence = confidence;
    ranking.seed = seed;
    ranking.tables = "ns-3 ground truth (" + ns3common::cc_name(options.tcp.cc) + ")";
    ranking.version = SWARM_VERSION;
    nlohmann::json doc = to_json(ranking);
    const auto& t = options.tcp;
    doc["ground_truth"] = {
        {"simulator", "ns-3.37 (Debian libns3-dev), packet level"},
        {"scale", options.scale},
        {"slices", options.slices},
        {"cc", ns3common::cc_name(t.cc)},
        {"buffer_packets", t.buffer_packets},
        {"min_rto_s", t.min_rto_s},
        {"syn_rto_s", t.syn_rto_s},
        {"initial_cwnd", t.initial_cwnd},
        {"mss_bytes", t.mss_bytes},
        {"horizon_s", std::max(kHorizonS, 2.0 * incident.traffic.duration.value)},
        {"candidates", details}};
    return doc;
}

}  // namespace swarm::truth
