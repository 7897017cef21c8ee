// `swarm rank FILE_OR_DIR...`: one incident file prints its ranking on stdout (table or JSON),
// as it always has; several files or directories run as a batch (batch_rank.h).
// Exit codes: 0 ok, 1 a ranking failed (or, in a batch, any file failed), 2 bad usage or input.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "swarm/budget.h"
#include "swarm/rank.h"

namespace swarm::cli {

struct RankArguments {
    std::vector<std::string> inputs;  ///< incident files and directories of *.json
    std::string format = "table";
    int threads = 0;
    std::optional<std::uint64_t> seed;
    std::string data_dir;
    std::string tables;
    std::string out_dir;                  ///< batch: write <stem>.json / <stem>.txt here
    int jobs = 1;                         ///< batch: files ranked at the same time
    std::string report;                   ///< write the HTML report here
    std::optional<double> time_budget_s;  ///< wall seconds per ranking (RankOptions::time_budget_s)
    std::string sampling;                 ///< "adaptive", "dkw" or empty (the incident's)
    std::string downscale;                ///< "auto", a factor k >= 1, or empty (the full network)
    std::vector<std::string>
        strategies;     ///< baselines to ask instead of ranking ("all" = every one)
    WorkBudget budget;  ///< an incident over it is a bad input (exit 2)
};

int run_rank(const RankArguments& args);

/// Incident files larger than this are refused before reading (64 MiB; the REST body limit is 1 MiB).
inline constexpr std::uintmax_t kMaxInputFileBytes = 64u << 20;

/// Why `path` is not a regular file ("a FIFO", "a broken symbolic link", "a symbolic link
/// loop", ...), or empty when it is one. Never throws.
std::string not_a_regular_file(const std::filesystem::path& path);

/// The options every ranking of a `swarm rank` run shares (threads, seed, budget, sampling).
void apply_rank_arguments(const RankArguments& args, RankOptions& options);

/// Reads a whole regular file of at most kMaxInputFileBytes; throws std::runtime_error naming it
/// and what is wrong (a FIFO would otherwise block forever).
std::string read_text_file(const std::string& path);

}  // namespace swarm::cli
