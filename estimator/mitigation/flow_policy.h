// How a mitigation model steers individual flows (docs/design.md extension point 3): which route a
// flow takes and when it changes (re-selection after a detection delay, a relay, a stall while
// a blackhole goes unnoticed), how it splits over several paths (multipath spraying as one
// flow in the max-min allocation), and which transport model limits it (a multipath transport
// recovers loss differently from the guest's TCP). The epoch loop (Algorithm 1, SWARM §3.3)
// asks a policy once per flow, at arrival; everything else in the loop is unchanged.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "swarm/topology.h"

namespace swarm {

struct TransportTables;

/// One stretch of a flow's life on one route. A long flow switches to a leg at the first
/// epoch boundary at or after `start_s` (rates are constant within an epoch, Algorithm 1); a
/// short flow, whose completion is computed at arrival, uses the exact start.
struct RouteLeg {
    double start_s = 0.0;
    /// The channels of every subflow, concatenated: a channel two subflows share (the source's
    /// NIC) appears twice, so it carries twice the per-subflow rate in the allocation.
    std::vector<ChannelId> channels;
    /// The flow's bytes are split equally over this many subflows (round-robin spraying); the
    /// allocator sees one flow whose rate is the per-subflow rate. 0: stalled, nothing is
    /// delivered (a blackhole nobody has noticed yet, a detection delay).
    int subflows = 1;
    double drop_rate = 0.0;   ///< what the transport sees end to end (>= 1: nothing arrives)
    double base_rtt_s = 0.0;  ///< the slowest subflow's base RTT
    bool stalled() const { return subflows == 0 || drop_rate >= 1.0; }
};

/// A flow's legs in start order. Kept and reused by the simulator: once warm, planning a flow
/// does not allocate (legs keep their channel buffers).
class FlowPlan {
   public:
    void clear() { size_ = 0; }
    /// Appends a leg that takes over at `start_s` (not before the previous leg's start), with
    /// one subflow and no channels yet; the caller fills it in.
    RouteLeg& add_leg(double start_s) {
        if (size_ == legs_.size()) legs_.emplace_back();
        RouteLeg& leg = legs_[size_++];
        leg.start_s = start_s;
        leg.channels.clear();
        leg.subflows = 1;
        leg.drop_rate = 0.0;
        leg.base_rtt_s = 0.0;
        return leg;
    }
    /// A leg on which the flow delivers nothing.
    void add_stall(double start_s) { add_leg(start_s).subflows = 0; }
    std::span<const RouteLeg> legs() const { return {legs_.data(), size_}; }
    bool empty() const { return size_ == 0; }

   private:
    std::vector<RouteLeg> legs_;
    std::size_t size_ = 0;
};

/// A transport other than the guest's TCP (BIFROST's multipath recovery, for example). The
/// default, used when a policy provides none, reads the guest's tables: the loss-limited rate
/// table and #RTTs x (base RTT + queueing) for short flows (SWARM §3.3).
class FlowTransport {
   public:
    virtual ~FlowTransport() = default;
    /// The loss-limited rate of the whole flow (all subflows together) on `leg`; `u` is the
    /// flow's uniform draw, the same for every leg of the flow (common random numbers).
    virtual double loss_limited_bps(const RouteLeg& leg, const TransportTables& guest,
                                    double u) const = 0;
    /// A short flow's completion time on `leg` when each round trip also waits `queueing_s`.
    virtual double short_flow_fct_s(double size_bytes, const RouteLeg& leg, double queueing_s,
                                    const TransportTables& guest, double u) const = 0;
};

/// What a policy is told about a flow. `path_seed` is the flow's own routing seed: sampling
/// with it reproduces the ECMP path the flow takes without the policy (the same for every
/// candidate), so "keep the default path" and "re-hash to another path" are both expressible.
struct FlowRequest {
    std::size_t flow = 0;
    std::int32_t src_server = 0;  ///< after the candidate's demand edits
    std::int32_t dst_server = 0;
    double arrival_s = 0.0;
    double size_bytes = 0.0;
    bool is_short = false;
    std::uint64_t path_seed = 0;
};

/// One policy's state for one (demand, routing) sample: counters for its side metrics.
/// Used by one thread at a time.
class FlowPolicyRun {
   public:
    virtual ~FlowPolicyRun() = default;
    /// Fills `plan` (cleared on entry) and returns true if the policy takes this flow; false
    /// leaves it to the network's default routing.
    virtual bool plan(const FlowRequest& request, FlowPlan& plan) = 0;
    /// The transport of the flows this policy plans; nullptr = the guest's tables.
    virtual const FlowTransport* transport() const { return nullptr; }
    /// Appends (name, value) pairs reported beside the CLP, averaged over samples: the cost of
    /// the mitigation (probe packets per second, header bytes, relayed bytes, ...).
    /// `measured_s` is the length of the measurement window.
    virtual void side_metrics(double measured_s,
                              std::vector<std::pair<std::string, double>>& out) const {
        (void)measured_s;
        (void)out;
    }
};

/// A model's flow steering for one candidate, built once and shared read-only by all samples.
class FlowPolicy {
   public:
    virtual ~FlowPolicy() = default;
    /// A fresh run for one sample; `seed` is derived from the sample's routing seed.
    virtual std::unique_ptr<FlowPolicyRun> start_run(std::uint64_t seed) const = 0;
};

}  // namespace swarm
