// The §4.1 baselines (docs/baselines.md) on the 2-pod testbed Clos, where every number is
// hand-checkable: 6 ToRs x 6 servers, 2 T1 per pod, 2 spines, 10 Gbps everywhere, uniform
// traffic and a flow-size CDF with a mean of exactly 1 MB (8e6 bits per flow).
//
// Uniform traffic: a server talks to each of the other 35 servers with probability 1/35, so a
// ToR sends 30/35 of its flows out of the rack and 18/35 out of the pod.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "estimator/baselines/baseline_strategy.h"
#include "estimator/baselines/corropt.h"
#include "estimator/baselines/link_load.h"
#include "estimator/baselines/netpilot.h"
#include "estimator/baselines/operator_playbook.h"
#include "estimator/helper/incident_reader.h"
#include "models/builtin_models.h"

namespace swarm::baselines {
namespace {

using json = nlohmann::json;

const std::filesystem::path kData = SWARM_SOURCE_DATA_DIR;
constexpr double kBitsPerFlow = 8e6;  // mean of the inline CDF below: 1 MB
constexpr double kCapacity = 10e9;

/// A testbed incident with the given failures, ongoing mitigations and candidates (JSON text).
Incident testbed(double rate, const std::string& failures, const std::string& candidates,
                 const std::string& ongoing = "[]") {
    const std::string text = R"({"version": 1, "name": "baselines-test",
      "topology": {"clos": {"pods": 2, "tors_per_pod": 3, "aggs_per_pod": 2, "spines": 2,
                            "servers_per_tor": 6, "link_gbps": 10, "link_delay_us": 1}},
      "failures": )" + failures +
                             R"(, "ongoing_mitigations": )" + ongoing + R"(,
      "traffic": {"arrival_rate_per_server": )" +
                             std::to_string(rate) + R"(,
                  "flow_size_cdf": [[999000, 0], [1001000, 1]]},
      "candidates": )" + candidates +
                             "}";
    return read_incident(json::parse(text), kData, builtin_models());
}

std::string loss(const char* a, const char* b, double drop) {
    return R"({"type": "link_loss", "link": [")" + std::string(a) + R"(", ")" + b +
           R"("], "drop_rate": )" + std::to_string(drop) + "}";
}
std::string disable(const char* a, const char* b) {
    return R"({"type": "disable_link", "link": [")" + std::string(a) + R"(", ")" + b + R"("]})";
}
std::string candidate(const char* name, const std::string& actions = "") {
    return R"({"name": ")" + std::string(name) + R"(", "actions": [)" + actions + "]}";
}

LinkId link_of(const Incident& incident, const char* a, const char* b) {
    const Topology& t = incident.topology;
    return *t.find_link(*t.find_node(a), *t.find_node(b));
}
/// Expected load from `a` to `b`, bits per second.
double load_on(const Incident& incident, const LinkLoad& load, const char* a, const char* b) {
    return load.channel_bps[static_cast<std::size_t>(
        incident.topology.channel(link_of(incident, a, b), *incident.topology.find_node(a)))];
}

std::string pick_name(const Incident& incident, const BaselinePick& pick) {
    return pick.candidate ? incident.candidates[*pick.candidate].name : "<none>";
}
std::string picked(const Incident& incident, const std::string& strategy) {
    return pick_name(incident, pick_with_baseline(incident, strategy));
}

// ---- expected link load ---------------------------------------------------------------------

