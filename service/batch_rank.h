// The batch side of `swarm rank`: many incident files, --jobs at a time, a progress bar on a
// terminal (plain lines otherwise), each file's error reported without stopping the others,
// then a summary table. Results go to --out DIR (one file per incident) or, without --out, to
// stdout in input order (tables one after another, or JSON Lines).
#pragma once

#include <filesystem>
#include <vector>

#include "service/rank_command.h"

namespace swarm {
struct TransportTables;
}

namespace swarm::cli {

/// Expands directories into their *.json entries (sorted), special files and broken links
/// included (they fail in the batch with a reason); files are kept as given. Throws
/// std::runtime_error for a path that does not exist.
std::vector<std::filesystem::path> expand_inputs(const std::vector<std::string>& inputs);

/// Exit code 0 when every file ranked, 1 otherwise.
int run_batch(const RankArguments& args, const std::vector<std::filesystem::path>& files,
              const TransportTables& tables, const std::filesystem::path& data_dir);

}  // namespace swarm::cli
