// `swarm rank FILE_OR_DIR...`: one incident file prints its ranking on stdout (table or JSON),
// as it always has; several files or directories run as a batch (batch_rank.h).
// Exit codes: 0 ok, 1 a ranking failed (or, in a batch, any file failed), 2 bad usage or input.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "estimator/helper/table_set_cache.h"
#include "estimator/transport_tables.h"
#include "swarm/budget.h"
#include "swarm/incident.h"
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

/// Adds `swarm rank`'s argument and options to `command` (swarm's rank subcommand, swarm_mpi).
void add_rank_options(CLI::App& command, RankArguments& args);

int run_rank(const RankArguments& args);

/// One incident file as `swarm rank FILE` ranks it: the incident, the default tables and the
/// options, with the named table sets loaded through `table_sets`.
struct SingleRank {
    Incident incident;
    std::optional<TransportTables> tables;  ///< set by load_single
    std::unique_ptr<TableSetCache> table_sets;
    RankOptions options;
};

/// Reads `path` and the tables; on bad input prints the error on stderr and returns null (exit
/// code 2).
std::unique_ptr<SingleRank> load_single(const RankArguments& args, const std::string& path,
                                        const std::filesystem::path& data_dir);

/// Ranks `input` and prints the result on stdout as `swarm rank FILE` does; returns the exit
/// code. `executor` runs the samples (null: this process's threads).
int rank_single(const RankArguments& args, const std::string& path, SingleRank& input,
                SampleExecutor* executor = nullptr);

/// The options every ranking of a `swarm rank` run shares (threads, seed, budget, sampling).
void apply_rank_arguments(const RankArguments& args, RankOptions& options);

}  // namespace swarm::cli
