#include "service/incident_input.h"

#include <cerrno>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include "estimator/helper/incident_reader.h"
#include "estimator/helper/topology_import/topology_import.h"
#include "models/builtin_models.h"

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

std::string read_input_text(const std::string& path) {
    if (path != "-") return read_text_file(path);
    std::string text;
    char buffer[1 << 16];
    while (std::cin.read(buffer, sizeof buffer) || std::cin.gcount() > 0) {
        text.append(buffer, static_cast<std::size_t>(std::cin.gcount()));
        if (text.size() > kMaxInputFileBytes) {
            throw std::runtime_error("cannot read stdin: over the limit of " +
                                     std::to_string(kMaxInputFileBytes) + " bytes for an incident");
        }
    }
    return text;
}

std::filesystem::path input_base_dir(const std::string& path) {
    if (path == "-") return std::filesystem::current_path();
    const std::filesystem::path parent = std::filesystem::absolute(path).parent_path();
    return parent.empty() ? std::filesystem::current_path() : parent;
}

Incident read_incident_file(const std::string& path, const std::filesystem::path& data_dir,
                            const WorkBudget& budget) {
    return read_incident_text(read_input_text(path), data_dir, builtin_models(), budget,
                              input_base_dir(path));
}

nlohmann::json converted_incident(const std::string& path, const std::filesystem::path& data_dir) {
    const std::string text = read_input_text(path);
    const std::filesystem::path base = input_base_dir(path);
    read_incident_text(text, data_dir, builtin_models(), WorkBudget{},
                       base);  // the whole incident must be valid
    return resolve_topology_import(nlohmann::json::parse(text), base);
}

}  // namespace swarm::cli
