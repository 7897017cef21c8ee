// Where the CLI finds data/: --data-dir, else $SWARM_DATA_DIR, else the source tree it was
// built from. And which table set is the default.
#pragma once

#include <filesystem>
#include <string>

namespace swarm::cli {

inline constexpr const char* kDefaultTableSet = "analytic-reno";

std::filesystem::path resolve_data_dir(const std::string& flag);

}  // namespace swarm::cli
