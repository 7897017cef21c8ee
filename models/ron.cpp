#include "models/ron.h"

#include <algorithm>
#include <limits>
#include <set>
#include <sstream>
#include <unordered_map>

#include "estimator/mitigation/model_registry.h"
#include "estimator/random.h"
#include "estimator/routing.h"
#include "models/measurement_window.h"
#include "models/probe_detection.h"
#include "models/server_pair_key.h"
#include "models/tcp_resume.h"

namespace swarm {
namespace {

using json_fields::Range;

constexpr double kNever = std::numeric_limits<double>::infinity();
/// §1 "less than fifty nodes"; §2 "under, say, 50 nodes".
constexpr std::size_t kMaxNodes = 50;

/// Sub-streams of a run's seed and of a flow's own seed (docs/models/README.md "Randomness").
enum : std::uint64_t {
    kVirtualLinkStream = 1,
    kDetectStream = 2,
    kTieStream = 3,
    kSegmentStream = 4
};

struct Segment {
    std::vector<ChannelId> channels;
    PathProperties properties;
};

class RonPolicy : public FlowPolicy {
   public:
    RonPolicy(const RonParams& params, const ModelContext& context)
        : params_(params),
          routing_(&context.routing),
          window_(context.incident.traffic),
          node_count_(params.nodes().size()) {
        for (std::size_t d = 0; d < params.directions.size(); ++d) {
            direction_.emplace(
                server_pair_key(params.directions[d].first, params.directions[d].second), d);
        }
    }
    std::unique_ptr<FlowPolicyRun> start_run(std::uint64_t seed) const override;

    const RonParams& params() const { return params_; }
    const Routing& routing() const { return *routing_; }
    /// The index of a protected direction, or -1.
    std::ptrdiff_t direction(std::int32_t src, std::int32_t dst) const {
        const auto it = direction_.find(server_pair_key(src, dst));
        return it == direction_.end() ? -1 : static_cast<std::ptrdiff_t>(it->second);
    }
    const MeasurementWindow& window() const { return window_; }
    std::size_t node_count() const { return node_count_; }

   private:
    RonParams params_;
    const Routing* routing_;
    MeasurementWindow window_;
    std::size_t node_count_;
    std::unordered_map<std::uint64_t, std::size_t> direction_;
};

/// One (demand, routing) sample: the virtual links' paths, each direction's choice, the relayed
/// traffic.
class RonRun : public FlowPolicyRun {
   public:
    RonRun(const RonPolicy& policy, std::uint64_t seed)
        : policy_(&policy), seed_(seed), choices_(policy.params().directions.size()) {}

    bool plan(const FlowRequest& request, FlowPlan& plan) override;
    void side_metrics(double measured_s,
                      std::vector<std::pair<std::string, double>>& out) const override;

   private:
    /// What RON decides for one direction (a -> b) in this sample.
    struct Choice {
        bool made = false;
        double switch_s = kNever;  ///< when the pair moves to the relay; never if it stays direct
        std::int32_t relay = -1;
        double relay_drop = 0.0;
        double relay_rtt_s = 0.0;  ///< both segments plus the relay's forwarding, both ways
        double direct_rtt_s = 0.0;
    };
    const Segment& virtual_link(std::int32_t from, std::int32_t to);
    const Choice& choice(std::size_t direction);
    /// The relay route of a flow: the two virtual links, or (unpinned) the flow's own draws.
    void relay_leg(const FlowRequest& r, const Choice& c, RouteLeg& leg);

