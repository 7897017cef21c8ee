#include "service/batch_rank.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <thread>

#include "estimator/helper/incident_reader.h"
#include "estimator/helper/ranking_json.h"
#include "estimator/helper/table_set_cache.h"
#include "estimator/transport_tables.h"
#include "models/builtin_models.h"
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

struct FileOutcome {
    std::string incident;  ///< incident name, when it parsed
    std::string best;      ///< rank-1 candidate
    std::string output;    ///< rendered result (table or JSON)
    std::string error;     ///< empty on success
    double seconds = 0.0;
    std::optional<service::ReportEntry> report;
};

std::string stem_for(const std::filesystem::path& file, std::set<std::string>& used) {
    std::string stem = file.stem().string();
    std::string candidate = stem;
    for (int n = 2; used.count(candidate); ++n) candidate = stem + "-" + std::to_string(n);
    used.insert(candidate);
    return candidate;
}

FileOutcome rank_file(const RankArguments& args, const std::filesystem::path& file,
                      const TransportTables& tables, const std::filesystem::path& data_dir,
                      BatchProgress& progress, std::size_t index) {
    FileOutcome outcome;
    const auto start = std::chrono::steady_clock::now();
    try {
        const Incident incident = read_incident_file(file.string(), data_dir, args.budget);
        outcome.incident = incident.name;
        TableSetCache table_sets(data_dir / "tables");
        RankOptions options;
        apply_rank_arguments(args, options);
        options.table_sets = table_sets.loader();
        options.progress = [&progress, index](double fraction) {
            progress.update(index, fraction);
        };
        service::Analysis analysis;
        if (args.report.empty()) {
            analysis.ranking = rank(incident, tables, options);
        } else {
            analysis = service::analyse(incident, tables, options);
        }
        const std::vector<CandidateDiagnosis> diagnoses = diagnose(incident, tables, options);
        const nlohmann::json json = service::explained_json(incident, analysis.ranking, diagnoses);
        if (!analysis.ranking.ranking.empty())
            outcome.best = analysis.ranking.ranking.front().candidate;
        outcome.output = render_ranking(incident, analysis.ranking, diagnoses, args.format,
                                        !args.out_dir.empty());
        if (!args.report.empty()) {
            outcome.report =
                service::ReportEntry{file.filename().string(), incident, json, analysis.curves};
        }
    } catch (const std::exception& e) {
        outcome.error = e.what();
    }
    outcome.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return outcome;
}

std::string pad(std::string text, std::size_t width) {
    if (text.size() < width) text += std::string(width - text.size(), ' ');
    return text + "  ";
}

std::string summary_table(const std::vector<std::filesystem::path>& files,
                          const std::vector<FileOutcome>& outcomes) {
    std::size_t file_width = 4, incident_width = 8, best_width = 4;
    for (std::size_t i = 0; i < files.size(); ++i) {
        file_width = std::max(file_width, files[i].filename().string().size());
        incident_width = std::max(incident_width, outcomes[i].incident.size());
        best_width = std::max(best_width, outcomes[i].best.size());
    }
    std::ostringstream out;
    std::size_t failed = 0;
    out << pad("file", file_width) << pad("incident", incident_width) << pad("status", 6)
        << pad("best", best_width) << pad("time", 8) << "error\n";
    for (std::size_t i = 0; i < files.size(); ++i) {
        const FileOutcome& o = outcomes[i];
        char seconds[32];
        std::snprintf(seconds, sizeof seconds, "%.2f s", o.seconds);
        if (!o.error.empty()) ++failed;
        out << pad(files[i].filename().string(), file_width)
            << pad(o.incident.empty() ? "-" : o.incident, incident_width)
            << pad(o.error.empty() ? "ok" : "FAILED", 6)
            << pad(o.best.empty() ? "-" : o.best, best_width) << pad(seconds, 8) << o.error << "\n";
    }
    out << files.size() - failed << " of " << files.size() << " incidents ranked";
    if (failed) out << ", " << failed << " failed";
    out << "\n";
    return out.str();
}

}  // namespace

