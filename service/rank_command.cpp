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
#include "service/progress_bar.h"
#include "service/ranking_analysis.h"
#include "service/ranking_table.h"
#include "service/report_html.h"
#include "swarm/rank.h"

namespace swarm::cli {

std::string not_a_regular_file(const std::filesystem::path& path) {
    namespace fs = std::filesystem;
    std::error_code error;
    const fs::file_status target = fs::status(path, error);
    if (error.value() == ELOOP) return "a symbolic link loop";
    if (!fs::exists(target)) {
        std::error_code link_error;
        return fs::is_symlink(fs::symlink_status(path, link_error)) ? "a broken symbolic link"
                                                                    : "no such file";
    }
    if (fs::is_regular_file(target)) return {};
    if (fs::is_fifo(target)) return "a FIFO";
    if (fs::is_directory(target)) return "a directory";
    if (fs::is_socket(target)) return "a socket";
    return "a device or other special file";
}

std::string read_text_file(const std::string& path) {
    // A FIFO or a device would block or never end: only regular files are read, and only up to
    // a size no incident comes near.
    if (const std::string what = not_a_regular_file(path); !what.empty()) {
        throw std::runtime_error("cannot read " + path + ": " + what + ", not a regular file");
    }
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    if (!error && size > kMaxInputFileBytes) {
        throw std::runtime_error("cannot read " + path + ": " + std::to_string(size) +
                                 " bytes is over the limit of " +
                                 std::to_string(kMaxInputFileBytes) + " for an incident file");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

namespace {

std::optional<TransportTables> load_tables(const RankArguments& args,
                                           const std::filesystem::path& data_dir) {
    const std::filesystem::path table_dir = args.tables.empty()
                                                ? data_dir / "tables" / kDefaultTableSet
                                                : std::filesystem::path(args.tables);
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
        incident =
            read_incident_text(read_text_file(path), data_dir, builtin_models(), args.budget);
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
        if (args.format == "json") {
            std::cout << to_json(ranking).dump(2) << "\n";
        } else {
            std::cout << render_table(ranking);
        }
        if (!args.report.empty()) {
            const std::string html = service::render_report_html(
                {service::ReportEntry{std::filesystem::path(path).filename().string(), incident,
                                      to_json(ranking), curves}});
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
