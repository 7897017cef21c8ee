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

/// The options every ranking of a `swarm rank` run shares (threads, seed, budget, sampling).
void apply_rank_arguments(const RankArguments& args, RankOptions& options);

}  // namespace swarm::cli
