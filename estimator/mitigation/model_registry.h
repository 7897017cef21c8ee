// Mitigation models by action type: how the incident reader turns {"type": "zooroute", ...}
// into a validated model. Built once, read-only afterwards. The core owns the type; the
// shipped models fill one (models/builtin_models.h) and embedders may build their own with
// extra models and pass it to read_incident().
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "estimator/mitigation/mitigation_model.h"
#include "estimator/mitigation/model_params.h"

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

}  // namespace swarm
