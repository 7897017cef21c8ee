#include "models/zooroute.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <unordered_map>

#include "estimator/mitigation/model_registry.h"
#include "estimator/random.h"
#include "estimator/routing.h"
#include "models/host_list.h"
#include "models/measurement_window.h"
#include "models/probe_detection.h"
#include "models/server_pair_key.h"
#include "models/tcp_resume.h"

namespace swarm {
namespace {

using json_fields::Range;

constexpr double kNever = std::numeric_limits<double>::infinity();

/// Sub-streams of a run's seed and of a flow's own seed (docs/models/README.md "Randomness").
enum : std::uint64_t { kDetectStream = 1, kPickStream = 2, kPortStream = 3, kLearnStream = 4 };

/// A path's identity within its pair (the same channels = the same srcPort path).
std::uint64_t path_key(const std::vector<ChannelId>& channels) {
    std::uint64_t state = 0x5A00;
    std::uint64_t key = 0;
    for (ChannelId c : channels) {
        state ^= static_cast<std::uint64_t>(c) + key;
        key = splitmix64(state);
    }
    return key;
}

class ZooRoutePolicy : public FlowPolicy {
   public:
    ZooRoutePolicy(const ZooRouteParams& params, const ModelContext& context)
        : params_(params), routing_(&context.routing), window_(context.incident.traffic) {
        const Topology& topology = context.state.topology();
        const std::size_t servers = topology.servers().size();
        governed_ = host_mask(params.hosts, servers);
        nic_bps_.resize(servers);
        for (std::size_t s = 0; s < servers; ++s) {
            nic_bps_[s] =
                context.state.link_capacity_bps(topology.server_link(static_cast<std::int32_t>(s)));
            if (governed_[s]) governed_nic_bps_ += nic_bps_[s];
        }
    }
    std::unique_ptr<FlowPolicyRun> start_run(std::uint64_t seed) const override;

    const ZooRouteParams& params() const { return params_; }
    const Routing& routing() const { return *routing_; }
    bool governed(std::int32_t server) const {
        return governed_[static_cast<std::size_t>(server)] != 0;
    }
    const MeasurementWindow& window() const { return window_; }
    /// How long a flow's srcPort stays in use, at least: its bytes at its NIC's rate plus the
    /// handshake (the policy never sees the flow end).
    double busy_s(const FlowRequest& r, double base_rtt_s) const {
        const double nic = nic_bps_[static_cast<std::size_t>(r.src_server)];
        return r.size_bytes * 8.0 / nic + base_rtt_s;
    }
    double governed_nic_bps() const { return governed_nic_bps_; }

   private:
    ZooRouteParams params_;
    const Routing* routing_;
    MeasurementWindow window_;
    std::vector<char> governed_;
    std::vector<double> nic_bps_;
    double governed_nic_bps_ = 0.0;
};

/// One (demand, routing) sample: what each host pair has learned so far, and the probe count.
/// Flows are planned in arrival order, so a pair's state at a flow's arrival holds what the
/// earlier flows of the pair taught it.
class ZooRouteRun : public FlowPolicyRun {
   public:
    ZooRouteRun(const ZooRoutePolicy& policy, std::uint64_t seed) : policy_(&policy), seed_(seed) {}

    bool plan(const FlowRequest& request, FlowPlan& plan) override;
    void side_metrics(double measured_s,
                      std::vector<std::pair<std::string, double>>& out) const override;

   private:
    struct Port {
        std::vector<ChannelId> channels;
        PathProperties properties;
    };
    /// §2: one path table per (host, destination).
    struct Pair {
        double first_arrival_s = kNever;
        /// t_first: the first detection of a bad srcPort; full-mode probing from then on.
        double full_from_s = kNever;
        bool ports_drawn = false;
        /// The working paths among the N_p srcPorts probed in full mode.
        std::vector<Port> working;
        /// Per bad path: probes of the full-mode prober until it records the path as bad.
        std::unordered_map<std::uint64_t, double> probes_to_learn;
    };
    Pair& pair(const FlowRequest& r);
    const Port* pick_working(Pair& pair, const FlowRequest& r);
    double learn_probes(Pair& pair, const FlowRequest& r, std::uint64_t key, double q);

