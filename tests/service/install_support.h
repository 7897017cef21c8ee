// The installed library as a user gets it: `cmake --install` of this build into a fresh prefix,
// and the pkg-config command line that finds it there (the embedding tests).
#pragma once

#include <filesystem>
#include <string>

#include "service_test_support.h"

namespace swarm::test {

/// Installs this build into `prefix`, running in `scratch`.
inline CommandResult install_swarm(const std::filesystem::path& prefix,
                                   const std::filesystem::path& scratch) {
    return run_command(std::string(SWARM_CMAKE_COMMAND) + " --install " +
                           std::string(SWARM_BUILD_DIR) + " --prefix " + prefix.string(),
                       scratch);
}

/// "PKG_CONFIG_PATH=<prefix>/lib/pkgconfig pkg-config ": the installed swarm.pc alone.
inline std::string installed_pkg_config(const std::filesystem::path& prefix) {
    return "PKG_CONFIG_PATH=" + (prefix / "lib" / "pkgconfig").string() + " pkg-config ";
}

}  // namespace swarm::test