std::vector<std::filesystem::path> expand_inputs(const std::vector<std::string>& inputs) {
    std::vector<std::filesystem::path> files;
    for (const std::string& input : inputs) {
        const std::filesystem::path path(input);
        std::error_code
            error;  // a symbolic link loop given directly is an error to report, not to throw
        if (input == "-") {
            files.push_back(path);  // stdin, read once by read_incident_file
        } else if (std::filesystem::is_directory(path, error)) {
            // Every *.json entry, whatever it is: a FIFO, a broken link or a link loop fails in
            // the batch with its reason (read_text_file) rather than vanishing or aborting it.
            std::vector<std::filesystem::path> found;
            for (const auto& entry : std::filesystem::directory_iterator(path)) {
                if (entry.path().extension() == ".json") found.push_back(entry.path());
            }
            std::sort(found.begin(), found.end());
            files.insert(files.end(), found.begin(), found.end());
        } else if (not_a_regular_file(path) != "no such file") {
            files.push_back(path);
        } else {
            throw std::runtime_error(input + ": no such file or directory");
        }
    }
    return files;
}

int run_batch(const RankArguments& args, const std::vector<std::filesystem::path>& files,
              const TransportTables& tables, const std::filesystem::path& data_dir) {
    BatchProgress progress(files.size(), is_terminal(2), std::cerr);
    std::vector<FileOutcome> outcomes(files.size());
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        for (std::size_t i = next++; i < files.size(); i = next++) {
            outcomes[i] = rank_file(args, files[i], tables, data_dir, progress, i);
            progress.done(i, files[i].filename().string(), outcomes[i].seconds, outcomes[i].error);
        }
    };
    {
        std::vector<std::jthread> workers;
        const std::size_t count =
            std::min<std::size_t>(static_cast<std::size_t>(std::max(1, args.jobs)), files.size());
        for (std::size_t w = 0; w < count; ++w) workers.emplace_back(worker);
    }
    progress.finish();

    bool all_ok = true;
    std::set<std::string> used_stems;
    bool csv_header_written = false;
    for (std::size_t i = 0; i < files.size(); ++i) {
        FileOutcome& o = outcomes[i];
        if (!o.error.empty()) {
            all_ok = false;
            continue;
        }
        if (args.out_dir.empty() && args.format == "csv") {
            // One table on stdout: the header once, then every incident's rows.
            if (!csv_header_written) std::cout << csv_header();
            csv_header_written = true;
            std::cout << o.output.substr(csv_header().size());
            continue;
        }
        if (args.out_dir.empty()) {
            if (args.format != "json") std::cout << "== " << files[i].string() << "\n";
            std::cout << o.output;
            if (args.format != "json") std::cout << "\n";
            continue;
        }
        const std::filesystem::path target =
            std::filesystem::path(args.out_dir) /
            (stem_for(files[i], used_stems) + format_extension(args.format));
        std::ofstream out(target, std::ios::binary);
        out << o.output;
        if (!out) {
            o.error = "cannot write " + target.string();
            all_ok = false;
        }
    }
    if (!args.report.empty()) {
        std::vector<service::ReportEntry> entries;
        for (FileOutcome& o : outcomes) {
            if (o.report) entries.push_back(std::move(*o.report));
        }
        std::ofstream out(args.report, std::ios::binary);
        out << service::render_report_html(entries);
        if (!out) {
            std::cerr << "error: cannot write " << args.report << "\n";
            all_ok = false;
        }
    }
    // The summary goes where the results do not: stdout when they went to --out, else stderr.
    (args.out_dir.empty() ? std::cerr : std::cout) << summary_table(files, outcomes);
    return all_ok ? 0 : 1;
}

}  // namespace swarm::cli
