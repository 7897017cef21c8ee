// Loads transport table sets by name from a tables/ directory, once each, for the
// RankOptions::table_sets hook. Thread-safe: the service's workers share one cache.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "estimator/transport_tables.h"

namespace swarm {

class TableSetCache {
   public:
    explicit TableSetCache(std::filesystem::path tables_dir) : dir_(std::move(tables_dir)) {}

    /// The set <tables_dir>/<name>; throws std::runtime_error (from the loader) when missing or bad.
    std::shared_ptr<const TransportTables> get(const std::string& name);

    /// A RankOptions::table_sets function bound to this cache (which must outlive it).
    std::function<std::shared_ptr<const TransportTables>(const std::string&)> loader() {
        return [this](const std::string& name) { return get(name); };
    }

   private:
    std::filesystem::path dir_;
    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<const TransportTables>> sets_;
};

}  // namespace swarm
