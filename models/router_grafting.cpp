#include "models/router_grafting.h"

#include <algorithm>
#include <deque>
#include <memory>
#include <utility>

#include "estimator/helper/json_fields.h"
#include "estimator/mitigation/model_registry.h"
#include "estimator/random.h"
#include "estimator/routing.h"
#include "estimator/transport_mix.h"

namespace swarm {

namespace {

using json_fields::format_number;
using json_fields::in_quotes;

/// The tunnel's own draws (which equal-cost segment a flow's packets take from A to B), per
/// flow: derived from the flow's path seed, so every candidate tunnels a flow the same way.
constexpr std::uint64_t kTunnelStream = 0x7475'6e6e'656c;  // "tunnel"

/// Hop distances to `to` (by NodeId, -1 = unreachable) over usable switches and links,
/// avoiding `peer`: the switches A's tunnel may cross towards B. A BGP fabric is valley-free,
/// so ToRs are transit only when nothing else joins A and B (docs/models/router-grafting.md §2).
std::vector<int> tunnel_distances(const NetworkState& state, NodeId peer, NodeId from, NodeId to) {
    const Topology& topo = state.topology();
    std::vector<int> distance;
    for (const bool via_tors : {false, true}) {
        distance.assign(topo.node_count(), -1);
        distance[static_cast<std::size_t>(to)] = 0;
        std::deque<NodeId> queue{to};
        while (!queue.empty()) {
            const NodeId node = queue.front();
            queue.pop_front();
            for (const auto& [next, link] : topo.adjacent(node)) {
                const Node& n = topo.node(next);
                if (distance[static_cast<std::size_t>(next)] >= 0 || next == peer ||
                    n.kind != NodeKind::Switch)
                    continue;
                if (!via_tors && n.tier == 0 && next != from) continue;
                if (!state.link_usable(link) || !state.node_usable(next)) continue;
                distance[static_cast<std::size_t>(next)] =
                    distance[static_cast<std::size_t>(node)] + 1;
                queue.push_back(next);
            }
        }
        if (distance[static_cast<std::size_t>(from)] >= 0) break;
    }
    return distance;
}

/// Old path until t_L, tunnel until t_I, new exit after (§4.4.2).
class TunnelPolicy : public FlowPolicy {
   public:
    TunnelPolicy(const RouterGrafting& model, const ModelContext& context, ChannelId crossing)
        : before_(&context.routing),
          after_state_(std::make_unique<NetworkState>(context.state)),
          crossing_(crossing),
          peer_(model.params().peer),
          from_(model.params().from),
          to_(model.params().to),
          link_moved_s_(model.link_moved_s()),
          imported_s_(model.routes_imported_s()) {
        model.graft(*after_state_);
        after_ = std::make_unique<Routing>(*after_state_, context.transport.mtu_bytes());
        distance_ = tunnel_distances(*after_state_, peer_, from_, to_);
    }

    std::unique_ptr<FlowPolicyRun> start_run(std::uint64_t) const override {
        return std::make_unique<Run>(*this);
    }

   private:
    class Run : public FlowPolicyRun {
       public:
        explicit Run(const TunnelPolicy& policy) : p_(&policy) {}

