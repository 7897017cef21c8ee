// Where the CLI finds data/: --data-dir, else swarm::data_dir() ($SWARM_DATA_DIR, else the
// installation's data, else the source tree it was built from). And which table set is the default (the CLI, `swarm serve` and the embedding API's
// TableSet::load_default all use kDefaultTableSet).
#pragma once

#include <filesystem>
#include <string>

namespace CLI {
class App;
}

namespace swarm::cli {

/// The transport table set under <data-dir>/tables/ used when none is given: measured with ns-3
/// (Cubic, drop-tail switches), docs/tables.md "Measured table sets". An incident's
/// "transport": {"cc": ...} still selects its own sets (docs/incident-format.md).
inline constexpr const char* kDefaultTableSet = "ns3-cubic";

std::filesystem::path resolve_data_dir(const std::string& flag);
/// The help text of a --tables option.
std::string tables_option_help();
/// Adds --data-dir (the flag resolve_data_dir() reads) to a subcommand.
void add_data_dir_option(CLI::App& cmd, std::string& data_dir);

/// The table-set directory a --tables value names: empty -> <data-dir>/tables/kDefaultTableSet;
/// a bare set name ("analytic-reno", no '/') that is not a directory here ->
/// <data-dir>/tables/<name>; anything else is a directory path as given.
std::filesystem::path resolve_tables_dir(const std::string& flag,
                                         const std::filesystem::path& data_dir);

}  // namespace swarm::cli
