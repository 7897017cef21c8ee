// SWARM Algorithm 1 (§3.3 "Modeling the throughput of long flows") for one demand sample and
// one routing sample: time advances in epochs; in each epoch the long flows present share
// bandwidth by demand-aware max-min fairness with their loss-limited rates as caps
// (Appendix A.2), and short flows take #RTTs x (propagation + queueing) from the tables.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "estimator/channel_congestion.h"
#include "estimator/demand.h"
#include "estimator/max_min_fair.h"
#include "estimator/mitigation/flow_policy.h"
#include "estimator/network_state.h"
#include "estimator/routing.h"
#include "estimator/short_flow_fct.h"
#include "estimator/stop_check.h"
#include "estimator/transport_mix.h"

namespace swarm {

struct SimulationSettings {
    double epoch_s = 0.2;
    double short_flow_bytes = 150000.0;
    double duration_s = 200.0;
    double window_start_s = 50.0;
    double window_end_s = 150.0;
    std::uint64_t transport_mix_seed = 0;  ///< which congestion control each flow uses
    /// Polled every epoch (StopCheck): when it becomes true run() throws RankCancelled.
    const std::atomic<bool>* cancel = nullptr;
    /// Polled likewise: once it has passed run() throws RankDeadlineExceeded.
    std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt;
};

/// What one (demand, routing) sample yields: the CLP of every measured flow.
struct FlowOutcomes {
    std::vector<double> long_throughput_bps;  ///< long flows that started in the window
    std::vector<double> short_fct_s;          ///< short flows that started in the window
    std::size_t censored = 0;        ///< long flows still running at the horizon (rate so far used)
    std::size_t censored_short = 0;  ///< short flows that never got through (horizon used as FCT)
    std::size_t unroutable = 0;      ///< flows with no usable path (only on partitioned networks)
    std::size_t epochs = 0;
    /// What the candidate's mitigation models report beside the CLP (FlowPolicyRun::side_metrics).
    std::vector<std::pair<std::string, double>> side_metrics;
    void clear();
};

/// What a candidate's mitigation models add to the epoch loop (models/, docs/design.md extension
/// points 3 and 4): later network states (phases) and per-flow steering (policies).
struct ScenarioModels {
    /// From `start_s` on, the network is `routing`'s state: its capacities hold, flows that
    /// arrive take its paths, and running flows no policy steers re-take their path in it
    /// (same per-flow seed, so a flow keeps its ECMP choice wherever the DAG did not change).
    struct Phase {
        double start_s;
        const Routing* routing;
    };
    std::vector<Phase> phases;  ///< in start order; the simulator's own routing holds before
    /// Asked in order; the first whose run takes a flow steers it.
    std::vector<std::shared_ptr<const FlowPolicy>> policies;
    bool empty() const { return phases.empty() && policies.empty(); }
};

/// A candidate's demand edits compiled for per-flow lookup.
class DemandEditor {
   public:
    DemandEditor(const std::vector<DemandMove>& moves, std::size_t server_count,
                 std::uint64_t seed);
    /// The endpoint after every move, for flow `flow` and side 0 (source) or 1 (destination).
    /// Common random numbers: the draw depends only on (seed, flow, side, move), not on the
    /// candidate, so two candidates moving the same VMs move the same flows.
    std::int32_t apply(std::int32_t server, std::size_t flow, int side) const;
    bool empty() const { return moves_.empty(); }

   private:
    const std::vector<DemandMove>* moves_list_;
    std::vector<std::vector<char>> moves_;  ///< per move: is server s in from_servers
    std::uint64_t seed_;
};

/// Runs Algorithm 1. One instance per worker thread: it keeps scratch buffers between runs so
/// that the epoch loop itself does not allocate once warm.
class EpochSimulator {
   public:
    /// `models` (may be null) must outlive the simulator.
    EpochSimulator(const Routing& routing, const TransportMix& transport,
                   const SimulationSettings& settings, const ScenarioModels* models = nullptr);

    void run(const DemandSample& demand, const DemandEditor& editor, std::uint64_t routing_seed,
             std::uint64_t transport_seed, FlowOutcomes& out);

