// Where rank()'s samples run: the seam between its decision loop and the simulation work.
// rank() plans rounds of work items, one per (scenario, traffic sample, routing sample), and
// hands each round to a SampleExecutor. The default runs every item on this process's threads;
// another executor may run some of them elsewhere (mpi/: other MPI ranks, each with its own
// SampleRunner built from the same incident and options) and report their outcomes back.
// The decision rule, the rounds and the reduction stay in rank(): an item's seeds derive from
// (seed, traffic, routing) only and its outcome lands at its own place in the sample table, so
// the result is bit-identical wherever, in whatever order and by whichever process items run.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace swarm {

class SampleRunner;  // estimator/sample_runner.h: runs items on this process's threads

/// One unit of rank()'s work: routing sample `routing` of traffic sample `traffic` in scenario
/// `scenario` (0 the healthy network, c + 1 candidate c in input order).
struct SampleItem {
    std::uint32_t scenario = 0;
    std::uint32_t traffic = 0;
    std::uint32_t routing = 0;

    bool operator==(const SampleItem&) const = default;
};

/// What one item measured: each reported metric's per-sample value (rank()'s metric order), the
/// mitigation models' side metrics, and the long flows censored at the horizon / measured.
struct SampleOutcome {
    std::vector<double> metrics;
    std::vector<std::pair<std::string, double>> side_metrics;
    std::uint64_t censored = 0;
    std::uint64_t measured = 0;
};

/// Receives item i's outcome (i indexes the span handed to run_round). Safe to call
/// concurrently for distinct items.
using SampleSink = std::function<void(std::size_t item, SampleOutcome&& outcome)>;

/// When a round must stop (the caller's deadline or the end of the time budget); none: never.
using StopTime = std::optional<std::chrono::steady_clock::time_point>;

class SampleExecutor {
   public:
    virtual ~SampleExecutor() = default;

    /// Runs every item of one round and calls `sink` once for each item that finished.
    /// `local` runs items on this process's threads (what the default executor does with all
    /// of them). When `stop` passes it throws RankDeadlineExceeded (RankCancelled when the
    /// ranking is cancelled), after reporting the items that did finish: rank() then keeps the
    /// traffic samples complete for every scenario. Any other exception fails the ranking.
    virtual void run_round(std::span<const SampleItem> items, StopTime stop,
                           const SampleRunner& local, const SampleSink& sink) = 0;
};

}  // namespace swarm