TEST(LinkLoad, UniformTrafficOnTheHealthyTestbed) {
    const Incident incident = testbed(100, "[]", "[" + candidate("no-action") + "]");
    const LinkLoad load = expected_link_load(incident, build_candidate_network(incident, {}));
    EXPECT_EQ(load.unroutable_bps, 0.0);
    // ToR uplink: 6 servers x 100 flows/s x 30/35 leave the rack, split over 2 uplinks.
    const double tor_uplink = 6 * 100 * (30.0 / 35.0) * kBitsPerFlow / 2;
    EXPECT_NEAR(load_on(incident, load, "t0-0-0", "t1-0-0"), tor_uplink, 1.0);
    EXPECT_NEAR(load_on(incident, load, "t1-1-1", "t0-1-2"), tor_uplink, 1.0);
    // T1 -> spine: the pod's 18 servers x 100 x 18/35 leave the pod, over 2 T1 x 2 spines.
    EXPECT_NEAR(load_on(incident, load, "t1-0-0", "t2-0"),
                18 * 100 * (18.0 / 35.0) * kBitsPerFlow / 4, 1.0);
    // A server sends and receives its own 100 flows/s.
    EXPECT_NEAR(load_on(incident, load, "t0-0-0-h0", "t0-0-0"), 100 * kBitsPerFlow, 1.0);
    EXPECT_NEAR(load_on(incident, load, "t0-0-0", "t0-0-0-h0"), 100 * kBitsPerFlow, 1.0);
    const PeakUtilisation peak =
        max_utilisation(load, *build_candidate_network(incident, {}).state);
    EXPECT_NEAR(peak.utilisation, tor_uplink / kCapacity, 1e-9);  // 20.6%
}

TEST(LinkLoad, DisabledUplinkDoublesTheOtherOne) {
    const Incident incident = testbed(100, "[]", "[" + candidate("no-action") + "]");
    const CandidateNetwork network =
        build_candidate_network(incident, {DisableLink{link_of(incident, "t0-0-0", "t1-0-0")}});
    const LinkLoad load = expected_link_load(incident, network);
    const double out_of_rack = 6 * 100 * (30.0 / 35.0) * kBitsPerFlow;
    EXPECT_NEAR(load_on(incident, load, "t0-0-0", "t1-0-1"), out_of_rack, 1.0);
    EXPECT_NEAR(load_on(incident, load, "t1-0-1", "t0-0-0"), out_of_rack,
                1.0);  // 30 senders x 6/35
    EXPECT_EQ(load_on(incident, load, "t0-0-0", "t1-0-0"), 0.0);
    EXPECT_NEAR(max_utilisation(load, *network.state).utilisation, out_of_rack / kCapacity, 1e-9);
}

TEST(LinkLoad, DrainedTorMovesItsServersLoadOntoTheOthers) {
    const Incident incident = testbed(100, "[]", "[" + candidate("no-action") + "]");
    const CandidateNetwork network =
        build_candidate_network(incident, {DisableNode{*incident.topology.find_node("t0-0-0")}});
    const LinkLoad load = expected_link_load(incident, network);
    EXPECT_EQ(load.unroutable_bps, 0.0);
    // The 6 drained servers' flows land uniformly on the other 30: each sends 100 + 600/30.
    EXPECT_NEAR(load_on(incident, load, "t0-1-0-h3", "t0-1-0"), 120 * kBitsPerFlow, 1e-3);
    EXPECT_NEAR(load_on(incident, load, "t0-0-1", "t0-0-1-h0"), 120 * kBitsPerFlow, 1e-3);
    EXPECT_EQ(load_on(incident, load, "t0-0-0-h0", "t0-0-0"), 0.0);
}

TEST(LinkLoad, CutOffTorIsUnroutable) {
    const Incident incident = testbed(100, "[]", "[" + candidate("no-action") + "]");
    const CandidateNetwork network =
        build_candidate_network(incident, {DisableLink{link_of(incident, "t0-0-0", "t1-0-0")},
                                           DisableLink{link_of(incident, "t0-0-0", "t1-0-1")}});
    const LinkLoad load = expected_link_load(incident, network);
    EXPECT_GT(load.unroutable_bps, 0.0);
    ASSERT_TRUE(load.unroutable_reason);
    EXPECT_NE(load.unroutable_reason->find("t0-0-0"), std::string::npos) << *load.unroutable_reason;
}

// ---- NetPilot -------------------------------------------------------------------------------