   private:
    struct ShortFlow {
        std::int32_t path_begin;
        std::int32_t path_end;
        double size_bytes;
        double arrival_s;
        double wait_s;  ///< stalled time before the leg it completes on (0 on the default path)
        RouteLeg leg;   ///< properties only; its channels are in short_links_
        bool measured;
        bool never;  ///< no leg gets through: censored at the horizon
        const TransportTables* tables;
        const FlowTransport* transport;
    };
    /// A long flow's plan while it has legs to come (slot in plan_slots_).
    struct PlanSlot {
        FlowPlan plan;
        std::size_t next_leg = 0;
        const FlowTransport* transport = nullptr;
    };
    void start_runs(std::uint64_t routing_seed);
    void admit(const DemandSample& demand, const DemandEditor& editor, std::size_t flow,
               std::uint64_t routing_seed, Rng& transport_rng, FlowOutcomes& out);
    bool plan_flow(const FlowRequest& request, FlowPlan& plan, const FlowTransport*& transport);
    void admit_short(const FlowRequest& request, const FlowPlan* plan,
                     const FlowTransport* transport, const TransportTables& tables, double horizon);
    void admit_long(const FlowRequest& request, const FlowPlan* plan,
                    const FlowTransport* transport, const TransportTables& tables, double u);
    void push_long(const RouteLeg& leg, double cap_bps, std::int32_t plan_slot);
    double leg_cap_bps(const RouteLeg& leg, const FlowTransport* transport,
                       const TransportTables& tables, double u) const;
    void switch_routes(double t0);
    void enter_phase(std::size_t phase);
    double next_switch_s() const;
    void allocate_rates(double t0, double t1);
    bool apply_congestion();
    bool apply_window_limits(double t0, double t1);
    void finish_short_flows(Rng& transport_rng, FlowOutcomes& out);
    double reverse_drop_rate(const ShortFlow& flow) const;
    void advance(double t0, double t1, FlowOutcomes& out);
    void censor(double horizon, FlowOutcomes& out);
    std::int64_t quiet_until(std::int64_t k, const DemandSample& demand, std::size_t next,
                             double horizon) const;
    bool measured(double arrival) const {
        return arrival >= settings_.window_start_s && arrival < settings_.window_end_s;
    }

    const Routing* routing_;  ///< the phase in force
    const Routing* base_routing_;
    const TransportMix* transport_;
    SimulationSettings settings_;
    const ScenarioModels* models_;
    std::size_t phase_ = 0;  ///< phases of models_ entered so far
    std::vector<std::unique_ptr<FlowPolicyRun>> runs_;
    TcpTimers timers_;  ///< of the short-flow timeout terms: the measured sets' (Linux) timers
    std::vector<double> channel_capacity_bps_;
    MaxMinFairAllocator allocator_;
    ChannelCongestion congestion_;  ///< per-channel queueing and loss of the epoch (issue 13)

    // Active long flows, struct of arrays (docs/design.md "Where the time goes").
    std::vector<double> remaining_bits_;
    std::vector<double> cap_bps_;        ///< the allocation's cap: fault_cap_bps_ and congestion
    std::vector<double> fault_cap_bps_;  ///< loss-limited rate at the path's fault drop, base RTT
    std::vector<double> rate_bps_;
    std::vector<double> arrival_s_;
    std::vector<double> size_bytes_;
    std::vector<double> base_rtt_s_;
    std::vector<double> drop_rate_;  ///< the path's fault drop rate (default-routed flows)
    std::vector<double> queue_s_;    ///< queueing along the path at the last allocation
    std::vector<char> measured_;
    std::vector<std::int32_t> path_offsets_;  ///< CSR into path_links_, active_count + 1
    std::vector<std::int32_t> path_links_;
    // Only read by phase changes and planned re-routes.
    std::vector<double> rate_scale_;  ///< subflows: the flow's rate is rate_bps_ x this
    std::vector<double> cap_u_;       ///< the flow's draw from the loss-limited table
    std::vector<std::int32_t> src_;
    std::vector<std::int32_t> dst_;
    std::vector<std::uint64_t> path_seed_;
    std::vector<const TransportTables*> tables_;
    std::vector<std::int32_t> plan_slot_;  ///< -1: default routing
    /// Calls `fn` on every per-flow column above (all but the CSR path_offsets_/path_links_).
    /// run() clears and advance() compacts and resizes through this one list, so a column
    /// added here cannot be left out of one of them and fall out of step with its flows.
    template <typename Fn>
    void for_each_flow_column(Fn&& fn) {
        fn(remaining_bits_);
        fn(cap_bps_);
        fn(fault_cap_bps_);
        fn(rate_bps_);
        fn(arrival_s_);
        fn(size_bytes_);
        fn(base_rtt_s_);
        fn(drop_rate_);
        fn(queue_s_);
        fn(measured_);
        fn(rate_scale_);
        fn(cap_u_);
        fn(src_);
        fn(dst_);
        fn(path_seed_);
        fn(tables_);
        fn(plan_slot_);
    }
    std::vector<PlanSlot> plan_slots_;
    std::vector<std::int32_t> free_slots_;
    double next_switch_s_;                     ///< earliest pending leg or phase start
    std::vector<std::int32_t> reroute_links_;  ///< scratch for rebuilding path_links_
    FlowPlan plan_scratch_;
    RouteLeg leg_scratch_;
    std::size_t measured_active_ = 0;
    StopCheck stop_;
    bool long_flows_changed_ = true;  ///< a long flow joined or left since the last allocation
    /// Some flow's window held it below its offered rate in the last allocation: its window
    /// grows, so the next epoch must re-allocate and none may be skipped (long_flow_window.h).
    bool window_bound_ = false;

    // Short flows that arrived in the current epoch (their queueing reads the allocator's
    // per-channel load of the epoch).
    std::vector<ShortFlow> short_flows_;
    std::vector<std::int32_t> short_links_;
    std::vector<ChannelId> path_scratch_;
    // Scratch of apply_window_limits: per flow its window (bits; +inf without a window curve),
    // per channel the windows crossing it and their smallest base RTT.
    std::vector<double> flow_window_;
    std::vector<double> channel_window_;
    std::vector<double> channel_rtt_;
};

}  // namespace swarm
