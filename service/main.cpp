// swarm: rank data-center incident mitigations by estimated connection-level performance.
// Thin by design: parse the command line, hand over to the rank or serve command.
// Exit codes: 0 ok, 1 a ranking failed, 2 bad usage or bad input.
#include <CLI/CLI.hpp>

#include "service/data_paths.h"
#include "service/incident_commands.h"
#include "service/rank_command.h"
#include "service/strategy_command.h"
#include "service/serve_command.h"

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
    rank->add_option("incident", rank_args.inputs,
                     "Incident JSON files, directories of *.json, or - for stdin (docs/incident-format.md)")
        ->required();
    rank->add_option("--format", rank_args.format,
                     "Output: a readable table, the JSON contract (docs/api.md) or CSV with one row "
                     "per candidate and metric (docs/api.md#csv)")
        ->check(CLI::IsMember({"table", "json", "csv"}))
        ->capture_default_str();
    rank->add_option("--threads", rank_args.threads,
                     "Worker threads per ranking (0 = every core); results do not depend on it")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    rank->add_option("--seed", rank_args.seed, "Override the incident's estimator.seed");
    rank->add_option("--data-dir", rank_args.data_dir,
                     "Where cdfs/ and tables/ live (default: $SWARM_DATA_DIR or the source tree)");
    const std::string tables_help =
        std::string("A transport table set: a name under <data-dir>/tables/ (ns3-cubic, "
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
    rank->add_option("--strategy", rank_args.strategies,
                     "Instead of ranking, print what a baseline would pick (SWARM §4.1): NetPilot-Orig, "
                     "NetPilot-80, NetPilot-99, CorrOpt-25/50/75, Operator-25/50/75, or all; repeatable");
    rank->add_option("--report", rank_args.report,
                     "Also write a self-contained HTML report (ranking, percentile curves, "
                     "assumptions) of every incident");

    swarm::cli::ServeArguments serve_args;
    swarm::service::ServeConfig& serve = serve_args.config;
    CLI::App* serve_cmd = app.add_subcommand("serve",
                                             "Serve the REST API (docs/api.md) until SIGTERM; jobs "
                                             "and results persist in an SQLite database");
    serve_cmd
        ->add_option("--host", serve.http.host,
                     "Address to bind; 127.0.0.1 keeps the service local")
        ->capture_default_str();
    serve_cmd->add_option("--port", serve.http.port, "TCP port (0 = any free port)")
        ->check(CLI::Range(0, 65535))
        ->capture_default_str();
    serve_cmd
        ->add_option("--db", serve.jobs.db_path,
                     "SQLite database of jobs and results (created if absent)")
        ->capture_default_str();
    serve_cmd->add_option(
        "--token-file", serve_args.token_file,
        "Require 'Authorization: Bearer <token>' with the token in this file (default: "
        "$SWARM_API_TOKEN if set, else no auth); /healthz and /readyz stay open");
    serve_cmd->add_option(
        "--data-dir", serve_args.data_dir,
        "Where cdfs/ and tables/ live (default: $SWARM_DATA_DIR or the source tree)");
    serve_cmd->add_option("--tables", serve_args.tables, tables_help);
    serve_cmd->add_option("--workers", serve.jobs.workers, "Rankings estimated at the same time")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    serve_cmd
        ->add_option("--threads-per-job", serve.jobs.threads_per_job,
                     "Estimator threads per ranking (0 = every core)")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    serve_cmd
        ->add_option("--max-queue", serve.jobs.max_queue,
                     "Queued rankings beyond this get 429 with Retry-After")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    serve_cmd
        ->add_option("--max-body-bytes", serve.http.max_body_bytes, "Larger request bodies get 413")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    serve_cmd
        ->add_option("--job-time-limit", serve_args.job_time_limit_s,
                     "Seconds a ranking may run before it fails")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    serve_cmd
        ->add_option("--http-threads", serve.http.threads,
                     "Connections served at once (a ?wait request holds one)")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    serve_cmd->add_option("--max-wait", serve.http.max_wait_s, "Ceiling in seconds on ?wait=")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    serve_cmd
        ->add_option("--grace", serve_args.grace_s,
                     "On SIGTERM, seconds running jobs get to finish before they are re-queued for "
                     "the next start")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();

    swarm::cli::ValidateArguments validate_args;
    CLI::App* validate = app.add_subcommand(
        "validate", "Check incident files against the format (docs/incident-format.md) without "
                    "ranking them; one line per file; exit 2 if any is invalid");
    validate->add_option("incident", validate_args.inputs, "Incident JSON files, or - for stdin")
        ->required();
    validate->add_option("--data-dir", validate_args.data_dir,
                         "Where cdfs/ and tables/ live (default: $SWARM_DATA_DIR or the source tree)");

    swarm::cli::ConvertArguments convert_args;
    CLI::App* convert = app.add_subcommand(
        "convert", "Print an incident with its imported topology (GraphML, NetworkX node-link JSON, "
                   "Containerlab) converted to swarm's own explicit JSON: what swarm understood");
    convert->add_option("incident", convert_args.input, "An incident JSON file, or - for stdin")
        ->required();
    convert->add_option("--out,-o", convert_args.out, "Write the converted incident here instead of stdout");
    convert->add_option("--data-dir", convert_args.data_dir,
                        "Where cdfs/ and tables/ live (default: $SWARM_DATA_DIR or the source tree)");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }
    if (serve_cmd->parsed()) return swarm::cli::run_serve(std::move(serve_args));
    if (validate->parsed()) return swarm::cli::run_validate(validate_args);
    if (convert->parsed()) return swarm::cli::run_convert(convert_args);
    if (!rank_args.strategies.empty()) return swarm::cli::run_strategies(rank_args);
    return swarm::cli::run_rank(rank_args);
}