/// A lossy ToR uplink and candidates that differ in what they disable.
Incident netpilot_incident(double rate) {
    return testbed(
        rate, "[" + loss("t0-0-0", "t1-0-0", 1e-4) + "]",
        "[" + candidate("no-action") + "," +
            candidate("cut-off-tor",
                      disable("t0-0-0", "t1-0-0") + "," + disable("t0-0-0", "t1-0-1")) +
            "," +
            candidate("disable-two",
                      disable("t0-0-0", "t1-0-0") + "," + disable("t1-0-1", "t2-0")) +
            "," + candidate("disable-link", disable("t0-0-0", "t1-0-0")) + "," +
            candidate(
                "wcmp",
                R"({"type": "set_wcmp", "node": "t0-0-0", "weights": {"t1-0-0": 1, "t1-0-1": 3}})") +
            "]");
}

TEST(NetPilot, AssessesEveryCandidate) {
    const std::vector<NetPilotAssessment> a = assess_netpilot(netpilot_incident(100));
    ASSERT_EQ(a.size(), 5u);
    EXPECT_EQ(a[0].faulty_in_service, 1);
    EXPECT_TRUE(a[1].unviable);
    EXPECT_EQ(a[3].faulty_in_service, 0);
    EXPECT_NEAR(a[0].peak.utilisation, 6 * 100 * (30.0 / 35.0) * kBitsPerFlow / 2 / kCapacity,
                1e-9);
    EXPECT_NEAR(a[3].peak.utilisation, 6 * 100 * (30.0 / 35.0) * kBitsPerFlow / kCapacity, 1e-9);
    // disable-two: T1 t1-0-1 sends all of t0-0-0's and half of its pod mates' inter-pod
    // traffic up its one spine link: (1 + 0.5 + 0.5) x 6 x 100 x 18/35 flows/s.
    EXPECT_NEAR(a[2].peak.utilisation, 2 * 6 * 100 * (18.0 / 35.0) * kBitsPerFlow / kCapacity,
                1e-9);
    // wcmp keeps the lossy link; NetPilot does not model it, so t0-0-0 -> t1-0-1 at 3/4 is the peak.
    EXPECT_EQ(a[4].faulty_in_service, 1);
    EXPECT_NEAR(a[4].peak.utilisation, 0.75 * 6 * 100 * (30.0 / 35.0) * kBitsPerFlow / kCapacity,
                1e-9);
}

TEST(NetPilot, OrigDisablesTheCorruptedLinkWithTheLowestMaxUtilisation) {
    const Incident incident = netpilot_incident(100);
    // Not no-action (lower utilisation, but the lossy link stays), not cut-off-tor (partition),
    // not disable-two (49% against 41%).
    EXPECT_EQ(picked(incident, "NetPilot-Orig"), "disable-link");
    EXPECT_EQ(picked(incident, "NetPilot-80"), "disable-link");  // 41% < 80%
    EXPECT_EQ(picked(incident, "NetPilot-99"), "disable-link");
}

TEST(NetPilot, ThresholdVariantsTakeNoActionAboveTheirThreshold) {
    // 220 flows/s per server: one uplink left carries 6 x 220 x 30/35 x 8 Mb = 9.05 Gb/s (90.5%).
    const Incident incident = netpilot_incident(220);
    EXPECT_EQ(picked(incident, "NetPilot-Orig"), "disable-link");
    const BaselinePick p80 = pick_with_baseline(incident, "NetPilot-80");
    EXPECT_EQ(pick_name(incident, p80), "no-action");
    EXPECT_NE(p80.reason.find("90.5%"), std::string::npos) << p80.reason;
    EXPECT_EQ(picked(incident, "NetPilot-99"), "disable-link");
}

