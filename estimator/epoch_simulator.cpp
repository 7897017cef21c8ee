#include "estimator/epoch_simulator.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <stdexcept>

#include "swarm/rank.h"

namespace swarm {

void FlowOutcomes::clear() {
    long_throughput_bps.clear();
    short_fct_s.clear();
    censored = 0;
    censored_short = 0;
    side_metrics.clear();
    unroutable = 0;
    epochs = 0;
}

EpochSimulator::EpochSimulator(const Routing& routing, const TransportMix& transport,
                               const SimulationSettings& settings, const ScenarioModels* models)
    : routing_(&routing),
      base_routing_(&routing),
      transport_(&transport),
      settings_(settings),
      models_(models && !models->empty() ? models : nullptr),
      stop_(settings.cancel, settings.deadline) {}

void EpochSimulator::enter_phase(std::size_t phase) {
    routing_ = phase == 0 ? base_routing_ : models_->phases[phase - 1].routing;
    phase_ = phase;
    const NetworkState& state = routing_->state();
    const std::size_t links = state.topology().link_count();
    channel_capacity_bps_.resize(2 * links);
    for (std::size_t l = 0; l < links; ++l) {
        const double c = state.link_capacity_bps(static_cast<LinkId>(l));
        channel_capacity_bps_[2 * l] = c;
        channel_capacity_bps_[2 * l + 1] = c;
    }
    congestion_.reset(state, transport_->primary());
}

void EpochSimulator::start_runs(std::uint64_t routing_seed) {
    runs_.clear();
    if (!models_) return;
    for (std::size_t p = 0; p < models_->policies.size(); ++p) {
        runs_.push_back(
            models_->policies[p]->start_run(derive_seed(routing_seed, {kModelStream, p})));
    }
}

double EpochSimulator::next_switch_s() const {
    double next = std::numeric_limits<double>::infinity();
    if (models_ && phase_ < models_->phases.size()) next = models_->phases[phase_].start_s;
    for (std::size_t f = 0; f < plan_slot_.size(); ++f) {
        if (plan_slot_[f] < 0) continue;
        const PlanSlot& slot = plan_slots_[static_cast<std::size_t>(plan_slot_[f])];
        if (slot.next_leg < slot.plan.legs().size())
            next = std::min(next, slot.plan.legs()[slot.next_leg].start_s);
    }
    return next;
}

// Phase changes and planned re-routes take effect at the first epoch boundary at or after
// their time (rates are constant within an epoch). Paths change in place, so the CSR arrays
// are rebuilt once for all flows that move.
void EpochSimulator::switch_routes(double t0) {
    bool phase_changed = false;
    while (models_ && phase_ < models_->phases.size() && models_->phases[phase_].start_s <= t0) {
        enter_phase(phase_ + 1);
        phase_changed = true;
    }
    reroute_links_.clear();
    std::vector<std::int32_t> offsets;  // rare path: a phase change or a re-route
    offsets.reserve(path_offsets_.size());
    offsets.push_back(0);
    for (std::size_t f = 0; f < rate_bps_.size(); ++f) {
        const std::int32_t slot_index = plan_slot_[f];
        const RouteLeg* leg = nullptr;
        const FlowTransport* transport = nullptr;
        if (slot_index >= 0) {
            PlanSlot& slot = plan_slots_[static_cast<std::size_t>(slot_index)];
            const auto legs = slot.plan.legs();
            std::size_t next = slot.next_leg;
            while (next < legs.size() && legs[next].start_s <= t0) ++next;
            if (next != slot.next_leg) leg = &legs[next - 1];
            slot.next_leg = next;
            transport = slot.transport;
        } else if (phase_changed) {
            RouteLeg& fresh = leg_scratch_;
            fresh.channels.clear();
            fresh.subflows = 1;
            Rng rng(path_seed_[f]);
            if (routing_->reachable(src_[f], dst_[f])) {
                const PathProperties path =
                    routing_->sample_path(src_[f], dst_[f], rng, fresh.channels);
                fresh.drop_rate = path.drop_rate;
                fresh.base_rtt_s = path.base_rtt_s;
            } else {
                fresh.subflows = 0;  // cut off in this phase: it waits
            }
            leg = &fresh;
        }
        if (!leg) {
            reroute_links_.insert(reroute_links_.end(), path_links_.begin() + path_offsets_[f],
                                  path_links_.begin() + path_offsets_[f + 1]);
        } else {
            reroute_links_.insert(reroute_links_.end(), leg->channels.begin(), leg->channels.end());
            const double scale = leg->stalled() ? 1.0 : static_cast<double>(leg->subflows);
            cap_bps_[f] = leg_cap_bps(*leg, transport, *tables_[f], cap_u_[f]) / scale;
            fault_cap_bps_[f] = cap_bps_[f];
            drop_rate_[f] = leg->drop_rate;
            rate_scale_[f] = scale;
        }
        offsets.push_back(static_cast<std::int32_t>(reroute_links_.size()));
    }
    path_links_.swap(reroute_links_);
    path_offsets_.swap(offsets);
    long_flows_changed_ = true;
    next_switch_s_ = next_switch_s();
}

void EpochSimulator::allocate_rates(double t0, double t1) {
    // Same flows, paths, caps and capacities as last epoch: the max-min problem is identical,
    // so are its rates (still in rate_bps_) and the allocator's channel loads. This is exact,
    // and it is most epochs of a drain tail, where loss-limited flows run on with no arrivals.
    // A flow held by its window is the exception: its window grew during the epoch.
    if (!long_flows_changed_ && !window_bound_) return;
    long_flows_changed_ = false;
    // The offered allocation (caps from fault loss only) tells which channels saturate and
    // how many long flows share them: the epoch's congestion state (issue 13). Its effects on
    // the long flows' caps then give the epoch's rates, in a second waterfilling.
    const MaxMinProblem offered{channel_capacity_bps_, path_offsets_, path_links_, fault_cap_bps_};
    allocator_.allocate(offered, rate_bps_);
    congestion_.update(path_links_, allocator_);
    const bool congested = apply_congestion();
    if (!apply_window_limits(t0, t1) && !congested) return;
    const MaxMinProblem problem{channel_capacity_bps_, path_offsets_, path_links_, cap_bps_};
    allocator_.allocate(problem, rate_bps_);
}

// The reverse direction crosses the same links and switches: its drop rate differs from the
// forward one only where a channel drops in one direction (NetworkState::set_channel_drop_rate).
double EpochSimulator::reverse_drop_rate(const ShortFlow& flow) const {
    if (flow.leg.subflows != 1) return flow.leg.drop_rate;
    const NetworkState& state = routing_->state();
    double keep = 1.0 - flow.leg.drop_rate;
    for (auto i = flow.path_begin; i < flow.path_end; ++i) {
        const ChannelId c = short_links_[static_cast<std::size_t>(i)];
        const double forward = state.channel_drop_rate(c);
        const double reverse = state.channel_drop_rate(c ^ 1);
        if (forward == reverse) continue;
        if (forward >= 1.0) return 1.0;
        keep *= (1.0 - reverse) / (1.0 - forward);
    }
    return 1.0 - keep;
}

// Congestion on the long flows (docs/model.md "Congestion"), from the offered allocation:
//  (a) a flow with fault loss that lives longer than a loss cycle is capped at the
//      loss-limited rate at the path's fault and congestion drop combined and at the RTT
//      including the path's queueing (a flow policy's legs keep their own caps). The table
//      is a steady state (Mathis et al. / Padhye et al.: one loss per 1/p packets); a flow
//      with fewer packets left than 1/p never reaches it and keeps its fault-only cap at the
//      base RTT. A flow without fault loss gets no such cap: the congestion loss at its
//      bottleneck is how its fair share is enforced, which the allocation already holds;
//      capping it again at that loss would count the congestion twice;
//  (b) a flow bottlenecked at a saturated channel gets its draw from the measured spread of
//      competitors' rates there: a multiplier m < 1 of its fair share caps it, and the
//      waterfilling hands what it leaves to the others (m >= 1), so the allocation stays
//      feasible. The draw is the flow's own (seeded by its routing stream): a slow competitor
//      stays slow, as drop-tail unfairness persists (TCP Outcast, NSDI 2012).
// Returns whether any cap fell below the fault-only cap (else the offered rates stand).
bool EpochSimulator::apply_congestion() {
    if (!congestion_.enabled()) return false;
    bool changed = false;
    for (std::size_t f = 0; f < rate_bps_.size(); ++f) {
        const auto begin = static_cast<std::size_t>(path_offsets_[f]);
        const auto end = static_cast<std::size_t>(path_offsets_[f + 1]);
        const PathCongestion along =
            congestion_.along(std::span<const ChannelId>(path_links_.data() + begin, end - begin));
        const bool default_route = plan_slot_[f] < 0;
        // The FCT's wait: the other flows' packets ahead of its first and last byte (its own
        // are its transmission time at the fluid share). Subflows: one path's per round trip.
        queue_s_[f] = along.others_queue_s / rate_scale_[f];
        double cap = fault_cap_bps_[f];
        if (default_route && cap > 0.0 && drop_rate_[f] > 0.0) {
            const double drop = combine_drop(drop_rate_[f], along.drop_rate);
            const double packets_left = remaining_bits_[f] / (8.0 * tables_[f]->mss_bytes);
            if (packets_left * drop >= 1.0) {
                cap = std::min(cap, tables_[f]->loss_limited.sample_bps(
                                        drop, base_rtt_s_[f] + along.queue_s, cap_u_[f]));
            }
        }
        if (along.bottleneck >= 0 &&
            rate_bps_[f] < ChannelCongestion::kSaturated * fault_cap_bps_[f]) {
            const double u =
                static_cast<double>(derive_seed(path_seed_[f], {kSpreadStream}) >> 11) * 0x1.0p-53;
            const double share = congestion_.share(along.bottleneck, u);
            if (share < 1.0) cap = std::min(cap, share * rate_bps_[f]);
        }
        cap_bps_[f] = cap;
        changed = changed || cap < fault_cap_bps_[f];
    }
    return changed;
}

void EpochSimulator::finish_short_flows(Rng& transport_rng, FlowOutcomes& out) {
    if (short_flows_.empty()) return;
    // Per-channel state of this epoch (§3.3: queueing delay from utilisation and the number of
    // competing long flows, Appendix B, Fig. 1(b); at saturation the congestion table at the
    // channel's buffer, issue 13). congestion_ holds it for every channel a long flow crosses,
    // from the allocator's sums: re-summing them here over every long-flow path cost two
    // passes of random accesses per epoch, more than the short flows themselves at 16K.
    for (ShortFlow& flow : short_flows_) {
        if (flow.never) {
            if (flow.measured) {
                out.short_fct_s.push_back(flow.wait_s);
                ++out.censored_short;
            }
            continue;
        }
        double queueing_s = 0.0;
        for (auto i = flow.path_begin; i < flow.path_end; ++i) {
            const ChannelId c = short_links_[static_cast<std::size_t>(i)];
            queueing_s += congestion_.sample_queue_s(c, *flow.tables, transport_rng.uniform());
        }
        // Both directions' drop: fault and congestion (the short-flow model's p_f and p_r; the
        // SYN-ACK crosses the reverse channels, with their own congestion).
        const std::span<const ChannelId> channels(
            short_links_.data() + flow.path_begin,
            static_cast<std::size_t>(flow.path_end - flow.path_begin));
        double reverse_drop = reverse_drop_rate(flow);
        if (congestion_.enabled()) {
            reverse_drop =
                combine_drop(reverse_drop, congestion_.along_reverse(channels).drop_rate);
            flow.leg.drop_rate =
                combine_drop(flow.leg.drop_rate, congestion_.along(channels).drop_rate);
        }
        // Subflows run side by side: each round trip waits for one path's queues, on average.
        queueing_s /= static_cast<double>(flow.leg.subflows);
        const double u = transport_rng.uniform();
        double fct = 0.0;
        if (flow.transport) {
            fct = flow.transport->short_flow_fct_s(flow.size_bytes, flow.leg, queueing_s,
                                                   *flow.tables, u);
        } else if (flow.tables->short_flow_body &&
                   flow.size_bytes <= flow.tables->short_flow_body->max_size_bytes()) {
            // Body plus timeouts drawn from both directions' drop rates (short_flow_fct.h);
            // flows above the body's sizes (a short-flow threshold above 300 KB) keep the table.
            const ShortFlowPath path{flow.size_bytes, flow.leg.drop_rate, reverse_drop,
                                     flow.leg.base_rtt_s, flow.leg.base_rtt_s + queueing_s};
            TcpTimers timers = timers_;
            timers.mss_bytes = flow.tables->mss_bytes;
            fct = short_flow::sample_fct_s(path, *flow.tables->short_flow_body, timers, u,
                                           transport_rng);
        } else {
            const double rtts = flow.tables->short_flow_rtts.sample_rtts(
                flow.size_bytes, flow.leg.drop_rate, flow.leg.base_rtt_s, u);
            fct = rtts * (flow.leg.base_rtt_s + queueing_s);
        }
        if (flow.measured) out.short_fct_s.push_back(flow.wait_s + fct);
    }
    short_flows_.clear();
    short_links_.clear();
}

void EpochSimulator::advance(double t0, double t1, FlowOutcomes& out) {
    // Flows transmit at their epoch rate from max(arrival, t0); a flow that completes inside
    // the epoch finishes at its exact time. Survivors are compacted in place, paths too.
    std::size_t keep = 0;
    std::int32_t write_link = 0;
    const std::size_t active = rate_bps_.size();
    for (std::size_t f = 0; f < active; ++f) {
        const double start = std::max(arrival_s_[f], t0);
        const double rate = rate_bps_[f] * rate_scale_[f];
        const double sent = rate * (t1 - start);
        if (sent >= remaining_bits_[f] && rate > 0.0) {
            const double finish = start + remaining_bits_[f] / rate;
            // One RTT, with the path's queueing, for the handshake and the last byte's delivery.
            const double fct = finish - arrival_s_[f] + base_rtt_s_[f] + queue_s_[f];
            if (measured_[f]) {
                out.long_throughput_bps.push_back(size_bytes_[f] * 8.0 / fct);
                --measured_active_;
            }
            long_flows_changed_ = true;
            if (plan_slot_[f] >= 0) free_slots_.push_back(plan_slot_[f]);
            continue;
        }
        const std::int32_t begin = path_offsets_[f];
        const std::int32_t end = path_offsets_[f + 1];
        for (std::int32_t i = begin; i < end; ++i)
            path_links_[static_cast<std::size_t>(write_link++)] =
                path_links_[static_cast<std::size_t>(i)];
        remaining_bits_[f] -= sent;
        // The rate moves too, though the next allocate_rates() recomputes every rate once a
        // flow has left (long_flows_changed_), and nothing reads one before it.
        for_each_flow_column([keep, f](auto& column) { column[keep] = column[f]; });
        path_offsets_[keep + 1] = write_link;
        ++keep;
    }
    for_each_flow_column([keep](auto& column) { column.resize(keep); });
    path_offsets_.resize(keep + 1);
    path_links_.resize(static_cast<std::size_t>(write_link));
    (void)out;
}

void EpochSimulator::censor(double horizon, FlowOutcomes& out) {
    // Flows still running at the horizon report the average rate they achieved so far, which
    // is their rate under a constant bottleneck (typically a loss-limited flow).
    for (std::size_t f = 0; f < rate_bps_.size(); ++f) {
        if (!measured_[f]) continue;
        const double elapsed = horizon - arrival_s_[f];
        const double sent_bits =
            size_bytes_[f] * 8.0 - remaining_bits_[f];  // includes every subflow
        out.long_throughput_bps.push_back(elapsed > 0.0 ? sent_bits / elapsed : 0.0);
        ++out.censored;
    }
}

void EpochSimulator::run(const DemandSample& demand, const DemandEditor& editor,
                         std::uint64_t routing_seed, std::uint64_t transport_seed,
                         FlowOutcomes& out) {
    out.clear();
    for_each_flow_column([](auto& column) { column.clear(); });
    free_slots_.clear();
    for (std::size_t i = plan_slots_.size(); i-- > 0;)
        free_slots_.push_back(static_cast<std::int32_t>(i));
    enter_phase(0);
    start_runs(routing_seed);
    next_switch_s_ = next_switch_s();
    path_offsets_.assign(1, 0);
    path_links_.clear();
    short_flows_.clear();
    short_links_.clear();
    measured_active_ = 0;
    long_flows_changed_ = true;
    window_bound_ = false;

    Rng transport_rng(transport_seed);
    const double epoch = settings_.epoch_s;
    // Flows arriving after the window only matter while measured flows are still running;
    // measured flows still running at the horizon are censored.
    const double horizon = 2.0 * settings_.duration_s;
    std::size_t next = 0;
    const std::size_t flows = demand.size();
    stop_.check();
    for (std::int64_t k = 0;; ++k) {
        // A long sample must not hold up a cancelled job, or one past its deadline, for its whole run.
        stop_.poll();
        double t0 = static_cast<double>(k) * epoch;
        const bool measuring_ahead =
            next < flows && demand.arrival_s[next] < settings_.window_end_s;
        if (!measuring_ahead && measured_active_ == 0) break;
        if (t0 >= horizon) {
            censor(t0, out);
            break;
        }
        if (rate_bps_.empty() && next < flows && demand.arrival_s[next] >= t0 + epoch) {
            // Idle network: jump to the epoch of the next arrival.
            k = static_cast<std::int64_t>(std::floor(demand.arrival_s[next] / epoch));
            t0 = static_cast<double>(k) * epoch;
        }
        const double t1 = t0 + epoch;
        // Flows arriving during this epoch join at its start (Algorithm 1), and transmit from
        // their own arrival time.
        while (next < flows && demand.arrival_s[next] < t1) {
            admit(demand, editor, next, routing_seed, transport_rng, out);
            if ((++next & 1023u) == 0) stop_.poll();  // a long epoch can admit millions
        }
        if (t0 >= next_switch_s_) switch_routes(t0);
        allocate_rates(t0, t1);
        finish_short_flows(transport_rng, out);
        const std::int64_t until = quiet_until(k, demand, next, horizon);
        advance(t0, static_cast<double>(until) * epoch, out);
        out.epochs += static_cast<std::size_t>(until - k);
        k = until - 1;
    }
    for (const auto& run : runs_)
        run->side_metrics(settings_.window_end_s - settings_.window_start_s, out.side_metrics);
}

// Epochs k+1 .. m-1 change nothing but the flows' remaining bytes when no flow arrives, no
// flow completes and the horizon is not reached before epoch m: the rates of epoch k hold
// throughout, so one advance() over [t0(k), t0(m)) is the same computation as m - k single
// ones (up to rounding). Returns m (k + 1 when nothing can be skipped). This is the drain
// tail of a lossy incident: loss-limited flows running for seconds after arrivals stop.
std::int64_t EpochSimulator::quiet_until(std::int64_t k, const DemandSample& demand,
                                         std::size_t next, double horizon) const {
    const double epoch = settings_.epoch_s;
    const auto t1_of = [&](std::int64_t j) { return static_cast<double>(j) * epoch + epoch; };
    // The next arrival joins in its epoch: only epochs ending at or before it can be skipped.
    double stop = std::min(horizon, next_switch_s_);
    if (next < demand.size()) stop = std::min(stop, demand.arrival_s[next]);
    if (stop < t1_of(k + 1) || rate_bps_.empty() || window_bound_) return k + 1;
    const double t0 = static_cast<double>(k) * epoch;
    for (std::size_t f = 0; f < rate_bps_.size(); ++f) {
        const double rate = rate_bps_[f] * rate_scale_[f];
        if (rate <= 0.0) continue;
        stop = std::min(stop, std::max(arrival_s_[f], t0) + remaining_bits_[f] / rate);
        if (stop < t1_of(k + 1)) return k + 1;
    }
    // Skip whole epochs that end before the first event (and start before the horizon).
    auto m = static_cast<std::int64_t>(std::floor(stop / epoch));
    while (m > k + 1 && (t1_of(m - 1) > stop || static_cast<double>(m - 1) * epoch >= horizon)) --m;
    return std::max(m, k + 1);
}

}  // namespace swarm
