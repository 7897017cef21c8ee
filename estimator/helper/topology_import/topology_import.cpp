// `"topology": {"import": {...}}` -> swarm's explicit topology form, before the incident is read.
#include "estimator/helper/topology_import/topology_import.h"

#include <fstream>
#include <sstream>

#include "estimator/helper/json_document.h"
#include "estimator/helper/json_fields.h"
#include "estimator/helper/topology_import/imported_graph.h"

namespace swarm {
namespace {

using json = nlohmann::json;
using namespace json_fields;
namespace fs = std::filesystem;

// An imported file larger than this is not a data-centre topology description; refusing it
// keeps a wrong path (a disk image, a log) from exhausting memory.
constexpr std::uintmax_t kMaxImportBytes = 256ull << 20;

/// The format named by `format`, or else by the file's extension.
std::string format_of(const json& spec, const std::string& path, const std::string& file) {
    if (const json* format = optional_field(spec, "format")) {
        const std::string& name = as_string(*format, child(path, "format"));
        if (name == "graphml" || name == "networkx" || name == "containerlab") return name;
        fail(child(path, "format"), "unknown format " + in_quotes(name) +
                                        "; known: \"graphml\", \"networkx\", \"containerlab\"");
    }
    const std::string ext = fs::path(file).extension().string();
    if (ext == ".graphml") return "graphml";
    if (ext == ".json") return "networkx";
    if (ext == ".yml" || ext == ".yaml") return "containerlab";
    fail(path, "needs \"format\" (\"graphml\", \"networkx\" or \"containerlab\")" +
                   std::string(file.empty() ? "" : ": the file name does not tell"));
}

std::string read_file(const json& file, const std::string& path, const fs::path& base_dir) {
    const std::string& name = as_string(file, path);
    if (base_dir.empty()) {
        fail(path,
             "a topology file can only be named when the incident is read from a file (the "
             "command line); here give the topology inline with \"inline\"");
    }
    const fs::path full = fs::path(name).is_absolute() ? fs::path(name) : base_dir / name;
    std::error_code error;
    const auto size = fs::file_size(full, error);
    if (error) fail(path, "cannot read " + in_quotes(full.string()) + ": " + error.message());
    if (size > kMaxImportBytes) fail(path, in_quotes(full.string()) + " is larger than 256 MiB");
    std::ifstream in(full, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) fail(path, "cannot read " + in_quotes(full.string()));
    return text.str();
}

/// A NetworkX file under the same limits as the incident itself (json_document.h), its errors
/// placed at the import's path.
json parse_json(const std::string& text, const std::string& path) {
    try {
        return parse_json_document(text);
    } catch (const IncidentError& e) {
        fail(path, "NetworkX JSON: " + std::string(e.what()));
    }
}

topology_import::ImportedGraph read_graph(const json& spec, const std::string& path,
                                          const fs::path& base_dir) {
    const json* file = optional_field(spec, "file");
    const json* inline_value = optional_field(spec, "inline");
    if ((file == nullptr) == (inline_value == nullptr)) {
        fail(path, "needs exactly one of \"file\" and \"inline\"");
    }
    const std::string at = child(path, file ? "file" : "inline");
    const std::string format = format_of(spec, path, file ? as_string(*file, at) : "");
    if (format == "networkx") {
        const json document = file ? parse_json(read_file(*file, at, base_dir), at)
                              : inline_value->is_string()
                                  ? parse_json(inline_value->get<std::string>(), at)
                                  : *inline_value;
        return topology_import::read_node_link(document, at);
    }
    const std::string text = file ? read_file(*file, at, base_dir) : as_string(*inline_value, at);
    return format == "graphml" ? topology_import::read_graphml_text(text, at)
                               : topology_import::read_containerlab_text(text, at);
}

json import_topology(const json& spec, const std::string& path, const fs::path& base_dir) {
    as_object(spec, path);
    check_keys(spec, path,
               {"format", "file", "inline", "link_gbps", "link_delay_us", "server_link_gbps",
                "server_link_delay_us"});
    topology_import::LinkDefaults defaults;
    defaults.link_gbps = spec.value("link_gbps", json());
    defaults.link_delay_us = spec.value("link_delay_us", json());
    defaults.server_link_gbps = spec.value("server_link_gbps", json());
    defaults.server_link_delay_us = spec.value("server_link_delay_us", json());
    return topology_import::to_explicit_topology(read_graph(spec, path, base_dir), defaults, path);
}

}  // namespace

json resolve_topology_import(const json& document, const fs::path& base_dir) {
    if (!document.is_object()) return document;
    const auto topology = document.find("topology");
    if (topology == document.end() || !topology->is_object() || !topology->contains("import")) {
        return document;
    }
    const std::string path = "$.topology";
    for (const auto& [key, value] : topology->items()) {
        if (key != "import") fail(child(path, key), "not allowed together with \"import\"");
    }
    json resolved = document;
    resolved["topology"] = import_topology(topology->at("import"), child(path, "import"), base_dir);
    return resolved;
}

}  // namespace swarm