TEST(NetPilot, WithoutAWayToDisableTheLossyLinkItMinimisesUtilisation) {
    const Incident incident = testbed(
        100, "[" + loss("t0-0-0", "t1-0-0", 1e-4) + "]",
        "[" +
            candidate(
                "wcmp",
                R"({"type": "set_wcmp", "node": "t0-0-0", "weights": {"t1-0-0": 1, "t1-0-1": 3}})") +
            "," + candidate("no-action") + "]");
    const BaselinePick pick = pick_with_baseline(incident, "NetPilot-Orig");
    EXPECT_EQ(pick_name(incident, pick), "no-action");
    EXPECT_NE(pick.reason.find("left in service"), std::string::npos) << pick.reason;
}

TEST(NetPilot, ThresholdVariantWithoutANoActionCandidateSaysSo) {
    const Incident incident =
        testbed(220, "[" + loss("t0-0-0", "t1-0-0", 1e-4) + "]",
                "[" + candidate("disable-link", disable("t0-0-0", "t1-0-0")) + "]");
    const BaselinePick pick = pick_with_baseline(incident, "NetPilot-80");
    EXPECT_FALSE(pick.candidate);
    EXPECT_NE(pick.reason.find("no candidate without actions"), std::string::npos) << pick.reason;
}

// ---- CorrOpt --------------------------------------------------------------------------------

std::string corropt_candidates() {
    return "[" + candidate("no-action") + "," +
           candidate("disable-t1-t2", disable("t1-0-0", "t2-0")) + "," +
           candidate("disable-t0-t1", disable("t0-0-0", "t1-0-1")) + "," +
           candidate("disable-both",
                     disable("t1-0-0", "t2-0") + "," + disable("t0-0-0", "t1-0-1")) +
           "]";
}

TEST(CorrOpt, SpinePathCounts) {
    const Incident incident = testbed(100, "[]", "[" + candidate("no-action") + "]");
    NetworkState state(incident.topology);
    EXPECT_EQ(spine_path_counts(state), std::vector<double>(6, 4.0));  // 2 T1 x 2 spines
    state.apply(DisableLink{link_of(incident, "t1-0-0", "t2-0")});
    EXPECT_EQ(spine_path_counts(state), (std::vector<double>{3, 3, 3, 4, 4, 4}));
    state.apply(DisableLink{link_of(incident, "t0-0-0", "t1-0-1")});
    EXPECT_EQ(spine_path_counts(state), (std::vector<double>{1, 3, 3, 4, 4, 4}));
}

TEST(CorrOpt, TorUplinkLeavesHalfThePaths) {
    // Disabling a T0-T1 link leaves that ToR 2 of its 4 spine paths: 50% meets 25% and 50%.
    const Incident incident =
        testbed(100, "[" + loss("t0-0-0", "t1-0-1", 1e-3) + "]", corropt_candidates());
    EXPECT_EQ(picked(incident, "CorrOpt-25"), "disable-t0-t1");
    EXPECT_EQ(picked(incident, "CorrOpt-50"), "disable-t0-t1");
    const BaselinePick p75 = pick_with_baseline(incident, "CorrOpt-75");
    EXPECT_EQ(pick_name(incident, p75), "no-action");
    EXPECT_NE(p75.reason.find("t0-0-0 would keep 50%"), std::string::npos) << p75.reason;
}

TEST(CorrOpt, T1SpineLinkLeavesThreeQuartersOfThePaths) {
    const Incident incident =
        testbed(100, "[" + loss("t1-0-0", "t2-0", 1e-3) + "]", corropt_candidates());
    for (const char* name : {"CorrOpt-25", "CorrOpt-50", "CorrOpt-75"}) {
        EXPECT_EQ(picked(incident, name), "disable-t1-t2") << name;
    }
}

TEST(CorrOpt, LinksAreCheckedInReportOrderAgainstEarlierDecisions) {
    // After the T1-spine link goes, t0-0-0 has 3 paths; losing t0-0-0 - t1-0-1 too leaves 1 (25%).
    const Incident incident = testbed(
        100, "[" + loss("t1-0-0", "t2-0", 1e-3) + "," + loss("t0-0-0", "t1-0-1", 1e-3) + "]",
        corropt_candidates());
    EXPECT_EQ(picked(incident, "CorrOpt-25"), "disable-both");
    EXPECT_EQ(picked(incident, "CorrOpt-50"), "disable-t1-t2");
    EXPECT_EQ(picked(incident, "CorrOpt-75"), "disable-t1-t2");
}

