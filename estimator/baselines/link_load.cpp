#include "estimator/baselines/link_load.h"

#include <unordered_map>

#include "estimator/demand.h"
#include "estimator/flow_size_cdf_library.h"

namespace swarm::baselines {

namespace {

// The MTU only shapes base RTTs, which the load computation never reads.
constexpr double kMtuBytes = 1500.0;

using Matrix = std::vector<std::vector<double>>;

std::size_t at(std::int32_t i) { return static_cast<std::size_t>(i); }

/// ToR index (in Topology::tors()) of every server.
std::vector<std::size_t> server_tor_indices(const Topology& topo) {
    std::unordered_map<NodeId, std::size_t> index;
    for (std::size_t t = 0; t < topo.tors().size(); ++t) index[topo.tors()[t]] = t;
    std::vector<std::size_t> result;
    for (NodeId s : topo.servers()) result.push_back(index.at(topo.node(s).tor));
    return result;
}

/// Origin ToR pair flow rates: R(i, j) = servers(i) x arrival rate x P(i -> j), flows/s.
Matrix origin_flow_rates(const Incident& incident) {
    const Topology& topo = incident.topology;
    const DemandSampler sampler(topo, incident.traffic);
    const std::size_t tors = topo.tors().size();
    Matrix rate(tors, std::vector<double>(tors, 0.0));
    for (std::size_t i = 0; i < tors; ++i) {
        const double senders = static_cast<double>(topo.servers_of_tor(topo.tors()[i]).size());
        for (std::size_t j = 0; j < tors; ++j) {
            rate[i][j] =
                senders * incident.traffic.arrival_rate_per_server * sampler.tor_probability(i, j);
        }
    }
    return rate;
}

/// Applies the demand moves, in order, to a distribution of one endpoint over servers, the way
/// DemandEditor moves each endpoint: a fraction of the mass on `from` spreads evenly over `to`.
void apply_moves(const std::vector<DemandMove>& moves, std::vector<double>& mass) {
    for (const DemandMove& move : moves) {
        double moved = 0.0;
        for (std::int32_t s : move.from_servers) {
            moved += move.fraction * mass[at(s)];
            mass[at(s)] -= move.fraction * mass[at(s)];
        }
        const double share = moved / static_cast<double>(move.to_servers.size());
        for (std::int32_t s : move.to_servers) mass[at(s)] += share;
    }
}

/// Where an endpoint that started on a uniform server of each ToR ends up after the demand
/// moves: per origin ToR, the distribution over servers. The source of a flow is uniform among
/// the servers of its ToR; so is the destination, save that it is never the source itself (a
/// same-rack correction this ToR-level model leaves out).
Matrix endpoint_server_distribution(const Topology& topo, const std::vector<DemandMove>& moves) {
    Matrix dist;
    for (NodeId tor : topo.tors()) {
        std::vector<double> mass(topo.servers().size(), 0.0);
        const auto& below = topo.servers_of_tor(tor);
        for (std::int32_t s : below) mass[at(s)] = 1.0 / static_cast<double>(below.size());
        apply_moves(moves, mass);
        dist.push_back(std::move(mass));
    }
    return dist;
}

/// Q(i, t): probability that an endpoint from origin ToR i ends up below ToR t.
Matrix to_tor_level(const Matrix& server_dist, const std::vector<std::size_t>& server_tor,
                    std::size_t tors) {
    Matrix q(server_dist.size(), std::vector<double>(tors, 0.0));
    for (std::size_t i = 0; i < server_dist.size(); ++i) {
        for (std::size_t s = 0; s < server_tor.size(); ++s)
            q[i][server_tor[s]] += server_dist[i][s];
    }
    return q;
}

/// Final ToR pair flow rates: L = Q^T R Q (both ends move independently, as in DemandEditor).
Matrix moved_flow_rates(const Matrix& origin, const Matrix& q) {
    const std::size_t n = origin.size();
    Matrix left(n, std::vector<double>(n, 0.0));  // left(a, j) = sum_i Q(i, a) R(i, j)
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t a = 0; a < n; ++a)
            if (q[i][a] != 0.0)
                for (std::size_t j = 0; j < n; ++j) left[a][j] += q[i][a] * origin[i][j];
    Matrix result(n, std::vector<double>(n, 0.0));
    for (std::size_t a = 0; a < n; ++a)
        for (std::size_t j = 0; j < n; ++j)
            if (left[a][j] != 0.0)
                for (std::size_t b = 0; b < n; ++b) result[a][b] += left[a][j] * q[j][b];
    return result;
}

void add_pair_load(const Topology& topo, const Routing& routing, NodeId src, NodeId dst, double bps,
                   LinkLoad& load) {
    for (const auto& [switches, probability] : routing.enumerate_paths(src, dst)) {
        for (std::size_t h = 0; h + 1 < switches.size(); ++h) {
            const LinkId link = *topo.find_link(switches[h], switches[h + 1]);
            load.channel_bps[at(topo.channel(link, switches[h]))] += bps * probability;
        }
    }
}

void note_unroutable(LinkLoad& load, double bps, const std::string& why) {
    if (!load.unroutable_reason) load.unroutable_reason = why;
    load.unroutable_bps += bps;
}

/// Switch-level part: every ToR pair with demand, over its routed paths.
void add_fabric_load(const Topology& topo, const Routing& routing, const Matrix& flows,
                     double bits_per_flow, LinkLoad& load) {
    const auto& tors = topo.tors();
    for (std::size_t a = 0; a < tors.size(); ++a) {
        for (std::size_t b = 0; b < tors.size(); ++b) {
            const double bps = flows[a][b] * bits_per_flow;
            if (a == b || bps <= 0.0) continue;  // same-rack traffic never leaves the ToR
            if (!routing.tors_connected(tors[a], tors[b])) {
                note_unroutable(
                    load, bps,
                    topo.node(tors[a]).name + " cannot reach " + topo.node(tors[b]).name);
                continue;
            }
            add_pair_load(topo, routing, tors[a], tors[b], bps, load);
        }
    }
}

/// Server links: each server sends what its (moved) sources send and receives what its
/// (moved) destinations receive. A server with demand behind an unusable link or ToR is cut off.
void add_server_load(const Topology& topo, const NetworkState& state, const Matrix& origin,
                     const Matrix& server_dist, double bits_per_flow, LinkLoad& load) {
    const std::size_t tors = origin.size();
    std::vector<double> sent(topo.servers().size(), 0.0);
    std::vector<double> received(topo.servers().size(), 0.0);
    for (std::size_t i = 0; i < tors; ++i) {
        double out = 0.0;
        double in = 0.0;
        for (std::size_t j = 0; j < tors; ++j) {
            out += origin[i][j];
            in += origin[j][i];
        }
        for (std::size_t s = 0; s < sent.size(); ++s) {
            sent[s] += out * server_dist[i][s];
            received[s] += in * server_dist[i][s];
        }
    }
    for (std::size_t s = 0; s < sent.size(); ++s) {
        const auto index = static_cast<std::int32_t>(s);
        const NodeId server = topo.servers()[s];
        const LinkId link = topo.server_link(index);
        const double up = sent[s] * bits_per_flow;
        const double down = received[s] * bits_per_flow;
        if (!state.link_usable(link) || !state.node_usable(topo.node(server).tor)) {
            if (up + down > 0.0)
                note_unroutable(load, up + down,
                                "server " + topo.node(server).name + " is cut off");
            continue;
        }
        load.channel_bps[at(topo.channel(link, server))] += up;
        load.channel_bps[at(topo.channel(link, topo.node(server).tor))] += down;
    }
}

}  // namespace

