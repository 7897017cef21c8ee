// The conformance suite every registered mitigation model passes (the oneTBB test/conformance
// pattern; docs/design.md "Tests"). It is parameterised over builtin_models(), so a model added
// to the registry is covered without touching this file. Its inputs are the model's shipped
// example incidents: every data/incidents/*.json candidate action of the model's type, and a
// model without one fails HasAnExampleIncident. What it checks:
// - the model is described: docs/models/<type>.md, and describe() says more than its type;
// - every parameter error names its JSON path (a wrong value for each key, an unknown key);
// - flow_policy() holds the model to what it declares (the non-virtual wrapper), and a ranking
//   of the example runs under that wrapper's checks;
// - the same ranking at 1 and at 4 threads.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "estimator/baselines/link_load.h"
#include "estimator/helper/json_fields.h"
#include "estimator/helper/ranking_json.h"
#include "model_test_support.h"

namespace swarm::testing {
namespace {

using nlohmann::json;

/// One action of the model's type in a shipped incident: candidates[candidate].actions[action].
struct ModelUse {
    std::string incident;  ///< file name, for messages
    json doc;
    std::size_t candidate = 0;
    std::size_t action = 0;

    std::string label() const { return incident + " " + action_path(); }
    std::string action_path() const {
        return json_fields::item(
            json_fields::child(json_fields::item("$.candidates", candidate), "actions"), action);
    }
    const json& action_json() const { return doc["candidates"][candidate]["actions"][action]; }
};

std::vector<std::filesystem::path> shipped_incident_files() {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(
             std::filesystem::path(SWARM_SOURCE_DATA_DIR) / "incidents")) {
        if (entry.is_regular_file() && entry.path().extension() == ".json")
            files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

/// Every action of type `type` in the shipped incidents, in file order.
std::vector<ModelUse> uses_of(const std::string& type) {
    std::vector<ModelUse> uses;
    for (const auto& file : shipped_incident_files()) {
        std::ifstream in(file);
        const json doc = json::parse(in);
        const json& candidates = doc.at("candidates");
        for (std::size_t c = 0; c < candidates.size(); ++c) {
            const json& actions = candidates[c].value("actions", json::array());
            for (std::size_t a = 0; a < actions.size(); ++a) {
                if (actions[a].value("type", "") == type)
                    uses.push_back({file.filename().string(), doc, c, a});
            }
        }
    }
    return uses;
}

/// The use's incident cut down to a quick check of its candidate (model_test_support.h), with
/// `traffic` x `routing` samples.
json quick(const ModelUse& use, int traffic, int routing) {
    json doc = one_candidate(use.doc, use.doc["candidates"][use.candidate]["actions"]);
    doc["estimator"]["traffic_samples"] = traffic;
    doc["estimator"]["routing_samples"] = routing;
    return doc;
}

/// The model the reader builds for `use` (in the quick incident: candidate "c" is index 1).
const MitigationModel& model_of(const Incident& incident, const ModelUse& use) {
    return *std::get<ModelAction>(incident.candidates[1].actions[use.action]).model;
}

/// The JSON path the reader rejects `doc` at, or "" if it accepts it.
std::string rejected_at(const json& doc) {
    try {
        read_incident(doc, SWARM_SOURCE_DATA_DIR, builtin_models());
    } catch (const IncidentError& e) {
        return e.path();
    }
    return "";
}

bool at_or_under(const std::string& path, const std::string& prefix) {
    return path.starts_with(prefix) && (path.size() == prefix.size() ||
                                        path[prefix.size()] == '.' || path[prefix.size()] == '[');
}

class ModelConformance : public ::testing::TestWithParam<std::string> {
   protected:
    void SetUp() override {
        spec_ = builtin_models().find(GetParam());
        ASSERT_NE(spec_, nullptr);
        uses_ = uses_of(GetParam());
        // Every test needs one, so every test fails without it, saying what is missing.
        ASSERT_FALSE(uses_.empty())
            << "no shipped incident uses " << GetParam()
            << ": add data/incidents/<name>.json with a candidate that does";
    }

    const ModelSpec* spec_ = nullptr;
    std::vector<ModelUse> uses_;
};

TEST_P(ModelConformance, HasAnExampleIncident) { EXPECT_FALSE(uses_.empty()); }

TEST_P(ModelConformance, IsDescribed) {
    std::string page = GetParam();
    std::replace(page.begin(), page.end(), '_', '-');
    EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(SWARM_SOURCE_DATA_DIR) / ".." /
                                        "docs" / "models" / (page + ".md")))
        << "docs/models/" << page << ".md";
    for (const ModelUse& use : uses_) {
        const Incident incident =
            read_incident(quick(use, 1, 1), SWARM_SOURCE_DATA_DIR, builtin_models());
        const MitigationModel& model = model_of(incident, use);
        EXPECT_EQ(model.type(), GetParam()) << use.label();
        const std::string description = model.describe(incident.topology);
        EXPECT_NE(description, model.type())
            << use.label() << ": describe() should name the parameters";
        EXPECT_FALSE(description.empty()) << use.label();
    }
}

TEST_P(ModelConformance, ParameterErrorsNameTheirJsonPath) {
    const ModelUse& use = uses_.front();
    const std::string at = use.action_path();
    ASSERT_EQ(rejected_at(use.doc), "") << use.label() << " must be a valid incident";
    for (const std::string& key : spec_->keys) {
        // No parameter takes an array of arrays of arrays: it must be rejected at the key (or
        // inside it), never at the action or further out. A nonsense string may be a valid free
        // name (VROOM's spare router "to"), but if it is rejected, it must be at the key too.
        for (const json& bad : {json::parse("[[[]]]"), json("\x01not a value")}) {
            json doc = use.doc;
            doc["candidates"][use.candidate]["actions"][use.action][key] = bad;
            const std::string path = rejected_at(doc);
            if (path.empty() && bad.is_string()) continue;
            EXPECT_TRUE(at_or_under(path, json_fields::child(at, key)))
                << use.label() << " key " << key << " = " << bad.dump() << ": rejected at \""
                << path << "\"";
        }
    }
    json doc = use.doc;
    doc["candidates"][use.candidate]["actions"][use.action]["no_such_parameter"] = 1;
    EXPECT_EQ(rejected_at(doc), json_fields::child(at, "no_such_parameter")) << use.label();
}

TEST_P(ModelConformance, PolicyMatchesItsDeclaration) {
    for (const ModelUse& use : uses_) {
        const Incident incident =
            read_incident(quick(use, 1, 1), SWARM_SOURCE_DATA_DIR, builtin_models());
        const MitigationModel& model = model_of(incident, use);
        // The candidate's network as rank() builds it (failures, ongoing mitigations, actions).
        const baselines::CandidateNetwork network =
            baselines::build_candidate_network(incident, incident.candidates[1].actions);
        const NetworkState& state = *network.state;
        const Routing& routing = *network.routing;
        const TransportMix transport(tables("analytic-reno"));
        const ModelContext context{incident, state, routing, transport,
                                   incident.estimator.epoch.value};
        std::shared_ptr<const FlowPolicy> policy;
        EXPECT_NO_THROW(policy = model.flow_policy(context)) << use.label();
        if (model.steers_flows()) {
            EXPECT_NE(policy, nullptr) << use.label();
        }
        if (const auto sources = model.governed_sources()) {
            EXPECT_TRUE(model.steers_flows())
                << use.label() << ": governs sources but steers no flow";
            for (std::int32_t s : *sources) {
                EXPECT_GE(s, 0) << use.label();
                EXPECT_LT(static_cast<std::size_t>(s), incident.topology.servers().size())
                    << use.label();
            }
        }
        // Every flow the policy takes goes through the wrapper's checks in the epoch loop.
        EXPECT_NO_THROW(rank(incident, tables("analytic-reno"), RankOptions{})) << use.label();
    }
}

TEST_P(ModelConformance, SameRankingAtOneAndFourThreads) {
    const ModelUse& use = uses_.front();
    const Incident incident =
        read_incident(quick(use, 2, 2), SWARM_SOURCE_DATA_DIR, builtin_models());
    RankOptions one;
    one.threads = 1;
    RankOptions four;
    four.threads = 4;
    json a = to_json(rank(incident, tables("analytic-reno"), one));
    json b = to_json(rank(incident, tables("analytic-reno"), four));
    a.erase("elapsed_s");
    b.erase("elapsed_s");
    EXPECT_EQ(a.dump(2), b.dump(2)) << use.label();
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

INSTANTIATE_TEST_SUITE_P(Builtin, ModelConformance, ::testing::ValuesIn(builtin_models().types()),
                         test_name);

}  // namespace
}  // namespace swarm::testing