TEST(CorrOpt, OnlyLinkCorruptionCounts) {
    const Incident incident =
        testbed(100, R"([{"type": "node_loss", "node": "t0-0-0", "drop_rate": 0.01},
                                              {"type": "link_capacity", "link": ["t1-0-0", "t2-0"], "fraction": 0.5}])",
                corropt_candidates());
    EXPECT_EQ(picked(incident, "CorrOpt-25"), "no-action");
}

TEST(CorrOpt, NoMatchingCandidateIsReported) {
    const Incident incident =
        testbed(100, "[" + loss("t1-0-0", "t2-0", 1e-3) + "]",
                "[" + candidate("no-action") + "," +
                    candidate("drain-t1", R"({"type": "disable_node", "node": "t1-0-0"})") + "]");
    const BaselinePick pick = pick_with_baseline(incident, "CorrOpt-50");
    EXPECT_FALSE(pick.candidate);
    EXPECT_NE(pick.reason.find("no candidate does exactly that"), std::string::npos) << pick.reason;
}

TEST(CorrOpt, OngoingMitigationsCountAgainstTheNewLink) {
    // Shipped incident: t0-0-0 - t1-0-0 is already disabled, so t0-0-0 has 2 spine paths; the new
    // corrupting t1-0-1 - t2-1 would leave it 1 of 4.
    const Incident incident = read_incident_text(
        [] {
            std::ifstream in(kData / "incidents" / "scenario1-two-links.json");
            return std::string(std::istreambuf_iterator<char>(in), {});
        }(),
        kData, builtin_models());
    EXPECT_EQ(picked(incident, "CorrOpt-25"), "disable-new-link");
    EXPECT_EQ(picked(incident, "CorrOpt-50"), "no-action");
}

// ---- operator playbook ----------------------------------------------------------------------

std::string operator_candidates() {
    return "[" + candidate("no-action") + "," +
           candidate("disable-t0-t1", disable("t0-0-0", "t1-0-0")) + "," +
           candidate("disable-t1-t2", disable("t1-0-0", "t2-0")) + "," +
           candidate("drain-tor", R"({"type": "disable_node", "node": "t0-0-0"})") + "," +
           candidate("drain-tor+disable-t0-t1", R"({"type": "disable_node", "node": "t0-0-0"},)" +
                                                    disable("t0-0-1", "t1-0-0")) +
           "," +
           candidate(
               "move-server",
               R"({"type": "move_traffic", "from": "t0-0-0-h2", "to": "t0-1-0", "fraction": 1})") +
           "]";
}

TEST(OperatorPlaybook, DisablesALossyUplinkIfEnoughUplinksRemain) {
    // One of the ToR's two uplinks remains: 50% meets 25% and 50%, not 75%.
    const Incident incident =
        testbed(100, "[" + loss("t0-0-0", "t1-0-0", 1e-4) + "]", operator_candidates());
    EXPECT_EQ(picked(incident, "Operator-25"), "disable-t0-t1");
    EXPECT_EQ(picked(incident, "Operator-50"), "disable-t0-t1");
    EXPECT_EQ(picked(incident, "Operator-75"), "no-action");
}

TEST(OperatorPlaybook, CountsUplinksAtTheSwitchBelowTheLink) {
    // A T1 has two spine uplinks: the same 50% (where CorrOpt sees 75% of the ToR's paths).
    const Incident incident =
        testbed(100, "[" + loss("t1-0-0", "t2-0", 1e-4) + "]", operator_candidates());
    EXPECT_EQ(picked(incident, "Operator-50"), "disable-t1-t2");
    EXPECT_EQ(picked(incident, "Operator-75"), "no-action");
    EXPECT_EQ(picked(incident, "CorrOpt-75"), "disable-t1-t2");
}

