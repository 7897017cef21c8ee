#include "service/data_paths.h"

#include <cstdlib>

namespace swarm::cli {

std::filesystem::path resolve_data_dir(const std::string& flag) {
    if (!flag.empty()) return flag;
    if (const char* env = std::getenv("SWARM_DATA_DIR"); env && *env) return env;
    return SWARM_SOURCE_DATA_DIR;
}

}  // namespace swarm::cli
