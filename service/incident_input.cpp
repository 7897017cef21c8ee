#include "service/incident_input.h"

#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include "estimator/helper/incident_reader.h"
#include "estimator/helper/topology_import/topology_import.h"
#include "models/builtin_models.h"

namespace swarm::cli {

std::string read_input_text(const std::string& path) {
    std::ostringstream text;
    if (path == "-") {
        text << std::cin.rdbuf();
        return text.str();
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    text << in.rdbuf();
    return text.str();
}

std::filesystem::path input_base_dir(const std::string& path) {
    if (path == "-") return std::filesystem::current_path();
    const std::filesystem::path parent = std::filesystem::absolute(path).parent_path();
    return parent.empty() ? std::filesystem::current_path() : parent;
}

Incident read_incident_file(const std::string& path, const std::filesystem::path& data_dir) {
    return read_incident_text(read_input_text(path), data_dir, builtin_models(), input_base_dir(path));
}

nlohmann::json converted_incident(const std::string& path, const std::filesystem::path& data_dir) {
    const std::string text = read_input_text(path);
    const std::filesystem::path base = input_base_dir(path);
    read_incident_text(text, data_dir, builtin_models(), base);  // the whole incident must be valid
    return resolve_topology_import(nlohmann::json::parse(text), base);
}

}  // namespace swarm::cli
