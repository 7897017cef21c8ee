// The registry of every model shipped with swarm. The core never names it: the service, the
// embedded API, the tools, the benches and the tests pass it to read_incident().
#pragma once

#include "estimator/mitigation/model_registry.h"

namespace swarm {

/// Every model shipped with swarm (models/builtin_models.cpp), built on first use.
const ModelRegistry& builtin_models();

}  // namespace swarm
