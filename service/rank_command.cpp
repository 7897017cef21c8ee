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

/// One incident, result on stdout: the behaviour `swarm rank FILE` has always had.
int run_single(const RankArguments& args, const std::string& path,
               const std::filesystem::path& data_dir) {
    Incident incident;
    try {
        incident = read_incident_file(path, data_dir, args.budget);
    } catch (const std::exception& e) {
        std::cerr << "error: " << path << ": " << e.what() << "\n";
        return 2;
    }
    const std::optional<TransportTables> tables = load_tables(args, data_dir);
    if (!tables) return 2;
    TableSetCache table_sets(data_dir / "tables");
    RankOptions options;
    apply_rank_arguments(args, options);
    options.table_sets = table_sets.loader();
    std::optional<RankProgressBar> bar;
    if (is_terminal(2)) {
        bar.emplace(std::cerr);
        options.report = [&bar](const RankProgress& progress) { bar->update(progress); };
    }
    try {
        Ranking ranking;
        nlohmann::json curves;
        if (args.report.empty()) {
            ranking = rank(incident, *tables, options);
        } else {
            service::Analysis analysis = service::analyse(incident, *tables, options);
            ranking = std::move(analysis.ranking);
            curves = std::move(analysis.curves);
        }
        if (bar) bar->finish();
        for (const std::string& warning : ranking.warnings)
            std::cerr << "warning: " << warning << "\n";
        const std::vector<CandidateDiagnosis> diagnoses = diagnose(incident, *tables, options);
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

}  // namespace

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
    if (single) return run_single(args, args.inputs[0], data_dir);

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
