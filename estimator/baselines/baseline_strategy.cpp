#include "estimator/baselines/baseline_strategy.h"

#include <functional>
#include <stdexcept>
#include <utility>

#include "estimator/baselines/corropt.h"
#include "estimator/baselines/netpilot.h"
#include "estimator/baselines/operator_playbook.h"

namespace swarm::baselines {

namespace {

using Rule = std::function<BaselinePick(const Incident&)>;

/// The §4.1 line-up: each family at the thresholds the paper evaluates.
const std::vector<std::pair<std::string, Rule>>& registry() {
    static const std::vector<std::pair<std::string, Rule>> rules = {
        {"NetPilot-Orig", [](const Incident& i) { return pick_netpilot(i, std::nullopt); }},
        {"NetPilot-80", [](const Incident& i) { return pick_netpilot(i, 0.80); }},
        {"NetPilot-99", [](const Incident& i) { return pick_netpilot(i, 0.99); }},
        {"CorrOpt-25", [](const Incident& i) { return pick_corropt(i, 0.25); }},
        {"CorrOpt-50", [](const Incident& i) { return pick_corropt(i, 0.50); }},
        {"CorrOpt-75", [](const Incident& i) { return pick_corropt(i, 0.75); }},
        {"Operator-25", [](const Incident& i) { return pick_operator(i, 0.25); }},
        {"Operator-50", [](const Incident& i) { return pick_operator(i, 0.50); }},
        {"Operator-75", [](const Incident& i) { return pick_operator(i, 0.75); }},
    };
    return rules;
}

}  // namespace

std::vector<std::string> baseline_names() {
    std::vector<std::string> names;
    for (const auto& [name, rule] : registry()) names.push_back(name);
    return names;
}

BaselinePick pick_with_baseline(const Incident& incident, const std::string& name) {
    for (const auto& [known, rule] : registry()) {
        if (known != name) continue;
        BaselinePick pick = rule(incident);
        pick.strategy = name;
        return pick;
    }
    std::string known;
    for (const std::string& n : baseline_names()) known += (known.empty() ? "" : ", ") + n;
    throw std::invalid_argument("unknown baseline strategy \"" + name + "\"; known: " + known);
}

}  // namespace swarm::baselines