TEST(OperatorPlaybook, IgnoresLossBelowItsLevel) {
    const Incident incident =
        testbed(100, "[" + loss("t0-0-0", "t1-0-0", 1e-6) + "]", operator_candidates());
    EXPECT_EQ(picked(incident, "Operator-25"), "no-action");
    PlaybookLevels strict;
    strict.link_drop = 1e-7;
    EXPECT_EQ(pick_name(incident, pick_operator(incident, 0.25, strict)), "disable-t0-t1");
}

TEST(OperatorPlaybook, DrainsALossyTorWhateverTheThreshold) {
    const Incident incident =
        testbed(100, R"([{"type": "node_loss", "node": "t0-0-0", "drop_rate": 0.01}])",
                operator_candidates());
    for (const char* name : {"Operator-25", "Operator-50", "Operator-75"}) {
        EXPECT_EQ(picked(incident, name), "drain-tor") << name;
    }
}

TEST(OperatorPlaybook, DrainsAndDisablesTogether) {
    const Incident incident =
        testbed(100,
                R"([{"type": "node_loss", "node": "t0-0-0", "drop_rate": 0.01}, )" +
                    loss("t0-0-1", "t1-0-0", 0.05) + "]",
                operator_candidates());
    EXPECT_EQ(picked(incident, "Operator-50"), "drain-tor+disable-t0-t1");
    EXPECT_EQ(picked(incident, "Operator-75"), "drain-tor");
}

TEST(OperatorPlaybook, LossBelowTheTorMovesTheServersVms) {
    const Incident incident =
        testbed(100, "[" + loss("t0-0-0-h2", "t0-0-0", 1e-3) + "]", operator_candidates());
    EXPECT_EQ(picked(incident, "Operator-75"), "move-server");
}

TEST(OperatorPlaybook, CongestionGetsNoAction) {
    const Incident incident =
        testbed(100, R"([{"type": "link_capacity", "link": ["t1-0-0", "t2-0"], "fraction": 0.5}])",
                operator_candidates());
    EXPECT_EQ(picked(incident, "Operator-25"), "no-action");
}

// ---- the strategy table ---------------------------------------------------------------------

TEST(BaselineStrategy, NamesAndErrors) {
    const std::vector<std::string> names = baseline_names();
    ASSERT_EQ(names.size(), 9u);
    EXPECT_EQ(names.front(), "NetPilot-Orig");
    EXPECT_EQ(names.back(), "Operator-75");
    const Incident incident = testbed(100, "[]", "[" + candidate("no-action") + "]");
    try {
        pick_with_baseline(incident, "netpilot");
        FAIL() << "expected std::invalid_argument";
    } catch (const std::invalid_argument& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("\"netpilot\""), std::string::npos) << what;
        EXPECT_NE(what.find("NetPilot-Orig, NetPilot-80"), std::string::npos) << what;
        EXPECT_NE(what.find("Operator-75"), std::string::npos) << what;
    }
}

TEST(BaselineStrategy, EveryBaselineRunsOnEveryShippedIncident) {
    for (const auto& entry : std::filesystem::directory_iterator(kData / "incidents")) {
        if (!entry.is_regular_file()) continue;  // fidelity/: the Table A.1 suite, same shapes
        std::ifstream in(entry.path());
        const Incident incident = read_incident_text(
            std::string(std::istreambuf_iterator<char>(in), {}), kData, builtin_models(),
            WorkBudget{}, entry.path().parent_path());  // import-*.json name files
        for (const std::string& name : baseline_names()) {
            const BaselinePick pick = pick_with_baseline(incident, name);
            EXPECT_EQ(pick.strategy, name);
            EXPECT_FALSE(pick.reason.empty());
            if (pick.candidate) {
                EXPECT_LT(*pick.candidate, incident.candidates.size());
            }
        }
    }
}

}  // namespace
}  // namespace swarm::baselines
