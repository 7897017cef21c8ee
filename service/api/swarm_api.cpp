// Implementation of include/swarm/swarm.h over the estimator and its helpers.
#include <dlfcn.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "estimator/helper/classic_actions.h"
#include "estimator/helper/incident_reader.h"
#include "estimator/helper/ranking_json.h"
#include "estimator/helper/table_set_cache.h"
#include "estimator/mitigation/plugin_model.h"
#include "estimator/transport_tables.h"
#include "models/builtin_models.h"
#include "service/data_paths.h"
#include "swarm/swarm.h"

namespace swarm {

std::string version() { return SWARM_VERSION; }

namespace {

/// The file the library's code was loaded from: the program itself when swarm is linked
/// statically (bin/app), the Python module (lib/python3/dist-packages/swarm....so), or a shared
/// library. dladdr() asks the dynamic loader, so it holds wherever the prefix was moved to.
std::filesystem::path library_file() {
    Dl_info info{};
    if (dladdr(reinterpret_cast<const void*>(&library_file), &info) == 0 || !info.dli_fname)
        return {};
    std::error_code error;
    const std::filesystem::path file = std::filesystem::canonical(info.dli_fname, error);
    return error ? std::filesystem::path() : file;
}

/// <prefix>/share/swarm/data for the nearest prefix above `file` that has one (bin/ and lib/
/// are one level down, lib/python3/dist-packages three); empty when none does.
std::filesystem::path installed_beside(const std::filesystem::path& file) {
    std::filesystem::path dir = file.parent_path();
    for (int up = 0; up < 4 && !dir.empty() && dir != dir.root_path(); ++up) {
        dir = dir.parent_path();
        const std::filesystem::path data = dir / "share" / "swarm" / "data";
        if (std::filesystem::is_directory(data / "tables")) return data;
    }
    return {};
}

}  // namespace

std::filesystem::path data_dir() {
    if (const char* env = std::getenv("SWARM_DATA_DIR"); env && *env) return env;
    // A moved installation: the prefix of the file this code runs from, so that a prefix copied
    // or unpacked elsewhere still finds its data.
    if (const std::filesystem::path beside = installed_beside(library_file()); !beside.empty())
        return beside;
    // An installed library looks in its installation first; an uninstalled build in the
    // source tree it was built from.
    const std::filesystem::path installed = SWARM_API_INSTALLED_DATA_DIR;
    if (std::filesystem::is_directory(installed / "tables")) return installed;
    return SWARM_API_SOURCE_DATA_DIR;
}

namespace {

Incident parse(std::string_view json_text, const std::filesystem::path& data,
               const std::filesystem::path& base, const ModelRegistry& models) {
    try {
        return read_incident_text(std::string(json_text), data, models, WorkBudget{}, base);
    } catch (const IncidentError& e) {
        throw InvalidIncident(e.path(), e.what());
    }
}

Incident load(const std::filesystem::path& file, const std::filesystem::path& data,
              const ModelRegistry& models) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + file.string());
    std::ostringstream text;
    text << in.rdbuf();
    // An imported topology's relative file is next to the incident.
    return parse(text.str(), data, std::filesystem::absolute(file).parent_path(), models);
}

}  // namespace

Incident parse_incident(std::string_view json_text, const std::filesystem::path& data) {
    return parse(json_text, data, {}, builtin_models());
}

Incident load_incident(const std::filesystem::path& file, const std::filesystem::path& data) {
    return load(file, data, builtin_models());
}

Incident parse_incident(std::string_view json_text, const ModelCatalog& models,
                        const std::filesystem::path& data) {
    return parse(json_text, data, {}, models.registry());
}

Incident load_incident(const std::filesystem::path& file, const ModelCatalog& models,
                       const std::filesystem::path& data) {
    return load(file, data, models.registry());
}

// ---- ModelCatalog (swarm/model_plugin.h) ---------------------------------------------------

ModelCatalog::ModelCatalog() : registry_(std::make_shared<ModelRegistry>(builtin_models())) {}

void ModelCatalog::add(ModelPluginSpec spec) {
    if (spec.type.empty()) throw std::invalid_argument("a model plugin needs a type");
    if (is_classic_action_type(spec.type))
        throw std::invalid_argument("model type \"" + spec.type + "\" is a classic action");
    ModelSpec entry = plugin_model_spec(std::move(spec));  // throws without make()
    // Copies of a catalog share its registry until one of them changes.
    auto registry = std::make_shared<ModelRegistry>(*registry_);
    registry->add(std::move(entry));  // throws on a type registered twice
    registry_ = std::move(registry);
}

std::vector<std::string> ModelCatalog::types() const { return registry_->types(); }

TableSet TableSet::load(const std::filesystem::path& dir) {
    return TableSet(std::make_shared<const TransportTables>(TransportTables::load(dir)));
}

TableSet TableSet::load_default() { return load(data_dir() / "tables" / cli::kDefaultTableSet); }

const std::string& TableSet::name() const { return tables_->name; }

Ranking rank(const Incident& incident, const TableSet& tables, const RankOptions& options) {
    if (options.table_sets || incident.transport.mix.empty())
        return rank(incident, tables.tables(), options);
    // An incident with a `transport` section names table sets: the caller gave no loader, so
    // they come from this installation's data (one cache per call; sets load in milliseconds).
    TableSetCache sets(data_dir() / "tables");
    RankOptions with_sets = options;
    with_sets.table_sets = sets.loader();
    return rank(incident, tables.tables(), with_sets);
}

std::string to_json_string(const Ranking& ranking, int indent) {
    return to_json(ranking).dump(indent);
}

}  // namespace swarm