    const ZooRoutePolicy* policy_;
    std::uint64_t seed_;
    std::unordered_map<std::uint64_t, Pair> pairs_;
    std::vector<ChannelId> path_;
    double partial_port_s_ = 0.0;  ///< srcPort-seconds probed in partial mode, in the window
    double governed_measured_ = 0.0;
    double rerouted_measured_ = 0.0;
};

ZooRouteRun::Pair& ZooRouteRun::pair(const FlowRequest& r) {
    const auto key = server_pair_key(r.src_server, r.dst_server);
    auto [it, fresh] = pairs_.try_emplace(key);
    if (fresh && policy_->params().full_mode) it->second.full_from_s = policy_->params().start_s;
    return it->second;
}

// §2 "Path altering": the sender picks another srcPort whose probes come back. The N_p probed
// ports of a pair are N_p ECMP draws (srcPort hashes), drawn once per pair and sample.
const ZooRouteRun::Port* ZooRouteRun::pick_working(Pair& pair, const FlowRequest& r) {
    const ZooRouteParams& params = policy_->params();
    if (!pair.ports_drawn) {
        pair.ports_drawn = true;
        Rng rng(derive_seed(seed_, {kPortStream, static_cast<std::uint64_t>(r.src_server),
                                    static_cast<std::uint64_t>(r.dst_server)}));
        Port port;
        for (int i = 0; i < params.full_mode_ports; ++i) {
            port.channels.clear();
            port.properties =
                policy_->routing().sample_path(r.src_server, r.dst_server, rng, port.channels);
            if (port.properties.drop_rate < params.loss_threshold) pair.working.push_back(port);
        }
    }
    if (pair.working.empty()) return nullptr;
    Rng rng(derive_seed(r.path_seed, {kModelStream, kPickStream}));
    return &pair.working[rng.below(static_cast<std::uint32_t>(pair.working.size()))];
}

double ZooRouteRun::learn_probes(Pair& pair, const FlowRequest& r, std::uint64_t key, double q) {
    auto [it, fresh] = pair.probes_to_learn.try_emplace(key, 0.0);
    if (fresh) {
        Rng rng(derive_seed(seed_, {kLearnStream, static_cast<std::uint64_t>(r.src_server),
                                    static_cast<std::uint64_t>(r.dst_server), key}));
        it->second = probes_until_lost(q, policy_->params().probes_to_detect, rng);
    }
    return it->second;
}

bool ZooRouteRun::plan(const FlowRequest& r, FlowPlan& plan) {
    if (!policy_->governed(r.src_server)) return false;
    const ZooRouteParams& params = policy_->params();
    path_.clear();
    Rng ecmp(r.path_seed);  // the flow's own srcPort hash: its default path
    const PathProperties own =
        policy_->routing().sample_path(r.src_server, r.dst_server, ecmp, path_);
    Pair& p = pair(r);
    p.first_arrival_s = std::min(p.first_arrival_s, r.arrival_s);
    const bool measured = policy_->window().measures(r.arrival_s);
    if (measured) ++governed_measured_;
    // §2 "Active IP probing": the flow's own srcPort is probed while it is in use, until the
    // pair goes to full mode (whose probes are counted per pair).
    const double probe_from = std::max(r.arrival_s, params.start_s);
    partial_port_s_ += policy_->window().overlap_s(
        probe_from, std::min(r.arrival_s + policy_->busy_s(r, own.base_rtt_s), p.full_from_s));
    if (own.drop_rate < params.loss_threshold) return false;  // a working srcPort: nothing to do

    // The flow's own detection (§2 "Path probing"): its srcPort's probes, from the first one
    // after the flow starts (or ZooRoute does).
    const double q = round_trip_loss(own.drop_rate);
    Rng detect(derive_seed(r.path_seed, {kModelStream, kDetectStream}));
    const double detected_s =
        probe_from + detection_delay_s(params.probe_interval_s, q, params.probes_to_detect, detect);
    // Partial -> full mode at the pair's first detection; the full prober then records this
    // path as bad after its own lost probes (§2 "Path recording").
    p.full_from_s = std::min(p.full_from_s, detected_s);
    const double known_s =
        p.full_from_s + params.probe_interval_s * learn_probes(p, r, path_key(path_), q);
    const double reroute_s = r.arrival_s >= known_s ? r.arrival_s : std::min(detected_s, known_s);
    const Port* port = pick_working(p, r);
    if (!port) return false;  // every probed srcPort fails: nothing to move to
    // A flow that sat on a blackhole sends again at its next retransmission timeout.
    const double moved_s = own.drop_rate >= 1.0 ? tcp_resume_s(r.arrival_s, reroute_s) : reroute_s;
    if (moved_s >= policy_->window().run_end_s) return false;  // not within the simulated interval
    if (measured) ++rerouted_measured_;
    if (reroute_s > r.arrival_s) {
        RouteLeg& old = plan.add_leg(r.arrival_s);
        old.channels = path_;
        old.drop_rate = own.drop_rate;
        old.base_rtt_s = own.base_rtt_s;
    }
    RouteLeg& next = plan.add_leg(moved_s);
    next.channels = port->channels;
    next.drop_rate = port->properties.drop_rate;
    next.base_rtt_s = port->properties.base_rtt_s;
    return true;
}

// §3 "Online overhead": probes are request and reply; SrcPort learning halves them (§2).
void ZooRouteRun::side_metrics(double measured_s,
                               std::vector<std::pair<std::string, double>>& out) const {
    const ZooRouteParams& params = policy_->params();
    double full_pair_s = 0.0;
    for (const auto& [key, p] : pairs_) {
        full_pair_s += policy_->window().overlap_s(
            std::max({p.full_from_s, p.first_arrival_s, params.start_s}), kNever);
    }
    const double learning = params.srcport_learning ? 0.5 : 1.0;
    const double port_s = partial_port_s_ + full_pair_s * params.full_mode_ports;
    const double pps = 2.0 * learning * port_s / (params.probe_interval_s * measured_s);
    out.emplace_back("probe_packets_per_s", pps);
    out.emplace_back("probe_bandwidth_fraction",
                     pps * params.probe_bytes * 8.0 / policy_->governed_nic_bps());
    out.emplace_back("rerouted_fraction",
                     governed_measured_ > 0.0 ? rerouted_measured_ / governed_measured_ : 0.0);
}

std::unique_ptr<FlowPolicyRun> ZooRoutePolicy::start_run(std::uint64_t seed) const {
    return std::make_unique<ZooRouteRun>(*this, seed);
}

}  // namespace

ZooRouteParams ZooRouteParams::read(const ModelParams& p) {
    ZooRouteParams out;
    if (p.has("hosts")) out.hosts = p.servers("hosts");
    out.full_mode = p.choice("mode", "partial", {"partial", "full"}) == "full";
    out.probe_interval_s = p.number("probe_interval_ms", out.probe_interval_s * 1e3,
                                    Range{0.0, 60000.0, true, false}) /
                           1e3;
    out.probes_to_detect = p.integer("probes_to_detect", out.probes_to_detect, 1, 100);
    out.loss_threshold = p.number("loss_threshold", out.loss_threshold, json_fields::kFraction);
    out.full_mode_ports = p.integer("full_mode_ports", out.full_mode_ports, 1, 65535);
    out.srcport_learning = p.flag("srcport_learning", out.srcport_learning);
    out.probe_bytes = p.integer("probe_bytes", out.probe_bytes, 64, 9000);
    out.start_s = p.number("start_s", out.start_s, json_fields::kNonNegative);
    return out;
}

std::string ZooRouteModel::describe(const Topology& topology) const {
    std::ostringstream text;
    text << "zooroute: " << (params_.full_mode ? "full" : "partial") << " probing every "
         << params_.probe_interval_s * 1e3 << " ms, " << params_.probes_to_detect
         << " lost probes, loss >= " << params_.loss_threshold << ", on "
         << describe_hosts(params_.hosts, topology);
    return text.str();
}

std::shared_ptr<const FlowPolicy> ZooRouteModel::do_flow_policy(const ModelContext& context) const {
    return std::make_shared<ZooRoutePolicy>(params_, context);
}

void register_zooroute(ModelRegistry& registry) {
    registry.add({"zooroute",
                  {"hosts", "mode", "probe_interval_ms", "probes_to_detect", "loss_threshold",
                   "full_mode_ports", "srcport_learning", "probe_bytes", "start_s"},
                  [](const ModelParams& p) {
                      return std::make_shared<ZooRouteModel>(ZooRouteParams::read(p));
                  }});
}

}  // namespace swarm
