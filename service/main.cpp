// swarm: rank data-center incident mitigations by estimated connection-level performance.
// Thin by design: parse the command line, hand over to the rank or serve command.
// Exit codes: 0 ok, 1 a ranking failed, 2 bad usage or bad input.
#include <CLI/CLI.hpp>

#include "service/budget_options.h"
#include "service/data_paths.h"
#include "service/incident_commands.h"
#include "service/job_zygote.h"
#include "service/rank_command.h"
#include "service/serve_command.h"
#include "service/strategy_command.h"

int main(int argc, char** argv) {
    CLI::App app{
        "swarm: rank data-center incident mitigations by estimated connection-level performance"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("swarm ") + SWARM_VERSION);

    swarm::cli::RankArguments rank_args;
    CLI::App* rank = app.add_subcommand("rank",
                                        "Rank the candidate mitigations of incident files. One "
                                        "file: the ranking on stdout. Several files or a "
                                        "directory: a batch with progress on stderr and a summary "
                                        "table; exit 1 if any file failed.");
    rank->add_option(
            "incident", rank_args.inputs,
            "Incident JSON files, directories of *.json, or - for stdin (docs/incident-format.md)")
        ->required();
    rank->add_option(
            "--format", rank_args.format,
            "Output: a readable table, the JSON contract (docs/api.md) or CSV with one row "
            "per candidate and metric (docs/api.md#csv)")
        ->check(CLI::IsMember({"table", "json", "csv"}))
        ->capture_default_str();
    rank->add_option("--threads", rank_args.threads,
                     "Worker threads per ranking (0 = every core); results do not depend on it")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    // CLI11 would read "-1" as 2^64 - 1.
    rank->add_option("--seed", rank_args.seed, "Override the incident's estimator.seed")
        ->check(CLI::Validator(
            [](std::string& value) {
                return value.starts_with('-') ? std::string("must be an integer >= 0, got " + value)
                                              : std::string();
            },
            "UINT", "non-negative"));
    swarm::cli::add_data_dir_option(*rank, rank_args.data_dir);
    const std::string tables_help =
        std::string(
            "A transport table set: a name under <data-dir>/tables/ (ns3-cubic, "
            "analytic-reno, ...) or a directory (default: ") +
        swarm::cli::kDefaultTableSet + ")";
    rank->add_option("--tables", rank_args.tables, tables_help);
    rank->add_option("--out", rank_args.out_dir,
                     "Batch: write one result per incident to DIR/<stem>.txt, .json or .csv (as "
                     "--format says; <stem> is the file name without .json, -2, -3... on clashes); "
                     "the summary goes to stdout");
    rank->add_option("--jobs", rank_args.jobs, "Batch: incidents ranked at the same time")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    rank->add_option(
        "--strategy", rank_args.strategies,
        "Instead of ranking, print what a baseline would pick (SWARM §4.1): NetPilot-Orig, "
        "NetPilot-80, NetPilot-99, CorrOpt-25/50/75, Operator-25/50/75, or all; repeatable");
    rank->add_option("--time-budget", rank_args.time_budget_s,
                     "Seconds of wall time per ranking: stop sampling then and report the best "
                     "ranking so far with its confidence (the first round always completes)")
        ->check(CLI::PositiveNumber);
    rank->add_option("--sampling", rank_args.sampling,
                     "adaptive: rounds of samples until the pick is settled (default); dkw: the "
                     "paper's fixed DKW sample count (overrides the incident's estimator.sampling)")
        ->check(CLI::IsMember({"adaptive", "dkw"}));
    rank->add_option(
            "--downscale", rank_args.downscale,
            "Traffic down-scaling (SWARM §3.4): simulate one of K sub-networks of capacity "
            "C/K with 1/K of the flows; 'auto' picks K from the incident's warm-up and "
            "window (docs/model.md); default: the full network")
        ->check(CLI::IsMember({"auto"}) | CLI::Range(1, 1024));
    rank->add_option("--report", rank_args.report,
                     "Also write a self-contained HTML report (ranking, percentile curves, "
                     "assumptions) of every incident");

    swarm::cli::add_budget_options(*rank, rank_args.budget);

    swarm::cli::ServeArguments serve_args;
    CLI::App* serve_cmd = swarm::cli::add_serve_command(app, serve_args, tables_help);
    swarm::cli::ForkServerArguments worker_args;
    CLI::App* worker_cmd = swarm::cli::add_job_worker_command(app, worker_args);

    swarm::cli::add_budget_options(*serve_cmd, serve_args.config.jobs.budget);

    swarm::cli::ValidateArguments validate_args;
    CLI::App* validate = swarm::cli::add_validate_command(app, validate_args);
    swarm::cli::ConvertArguments convert_args;
    CLI::App* convert = swarm::cli::add_convert_command(app, convert_args);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }
    if (serve_cmd->parsed()) return swarm::cli::run_serve(std::move(serve_args));
    if (worker_cmd->parsed()) return swarm::cli::run_job_worker(worker_args);
    if (validate->parsed()) return swarm::cli::run_validate(validate_args);
    if (convert->parsed()) return swarm::cli::run_convert(convert_args);
    if (!rank_args.strategies.empty()) return swarm::cli::run_strategies(rank_args);
    return swarm::cli::run_rank(rank_args);
}
