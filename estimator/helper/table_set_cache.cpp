#include "estimator/helper/table_set_cache.h"

namespace swarm {

std::shared_ptr<const TransportTables> TableSetCache::get(const std::string& name) {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = sets_.find(name); it != sets_.end()) return it->second;
    auto tables = std::make_shared<const TransportTables>(TransportTables::load(dir_ / name));
    sets_.emplace(name, tables);
    return tables;
}

}  // namespace swarm
