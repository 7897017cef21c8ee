#include "models/bifrost.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <sstream>
#include <unordered_map>

#include "estimator/mitigation/model_registry.h"
#include "estimator/random.h"
#include "estimator/routing.h"
#include "estimator/transport_mix.h"
#include "models/bifrost_spray.h"
#include "models/host_list.h"
#include "models/server_pair_key.h"

namespace swarm {
namespace {

using json_fields::Range;

/// Sub-streams of a BIFROST run and of a flow's own seed.
enum : std::uint64_t { kCandidateStream = 1, kPointerStream = 2 };
/// Walks in a row that find no new path before the candidate set is taken as complete: a path
/// of probability 1/8 (the 8 spine paths of a Clos) is then missed with probability
/// (7/8)^64 < 2.1e-4.
constexpr int kMaxMisses = 64;

class BifrostPolicy : public FlowPolicy {
   public:
    BifrostPolicy(const BifrostParams& params, const ModelContext& context)
        : params_(params),
          routing_(&context.routing),
          transport_(params.recovery),
          payload_bytes_(context.transport.for_flow(0, 0).mss_bytes),
          mtu_bytes_(context.transport.mtu_bytes()),
          window_start_s_(context.incident.traffic.window_start.value),
          window_end_s_(context.incident.traffic.window_end.value) {
        covered_ = host_mask(params.hosts, context.state.topology().servers().size());
    }
    std::unique_ptr<FlowPolicyRun> start_run(std::uint64_t seed) const override;

    const BifrostParams& params() const { return params_; }
    const Routing& routing() const { return *routing_; }
    const BifrostTransport& transport() const { return transport_; }
    double payload_bytes() const { return payload_bytes_; }
    double mtu_bytes() const { return mtu_bytes_; }
    bool covered(std::int32_t server) const {
        return covered_[static_cast<std::size_t>(server)] != 0;
    }
    bool measured(double arrival_s) const {
        return arrival_s >= window_start_s_ && arrival_s < window_end_s_;
    }

   private:
    BifrostParams params_;
    const Routing* routing_;
    BifrostTransport transport_;
    double payload_bytes_;
    double mtu_bytes_;
    double window_start_s_;
    double window_end_s_;
    std::vector<char> covered_;
};

/// One (demand, routing) sample: the connections opened so far, and the header count.
class BifrostRun : public FlowPolicyRun {
   public:
    BifrostRun(const BifrostPolicy& policy, std::uint64_t seed) : policy_(&policy), seed_(seed) {}

    bool plan(const FlowRequest& request, FlowPlan& plan) override;
    const FlowTransport* transport() const override { return &policy_->transport(); }
    void side_metrics(double measured_s,
                      std::vector<std::pair<std::string, double>>& out) const override {
        const double h = policy_->params().header_bytes;
        out.emplace_back("header_overhead_fraction", h / policy_->mtu_bytes());
        out.emplace_back("header_bytes_per_s", h * measured_packets_ / measured_s);
    }

   private:
    /// §4.4: one connection per vNIC pair, here per (source, destination) server.
    struct Connection {
        double detected_s = 0.0;  ///< when failed and lossy paths leave the spray set
        std::vector<SprayCandidate> candidates;
        std::vector<ChannelId> channels;      ///< every candidate's channels, concatenated
        std::vector<std::size_t> offsets{0};  ///< candidate i: [offsets[i], offsets[i + 1])
        SpraySets sets;
        std::span<const ChannelId> path(std::size_t i) const {
            return std::span<const ChannelId>(channels).subspan(offsets[i],
                                                                offsets[i + 1] - offsets[i]);
        }
    };
    const Connection& connection(const FlowRequest& request);
    /// A leg over `count` consecutive positions of `set` from `first` (round-robin, wrapping).
    /// `packets` > 0: a short flow's groups, weighted by their packets; 0: equal weights.
    /// Returns whether one of those paths delivers nothing.
    bool fill_leg(RouteLeg& leg, const Connection& c, const std::vector<std::size_t>& set,
                  std::size_t first, int count, double packets) const;
    void add_default_leg(FlowPlan& plan, double start_s, const FlowRequest& request) const;
    void plan_long(const FlowRequest& request, const Connection& c, FlowPlan& plan) const;
    void plan_short(const FlowRequest& request, const Connection& c, FlowPlan& plan) const;

