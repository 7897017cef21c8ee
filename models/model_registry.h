// Mitigation models by action type: how the incident reader turns {"type": "zooroute", ...}
// into a validated model. Built once (builtin_models()), read-only afterwards; embedders may
// build their own registry with extra models and pass it to read_incident().
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/mitigation_model.h"
#include "models/model_params.h"

namespace swarm {

struct ModelSpec {
    std::string type;               ///< the action type in incident files
    std::vector<std::string> keys;  ///< parameter keys it accepts besides "type"
    /// Validates the parameters (throwing IncidentError with the JSON path) and builds the model.
    std::function<std::shared_ptr<const MitigationModel>(const ModelParams&)> make;
};

class ModelRegistry {
public:
    /// Throws std::invalid_argument if the type is already registered.
    void add(ModelSpec spec);
    const ModelSpec* find(const std::string& type) const;
    std::vector<std::string> types() const;

private:
    std::map<std::string, ModelSpec, std::less<>> specs_;
};

/// Every model shipped with swarm (models/builtin_models.cpp).
const ModelRegistry& builtin_models();

}  // namespace swarm
