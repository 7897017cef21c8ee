// Inputs that once crashed swarm, starved it or exhausted its memory (issue 12), replayed from
// the files and texts that found them: tests/data/robustness/, and nesting generated here.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "estimator/budget.h"
#include "estimator/helper/incident_reader.h"
#include "estimator/helper/json_document.h"
#include "estimator/transport_tables.h"
#include "models/builtin_models.h"
#include "swarm/rank.h"

namespace swarm {
namespace {

const std::filesystem::path kData = SWARM_SOURCE_DATA_DIR;
const std::filesystem::path kCases = kData.parent_path() / "tests" / "data" / "robustness";

std::string text_of(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// The BudgetExceeded reading `file` throws (fails the test when it throws nothing or another type).
BudgetExceeded budget_error(const std::string& file) {
    try {
        read_incident_text(text_of(kCases / file), kData, builtin_models());
    } catch (const BudgetExceeded& e) {
        return e;
    } catch (const std::exception& e) {
        ADD_FAILURE() << file << ": not a BudgetExceeded: " << e.what();
    }
    ADD_FAILURE() << file << ": accepted";
    return BudgetExceeded("", "", 0, 0, "");
}

// ---- the crash that repeated on every restart --------------------------------------------------

TEST(PartitionedHealthyNetwork, IsAnInputErrorNotACrash) {
    // A ToR chain a-b-c: the reader accepts it, but a cannot reach c (no valley routing), so the
    // healthy network never ran a sample and summarise() read rows that did not exist.
    const Incident incident =
        read_incident_text(text_of(kCases / "tor-chain-partitioned.json"), kData, builtin_models());
    const TransportTables tables = TransportTables::load(kData / "tables" / "analytic-reno");
    try {
        rank(incident, tables);
        FAIL() << "ranked a partitioned healthy network";
    } catch (const IncidentError& e) {
        EXPECT_EQ(e.path(), "$.topology");
        EXPECT_NE(std::string(e.what()).find("healthy network"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("cannot reach"), std::string::npos) << e.what();
    }
}

// ---- JSON nesting ------------------------------------------------------------------------------

TEST(JsonDocument, DeepNestingFailsAtTheLimitWithItsPath) {
    // `[` x 50,000 once took 21 CPU s and 4.3 GB: every open array kept a copy of its whole path.
    try {
        parse_json_document(std::string(50'000, '['));
        FAIL() << "accepted";
    } catch (const IncidentError& e) {
        std::string path = "$";
        for (int i = 0; i < kMaxJsonDepth; ++i) path += "[0]";
        EXPECT_EQ(e.path(), path);
        EXPECT_NE(std::string(e.what()).find("nest more than 64 levels"), std::string::npos)
            << e.what();
    }
}

TEST(JsonDocument, DeepObjectsNameTheirKeys) {
    std::string text;
    for (int i = 0; i < 100; ++i) text += "{\"a\":";
    try {
        parse_json_document(text);
        FAIL() << "accepted";
    } catch (const IncidentError& e) {
        EXPECT_TRUE(e.path().starts_with("$.a.a.a")) << e.path();
    }
}

TEST(JsonDocument, NestingUpToTheLimitIsAccepted) {
    const std::string deepest = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
    EXPECT_NO_THROW(parse_json_document(deepest));
    EXPECT_THROW(parse_json_document("[" + deepest + "]"), IncidentError);
}

TEST(JsonDocument, ADeepIncidentFileIsRejectedByTheReader) {
    // The CLI's 200 KB of `[` (90 s before the limit).
    EXPECT_THROW(read_incident_text(std::string(200'000, '['), kData, builtin_models()),
                 IncidentError);
}

TEST(JsonDocument, SyntaxErrorsCarryNoLibraryTextOrInputBytes) {
    try {
        parse_json_document("{\"name\": \xff\xfe}");
        FAIL() << "accepted";
    } catch (const IncidentError& e) {
        const std::string what = e.what();
        EXPECT_EQ(what.find("json.exception"), std::string::npos) << what;
        EXPECT_EQ(what.find('\xff'), std::string::npos) << what;
        EXPECT_EQ(what.find("last read"), std::string::npos) << what;
    }
}

TEST(JsonDocument, DuplicateKeysAreStillFound) {
    try {
        parse_json_document(R"({"a": [{"b": 1, "b": 2}]})");
        FAIL() << "accepted";
    } catch (const IncidentError& e) {
        EXPECT_EQ(e.path(), "$.a[0].b");
    }
}

// ---- the work budget ---------------------------------------------------------------------------

TEST(WorkBudget, ArrivalRateOf1e308IsOverTheFlowLimit) {
    const BudgetExceeded e = budget_error("budget-arrival-rate-1e308.json");
    EXPECT_EQ(e.path(), "$.traffic.arrival_rate_per_server");
    EXPECT_EQ(e.limit(), "max_flows_per_sample");
    EXPECT_EQ(e.limit_value(), WorkBudget{}.max_flows_per_sample);
    EXPECT_GT(e.requested(), 1e300);
}

TEST(WorkBudget, DurationOf1e300IsOverTheFlowLimit) {
    const BudgetExceeded e = budget_error("budget-duration-1e300.json");
    EXPECT_EQ(e.limit(), "max_flows_per_sample");
}

TEST(WorkBudget, EpochOf1e308msIsOverTheEpochLimit) {
    const BudgetExceeded e = budget_error("budget-epoch-1e-308.json");
    EXPECT_EQ(e.path(), "$.estimator.epoch_ms");
    EXPECT_EQ(e.limit(), "max_epochs_per_sample");
}

TEST(WorkBudget, AMillionNodeClosIsRefusedBeforeItIsBuilt) {
    // 10 pods x 100 ToRs x 1000 servers: 10^6 servers in 252 bytes.
    const BudgetExceeded e = budget_error("budget-clos-1e6-nodes.json");
    EXPECT_EQ(e.path(), "$.topology.clos");
    EXPECT_EQ(e.limit(), "max_servers");
    EXPECT_EQ(e.requested(), 1e6);
}

TEST(WorkBudget, ExplicitServerCountsAreCheckedBeforeBuilding) {
    const nlohmann::json doc = nlohmann::json::parse(
        R"({"topology": {"nodes": [{"name": "a", "tier": 0, "servers": 900000}], "links": []}})");
    EXPECT_THROW(check_topology_budget(doc, WorkBudget{}), BudgetExceeded);
    WorkBudget roomy;
    roomy.max_servers = 1e6;
    EXPECT_NO_THROW(check_topology_budget(doc, roomy));
}

TEST(WorkBudget, EveryLimitIsConfigurable) {
    const std::string text = text_of(kData / "incidents" / "scenario1-low-fcs.json");
    const Incident incident = read_incident_text(text, kData, builtin_models());
    const WorkEstimate need = estimate_work(incident, 1);
    auto limit_hit = [&](WorkBudget budget) {
        try {
            check_budget(incident, budget, 1);
        } catch (const BudgetExceeded& e) {
            return e.limit();
        }
        return std::string("none");
    };
    auto below = [](double v) { return v * 0.99; };
    WorkBudget b;
    EXPECT_EQ(limit_hit(b), "none");
    b.max_servers = below(need.servers);
    EXPECT_EQ(limit_hit(b), "max_servers");
    b = {};
    b.max_links = below(need.links);
    EXPECT_EQ(limit_hit(b), "max_links");
    b = {};
    b.max_flows_per_sample = below(need.flows_per_sample);
    EXPECT_EQ(limit_hit(b), "max_flows_per_sample");
    b = {};
    b.max_epochs_per_sample = below(need.epochs_per_sample);
    EXPECT_EQ(limit_hit(b), "max_epochs_per_sample");
    b = {};
    b.max_samples = below(need.samples);
    // Adaptive sampling (the incident's) stops at the limit instead; fixed counts are refused.
    EXPECT_EQ(limit_hit(b), "none");
    EXPECT_THROW(check_budget(incident, b, 1, SamplingMode::Dkw), BudgetExceeded);
    b = {};
    b.max_memory_bytes = below(need.memory_bytes);
    EXPECT_EQ(limit_hit(b), "max_memory_bytes");
    // The reader applies the caller's budget too.
    b = {};
    b.max_servers = below(need.servers);
    EXPECT_THROW(read_incident_text(text, kData, builtin_models(), b), BudgetExceeded);
}

TEST(WorkBudget, RankChecksItsOptionsBudget) {
    const Incident incident = read_incident_text(
        text_of(kData / "incidents" / "scenario1-low-fcs.json"), kData, builtin_models());
    const TransportTables tables = TransportTables::load(kData / "tables" / "analytic-reno");
    RankOptions options;
    options.budget.max_samples = 1;
    options.sampling = SamplingMode::Dkw;
    EXPECT_THROW(rank(incident, tables, options), BudgetExceeded);
    // Adaptive sampling stops at the limit instead (this incident never settles: the cap ends it).
    options.budget.max_samples = 2;
    options.sampling = SamplingMode::Adaptive;
    const Ranking r = rank(incident, tables, options);
    EXPECT_EQ(r.decision.samples, 2);
    EXPECT_EQ(r.decision.stopped_by, "sample_cap");
}

TEST(WorkBudget, EveryShippedIncidentFitsTheDefaults) {
    for (const auto& dir : {kData / "incidents", kData / "incidents" / "fidelity"}) {
        for (const auto& entry : std::filesystem::directory_iterator(dir)) {
            if (entry.path().extension() != ".json") continue;
            EXPECT_NO_THROW(
                read_incident_text(text_of(entry.path()), kData, builtin_models(), WorkBudget{},
                                   entry.path().parent_path()))  // import-*.json name files
                << entry.path();
        }
    }
}

}  // namespace
}  // namespace swarm
