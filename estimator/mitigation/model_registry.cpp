#include "estimator/mitigation/model_registry.h"

#include <stdexcept>

namespace swarm {

void ModelRegistry::add(ModelSpec spec) {
    if (specs_.count(spec.type))
        throw std::invalid_argument("model type registered twice: " + spec.type);
    std::string type = spec.type;
    specs_.emplace(std::move(type), std::move(spec));
}

const ModelSpec* ModelRegistry::find(const std::string& type) const {
    const auto it = specs_.find(type);
    return it == specs_.end() ? nullptr : &it->second;
}

std::vector<std::string> ModelRegistry::types() const {
    std::vector<std::string> out;
    for (const auto& [type, spec] : specs_) out.push_back(type);
    return out;
}

}  // namespace swarm
