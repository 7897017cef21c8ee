#include "service/data_paths.h"

#include "swarm/swarm.h"

namespace swarm::cli {

std::filesystem::path resolve_data_dir(const std::string& flag) {
    if (!flag.empty()) return flag;
    return swarm::data_dir();  // the embedding API's rule, so the CLI and library agree
}

}  // namespace swarm::cli
