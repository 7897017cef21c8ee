#include "service/incident_commands.h"

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>

#include "service/data_paths.h"
#include "service/incident_input.h"

namespace swarm::cli {

CLI::App* add_validate_command(CLI::App& app, ValidateArguments& args) {
    CLI::App* cmd = app.add_subcommand(
        "validate",
        "Check incident files against the format (docs/incident-format.md) without "
        "ranking them; one line per file; exit 2 if any is invalid");
    cmd->add_option("incident", args.inputs, "Incident JSON files, or - for stdin")->required();
    add_data_dir_option(*cmd, args.data_dir);
    return cmd;
}

CLI::App* add_convert_command(CLI::App& app, ConvertArguments& args) {
    CLI::App* cmd = app.add_subcommand(
        "convert",
        "Print an incident with its imported topology (GraphML, NetworkX node-link JSON, "
        "Containerlab) converted to swarm's own explicit JSON: what swarm understood");
    cmd->add_option("incident", args.input, "An incident JSON file, or - for stdin")->required();
    cmd->add_option("--out,-o", args.out, "Write the converted incident here instead of stdout");
    add_data_dir_option(*cmd, args.data_dir);
    return cmd;
}

int run_validate(const ValidateArguments& args) {
    const std::filesystem::path data_dir = resolve_data_dir(args.data_dir);
    int status = 0;
    for (const std::string& path : args.inputs) {
        try {
            const Incident incident = read_incident_file(path, data_dir);
            std::cout << path << ": ok (" << incident.name << ": " << incident.topology.node_count()
                      << " nodes, " << incident.topology.link_count() << " links, "
                      << incident.failures.size() << " failures, " << incident.candidates.size()
                      << " candidates)\n";
        } catch (const std::exception& e) {
            std::cerr << "error: " << path << ": " << e.what() << "\n";
            status = 2;
        }
    }
    return status;
}

int run_convert(const ConvertArguments& args) {
    nlohmann::json converted;
    try {
        converted = converted_incident(args.input, resolve_data_dir(args.data_dir));
    } catch (const std::exception& e) {
        std::cerr << "error: " << args.input << ": " << e.what() << "\n";
        return 2;
    }
    const std::string text = converted.dump(2) + "\n";
    if (args.out.empty()) {
        std::cout << text;
        return 0;
    }
    std::ofstream out(args.out, std::ios::binary);
    out << text;
    out.close();
    if (!out) {
        std::cerr << "error: cannot write " << args.out << "\n";
        return 2;
    }
    return 0;
}

}  // namespace swarm::cli
