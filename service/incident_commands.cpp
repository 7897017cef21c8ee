#include "service/incident_commands.h"

#include <fstream>
#include <iostream>

#include "service/data_paths.h"
#include "service/incident_input.h"

namespace swarm::cli {

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