    const RonPolicy* policy_;
    std::uint64_t seed_;
    std::unordered_map<std::uint64_t, Segment> links_;
    std::vector<Choice> choices_;
    std::vector<ChannelId> scratch_;
    double relayed_bytes_ = 0.0;
    double measured_flows_ = 0.0;
    double relayed_flows_ = 0.0;
};

// §3.2: each pair of RON nodes talks over a UDP tunnel whose fixed 5-tuple ECMP hashes onto one
// path for the whole sample.
const Segment& RonRun::virtual_link(std::int32_t from, std::int32_t to) {
    auto [it, fresh] = links_.try_emplace(server_pair_key(from, to));
    if (fresh) {
        Rng rng(derive_seed(seed_, {kVirtualLinkStream, static_cast<std::uint64_t>(from),
                                    static_cast<std::uint64_t>(to)}));
        it->second.properties = policy_->routing().sample_path(from, to, rng, it->second.channels);
    }
    return it->second;
}

// §2.1/§2.2 and §3.2: the best single-hop alternative by the application's metric, used only if
// it beats the direct path; §3.1: the pair moves once its prober has lost k probes.
const RonRun::Choice& RonRun::choice(std::size_t direction) {
    Choice& c = choices_[direction];
    if (c.made) return c;
    c.made = true;
    const RonParams& params = policy_->params();
    const auto [a, b] = params.directions[direction];
    const Segment& direct = virtual_link(a, b);
    c.direct_rtt_s = direct.properties.base_rtt_s;
    std::vector<std::int32_t> best;
    double best_drop = kNever;
    double best_rtt = kNever;
    for (std::int32_t r : params.relays) {
        if (r == a || r == b) continue;
        const Segment& first = virtual_link(a, r);
        const Segment& second = virtual_link(r, b);
        const double drop =
            1.0 - (1.0 - first.properties.drop_rate) * (1.0 - second.properties.drop_rate);
        const double rtt = first.properties.base_rtt_s + second.properties.base_rtt_s +
                           2.0 * params.relay_forwarding_s;
        // Loss first, latency breaks ties (or latency alone); equal relays are drawn from.
        const bool better = params.latency_metric
                                ? rtt < best_rtt
                                : (drop < best_drop || (drop == best_drop && rtt < best_rtt));
        const bool tie =
            params.latency_metric ? rtt == best_rtt : (drop == best_drop && rtt == best_rtt);
        if (better) {
            best.assign(1, r);
            best_drop = drop;
            best_rtt = rtt;
        } else if (tie) {
            best.push_back(r);
        }
    }
    // RON uses the relay only if it beats the direct path on its metric (§2.2: "If the direct IP
    // path had lower latency than the best indirect path, then the direct one was used").
    const double direct_drop = direct.properties.drop_rate;
    const bool relay_better =
        params.latency_metric ? best_rtt < c.direct_rtt_s : best_drop < direct_drop;
    if (best.empty() || !relay_better) return c;
    Rng tie(derive_seed(
        seed_, {kTieStream, static_cast<std::uint64_t>(a), static_cast<std::uint64_t>(b)}));
    c.relay = best[tie.below(static_cast<std::uint32_t>(best.size()))];
    c.relay_drop = best_drop;
    c.relay_rtt_s = best_rtt;
    // Detection: lost probes on the direct virtual link (a latency comparison needs one probe
    // round; a latency-better relay is never seen in a Clos).
    Rng detect(derive_seed(
        seed_, {kDetectStream, static_cast<std::uint64_t>(a), static_cast<std::uint64_t>(b)}));
    if (params.latency_metric) {
        c.switch_s = params.start_s + params.probe_interval_s * (detect.uniform() + 1.0);
    } else {
        c.switch_s = params.start_s + detection_delay_s(params.probe_interval_s,
                                                        round_trip_loss(direct_drop),
                                                        params.probes_to_detect, detect);
    }
    return c;
}

void RonRun::relay_leg(const FlowRequest& r, const Choice& c, RouteLeg& leg) {
    const RonParams& params = policy_->params();
    if (params.pin_virtual_links) {
        const Segment& first = virtual_link(r.src_server, c.relay);
        const Segment& second = virtual_link(c.relay, r.dst_server);
        leg.channels = first.channels;
        leg.channels.insert(leg.channels.end(), second.channels.begin(), second.channels.end());
    } else {
        leg.channels.clear();
        Rng rng(derive_seed(r.path_seed, {kModelStream, kSegmentStream}));
        policy_->routing().sample_path(r.src_server, c.relay, rng, leg.channels);
        policy_->routing().sample_path(c.relay, r.dst_server, rng, leg.channels);
    }
    // Into the relay's NIC and out again: both channels of its server link are on the route.
    const PathProperties p = policy_->routing().path_properties(leg.channels);
    leg.drop_rate = p.drop_rate;
    leg.base_rtt_s = p.base_rtt_s + 2.0 * params.relay_forwarding_s;
}

bool RonRun::plan(const FlowRequest& r, FlowPlan& plan) {
    const std::ptrdiff_t direction = policy_->direction(r.src_server, r.dst_server);
    if (direction < 0) return false;
    const RonParams& params = policy_->params();
    const Choice& c = choice(static_cast<std::size_t>(direction));
    const bool measured = policy_->window().measures(r.arrival_s);
    if (measured) ++measured_flows_;
    // The direct path: the virtual link's, or the flow's own ECMP path.
    PathProperties direct;
    scratch_.clear();
    if (params.pin_virtual_links) {
        const Segment& link = virtual_link(r.src_server, r.dst_server);
        scratch_ = link.channels;
        direct = link.properties;
    } else {
        Rng ecmp(r.path_seed);
        direct = policy_->routing().sample_path(r.src_server, r.dst_server, ecmp, scratch_);
    }
    // A flow stuck on a dead direct path sends again at its next retransmission timeout.
    const double moved_s = r.arrival_s >= c.switch_s ? r.arrival_s
                           : direct.drop_rate >= 1.0 ? tcp_resume_s(r.arrival_s, c.switch_s)
                                                     : c.switch_s;
    const bool relayed = moved_s < policy_->window().run_end_s;
    if (!relayed && !params.pin_virtual_links) return false;
    if (moved_s > r.arrival_s) {
        RouteLeg& leg = plan.add_leg(r.arrival_s);
        leg.channels = scratch_;
        leg.drop_rate = direct.drop_rate;
        leg.base_rtt_s = direct.base_rtt_s;
    }
    if (relayed) {
        relay_leg(r, c, plan.add_leg(moved_s));
        if (measured) {
            ++relayed_flows_;
            relayed_bytes_ += r.size_bytes;
        }
    }
    return true;
}

void RonRun::side_metrics(double measured_s,
                          std::vector<std::pair<std::string, double>>& out) const {
    const RonParams& params = policy_->params();
    // §3.1: every node probes its virtual link to every other; a probe and its reply.
    const double n = static_cast<double>(policy_->node_count());
    out.emplace_back("probe_packets_per_s", 2.0 * n * (n - 1.0) / params.probe_interval_s);
    out.emplace_back("relayed_bytes_per_s", relayed_bytes_ / measured_s);
    out.emplace_back("relayed_flow_fraction",
                     measured_flows_ > 0.0 ? relayed_flows_ / measured_flows_ : 0.0);
    // The latency cost: base RTT through the relay over the direct one, mean over the directions
    // that move within the run (1 when none does).
    double stretch = 0.0;
    double moved = 0.0;
    for (const Choice& c : choices_) {
        if (c.made && c.switch_s < policy_->window().run_end_s) {
            stretch += c.relay_rtt_s / c.direct_rtt_s;
            ++moved;
        }
    }
    out.emplace_back("relay_rtt_stretch", moved > 0.0 ? stretch / moved : 1.0);
}

std::unique_ptr<FlowPolicyRun> RonPolicy::start_run(std::uint64_t seed) const {
    return std::make_unique<RonRun>(*this, seed);
}

std::string server_name(const Topology& topology, std::int32_t server) {
    return topology.node(topology.servers()[static_cast<std::size_t>(server)]).name;
}

}  // namespace

std::vector<std::int32_t> RonParams::nodes() const {
    std::set<std::int32_t> all(relays.begin(), relays.end());
    for (const auto& [a, b] : directions) {
        all.insert(a);
        all.insert(b);
    }
    return {all.begin(), all.end()};
}

RonParams RonParams::read(const ModelParams& p) {
    RonParams out;
    const Topology& topology = p.topology();
    out.relays = p.servers("relays");
    const nlohmann::json* pairs = p.raw("pairs");
    if (!pairs) p.fail("pairs", "required key is missing");
    if (!pairs->is_array() || pairs->empty()) {
        p.fail("pairs", "expected a non-empty array of [host, host] pairs, got " +
                            json_fields::given(*pairs));
    }
    std::set<std::pair<std::int32_t, std::int32_t>> seen;
    for (std::size_t i = 0; i < pairs->size(); ++i) {
        const std::string at = json_fields::item(p.at("pairs"), i);
        const nlohmann::json& entry = (*pairs)[i];
        if (!entry.is_array() || entry.size() != 2) {
            json_fields::fail(
                at, "expected an array of 2 server or ToR names, got " + json_fields::given(entry));
        }
        const auto ends_a = p.servers_of(entry[0], json_fields::item(at, 0));
        const auto ends_b = p.servers_of(entry[1], json_fields::item(at, 1));
        for (std::int32_t a : ends_a) {
            for (std::int32_t b : ends_b) {
                const NodeId tor_a =
                    topology.node(topology.servers()[static_cast<std::size_t>(a)]).tor;
                const NodeId tor_b =
                    topology.node(topology.servers()[static_cast<std::size_t>(b)]).tor;
                if (tor_a == tor_b) {
                    json_fields::fail(at, json_fields::in_quotes(server_name(topology, a)) +
                                              " and " +
                                              json_fields::in_quotes(server_name(topology, b)) +
                                              " share a ToR: one path, nothing to relay around");
                }
                if (!seen.insert({std::min(a, b), std::max(a, b)}).second) {
                    json_fields::fail(
                        at, "duplicate pair (" + json_fields::in_quotes(server_name(topology, a)) +
                                ", " + json_fields::in_quotes(server_name(topology, b)) + ")");
                }
                out.directions.emplace_back(a, b);
                out.directions.emplace_back(b, a);
                const bool relay_left =
                    std::any_of(out.relays.begin(), out.relays.end(),
                                [&](std::int32_t r) { return r != a && r != b; });
                if (!relay_left) {
                    p.fail("relays", "no relay left for the pair (" +
                                         json_fields::in_quotes(server_name(topology, a)) + ", " +
                                         json_fields::in_quotes(server_name(topology, b)) +
                                         "): a pair cannot relay through its own ends");
                }
            }
        }
    }
    const std::size_t nodes = out.nodes().size();
    if (nodes > kMaxNodes) {
        json_fields::fail(p.path(), "RON has " + std::to_string(nodes) +
                                        " nodes; the design keeps a RON under " +
                                        std::to_string(kMaxNodes) + " (RON §1)");
    }
    out.probe_interval_s =
        p.number("probe_interval_s", out.probe_interval_s, Range{0.0, 3600.0, true, false});
    out.probes_to_detect = p.integer("probes_to_detect", out.probes_to_detect, 1, 100);
    out.latency_metric = p.choice("metric", "loss", {"loss", "latency"}) == "latency";
    out.relay_forwarding_s =
        p.number("relay_forwarding_us", out.relay_forwarding_s * 1e6, Range{0.0, 10000.0}) / 1e6;
    out.pin_virtual_links = p.flag("pin_virtual_links", out.pin_virtual_links);
    out.start_s = p.number("start_s", out.start_s, json_fields::kNonNegative);
    return out;
}

std::string RonModel::describe(const Topology& topology) const {
    (void)topology;
    std::ostringstream text;
    text << "ron: " << params_.directions.size() / 2 << " host pairs over " << params_.relays.size()
         << " relays, probing every " << params_.probe_interval_s << " s, by "
         << (params_.latency_metric ? "latency" : "loss");
    return text.str();
}

std::optional<std::vector<std::int32_t>> RonModel::governed_sources() const {
    std::set<std::int32_t> sources;
    for (const auto& [a, b] : params_.directions) sources.insert(a);
    return std::vector<std::int32_t>(sources.begin(), sources.end());
}

std::shared_ptr<const FlowPolicy> RonModel::do_flow_policy(const ModelContext& context) const {
    return std::make_shared<RonPolicy>(params_, context);
}

void register_ron(ModelRegistry& registry) {
    registry.add(
        {"ron",
         {"pairs", "relays", "probe_interval_s", "probes_to_detect", "metric",
          "relay_forwarding_us", "pin_virtual_links", "start_s"},
         [](const ModelParams& p) { return std::make_shared<RonModel>(RonParams::read(p)); }});
}

}  // namespace swarm
