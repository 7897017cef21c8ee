// Throughput of the max-min fair allocator (SWARM §3.3 "Computing bandwidth share", A.2) on
// synthetic 3-tier Clos instances: the per-epoch call of the CLP estimator's inner loop.
// Items are flows, so items/second reads as flows allocated per second.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "estimator/approximate_max_min_fair.h"
#include "estimator/max_min_fair.h"

namespace {

// 8 pods x (8 ToRs, 4 aggs), 16 spines in 4 planes, 16 hosts per ToR: 2816 directed channels.
// Intra-ToR flows are skipped, so paths have 4 (same pod) or 6 (across pods) channels.
struct ClosShape {
    int pods = 8, tors = 8, aggs = 4, spines_per_plane = 4, hosts = 16;
};

class ClosInstance {
   public:
    ClosInstance(int flows, std::uint64_t seed) {
        build_channels();
        std::mt19937_64 rng(seed);
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        offsets_.push_back(0);
        while (static_cast<int>(caps_.size()) < flows) {
            add_flow(rng);
            // 10% loss-limited flows (A.2's virtual edge), between 0.1 and 10 Gbps.
            caps_.push_back(unit(rng) < 0.1 ? 0.1e9 + unit(rng) * 9.9e9
                                            : std::numeric_limits<double>::infinity());
        }
    }
    swarm::MaxMinProblem problem() const { return {capacity_, offsets_, links_, caps_}; }
    std::size_t flows() const { return caps_.size(); }

   private:
    int host_count() const { return s_.pods * s_.tors * s_.hosts; }
    int tor_count() const { return s_.pods * s_.tors; }
    int agg_count() const { return s_.pods * s_.aggs; }
    // Channel id layout: [host up | host down | tor->agg | agg->tor | agg->spine | spine->agg].
    int host_up(int h) const { return h; }
    int host_down(int h) const { return host_count() + h; }
    int tor_agg(int t, int a, bool up) const {
        return 2 * host_count() + (up ? 0 : tor_count() * s_.aggs) + t * s_.aggs + a;
    }
    int agg_spine(int g, int p, bool up) const {
        return 2 * host_count() + 2 * tor_count() * s_.aggs +
               (up ? 0 : agg_count() * s_.spines_per_plane) + g * s_.spines_per_plane + p;
    }

    void build_channels() {
        capacity_.assign(2 * host_count(), 25e9);
        capacity_.resize(capacity_.size() + 2 * tor_count() * s_.aggs, 100e9);
        capacity_.resize(capacity_.size() + 2 * agg_count() * s_.spines_per_plane, 100e9);
    }

    void add_flow(std::mt19937_64& rng) {
        std::uniform_int_distribution<int> host(0, host_count() - 1);
        std::uniform_int_distribution<int> agg(0, s_.aggs - 1);
        std::uniform_int_distribution<int> spine(0, s_.spines_per_plane - 1);
        int src = host(rng), dst = host(rng);
        while (src / s_.hosts == dst / s_.hosts) {
            dst = host(rng);
        }
        const int src_tor = src / s_.hosts, dst_tor = dst / s_.hosts;
        const int src_pod = src_tor / s_.tors, dst_pod = dst_tor / s_.tors;
        const int plane = agg(rng);  // ECMP: the agg index picks the spine plane
        links_.push_back(host_up(src));
        links_.push_back(tor_agg(src_tor, plane, true));
        if (src_pod != dst_pod) {
            const int spine_in_plane = spine(rng);
            links_.push_back(agg_spine(src_pod * s_.aggs + plane, spine_in_plane, true));
            links_.push_back(agg_spine(dst_pod * s_.aggs + plane, spine_in_plane, false));
        }
        links_.push_back(tor_agg(dst_tor, plane, false));
        links_.push_back(host_down(dst));
        offsets_.push_back(static_cast<std::int32_t>(links_.size()));
    }

    ClosShape s_;
    std::vector<double> capacity_;
    std::vector<std::int32_t> offsets_;
    std::vector<std::int32_t> links_;
    std::vector<double> caps_;
};

template <typename Allocator>
void run_allocator(benchmark::State& state) {
    const ClosInstance instance(static_cast<int>(state.range(0)), 42);
    Allocator allocator;
    std::vector<double> rates(instance.flows());
    for (auto _ : state) {
        allocator.allocate(instance.problem(), rates);
        benchmark::DoNotOptimize(rates.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(instance.flows()));
}

void BM_ExactMaxMinFair(benchmark::State& state) {
    run_allocator<swarm::MaxMinFairAllocator>(state);
}
/// The q-quantile of `values` (sorted in place), nearest rank.
double quantile(std::vector<double>& values, double q) {
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, static_cast<std::size_t>(q * values.size()))];
}

// The single-pass variant of §3.4, with both sides of its error/speed trade-off: the time per
// call, and (counters, from one call against the exact allocator on the same instance) the
// per-flow relative error |approx - exact| / exact at the median and 99th percentile, the share
// of flows within 1%, and the ratios approx / exact of the 1st-percentile rate (what p1
// throughput reads) and of the total (what average throughput reads).
void BM_ApproximateMaxMinFair(benchmark::State& state) {
    run_allocator<swarm::ApproximateMaxMinFairAllocator>(state);
    const ClosInstance instance(static_cast<int>(state.range(0)), 42);
    std::vector<double> exact(instance.flows()), approx(instance.flows());
    swarm::MaxMinFairAllocator().allocate(instance.problem(), exact);
    swarm::ApproximateMaxMinFairAllocator().allocate(instance.problem(), approx);
    std::vector<double> error(exact.size());
    double within = 0.0, exact_total = 0.0, approx_total = 0.0;
    for (std::size_t f = 0; f < exact.size(); ++f) {
        error[f] = std::abs(approx[f] - exact[f]) / exact[f];
        within += error[f] <= 0.01;
        exact_total += exact[f];
        approx_total += approx[f];
    }
    state.counters["err_p50"] = quantile(error, 0.5);
    state.counters["err_p99"] = quantile(error, 0.99);
    state.counters["within_1pct"] = within / static_cast<double>(exact.size());
    state.counters["p1_ratio"] = quantile(approx, 0.01) / quantile(exact, 0.01);
    state.counters["total_ratio"] = approx_total / exact_total;
}
BENCHMARK(BM_ExactMaxMinFair)->Arg(1'000)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ApproximateMaxMinFair)
    ->Arg(1'000)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
