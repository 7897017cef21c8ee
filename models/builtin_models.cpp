// The models shipped with swarm. Each plugin adds one registration line here and nothing
// anywhere else in the core (docs/models/README.md).
#include "models/builtin_models.h"

#include "models/bifrost.h"
#include "models/bug_tolerant_router.h"
#include "models/ron.h"
#include "models/router_grafting.h"
#include "models/vroom.h"
#include "models/zooroute.h"

namespace swarm {

const ModelRegistry& builtin_models() {
    static const ModelRegistry registry = [] {
        ModelRegistry r;
        register_bifrost(r);
        register_bug_tolerant_router(r);
        register_ron(r);
        register_router_grafting(r);
        register_vroom(r);
        register_zooroute(r);
        return r;
    }();
    return registry;
}

}  // namespace swarm
