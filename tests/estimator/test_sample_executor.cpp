// The seam of estimator/sample_executor.h: where and in which order a round's items run never
// changes the ranking. An executor that runs the items one at a time in reverse order, and one
// that hands half of them to a second SampleRunner built from the same incident (what another
// MPI rank does, mpi/), give rank()'s in-process result bit for bit; one that drops items and
// reports a stop keeps only complete traffic samples.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>

#include "estimator/helper/incident_reader.h"
#include "estimator/helper/ranking_json.h"
#include "estimator/sample_executor.h"
#include "estimator/sample_runner.h"
#include "estimator/transport_tables.h"
#include "fixtures.h"
#include "models/builtin_models.h"
#include "swarm/rank.h"
#include "testbed_incident.h"

namespace swarm {
namespace {

const std::filesystem::path kData = SWARM_SOURCE_DATA_DIR;

const TransportTables& tables() { return testing::tables("analytic-reno"); }

/// Two candidates, dkw mode with 3 traffic x 2 routing samples (so items differ in routing).
Incident small_incident(bool adaptive) {
    nlohmann::json doc = testing::testbed_lossy_uplink("t0-t1-loss", 1e-3, 1.5, {0.5, 1.0});
    doc["estimator"] = {{"epoch_ms", 1}, {"seed", 7}};
    if (adaptive) {
        doc["estimator"]["epsilon"] = 0.3;
    } else {
        doc["estimator"]["traffic_samples"] = 3;
        doc["estimator"]["routing_samples"] = 2;
    }
    return read_incident(doc, kData, builtin_models());
}

std::string ranking_text(const Incident& incident, SampleExecutor* executor) {
    RankOptions options;
    options.executor = executor;
    nlohmann::json json = to_json(rank(incident, tables(), options));
    json.erase("elapsed_s");
    return json.dump();
}

/// Every item alone, last first.
class ReverseExecutor final : public SampleExecutor {
   public:
    void run_round(std::span<const SampleItem> items, StopTime stop, const SampleRunner& local,
                   const SampleSink& sink) override {
        for (std::size_t i = items.size(); i-- > 0;) {
            local.run(items.subspan(i, 1), stop,
                      [&](std::size_t, SampleOutcome&& outcome) { sink(i, std::move(outcome)); });
        }
        ++rounds;
    }
    int rounds = 0;
};

/// The second half of each round on another runner, as another MPI rank would run it.
class SplitExecutor final : public SampleExecutor {
   public:
    explicit SplitExecutor(const SampleRunner& other) : other_(other) {}
    void run_round(std::span<const SampleItem> items, StopTime stop, const SampleRunner& local,
                   const SampleSink& sink) override {
        const std::size_t half = items.size() / 2;
        local.run(items.first(half), stop, sink);
        other_.run(items.subspan(half), stop, [&](std::size_t i, SampleOutcome&& outcome) {
            sink(half + i, std::move(outcome));
        });
    }

   private:
    const SampleRunner& other_;
};

TEST(SampleExecutor, ItemOrderDoesNotChangeTheRanking) {
    for (bool adaptive : {false, true}) {
        const Incident incident = small_incident(adaptive);
        ReverseExecutor reverse;
        EXPECT_EQ(ranking_text(incident, &reverse), ranking_text(incident, nullptr)) << adaptive;
        EXPECT_GE(reverse.rounds, 1);
    }
}

TEST(SampleExecutor, AnotherRunnerOfTheSameIncidentGivesTheSameOutcomes) {
    for (bool adaptive : {false, true}) {
        const Incident incident = small_incident(adaptive);
        const SampleRunner other(incident, tables(), RankOptions{});
        SplitExecutor split(other);
        EXPECT_EQ(ranking_text(incident, &split), ranking_text(incident, nullptr)) << adaptive;
    }
}

TEST(SampleExecutor, ItemsCoverEveryRankedScenarioOfEachSample) {
    const Incident incident = small_incident(false);
    const SampleRunner runner(incident, tables(), RankOptions{});
    const std::vector<SampleItem> items = runner.items(1, 3, 2);
    ASSERT_EQ(runner.ranked_scenarios(), 3u);  // healthy + two candidates
    ASSERT_EQ(items.size(), 2u * 3u * 2u);
    EXPECT_EQ(items.front(), (SampleItem{0, 1, 0}));
    EXPECT_EQ(items[1], (SampleItem{0, 1, 1}));
    EXPECT_EQ(items[2], (SampleItem{1, 1, 0}));
    EXPECT_EQ(items.back(), (SampleItem{2, 2, 1}));
}

/// Runs the first traffic sample's items, drops the rest and reports a stop.
class StoppingExecutor final : public SampleExecutor {
   public:
    void run_round(std::span<const SampleItem> items, StopTime stop, const SampleRunner& local,
                   const SampleSink& sink) override {
        const auto first_traffic = std::count_if(items.begin(), items.end(), [&](const auto& i) {
            return i.traffic == items.front().traffic;
        });
        local.run(items.first(static_cast<std::size_t>(first_traffic)), stop, sink);
        throw RankDeadlineExceeded();
    }
};

TEST(SampleExecutor, AStoppedRoundKeepsItsCompleteTrafficSamples) {
    StoppingExecutor stopping;
    RankOptions options;
    options.executor = &stopping;
    const Ranking ranking = rank(small_incident(false), tables(), options);
    EXPECT_EQ(ranking.traffic_samples, 1);
    EXPECT_EQ(ranking.routing_samples, 2);
    EXPECT_EQ(ranking.decision.stopped_by, "time_budget");
}

}  // namespace
}  // namespace swarm