        bool plan(const FlowRequest& r, FlowPlan& plan) override {
            if (r.arrival_s >= p_->imported_s_ ||
                !p_->before_->reachable(r.src_server, r.dst_server))
                return false;
            // The path the flow takes on the network before the graft (its own ECMP draw).
            old_.clear();
            Rng rng(r.path_seed);
            const PathProperties old =
                p_->before_->sample_path(r.src_server, r.dst_server, rng, old_);
            const auto crossing = std::find(old_.begin(), old_.end(), p_->crossing_);
            if (crossing == old_.end()) return false;
            if (r.arrival_s < p_->link_moved_s_) {
                RouteLeg& leg = plan.add_leg(r.arrival_s);
                leg.channels = old_;
                leg.drop_rate = old.drop_rate;
                leg.base_rtt_s = old.base_rtt_s;
            }
            if (p_->link_moved_s_ < p_->imported_s_) {
                // §4.4.2: A still receives the peer's traffic and tunnels it to B, which hands
                // it to the peer over the moved circuit.
                RouteLeg& leg = plan.add_leg(std::max(r.arrival_s, p_->link_moved_s_));
                leg.channels.assign(old_.begin(), crossing);
                Rng segment(derive_seed(r.path_seed, {kTunnelStream}));
                p_->append_tunnel(segment, leg.channels);
                leg.channels.insert(leg.channels.end(), crossing + 1, old_.end());
                const PathProperties tunnel = p_->after_->path_properties(leg.channels);
                leg.drop_rate = tunnel.drop_rate;
                leg.base_rtt_s = tunnel.base_rtt_s;
                if (r.arrival_s >= p_->link_moved_s_) ++tunnelled_;
            }
            // Routes imported: the fabric's new DAG, with the flow's own ECMP draw.
            RouteLeg& leg = plan.add_leg(std::max(r.arrival_s, p_->imported_s_));
            if (p_->after_->reachable(r.src_server, r.dst_server)) {
                Rng again(r.path_seed);
                const PathProperties now =
                    p_->after_->sample_path(r.src_server, r.dst_server, again, leg.channels);
                leg.drop_rate = now.drop_rate;
                leg.base_rtt_s = now.base_rtt_s;
            } else {
                leg.subflows = 0;
            }
            return true;
        }

        void side_metrics(double, std::vector<std::pair<std::string, double>>& out) const override {
            out.emplace_back("grafting_done_s", p_->imported_s_);
            out.emplace_back("tunnelled_new_flows", tunnelled_);
        }

       private:
        const TunnelPolicy* p_;
        std::vector<ChannelId> old_;
        /// Flows that start while the tunnel is up (they certainly use it; older long flows may
        /// too, but whether they are still running at t_L is not known when they are planned).
        double tunnelled_ = 0.0;
    };

    /// A's tunnel to B (an ECMP-sampled shortest segment avoiding the peer), then B -> peer.
    void append_tunnel(Rng& rng, std::vector<ChannelId>& channels) const {
        const NetworkState& state = *after_state_;
        const Topology& topo = state.topology();
        NodeId node = from_;
        while (node != to_) {
            const int want = distance_[static_cast<std::size_t>(node)] - 1;
            const auto& adjacent = topo.adjacent(node);
            std::size_t count = 0;
            for (const auto& a : adjacent) count += eligible(a, want) ? 1 : 0;
            auto pick = static_cast<std::size_t>(rng.uniform() * static_cast<double>(count));
            pick = std::min(pick, count - 1);
            for (const auto& a : adjacent) {
                if (!eligible(a, want)) continue;
                if (pick-- == 0) {
                    channels.push_back(topo.channel(a.link, node));
                    node = a.node;
                    break;
                }
            }
        }
        channels.push_back(topo.channel(*topo.find_link(to_, peer_), to_));
    }
    bool eligible(const Topology::Adjacent& a, int want) const {
        return distance_[static_cast<std::size_t>(a.node)] == want && a.node != peer_ &&
               after_state_->link_usable(a.link);
    }

