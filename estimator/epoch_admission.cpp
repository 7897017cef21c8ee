// How a flow joins the epoch loop of Algorithm 1 (§3.3): its endpoints after the candidate's
// demand edits, its route (a flow policy's plan or a routing sample), its transport and its
// loss-limited cap; short flows are queued for finish_short_flows(), long ones join the
// max-min allocation. The loop itself is in epoch_simulator.cpp.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "estimator/epoch_simulator.h"
#include "swarm/rank.h"

namespace swarm {

namespace {

/// A uniform draw that depends only on its inputs (a stateless stream for demand edits).
double hashed_uniform(std::uint64_t seed, std::uint64_t a, std::uint64_t b, std::uint64_t c) {
    return static_cast<double>(derive_seed(seed, {a, b, c}) >> 11) * 0x1.0p-53;
}

}  // namespace

DemandEditor::DemandEditor(const std::vector<DemandMove>& moves, std::size_t server_count,
                           std::uint64_t seed)
    : moves_list_(&moves), seed_(seed) {
    for (const DemandMove& move : moves) {
        std::vector<char> from(server_count, 0);
        for (std::int32_t s : move.from_servers) from[static_cast<std::size_t>(s)] = 1;
        moves_.push_back(std::move(from));
    }
}

std::int32_t DemandEditor::apply(std::int32_t server, std::size_t flow, int side) const {
    for (std::size_t m = 0; m < moves_.size(); ++m) {
        if (!moves_[m][static_cast<std::size_t>(server)]) continue;
        const DemandMove& move = (*moves_list_)[m];
        if (hashed_uniform(seed_, flow, static_cast<std::uint64_t>(side), 2 * m) >= move.fraction)
            continue;
        const double u = hashed_uniform(seed_, flow, static_cast<std::uint64_t>(side), 2 * m + 1);
        const auto pick = static_cast<std::size_t>(u * static_cast<double>(move.to_servers.size()));
        server = move.to_servers[std::min(pick, move.to_servers.size() - 1)];
    }
    return server;
}

bool EpochSimulator::plan_flow(const FlowRequest& request, FlowPlan& plan,
                               const FlowTransport*& transport) {
    for (const auto& run : runs_) {
        plan.clear();
        if (!run->plan(request, plan)) continue;
        if (plan.empty())
            throw std::logic_error("a flow policy took a flow without giving it a route");
        transport = run->transport();
        return true;
    }
    return false;
}

double EpochSimulator::leg_cap_bps(const RouteLeg& leg, const FlowTransport* transport,
                                   const TransportTables& tables, double u) const {
    if (leg.stalled()) return 0.0;
    if (transport) return transport->loss_limited_bps(leg, tables, u);
    return tables.loss_limited.sample_bps(leg.drop_rate, leg.base_rtt_s, u);
}

void EpochSimulator::admit(const DemandSample& demand, const DemandEditor& editor, std::size_t flow,
                           std::uint64_t routing_seed, Rng& transport_rng, FlowOutcomes& out) {
    std::int32_t src = demand.src[flow];
    std::int32_t dst = demand.dst[flow];
    if (!editor.empty()) {
        src = editor.apply(src, flow, 0);
        dst = editor.apply(dst, flow, 1);
        if (src == dst) return;  // both ends moved onto one server: no network traffic left
    }
    if (!routing_->reachable(src, dst)) {
        ++out.unroutable;
        return;
    }
    FlowRequest request;
    request.flow = flow;
    request.src_server = src;
    request.dst_server = dst;
    request.arrival_s = demand.arrival_s[flow];
    request.size_bytes = demand.size_bytes[flow];
    request.is_short = request.size_bytes <= settings_.short_flow_bytes;
    // The flow's own routing stream: the same ECMP choice in every candidate whose DAG agrees
    // (common random numbers), whatever other flows do.
    request.path_seed = derive_seed(routing_seed, {flow});
    const TransportTables& tables = transport_->for_flow(settings_.transport_mix_seed, flow);
    const FlowTransport* transport = nullptr;
    const bool planned = !runs_.empty() && plan_flow(request, plan_scratch_, transport);
    if (request.is_short) {
        admit_short(request, planned ? &plan_scratch_ : nullptr, transport, tables,
                    2.0 * settings_.duration_s);
        return;
    }
    admit_long(request, planned ? &plan_scratch_ : nullptr, transport, tables,
               transport_rng.uniform());
}

void EpochSimulator::admit_short(const FlowRequest& request, const FlowPlan* plan,
                                 const FlowTransport* transport, const TransportTables& tables,
                                 double horizon) {
    const auto begin = static_cast<std::int32_t>(short_links_.size());
    ShortFlow flow{begin,   begin,    request.size_bytes,          request.arrival_s,
                   0.0,     {},       measured(request.arrival_s), false,
                   &tables, transport};
    if (!plan) {
        Rng rng(request.path_seed);
        const PathProperties path =
            routing_->sample_path(request.src_server, request.dst_server, rng, short_links_);
        flow.leg.drop_rate = path.drop_rate;
        flow.leg.base_rtt_s = path.base_rtt_s;
    } else {
        // A short flow completes on the first leg that gets its packets through; until then it
        // waits (a stall, a blackhole before detection).
        const RouteLeg* through = nullptr;
        for (const RouteLeg& leg : plan->legs()) {
            if (!leg.stalled()) {
                through = &leg;
                break;
            }
        }
        if (through) {
            flow.wait_s = std::max(0.0, through->start_s - request.arrival_s);
            flow.leg.subflows = through->subflows;
            flow.leg.drop_rate = through->drop_rate;
            flow.leg.base_rtt_s = through->base_rtt_s;
            short_links_.insert(short_links_.end(), through->channels.begin(),
                                through->channels.end());
        }
    }
    flow.path_end = static_cast<std::int32_t>(short_links_.size());
    if (flow.leg.stalled()) {
        flow.never = true;
        flow.wait_s = std::max(0.0, horizon - request.arrival_s);
    }
    short_flows_.push_back(std::move(flow));
}

void EpochSimulator::push_long(const RouteLeg& leg, double cap_bps, std::int32_t plan_slot) {
    path_links_.insert(path_links_.end(), leg.channels.begin(), leg.channels.end());
    path_offsets_.push_back(static_cast<std::int32_t>(path_links_.size()));
    const double scale = leg.stalled() ? 1.0 : static_cast<double>(leg.subflows);
    cap_bps_.push_back(cap_bps / scale);
    fault_cap_bps_.push_back(cap_bps / scale);
    drop_rate_.push_back(leg.drop_rate);
    queue_s_.push_back(0.0);
    rate_scale_.push_back(scale);
    plan_slot_.push_back(plan_slot);
}

void EpochSimulator::admit_long(const FlowRequest& request, const FlowPlan* plan,
                                const FlowTransport* transport, const TransportTables& tables,
                                double u) {
    if (!plan) {
        Rng rng(request.path_seed);
        RouteLeg& leg = leg_scratch_;
        leg.channels.clear();
        leg.subflows = 1;
        const PathProperties path =
            routing_->sample_path(request.src_server, request.dst_server, rng, leg.channels);
        leg.drop_rate = path.drop_rate;
        leg.base_rtt_s = path.base_rtt_s;
        push_long(leg, leg_cap_bps(leg, nullptr, tables, u), -1);
        base_rtt_s_.push_back(path.base_rtt_s);
    } else {
        // The leg in force at arrival; later ones wait in a plan slot until their epoch.
        const auto legs = plan->legs();
        std::size_t current = 0;
        while (current + 1 < legs.size() && legs[current + 1].start_s <= request.arrival_s)
            ++current;
        std::int32_t slot = -1;
        {
            if (free_slots_.empty()) {
                free_slots_.push_back(static_cast<std::int32_t>(plan_slots_.size()));
                plan_slots_.emplace_back();
            }
            slot = free_slots_.back();
            free_slots_.pop_back();
            PlanSlot& stored = plan_slots_[static_cast<std::size_t>(slot)];
            stored.plan.clear();
            for (const RouteLeg& leg : legs) {
                RouteLeg& copy = stored.plan.add_leg(leg.start_s);
                copy.channels.assign(leg.channels.begin(), leg.channels.end());
                copy.subflows = leg.subflows;
                copy.drop_rate = leg.drop_rate;
                copy.base_rtt_s = leg.base_rtt_s;
            }
            stored.next_leg = current + 1;
            stored.transport = transport;
            if (stored.next_leg < legs.size())
                next_switch_s_ = std::min(next_switch_s_, legs[stored.next_leg].start_s);
        }
        push_long(legs[current], leg_cap_bps(legs[current], transport, tables, u), slot);
        // The handshake and last-byte delivery are charged at the RTT of the leg that
        // eventually carries the flow: the last one.
        base_rtt_s_.push_back(legs.back().base_rtt_s);
    }
    remaining_bits_.push_back(request.size_bytes * 8.0);
    rate_bps_.push_back(0.0);
    long_flows_changed_ = true;
    arrival_s_.push_back(request.arrival_s);
    size_bytes_.push_back(request.size_bytes);
    cap_u_.push_back(u);
    src_.push_back(request.src_server);
    dst_.push_back(request.dst_server);
    path_seed_.push_back(request.path_seed);
    tables_.push_back(&tables);
    const bool is_measured = measured(request.arrival_s);
    measured_.push_back(is_measured);
    measured_active_ += is_measured ? 1 : 0;
}

}  // namespace swarm
