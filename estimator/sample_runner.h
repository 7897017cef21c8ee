// The samples of one rank() call as work items (estimator/sample_executor.h): everything they
// read, built once from the incident and the options (the transport mix, the demand sampler, the
// healthy network and every candidate's, docs/model.md), and a way to run any set of items on
// this process's threads. rank() builds one per call; a process that runs a share of another
// process's ranking (mpi/) builds its own from the same incident and options, and gets the same
// scenarios, seeds and hence the same outcomes.
#pragma once

#include <oneapi/tbb/task_arena.h>

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "estimator/demand.h"
#include "estimator/epoch_simulator.h"
#include "estimator/sample_executor.h"
#include "estimator/scenario.h"
#include "estimator/transport_mix.h"
#include "swarm/incident.h"
#include "swarm/rank.h"

namespace swarm {

struct TransportTables;

/// The down-scaling factor rank() applies (RankOptions::downscale): 1 for the full network.
int downscale_factor(const Incident& incident, const RankOptions& options);

class SampleRunner {
   public:
    /// Builds what rank(incident, tables, options) samples: down-scales the incident as
    /// options.downscale asks, checks options.budget, then builds every scenario (in parallel on
    /// options.threads). Throws what rank() throws for them: BudgetExceeded, IncidentError
    /// when the healthy network is partitioned, RankCancelled/RankDeadlineExceeded,
    /// std::invalid_argument for a bad transport section. `incident` and `tables` must outlive
    /// the runner.
    SampleRunner(const Incident& incident, const TransportTables& tables,
                 const RankOptions& options);
    ~SampleRunner();
    SampleRunner(const SampleRunner&) = delete;
    SampleRunner& operator=(const SampleRunner&) = delete;

    /// Runs `items` in parallel on this runner's threads, calling sink(i, outcome) for each
    /// item i that finished. Items of one traffic sample share its demand sample, so the
    /// (traffic, scenario, routing) order of items() is the cheap one. Throws like
    /// SampleExecutor::run_round when `stop` passes or the ranking is cancelled, and
    /// std::invalid_argument for an item outside the plan (an unranked scenario).
    void run(std::span<const SampleItem> items, StopTime stop, const SampleSink& sink) const;

    /// The items of traffic samples [begin, end), `routing` routing samples each, of every
    /// ranked (not excluded) scenario, in (traffic, scenario, routing) order.
    std::vector<SampleItem> items(int begin, int end, int routing) const;

    /// Runs `f` on this runner's threads (options.threads).
    template <typename F>
    void execute(F&& f) const {
        arena_->execute(std::forward<F>(f));
    }

    const Incident& incident() const { return *incident_; }  ///< down-scaled if asked
    const std::vector<Scenario>& scenarios() const { return scenarios_; }
    std::size_t ranked_scenarios() const;
    const std::vector<Metric>& metrics() const { return metrics_; }
    const TransportMix& transport() const { return transport_; }
    std::uint64_t seed() const { return seed_; }

   private:
    SampleOutcome run_item(const SampleItem& item, const DemandSample& demand,
                           const SimulationSettings& settings, FlowOutcomes& outcomes) const;

    std::unique_ptr<Incident> downscaled_;  ///< owned when options.downscale applies
    const Incident* incident_;
    std::unique_ptr<tbb::task_arena> arena_;
    const std::atomic<bool>* cancel_;
    std::uint64_t seed_;
    std::vector<Metric> metrics_;
    TransportMix transport_;
    DemandSampler sampler_;
    std::vector<Scenario> scenarios_;
};

}  // namespace swarm