    const BifrostPolicy* policy_;
    std::uint64_t seed_;
    std::unordered_map<std::uint64_t, Connection> connections_;
    std::vector<ChannelId> draw_scratch_;
    double measured_packets_ = 0.0;
};

std::unique_ptr<FlowPolicyRun> BifrostPolicy::start_run(std::uint64_t seed) const {
    return std::make_unique<BifrostRun>(*this, seed);
}

const BifrostRun::Connection& BifrostRun::connection(const FlowRequest& request) {
    const std::uint64_t key = server_pair_key(request.src_server, request.dst_server);
    const auto found = connections_.find(key);
    if (found != connections_.end()) return found->second;
    const BifrostParams& params = policy_->params();
    Connection& c = connections_[key];
    // §4.1: "each physical path is mapped to a distinct srcPort": the candidates are distinct
    // paths, found by ECMP random walks (one per srcPort tried) until there are
    // candidate_paths of them or kMaxMisses walks in a row found nothing new (the pair has
    // fewer paths). t_first is this flow's arrival (BIFROST learns from its own traffic);
    // detection follows it.
    c.detected_s = request.arrival_s + params.detection_s;
    Rng rng(derive_seed(seed_, {kCandidateStream, static_cast<std::uint64_t>(request.src_server),
                                static_cast<std::uint64_t>(request.dst_server)}));
    std::vector<ChannelId>& draw = draw_scratch_;
    for (int misses = 0;
         static_cast<int>(c.candidates.size()) < params.candidate_paths && misses < kMaxMisses;) {
        draw.clear();
        const PathProperties props =
            policy_->routing().sample_path(request.src_server, request.dst_server, rng, draw);
        bool known = false;
        for (std::size_t i = 0; i < c.candidates.size() && !known; ++i) {
            const std::span<const ChannelId> path = c.path(i);
            known = std::equal(path.begin(), path.end(), draw.begin(), draw.end());
        }
        if (known) {
            ++misses;
            continue;
        }
        misses = 0;
        c.channels.insert(c.channels.end(), draw.begin(), draw.end());
        c.offsets.push_back(c.channels.size());
        c.candidates.push_back({props.drop_rate, props.base_rtt_s, rng.uniform()});
    }
    c.sets = spray_sets(c.candidates, params.top_k, params.exclude_loss_threshold);
    return c;
}

bool BifrostRun::fill_leg(RouteLeg& leg, const Connection& c, const std::vector<std::size_t>& set,
                          std::size_t first, int count, double packets) const {
    const double group = policy_->params().packet_group_packets;
    bool dead = false;
    double drop = 0.0;
    for (int g = 0; g < count; ++g) {
        const std::size_t i = set[(first + static_cast<std::size_t>(g)) % set.size()];
        const std::span<const ChannelId> path = c.path(i);
        leg.channels.insert(leg.channels.end(), path.begin(), path.end());
        const double weight =
            packets > 0.0 ? std::min(group, packets - g * group) / packets : 1.0 / count;
        drop += weight * c.candidates[i].drop_rate;
        leg.base_rtt_s = std::max(leg.base_rtt_s, c.candidates[i].base_rtt_s);
        dead = dead || c.candidates[i].drop_rate >= 1.0;
    }
    leg.subflows = count;
    leg.drop_rate = std::min(drop, 1.0);
    return dead;
}

void BifrostRun::add_default_leg(FlowPlan& plan, double start_s, const FlowRequest& request) const {
    RouteLeg& leg = plan.add_leg(start_s);
    Rng rng(request.path_seed);  // the flow's own ECMP path: the plain VPC's
    const PathProperties props =
        policy_->routing().sample_path(request.src_server, request.dst_server, rng, leg.channels);
    leg.drop_rate = props.drop_rate;
    leg.base_rtt_s = props.base_rtt_s;
}

// A long flow sprays over the whole set, each path an equal share (§4.1 round-robin groups), and
// moves to the set without the failed paths when the connection detects them. It always has
// top_k subflows, the positions wrapping round the set when it has fewer paths: the core gives a
// flow with k subflows k per-subflow shares where they meet, so equal counts keep BIFROST's
// flows equal among themselves (an intra-pod pair with 2 paths is not half an inter-pod one).
void BifrostRun::plan_long(const FlowRequest& request, const Connection& c, FlowPlan& plan) const {
    const SpraySets& sets = c.sets;
    const bool detected = request.arrival_s >= c.detected_s;
    const std::vector<std::size_t>& now = detected ? sets.after : sets.before;
    const int k = policy_->params().top_k;
    fill_leg(plan.add_leg(request.arrival_s), c, now, 0, k, 0.0);
    if (detected || !sets.changes()) return;
    if (sets.fallback()) {
        add_default_leg(plan, c.detected_s, request);
    } else {
        fill_leg(plan.add_leg(c.detected_s), c, sets.after, 0, k, 0.0);
    }
}

// A short flow's groups go round-robin from the connection's pointer (a uniform position). A
// group sent on a dead path before detection is lost whole: the flow waits for its recovery,
// one round trip if a later group's packets reveal the gap, else the RTO (doubling), and its
// retransmissions ride the next path (§4.3; which path is not said: an assumption).
void BifrostRun::plan_short(const FlowRequest& request, const Connection& c, FlowPlan& plan) const {
    const BifrostParams& params = policy_->params();
    const double packets = std::max(1.0, std::ceil(request.size_bytes / policy_->payload_bytes()));
    const int groups =
        packet_groups(request.size_bytes, policy_->payload_bytes(), params.packet_group_packets);
    // 840 = lcm(1..8): the position is exactly uniform over any set of up to 8 paths.
    Rng rng(derive_seed(request.path_seed, {kPointerStream}));
    std::size_t pointer = rng.below(840);
    double t = request.arrival_s;
    int expiries = 0;
    for (int attempt = 0;; ++attempt) {
        const bool detected = t >= c.detected_s;
        if (detected && c.sets.fallback()) {
            add_default_leg(plan, t, request);
            return;
        }
        const std::vector<std::size_t>& set = detected ? c.sets.after : c.sets.before;
        RouteLeg& leg = plan.add_leg(t);
        const bool dead = fill_leg(leg, c, set, pointer, groups, packets);
        if (!dead || attempt > params.recovery.release_after_rtos) return;
        const std::size_t last = set[(pointer + static_cast<std::size_t>(groups) - 1) % set.size()];
        const double wait = c.candidates[last].drop_rate >= 1.0
                                ? policy_->transport().timer_s(expiries++)
                                : leg.base_rtt_s;
        leg.channels.clear();
        leg.subflows = 0;  // nothing of this attempt completes the flow
        t += wait;
        ++pointer;
    }
}

bool BifrostRun::plan(const FlowRequest& request, FlowPlan& plan) {
    const BifrostParams& params = policy_->params();
    if (!policy_->covered(request.src_server) || !policy_->covered(request.dst_server))
        return false;
    if (request.arrival_s < params.start_s) return false;  // opened on the plain VPC
    const Connection& c = connection(request);
    if (request.arrival_s >= c.detected_s && c.sets.fallback()) return false;  // §7.2: plain VPC
    if (request.is_short) {
        plan_short(request, c, plan);
    } else {
        plan_long(request, c, plan);
    }
    if (policy_->measured(request.arrival_s)) {
        measured_packets_ +=
            std::max(1.0, std::ceil(request.size_bytes / policy_->payload_bytes()));
    }
    return true;
}

}  // namespace

BifrostParams BifrostParams::read(const ModelParams& p) {
    BifrostParams out;
    if (p.has("hosts")) out.hosts = p.servers("hosts");
    out.candidate_paths = p.integer("candidate_paths", out.candidate_paths, 1, INT_MAX);
    if (out.candidate_paths > 8) {
        p.fail("candidate_paths",
               "must be in [1, 8] (a 3-bit Path ID names at most 8 paths, BIFROST App. C.1), got " +
                   std::to_string(out.candidate_paths));
    }
    if (p.has("top_k")) {
        out.top_k = p.integer("top_k", out.top_k, 1, out.candidate_paths);
    } else if (out.top_k > out.candidate_paths) {
        p.fail("candidate_paths", "must be at least top_k (" + std::to_string(out.top_k) +
                                      " by default), got " + std::to_string(out.candidate_paths));
    }
    // §7.4: the window and the groups are bounded by the 4096-entry ring.
    out.packet_group_packets = p.integer("packet_group_packets", out.packet_group_packets, 1, 4096);
    out.recovery.window_packets = p.integer("window_packets", out.recovery.window_packets, 1, 4096);
    out.recovery.initial_rto_s =
        p.number("initial_rto_ms", out.recovery.initial_rto_s * 1e3, Range{0.0, 1000.0, true}) /
        1e3;
    out.recovery.rto_backoff = p.number("rto_backoff", out.recovery.rto_backoff, Range{1.0, 16.0});
    out.recovery.release_after_rtos =
        p.integer("release_after_rtos", out.recovery.release_after_rtos, 1, 16);
    out.header_bytes = p.integer("header_bytes", out.header_bytes, 0, 256);
    out.exclude_loss_threshold =
        p.number("exclude_loss_threshold", out.exclude_loss_threshold, json_fields::kFraction);
    out.detection_s =
        p.number("detection_ms", out.detection_s * 1e3, json_fields::kNonNegative) / 1e3;
    out.start_s = p.number("start_s", out.start_s, json_fields::kNonNegative);
    return out;
}

std::string BifrostModel::describe(const Topology& topology) const {
    std::ostringstream text;
    text << "bifrost: spray over top-" << params_.top_k << " of " << params_.candidate_paths
         << " paths, RTO " << params_.recovery.initial_rto_s * 1e3 << " ms, on "
         << describe_hosts(params_.hosts, topology);
    return text.str();
}

std::shared_ptr<const FlowPolicy> BifrostModel::do_flow_policy(const ModelContext& context) const {
    return std::make_shared<BifrostPolicy>(params_, context);
}

void register_bifrost(ModelRegistry& registry) {
    registry.add({"bifrost",
                  {"hosts", "top_k", "candidate_paths", "packet_group_packets", "initial_rto_ms",
                   "rto_backoff", "release_after_rtos", "window_packets", "header_bytes",
                   "exclude_loss_threshold", "detection_ms", "start_s"},
                  [](const ModelParams& p) {
                      return std::make_shared<BifrostModel>(BifrostParams::read(p));
                  }});
}

}  // namespace swarm