CandidateNetwork build_candidate_network(const Incident& incident,
                                         const std::vector<Action>& actions) {
    CandidateNetwork network;
    network.state = std::make_unique<NetworkState>(incident.topology);
    NetworkState& state = *network.state;
    for (const SetWcmp& w : incident.routing.wcmp) state.apply_wcmp(w);
    for (const Failure& f : incident.failures) state.apply(f);
    for (const Action& a : incident.ongoing_mitigations) state.apply(a);
    for (const Action& a : actions) state.apply(a);
    network.problem = state.finalize_demand_moves();
    network.routing = std::make_unique<Routing>(state, kMtuBytes);
    return network;
}

LinkLoad expected_link_load(const Incident& incident, const CandidateNetwork& network) {
    const Topology& topo = incident.topology;
    const double bits_per_flow = 8.0 * FlowSizeSampler(incident.traffic.flow_size).mean();
    const std::vector<std::size_t> server_tor = server_tor_indices(topo);
    const Matrix origin = origin_flow_rates(incident);
    const Matrix server_dist = endpoint_server_distribution(topo, network.state->demand_moves());
    const Matrix flows =
        moved_flow_rates(origin, to_tor_level(server_dist, server_tor, topo.tors().size()));

    LinkLoad load;
    load.channel_bps.assign(topo.channel_count(), 0.0);
    add_fabric_load(topo, *network.routing, flows, bits_per_flow, load);
    add_server_load(topo, *network.state, origin, server_dist, bits_per_flow, load);
    return load;
}

PeakUtilisation max_utilisation(const LinkLoad& load, const NetworkState& state,
                                std::span<const char> ignore_link) {
    PeakUtilisation peak;
    const std::size_t links = state.topology().link_count();
    for (std::size_t l = 0; l < links; ++l) {
        const auto link = static_cast<LinkId>(l);
        if (!state.link_usable(link) || (l < ignore_link.size() && ignore_link[l])) continue;
        for (std::size_t c = 2 * l; c < 2 * l + 2; ++c) {
            const double utilisation = load.channel_bps[c] / state.link_capacity_bps(link);
            if (peak.channel < 0 || utilisation > peak.utilisation) {
                peak = {utilisation, static_cast<ChannelId>(c)};
            }
        }
    }
    return peak;
}

}  // namespace swarm::baselines
