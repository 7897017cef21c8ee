#include "service/strategy_command.h"

#include <algorithm>
#include <cctype>
#include <iostream>
#include <nlohmann/json.hpp>

#include "estimator/baselines/baseline_strategy.h"
#include "estimator/helper/incident_reader.h"
#include "models/builtin_models.h"
#include "service/data_paths.h"
#include "service/incident_input.h"

namespace swarm::cli {

namespace {

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

/// The requested names (any letter case: "netpilot-80" is NetPilot-80) with "all" expanded, in
/// their canonical spelling; empty (after an error message) on an unknown one.
std::vector<std::string> strategy_names(const std::vector<std::string>& requested) {
    const std::vector<std::string> known = baselines::baseline_names();
    std::vector<std::string> names;
    for (const std::string& name : requested) {
        if (lower(name) == "all") {
            names.insert(names.end(), known.begin(), known.end());
            continue;
        }
        const auto match = std::find_if(known.begin(), known.end(), [&](const std::string& k) {
            return lower(k) == lower(name);
        });
        if (match != known.end()) {
            names.push_back(*match);
            continue;
        }
        std::string list;
        for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
        std::cerr << "error: unknown strategy \"" << name << "\"; known: all, " << list << "\n";
        return {};
    }
    return names;
}

nlohmann::json picks_json(const Incident& incident, const std::vector<std::string>& names) {
    nlohmann::json picks = nlohmann::json::array();
    for (const std::string& name : names) {
        const baselines::BaselinePick pick = baselines::pick_with_baseline(incident, name);
        picks.push_back({{"strategy", pick.strategy},
                         {"candidate",
                          pick.candidate ? nlohmann::json(incident.candidates[*pick.candidate].name)
                                         : nlohmann::json(nullptr)},
                         {"reason", pick.reason}});
    }
    return picks;
}

void print_table(const std::string& incident, const nlohmann::json& picks) {
    std::cout << "incident " << incident << "\n";
    for (const auto& p : picks) {
        const std::string candidate =
            p["candidate"].is_null() ? "(none)" : p["candidate"].get<std::string>();
        std::cout << "  " << p["strategy"].get<std::string>() << ": " << candidate << " — "
                  << p["reason"].get<std::string>() << "\n";
    }
}

}  // namespace

int run_strategies(const RankArguments& args) {
    const std::vector<std::string> names = strategy_names(args.strategies);
    if (names.empty()) return 2;
    const std::filesystem::path data_dir = resolve_data_dir(args.data_dir);
    int status = 0;
    for (const std::string& path : args.inputs) {
        try {
            const Incident incident = read_incident_file(path, data_dir, args.budget);
            const nlohmann::json picks = picks_json(incident, names);
            if (args.format == "json") {
                std::cout
                    << nlohmann::json{{"incident", incident.name}, {"strategies", picks}}.dump(2)
                    << "\n";
            } else {
                print_table(incident.name, picks);
            }
        } catch (const std::exception& e) {
            std::cerr << "error: " << path << ": " << e.what() << "\n";
            status = 1;
        }
    }
    return status;
}

}  // namespace swarm::cli
