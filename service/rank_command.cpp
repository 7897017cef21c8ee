#include "service/rank_command.h"

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "estimator/helper/incident_reader.h"
#include "estimator/helper/ranking_json.h"
#include "estimator/helper/table_set_cache.h"
#include "estimator/transport_tables.h"
#include "models/builtin_models.h"
#include "service/batch_rank.h"
#include "service/budget_options.h"
#include "service/data_paths.h"
#include "service/incident_input.h"
#include "service/progress_bar.h"
#include "service/ranking_analysis.h"
#include "service/ranking_csv.h"
#include "service/ranking_explanation.h"
#include "service/ranking_table.h"
#include "service/report_html.h"
#include "swarm/rank.h"

namespace swarm::cli {

namespace {

std::optional<TransportTables> load_tables(const RankArguments& args,
                                           const std::filesystem::path& data_dir) {
    const std::filesystem::path table_dir = resolve_tables_dir(args.tables, data_dir);
    try {
        return TransportTables::load(table_dir);
    } catch (const std::exception& e) {
        std::cerr << "error: transport tables: " << e.what() << "\n";
        return std::nullopt;
    }
}

bool write_text(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    out.close();
    if (!out) {
        std::cerr << "error: cannot write " << path.string() << "\n";
        return false;
    }
    return true;
}

}  // namespace

std::unique_ptr<SingleRank> load_single(const RankArguments& args, const std::string& path,
                                        const std::filesystem::path& data_dir) {
    auto input = std::make_unique<SingleRank>();
    try {
        input->incident = read_incident_file(path, data_dir, args.budget);
    } catch (const std::exception& e) {
        std::cerr << "error: " << path << ": " << e.what() << "\n";
        return nullptr;
    }
    input->tables = load_tables(args, data_dir);
    if (!input->tables) return nullptr;
    input->table_sets = std::make_unique<TableSetCache>(data_dir / "tables");
    apply_rank_arguments(args, input->options);
    input->options.table_sets = input->table_sets->loader();
    return input;
}

int rank_single(const RankArguments& args, const std::string& path, SingleRank& input,
                SampleExecutor* executor) {
    const Incident& incident = input.incident;
    const TransportTables& tables = *input.tables;
    RankOptions options = input.options;
    options.executor = executor;
    std::optional<RankProgressBar> bar;
    if (is_terminal(2)) {
        bar.emplace(std::cerr);
        options.report = [&bar](const RankProgress& progress) { bar->update(progress); };
    }
    try {
        Ranking ranking;
        nlohmann::json curves;
        if (args.report.empty()) {
            ranking = rank(incident, tables, options);
        } else {
            service::Analysis analysis = service::analyse(incident, tables, options);
            ranking = std::move(analysis.ranking);
            curves = std::move(analysis.curves);
        }
        if (bar) bar->finish();
        for (const std::string& warning : ranking.warnings)
            std::cerr << "warning: " << warning << "\n";
        const std::vector<CandidateDiagnosis> diagnoses = diagnose(incident, tables, options);
        std::cout << render_ranking(incident, ranking, diagnoses, args.format, true);
        if (!args.report.empty()) {
            const std::string html = service::render_report_html({service::ReportEntry{
                std::filesystem::path(path).filename().string(), incident,
                service::explained_json(incident, ranking, diagnoses), curves}});
            if (!write_text(args.report, html)) return 1;
        }
    } catch (const IncidentError& e) {
        // Found only once the networks are built (a partitioned healthy network): still the input.
        std::cerr << "error: " << path << ": " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        if (bar) bar->finish();
        std::cerr << "error: ranking " << path << " failed: " << e.what() << "\n";
        return 1;
    }
    return 0;
}

void add_rank_options(CLI::App& command, RankArguments& args) {
    command
        .add_option(
            "incident", args.inputs,
            "Incident JSON files, directories of *.json, or - for stdin (docs/incident-format.md)")
        ->required();
    command
        .add_option("--format", args.format,
                    "Output: a readable table, the JSON contract (docs/api.md) or CSV with one row "
                    "per candidate and metric (docs/api.md#csv)")
        ->check(CLI::IsMember({"table", "json", "csv"}))
        ->capture_default_str();
    command
        .add_option("--threads", args.threads,
                    "Worker threads per ranking (0 = every core); results do not depend on it")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    // CLI11 would read "-1" as 2^64 - 1.
    command.add_option("--seed", args.seed, "Override the incident's estimator.seed")
        ->check(CLI::Validator(
            [](std::string& value) {
                return value.starts_with('-') ? std::string("must be an integer >= 0, got " + value)
                                              : std::string();
            },
            "UINT", "non-negative"));
    add_data_dir_option(command, args.data_dir);
    command.add_option("--tables", args.tables, tables_option_help());
    command.add_option(
        "--out", args.out_dir,
        "Batch: write one result per incident to DIR/<stem>.txt, .json or .csv (as "
        "--format says; <stem> is the file name without .json, -2, -3... on clashes); "
        "the summary goes to stdout");
    command.add_option("--jobs", args.jobs, "Batch: incidents ranked at the same time")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    command.add_option(
        "--strategy", args.strategies,
        "Instead of ranking, print what a baseline would pick (SWARM §4.1): NetPilot-Orig, "
        "NetPilot-80, NetPilot-99, CorrOpt-25/50/75, Operator-25/50/75, or all; repeatable");
    command
        .add_option("--time-budget", args.time_budget_s,
                    "Seconds of wall time per ranking: stop sampling then and report the best "
                    "ranking so far with its confidence (the first round always completes)")
        ->check(CLI::PositiveNumber);
    command
        .add_option("--sampling", args.sampling,
                    "adaptive: rounds of samples until the pick is settled (default); dkw: the "
                    "paper's fixed DKW sample count (overrides the incident's estimator.sampling)")
        ->check(CLI::IsMember({"adaptive", "dkw"}));
    command
        .add_option("--downscale", args.downscale,
                    "Traffic down-scaling (SWARM §3.4): simulate one of K sub-networks of capacity "
                    "C/K with 1/K of the flows; 'auto' picks K from the incident's warm-up and "
                    "window (docs/model.md); default: the full network")
        ->check(CLI::IsMember({"auto"}) | CLI::Range(1, 1024));
    command.add_option("--report", args.report,
                       "Also write a self-contained HTML report (ranking, percentile curves, "
                       "assumptions) of every incident");
    add_budget_options(command, args.budget);
}

void apply_rank_arguments(const RankArguments& args, RankOptions& options) {
    options.threads = args.threads;
    options.seed = args.seed;
    options.budget = args.budget;
    options.time_budget_s = args.time_budget_s;
    if (args.sampling == "adaptive") options.sampling = SamplingMode::Adaptive;
    if (args.sampling == "dkw") options.sampling = SamplingMode::Dkw;
    if (args.downscale == "auto") options.downscale = 0;
    if (!args.downscale.empty() && args.downscale != "auto")
        options.downscale = std::stoi(args.downscale);
}

int run_rank(const RankArguments& args) {
    const std::filesystem::path data_dir = resolve_data_dir(args.data_dir);
    std::vector<std::filesystem::path> files;
    try {
        files = expand_inputs(args.inputs);
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 2;
    }
    if (files.empty()) {
        std::cerr << "error: no *.json incident files in the given directories\n";
        return 2;
    }
    std::error_code not_found;
    const bool single = args.inputs.size() == 1 &&
                        !std::filesystem::is_directory(args.inputs[0], not_found) &&
                        args.out_dir.empty();
    if (single) {
        const std::unique_ptr<SingleRank> input = load_single(args, args.inputs[0], data_dir);
        return input ? rank_single(args, args.inputs[0], *input) : 2;
    }

    if (!args.out_dir.empty()) {
        std::error_code error;
        std::filesystem::create_directories(args.out_dir, error);
        if (error) {
            std::cerr << "error: cannot create " << args.out_dir << ": " << error.message() << "\n";
            return 2;
        }
    }
    const std::optional<TransportTables> tables = load_tables(args, data_dir);
    if (!tables) return 2;
    return run_batch(args, files, *tables, data_dir);
}

}  // namespace swarm::cli
