#include "estimator/epoch_simulator.h"

#include "swarm/rank.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>

namespace swarm {

namespace {

/// A uniform draw that depends only on its inputs (a stateless stream for demand edits).
double hashed_uniform(std::uint64_t seed, std::uint64_t a, std::uint64_t b, std::uint64_t c) {
    return static_cast<double>(derive_seed(seed, {a, b, c}) >> 11) * 0x1.0p-53;
}

}  // namespace

void FlowOutcomes::clear() {
    long_throughput_bps.clear();
    short_fct_s.clear();
    censored = 0;
    unroutable = 0;
    epochs = 0;
}

DemandEditor::DemandEditor(const std::vector<DemandMove>& moves, std::size_t server_count, std::uint64_t seed)
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
        if (hashed_uniform(seed_, flow, static_cast<std::uint64_t>(side), 2 * m) >= move.fraction) continue;
        const double u = hashed_uniform(seed_, flow, static_cast<std::uint64_t>(side), 2 * m + 1);
        const auto pick = static_cast<std::size_t>(u * static_cast<double>(move.to_servers.size()));
        server = move.to_servers[std::min(pick, move.to_servers.size() - 1)];
    }
    return server;
}

EpochSimulator::EpochSimulator(const Routing& routing, const TransportMix& transport,
                               const SimulationSettings& settings)
    : routing_(&routing), transport_(&transport), settings_(settings), mtu_bits_(transport.mtu_bytes() * 8.0) {
    const NetworkState& state = routing.state();
    const std::size_t links = state.topology().link_count();
    channel_capacity_bps_.resize(2 * links);
    for (std::size_t l = 0; l < links; ++l) {
        const double c = state.link_capacity_bps(static_cast<LinkId>(l));
        channel_capacity_bps_[2 * l] = c;
        channel_capacity_bps_[2 * l + 1] = c;
    }
}

void EpochSimulator::admit(const DemandSample& demand, const DemandEditor& editor, std::size_t flow,
                           Rng& routing_rng, Rng& transport_rng, FlowOutcomes& out) {
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
    const double arrival = demand.arrival_s[flow];
    const double size = demand.size_bytes[flow];
    const TransportTables& tables = transport_->for_flow(settings_.transport_mix_seed, flow);
    if (size <= settings_.short_flow_bytes) {
        const auto begin = static_cast<std::int32_t>(short_links_.size());
        path_scratch_.clear();
        const PathProperties path = routing_->sample_path(src, dst, routing_rng, path_scratch_);
        short_links_.insert(short_links_.end(), path_scratch_.begin(), path_scratch_.end());
        short_flows_.push_back({begin, static_cast<std::int32_t>(short_links_.size()), size, path.drop_rate,
                                path.base_rtt_s, measured(arrival), &tables});
        return;
    }
    path_scratch_.clear();
    const PathProperties path = routing_->sample_path(src, dst, routing_rng, path_scratch_);
    path_links_.insert(path_links_.end(), path_scratch_.begin(), path_scratch_.end());
    path_offsets_.push_back(static_cast<std::int32_t>(path_links_.size()));
    remaining_bits_.push_back(size * 8.0);
    cap_bps_.push_back(tables.loss_limited.sample_bps(path.drop_rate, path.base_rtt_s, transport_rng.uniform()));
    rate_bps_.push_back(0.0);
    long_flows_changed_ = true;
    arrival_s_.push_back(arrival);
    size_bytes_.push_back(size);
    base_rtt_s_.push_back(path.base_rtt_s);
    const bool is_measured = measured(arrival);
    measured_.push_back(is_measured);
    measured_active_ += is_measured ? 1 : 0;
}

void EpochSimulator::allocate_rates() {
    // Same flows, paths, caps and capacities as last epoch: the max-min problem is identical,
    // so are its rates (still in rate_bps_) and the allocator's channel loads. This is exact,
    // and it is most epochs of a drain tail, where loss-limited flows run on with no arrivals.
    if (!long_flows_changed_) return;
    long_flows_changed_ = false;
    const MaxMinProblem problem{channel_capacity_bps_, path_offsets_, path_links_, cap_bps_};
    allocator_.allocate(problem, rate_bps_);
}

