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
    swarm::cli::add_rank_options(*rank, rank_args);

    swarm::cli::ServeArguments serve_args;
    CLI::App* serve_cmd =
        swarm::cli::add_serve_command(app, serve_args, swarm::cli::tables_option_help());
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
