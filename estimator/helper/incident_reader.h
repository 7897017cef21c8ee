// Reads incident JSON (format v1, docs/incident-format.md) into a validated Incident.
// A helper in the ns-3 sense: wiring from text to the model, no modelling of its own.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "estimator/helper/json_fields.h"
#include "estimator/mitigation/model_registry.h"
#include "swarm/budget.h"
#include "swarm/incident.h"

namespace swarm {

/// Validates and converts. `data_dir` holds cdfs/ for named flow-size CDFs.
/// Throws IncidentError on the first problem found.
/// Candidate actions may name any model of `models` besides the classic actions (the shipped
/// ones: models/builtin_models.h; the core names no model).
/// An imported topology's relative `file` resolves against `base_dir` (the incident file's
/// directory); with an empty `base_dir`, `file` is refused (topology_import/topology_import.h).
Incident read_incident(const nlohmann::json& document, const std::filesystem::path& data_dir,
                       const ModelRegistry& models, const std::filesystem::path& base_dir = {});

/// Every entry point's way in (CLI files, REST bodies): parses text with parse_json_document()
/// (malformed JSON, nesting past kMaxJsonDepth and duplicate keys are IncidentErrors), checks
/// the topology's declared size against `budget` before building it, reads, then checks the
/// rest of the budget (BudgetExceeded, an IncidentError naming the field and the limit).
Incident read_incident_text(const std::string& text, const std::filesystem::path& data_dir,
                            const ModelRegistry& models, const WorkBudget& budget = WorkBudget{},
                            const std::filesystem::path& base_dir = {});

}  // namespace swarm