void EpochSimulator::finish_short_flows(Rng& transport_rng, FlowOutcomes& out) {
    if (short_flows_.empty()) return;
    // Per-channel state of this epoch (§3.3: queueing delay from utilisation and the number of
    // competing long flows, Appendix B, Fig. 1(b)). The allocator has just summed both for
    // every channel a long flow crosses; re-summing them here over every long-flow path cost
    // two passes of random accesses per epoch, more than the short flows themselves at 16K.
    for (const ShortFlow& flow : short_flows_) {
        double queueing_s = 0.0;
        for (auto i = flow.path_begin; i < flow.path_end; ++i) {
            const ChannelId c = short_links_[static_cast<std::size_t>(i)];
            const double u = transport_rng.uniform();
            const MaxMinFairAllocator::ChannelLoad load = allocator_.channel_load(c);
            if (load.flows == 0) continue;  // an idle link adds no queueing
            const double utilisation = std::min(1.0, load.rate_bps / load.capacity_bps);
            const double packets = flow.tables->queueing.sample_packets(utilisation, load.flows, u);
            queueing_s += packets * mtu_bits_ / load.capacity_bps;
        }
        const double rtts = flow.tables->short_flow_rtts.sample_rtts(flow.size_bytes, flow.drop_rate, flow.base_rtt_s,
                                                                 transport_rng.uniform());
        if (flow.measured) out.short_fct_s.push_back(rtts * (flow.base_rtt_s + queueing_s));
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
        const double sent = rate_bps_[f] * (t1 - start);
        if (sent >= remaining_bits_[f]) {
            const double finish = start + remaining_bits_[f] / rate_bps_[f];
            // One base RTT for the handshake and the last byte's delivery.
            const double fct = finish - arrival_s_[f] + base_rtt_s_[f];
            if (measured_[f]) {
                out.long_throughput_bps.push_back(size_bytes_[f] * 8.0 / fct);
                --measured_active_;
            }
            long_flows_changed_ = true;
            continue;
        }
        const std::int32_t begin = path_offsets_[f];
        const std::int32_t end = path_offsets_[f + 1];
        for (std::int32_t i = begin; i < end; ++i) path_links_[static_cast<std::size_t>(write_link++)] = path_links_[static_cast<std::size_t>(i)];
        remaining_bits_[keep] = remaining_bits_[f] - sent;
        cap_bps_[keep] = cap_bps_[f];
        arrival_s_[keep] = arrival_s_[f];
        size_bytes_[keep] = size_bytes_[f];
        base_rtt_s_[keep] = base_rtt_s_[f];
        measured_[keep] = measured_[f];
        path_offsets_[keep + 1] = write_link;
        ++keep;
    }
    remaining_bits_.resize(keep);
    cap_bps_.resize(keep);
    rate_bps_.resize(keep);
    arrival_s_.resize(keep);
    size_bytes_.resize(keep);
    base_rtt_s_.resize(keep);
    measured_.resize(keep);
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
        const double sent_bits = size_bytes_[f] * 8.0 - remaining_bits_[f];
        out.long_throughput_bps.push_back(elapsed > 0.0 ? sent_bits / elapsed : 0.0);
        ++out.censored;
    }
}

void EpochSimulator::run(const DemandSample& demand, const DemandEditor& editor, std::uint64_t routing_seed,
                         std::uint64_t transport_seed, FlowOutcomes& out) {
    out.clear();
    remaining_bits_.clear();
    cap_bps_.clear();
    rate_bps_.clear();
    arrival_s_.clear();
    size_bytes_.clear();
    base_rtt_s_.clear();
    measured_.clear();
    path_offsets_.assign(1, 0);
    path_links_.clear();
    short_flows_.clear();
    short_links_.clear();
    measured_active_ = 0;
    long_flows_changed_ = true;

    Rng routing_rng(routing_seed);
    Rng transport_rng(transport_seed);
    const double epoch = settings_.epoch_s;
    // Flows arriving after the window only matter while measured flows are still running;
    // measured flows still running at the horizon are censored.
    const double horizon = 2.0 * settings_.duration_s;
    std::size_t next = 0;
    const std::size_t flows = demand.size();
    std::size_t iterations = 0;
    for (std::int64_t k = 0;; ++k) {
        // A long sample must not hold up a cancelled job for its whole run.
        if (settings_.cancel && (++iterations & 255u) == 0 && settings_.cancel->load(std::memory_order_relaxed)) {
            throw RankCancelled();
        }
        double t0 = static_cast<double>(k) * epoch;
        const bool measuring_ahead = next < flows && demand.arrival_s[next] < settings_.window_end_s;
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
            admit(demand, editor, next, routing_rng, transport_rng, out);
            ++next;
        }
        allocate_rates();
        finish_short_flows(transport_rng, out);
        const std::int64_t until = quiet_until(k, demand, next, horizon);
        advance(t0, static_cast<double>(until) * epoch, out);
        out.epochs += static_cast<std::size_t>(until - k);
        k = until - 1;
    }
}

// Epochs k+1 .. m-1 change nothing but the flows' remaining bytes when no flow arrives, no
// flow completes and the horizon is not reached before epoch m: the rates of epoch k hold
// throughout, so one advance() over [t0(k), t0(m)) is the same computation as m - k single
// ones (up to rounding). Returns m (k + 1 when nothing can be skipped). This is the drain
// tail of a lossy incident: loss-limited flows running for seconds after arrivals stop.
std::int64_t EpochSimulator::quiet_until(std::int64_t k, const DemandSample& demand, std::size_t next,
                                         double horizon) const {
    const double epoch = settings_.epoch_s;
    const auto t1_of = [&](std::int64_t j) { return static_cast<double>(j) * epoch + epoch; };
    // The next arrival joins in its epoch: only epochs ending at or before it can be skipped.
    double stop = horizon;
    if (next < demand.size()) stop = std::min(stop, demand.arrival_s[next]);
    if (stop < t1_of(k + 1) || rate_bps_.empty()) return k + 1;
    const double t0 = static_cast<double>(k) * epoch;
    for (std::size_t f = 0; f < rate_bps_.size(); ++f) {
        if (rate_bps_[f] <= 0.0) continue;
        stop = std::min(stop, std::max(arrival_s_[f], t0) + remaining_bits_[f] / rate_bps_[f]);
        if (stop < t1_of(k + 1)) return k + 1;
    }
    // Skip whole epochs that end before the first event (and start before the horizon).
    auto m = static_cast<std::int64_t>(std::floor(stop / epoch));
    while (m > k + 1 && (t1_of(m - 1) > stop || static_cast<double>(m - 1) * epoch >= horizon)) --m;
    return std::max(m, k + 1);
}

}  // namespace swarm
