#include "service/data_paths.h"

#include <CLI/CLI.hpp>

#include "swarm/swarm.h"

namespace swarm::cli {

std::filesystem::path resolve_data_dir(const std::string& flag) {
    if (!flag.empty()) return flag;
    return swarm::data_dir();  // the embedding API's rule, so the CLI and library agree
}

std::string tables_option_help() {
    return std::string(
               "A transport table set: a name under <data-dir>/tables/ (ns3-cubic, "
               "analytic-reno, ...) or a directory (default: ") +
           kDefaultTableSet + ")";
}

void add_data_dir_option(CLI::App& cmd, std::string& data_dir) {
    cmd.add_option("--data-dir", data_dir,
                   "Where cdfs/ and tables/ live (default: $SWARM_DATA_DIR or the source tree)");
}

std::filesystem::path resolve_tables_dir(const std::string& flag,
                                         const std::filesystem::path& data_dir) {
    if (flag.empty()) return data_dir / "tables" / kDefaultTableSet;
    const std::filesystem::path given(flag);
    if (flag.find('/') == std::string::npos && !std::filesystem::is_directory(given)) {
        return data_dir / "tables" / given;
    }
    return given;
}

}  // namespace swarm::cli
