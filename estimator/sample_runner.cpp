#include "estimator/sample_runner.h"

#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/parallel_for.h>

#include <stdexcept>
#include <string>

#include "estimator/budget.h"
#include "estimator/clp_statistics.h"
#include "estimator/helper/downscale.h"
#include "estimator/random.h"
#include "estimator/stop_check.h"

namespace swarm {

namespace {

SimulationSettings settings_of(const Incident& incident) {
    const auto& e = incident.estimator;
    const auto& t = incident.traffic;
    return {e.epoch.value, e.short_flow_threshold.value, t.duration.value, t.window_start.value,
            t.window_end.value};
}

std::unique_ptr<Incident> downscaled_if_asked(const Incident& incident,
                                              const RankOptions& options) {
    const int k = downscale_factor(incident, options);
    return k > 1 ? std::make_unique<Incident>(downscaled(incident, k)) : nullptr;
}

std::unique_ptr<tbb::task_arena> arena_of(const RankOptions& options) {
    const int threads = options.threads > 0 ? options.threads : tbb::task_arena::automatic;
    return std::make_unique<tbb::task_arena>(threads);
}

/// Checks the budget on the incident sampled, then returns it.
const Incident& checked(const Incident& incident, const RankOptions& options) {
    check_budget(incident, options.budget, options.threads,
                 options.sampling.value_or(incident.estimator.sampling));
    return incident;
}

/// The first index of each run of items of one traffic sample, and items.size() last.
std::vector<std::size_t> traffic_groups(std::span<const SampleItem> items) {
    std::vector<std::size_t> starts;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i == 0 || items[i].traffic != items[i - 1].traffic) starts.push_back(i);
    }
    starts.push_back(items.size());
    return starts;
}

}  // namespace

int downscale_factor(const Incident& incident, const RankOptions& options) {
    if (!options.downscale) return 1;
    return *options.downscale == 0 ? auto_downscale(incident) : *options.downscale;
}

/// Scenario 0 is the healthy network; candidates follow in input order. Each is built on its
/// own (routing compilation is ~0.1 s per scenario at 16K servers), so in parallel.
SampleRunner::SampleRunner(const Incident& incident, const TransportTables& tables,
                           const RankOptions& options)
    : downscaled_(downscaled_if_asked(incident, options)),
      incident_(&checked(downscaled_ ? *downscaled_ : incident, options)),
      arena_(arena_of(options)),
      cancel_(options.cancel),
      seed_(options.seed.value_or(incident_->estimator.seed)),
      metrics_(metrics_to_report(incident_->comparator, options.extra_metrics)),
      transport_(incident_transport_mix(*incident_, tables, options)),
      sampler_(incident_->topology, incident_->traffic),
      scenarios_(incident_->candidates.size() + 1) {
    StopCheck(options.cancel, options.deadline).check();
    arena_->execute([&] {
        tbb::parallel_for(std::size_t{0}, scenarios_.size(), [&](std::size_t s) {
            const Candidate* candidate = s == 0 ? nullptr : &incident_->candidates[s - 1];
            scenarios_[s] = build_scenario(*incident_, transport_, sampler_, candidate, seed_);
        });
    });
    if (scenarios_[0].excluded) {
        // Every candidate is measured against the healthy network; with nothing broken it cannot
        // carry the traffic, so the topology or traffic pattern is wrong, not the candidates.
        throw IncidentError("$.topology",
                            "the healthy network (no failures, no actions) is partitioned: " +
                                *scenarios_[0].excluded +
                                "; every ToR that exchanges traffic must reach every other");
    }
}

SampleRunner::~SampleRunner() = default;

std::size_t SampleRunner::ranked_scenarios() const {
    std::size_t ranked = 0;
    for (const Scenario& scenario : scenarios_) ranked += scenario.excluded ? 0 : 1;
    return ranked;
}

std::vector<SampleItem> SampleRunner::items(int begin, int end, int routing) const {
    std::vector<SampleItem> items;
    for (int t = begin; t < end; ++t) {
        for (std::size_t s = 0; s < scenarios_.size(); ++s) {
            if (scenarios_[s].excluded) continue;
            for (int r = 0; r < routing; ++r) {
                items.push_back({static_cast<std::uint32_t>(s), static_cast<std::uint32_t>(t),
                                 static_cast<std::uint32_t>(r)});
            }
        }
    }
    return items;
}

SampleOutcome SampleRunner::run_item(const SampleItem& item, const DemandSample& demand,
                                     const SimulationSettings& settings,
                                     FlowOutcomes& outcomes) const {
    if (item.scenario >= scenarios_.size() || scenarios_[item.scenario].excluded) {
        throw std::invalid_argument("sample item of scenario " + std::to_string(item.scenario) +
                                    ", which is not ranked");
    }
    const Scenario& scenario = scenarios_[item.scenario];
    const std::uint64_t t = item.traffic;
    const std::uint64_t r = item.routing;
    EpochSimulator simulator(*scenario.routing, transport_, settings, &scenario.binding.models);
    simulator.run(demand, *scenario.editor, derive_seed(seed_, {kRoutingStream, t, r}),
                  derive_seed(seed_, {kTransportStream, t, r}), outcomes);
    return {sample_metrics(outcomes, metrics_), outcomes.side_metrics, outcomes.censored,
            outcomes.long_throughput_bps.size()};
}

void SampleRunner::run(std::span<const SampleItem> items, StopTime stop,
                       const SampleSink& sink) const {
    SimulationSettings settings = settings_of(*incident_);
    settings.transport_mix_seed = derive_seed(seed_, {kTransportMixStream});
    settings.cancel = cancel_;
    settings.deadline = stop;
    const std::vector<std::size_t> groups = traffic_groups(items);
    tbb::enumerable_thread_specific<FlowOutcomes> outcome_buffers;
    // A throw cancels the whole parallel_for and reaches the caller.
    auto check_stop = [&] { StopCheck(cancel_, stop).check(); };
    arena_->execute([&] {
        tbb::parallel_for(std::size_t{0}, groups.size() - 1, [&](std::size_t g) {
            check_stop();
            const std::uint64_t t = items[groups[g]].traffic;
            const DemandSample demand = sampler_.sample(derive_seed(seed_, {kTrafficStream, t}));
            tbb::parallel_for(groups[g], groups[g + 1], [&](std::size_t i) {
                check_stop();
                sink(i, run_item(items[i], demand, settings, outcome_buffers.local()));
            });
        });
    });
}

}  // namespace swarm
