// Implementation of include/swarm/swarm.h over the estimator and its helpers.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "estimator/helper/incident_reader.h"
#include "estimator/helper/ranking_json.h"
#include "estimator/helper/table_set_cache.h"
#include "estimator/transport_tables.h"
#include "models/builtin_models.h"
#include "service/data_paths.h"
#include "swarm/swarm.h"

namespace swarm {

std::string version() { return SWARM_VERSION; }

std::filesystem::path data_dir() {
    if (const char* env = std::getenv("SWARM_DATA_DIR"); env && *env) return env;
    // A moved installation: the running program's prefix (bin/swarm -> share/swarm/data), so a
    // prefix copied or unpacked elsewhere still finds its data.
    std::error_code error;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", error);
    const std::filesystem::path beside = exe.parent_path().parent_path() / "share" / "swarm" / "data";
    if (!error && std::filesystem::is_directory(beside / "tables")) return beside;
    // An installed library looks in its installation first; an uninstalled build in the
    // source tree it was built from.
    const std::filesystem::path installed = SWARM_API_INSTALLED_DATA_DIR;
    if (std::filesystem::is_directory(installed / "tables")) return installed;
    return SWARM_API_SOURCE_DATA_DIR;
}

namespace {

Incident parse(std::string_view json_text, const std::filesystem::path& data, const std::filesystem::path& base) {
    try {
        return read_incident_text(std::string(json_text), data, builtin_models(), base);
    } catch (const IncidentError& e) {
        throw InvalidIncident(e.path(), e.what());
    }
}

}  // namespace

Incident parse_incident(std::string_view json_text, const std::filesystem::path& data) {
    return parse(json_text, data, {});
}

Incident load_incident(const std::filesystem::path& file, const std::filesystem::path& data) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + file.string());
    std::ostringstream text;
    text << in.rdbuf();
    // An imported topology's relative file is next to the incident.
    return parse(text.str(), data, std::filesystem::absolute(file).parent_path());
}

TableSet TableSet::load(const std::filesystem::path& dir) {
    return TableSet(std::make_shared<const TransportTables>(TransportTables::load(dir)));
}

TableSet TableSet::load_default() { return load(data_dir() / "tables" / cli::kDefaultTableSet); }

const std::string& TableSet::name() const { return tables_->name; }

Ranking rank(const Incident& incident, const TableSet& tables, const RankOptions& options) {
    if (options.table_sets || incident.transport.mix.empty()) return rank(incident, tables.tables(), options);
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