    const Routing* before_;
    std::unique_ptr<NetworkState> after_state_;
    std::unique_ptr<Routing> after_;
    std::vector<int> distance_;
    ChannelId crossing_;
    NodeId peer_;
    NodeId from_;
    NodeId to_;
    double link_moved_s_;
    double imported_s_;
};

/// The slot of `neighbour` in `node`'s adjacency.
std::size_t slot_of(const Topology& topo, NodeId node, NodeId neighbour) {
    const auto& adjacent = topo.adjacent(node);
    for (std::size_t slot = 0; slot < adjacent.size(); ++slot) {
        if (adjacent[slot].node == neighbour) return slot;
    }
    return adjacent.size();
}

}  // namespace

std::string RouterGrafting::describe(const Topology& topology) const {
    return "router_grafting: move " + topology.node(p_.peer).name + "'s session from " +
           topology.node(p_.from).name + " to " + topology.node(p_.to).name + " (link moved at " +
           format_number(link_moved_s()) + " s, routes imported at " +
           format_number(routes_imported_s()) + " s)";
}

void RouterGrafting::graft(NetworkState& state) const {
    const Topology& topo = state.topology();
    const double peer_weight = state.weight(p_.peer, slot_of(topo, p_.peer, p_.to)) +
                               state.weight(p_.peer, slot_of(topo, p_.peer, p_.from));
    const double to_weight = state.weight(p_.to, slot_of(topo, p_.to, p_.peer)) +
                             state.weight(p_.from, slot_of(topo, p_.from, p_.peer));
    state.apply(Action{DisableLink{moved_}});
    state.set_link_capacity_bps(
        beside_, state.link_capacity_bps(beside_) + topo.link(moved_).capacity.value);
    state.apply_wcmp(SetWcmp{p_.peer, {{p_.to, peer_weight}}});
    state.apply_wcmp(SetWcmp{p_.to, {{p_.peer, to_weight}}});
}

std::vector<TimedEdit> RouterGrafting::timed_edits() const {
    return {{link_moved_s(), "router_grafting: link moved",
             [self = *this](NetworkState& state) { self.graft(state); }}};
}

std::shared_ptr<const FlowPolicy> RouterGrafting::do_flow_policy(
    const ModelContext& context) const {
    const Topology& topo = context.state.topology();
    return std::make_shared<TunnelPolicy>(*this, context, topo.channel(moved_, p_.from));
}

std::optional<std::string> RouterGrafting::infeasible(const NetworkState& state,
                                                      const Incident& incident) const {
    const Topology& topo = state.topology();
    if (p_.start_s >= incident.traffic.duration.value) {
        return "starts at " + format_number(p_.start_s) + " s, not within the simulated " +
               format_number(incident.traffic.duration.value) + " s";
    }
    if (!state.link_usable(moved_)) {
        return "no session to graft: link " + topo.link_name(moved_) + " is down or disabled";
    }
    if (!state.link_usable(beside_)) {
        return "the circuit cannot move beside " + topo.link_name(beside_) +
               ", which is down or disabled";
    }
    NetworkState after(state);
    graft(after);
    if (p_.import_s > 0.0 &&
        tunnel_distances(after, p_.peer, p_.from, p_.to)[static_cast<std::size_t>(p_.from)] < 0) {
        return "no tunnel from " + topo.node(p_.from).name + " to " + topo.node(p_.to).name +
               " that avoids " + topo.node(p_.peer).name + " (§4.4.2)";
    }
    return std::nullopt;
}

void register_router_grafting(ModelRegistry& registry) {
    registry.add(
        {"router_grafting",
         {"peer", "from", "to", "link_migration_ms", "import_s", "start_s"},
         [](const ModelParams& p) {
             const Topology& topo = p.topology();
             RouterGraftingParams g;
             g.peer = p.switch_node("peer");
             g.from = p.switch_node("from");
             g.to = p.switch_node("to");
             const std::string peer = in_quotes(topo.node(g.peer).name);
             const std::string from = in_quotes(topo.node(g.from).name);
             const std::string to = in_quotes(topo.node(g.to).name);
             if (g.from == g.peer) p.fail("from", "must differ from peer");
             if (g.to == g.peer || g.to == g.from) p.fail("to", "must differ from peer and from");
             const auto moved = topo.find_link(g.peer, g.from);
             if (!moved) p.fail("from", "no link between " + peer + " and " + from);
             if (topo.node(g.to).tier != topo.node(g.from).tier) {
                 p.fail("to", to + " is in tier " + std::to_string(topo.node(g.to).tier) + ", " +
                                  from + " in tier " + std::to_string(topo.node(g.from).tier) +
                                  "; the moved link must still join adjacent tiers");
             }
             const auto beside = topo.find_link(g.peer, g.to);
             if (!beside) {
                 p.fail("to",
                        "no link between " + peer + " and " + to +
                            "; grafting onto a new circuit needs a link-addition edit, which swarm "
                            "does not have");
             }
             // §4.7.1: "the TCP migration process takes less than a millisecond".
             g.link_migration_s =
                 p.number("link_migration_ms", 1.0, json_fields::Range{0.0, 10000.0}) / 1e3;
             // Proposal: the thesis plots the import time (Fig. 4.7) without numbers.
             g.import_s = p.number("import_s", 0.1, json_fields::Range{0.0, 3600.0});
             g.start_s = p.number("start_s", 0.0, json_fields::kNonNegative);
             return std::make_shared<RouterGrafting>(g, *moved, *beside);
         }});
}

}  // namespace swarm
