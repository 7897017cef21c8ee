// The explanation diagnostics (estimator/diagnosis.h) against hand-solved values on two ToRs
// joined by two aggregation switches, with loss on t0-a0: ECMP sends half of the cross-ToR
// flows over each aggregation switch, so 4/7 x 1/2 of the flows cross the lossy link; disabling
// it moves all of them to a1; a WCMP weight of 0 towards a0 at t0 empties only the upward
// direction, while t1 still sends half of its flows down a0 -> t0.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "estimator/diagnosis.h"
#include "estimator/helper/incident_reader.h"
#include "fixtures.h"
#include "models/builtin_models.h"

namespace swarm {
namespace {

const std::filesystem::path kData = SWARM_SOURCE_DATA_DIR;

Incident two_tors() {
    return read_incident(nlohmann::json::parse(R"({
      "version": 1, "name": "two-tors",
      "topology": {
        "nodes": [{"name": "t0", "tier": 0, "servers": 4}, {"name": "t1", "tier": 0, "servers": 4},
                  {"name": "a0", "tier": 1}, {"name": "a1", "tier": 1}],
        "links": [{"nodes": ["t0", "a0"]}, {"nodes": ["t0", "a1"]}, {"nodes": ["t1", "a0"]}, {"nodes": ["t1", "a1"]}],
        "link_gbps": 10, "link_delay_us": 1},
      "failures": [{"type": "link_loss", "link": ["t0", "a0"], "drop_rate": 0.05}],
      "traffic": {"arrival_rate_per_server": 500, "flow_size_cdf": "dctcp-websearch",
                  "duration_s": 1.0, "measure_window_s": [0.2, 0.8]},
      "candidates": [
        {"name": "no-action", "actions": []},
        {"name": "disable", "actions": [{"type": "disable_link", "link": ["t0", "a0"]}]},
        {"name": "wcmp", "actions": [{"type": "set_wcmp", "node": "t0", "weights": {"a0": 0, "a1": 1}}]}
      ],
      "estimator": {"seed": 11}
    })"),
                         kData, builtin_models());
}

struct Fixture {
    Incident incident = two_tors();
    std::vector<CandidateDiagnosis> d =
        diagnose(incident, testing::tables("analytic-reno"), RankOptions{}, 100);
    const Topology& topo() const { return incident.topology; }
    ChannelId channel(const char* from, const char* to) const {
        const NodeId a = *topo().find_node(from);
        return topo().channel(*topo().find_link(a, *topo().find_node(to)), a);
    }
    /// The traffic fraction on a failed direction.
    double failed_share(std::size_t scenario, ChannelId c) const {
        for (const FailedElementUse& e : d[scenario].failed) {
            if (e.channel == c) return e.traffic_fraction;
        }
        ADD_FAILURE() << "no failed element for channel " << c;
        return -1.0;
    }
    double utilisation(std::size_t scenario, ChannelId c) const {
        for (const ChannelLoad& load : d[scenario].busiest) {
            if (load.channel == c) return load.utilisation;
        }
        return 0.0;
    }
};

TEST(Diagnosis, OneEntryPerScenarioWithTheFailedDirections) {
    const Fixture f;
    ASSERT_EQ(f.d.size(), 4u);
    EXPECT_EQ(f.d[0].candidate, "");
    EXPECT_EQ(f.d[1].candidate, "no-action");
    EXPECT_EQ(f.d[3].candidate, "wcmp");
    for (const CandidateDiagnosis& c : f.d) {
        EXPECT_TRUE(c.diagnosed);
        ASSERT_EQ(c.failed.size(), 2u) << "both directions of the lossy link";
        EXPECT_GT(c.flows, 3000u);
    }
}

TEST(Diagnosis, CrossingFractionsMatchTheHandSolution) {
    const Fixture f;
    // 4 of a server's 7 possible destinations are on the other ToR; half of those flows take a0.
    EXPECT_NEAR(f.d[1].crossing_failed_fraction, 4.0 / 7.0 / 2.0, 0.03);
    EXPECT_EQ(f.d[2].crossing_failed_fraction, 0.0);
    // WCMP keeps only t1's half of the downward flows on the link.
    EXPECT_NEAR(f.d[3].crossing_failed_fraction, 4.0 / 7.0 / 4.0, 0.03);
    // The healthy network routes the same flows the same way as no-action (no loss there, but
    // the element is the same link).
    EXPECT_EQ(f.d[0].crossing_failed_fraction, f.d[1].crossing_failed_fraction);
}

TEST(Diagnosis, WcmpEmptiesTheUpwardDirectionOnlyAndSplitsExactlyLikeEcmpBelow) {
    const Fixture f;
    const ChannelId up = f.channel("t0", "a0");
    const ChannelId down = f.channel("a0", "t0");
    EXPECT_GT(f.failed_share(1, up), 0.0);
    EXPECT_EQ(f.failed_share(3, up), 0.0);
    // t1's choices are unchanged (same per-flow routing stream): the very same bytes come down.
    EXPECT_GT(f.failed_share(3, down), 0.0);
    EXPECT_DOUBLE_EQ(f.failed_share(3, down), f.failed_share(1, down));
    EXPECT_EQ(f.failed_share(2, up), 0.0);
    EXPECT_EQ(f.failed_share(2, down), 0.0);
}

TEST(Diagnosis, DisablingMovesExactlyTheLinksBytesToTheOtherUplink) {
    const Fixture f;
    const ChannelId a0_up = f.channel("t0", "a0");
    const ChannelId a1_up = f.channel("t0", "a1");
    EXPECT_NEAR(f.utilisation(2, a1_up), f.utilisation(0, a0_up) + f.utilisation(0, a1_up),
                1e-12 * f.utilisation(2, a1_up));
    EXPECT_EQ(f.utilisation(2, a0_up), 0.0);
    // Most utilised first.
    for (std::size_t i = 1; i < f.d[2].busiest.size(); ++i)
        EXPECT_GE(f.d[2].busiest[i - 1].utilisation, f.d[2].busiest[i].utilisation);
    // Offered load is bytes x 8 / duration over the capacity: 10 Gbps channels.
    for (const ChannelLoad& load : f.d[2].busiest)
        EXPECT_DOUBLE_EQ(load.utilisation, load.offered_bps / 10e9);
}

TEST(Diagnosis, OnlyLossyPathsAreLossLimited) {
    const Fixture f;
    EXPECT_EQ(f.d[0].loss_limited_fraction, 0.0);
    EXPECT_EQ(f.d[2].loss_limited_fraction, 0.0);
    // 5% loss at a few microseconds of RTT caps Reno far below 10 Gbps: every long flow over
    // the link is loss-limited, and only those (about 2/7 of the long flows).
    EXPECT_NEAR(f.d[1].loss_limited_fraction, 4.0 / 7.0 / 2.0, 0.08);
    EXPECT_LT(f.d[3].loss_limited_fraction, f.d[1].loss_limited_fraction);
}

}  // namespace
}  // namespace swarm
