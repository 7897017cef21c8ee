// swarm: rank data-center incident mitigations by estimated connection-level performance.
// Thin by design: parse the command line, load the incident and tables, call the library,
// render. Exit codes: 0 ok, 1 the ranking itself failed, 2 bad usage or bad input.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "estimator/helper/incident_reader.h"
#include "estimator/helper/ranking_json.h"
#include "estimator/transport_tables.h"
#include "service/data_paths.h"
#include "service/ranking_table.h"
#include "swarm/rank.h"

namespace {

struct RankArguments {
    std::string incident_path;
    std::string format = "table";
    int threads = 0;
    std::optional<std::uint64_t> seed;
    std::string data_dir;
    std::string tables;
};

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

int run_rank(const RankArguments& args) {
    const std::filesystem::path data_dir = swarm::cli::resolve_data_dir(args.data_dir);
    swarm::Incident incident;
    try {
        incident = swarm::read_incident_text(read_file(args.incident_path), data_dir);
    } catch (const std::exception& e) {
        std::cerr << "error: " << args.incident_path << ": " << e.what() << "\n";
        return 2;
    }
    std::optional<swarm::TransportTables> tables;
    const std::filesystem::path table_dir =
        args.tables.empty() ? data_dir / "tables" / swarm::cli::kDefaultTableSet : std::filesystem::path(args.tables);
    try {
        tables.emplace(swarm::TransportTables::load(table_dir));
    } catch (const std::exception& e) {
        std::cerr << "error: transport tables: " << e.what() << "\n";
        return 2;
    }
    swarm::RankOptions options;
    options.threads = args.threads;
    options.seed = args.seed;
    try {
        const swarm::Ranking ranking = swarm::rank(incident, *tables, options);
        if (args.format == "json") {
            std::cout << swarm::to_json(ranking).dump(2) << "\n";
        } else {
            std::cout << swarm::cli::render_table(ranking);
        }
    } catch (const std::exception& e) {
        std::cerr << "error: ranking " << args.incident_path << " failed: " << e.what() << "\n";
        return 1;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"swarm: rank data-center incident mitigations by estimated connection-level performance"};
    app.require_subcommand(1);
    RankArguments args;
    CLI::App* rank = app.add_subcommand("rank", "Rank the candidate mitigations of an incident file");
    rank->add_option("incident", args.incident_path, "Incident JSON file (docs/incident-format.md)")->required();
    rank->add_option("--format", args.format, "Output: a readable table or the JSON contract (docs/api.md)")
        ->check(CLI::IsMember({"table", "json"}))
        ->capture_default_str();
    rank->add_option("--threads", args.threads, "Worker threads (0 = every core); results do not depend on it")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    rank->add_option("--seed", args.seed, "Override the incident's estimator.seed");
    rank->add_option("--data-dir", args.data_dir, "Where cdfs/ and tables/ live (default: $SWARM_DATA_DIR or the source tree)");
    rank->add_option("--tables", args.tables, "A transport table set directory (default: <data-dir>/tables/analytic-reno)");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }
    return run_rank(args);
}
