// The embedded library's front door: everything an ops tool needs to rank an incident in
// process, without the estimator's internal headers.
//
// clang-format off
//   #include <swarm/swarm.h>
//   swarm::TableSet tables = swarm::TableSet::load(swarm::data_dir() / "tables" / "analytic-reno");
//   swarm::Incident incident = swarm::load_incident("incident.json");  // or build one in code
//                                     // (your own mitigation models: swarm/model_plugin.h)
//   swarm::RankOptions options;                  // threads, seed, progress, cancel
//   swarm::Ranking ranking = swarm::rank(incident, tables, options);
//   std::cout << swarm::to_json_string(ranking); // the CLI's JSON contract
// clang-format on
//
// Link with `find_package(swarm)` and `target_link_libraries(app PRIVATE swarm::swarm)`.
// Stability: additions only; the JSON contract is docs/api.md.
#pragma once

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "swarm/incident.h"
#include "swarm/model_plugin.h"
#include "swarm/rank.h"
#include "swarm/ranking.h"
#include "swarm/topology.h"
#include "swarm/units.h"

namespace swarm {

/// The library's version, e.g. "0.1.0" (also in every Ranking and its JSON).
std::string version();

/// An incident that does not validate. `json_path()` names the place, e.g.
/// "$.failures[0].drop_rate"; what() is "<path>: <what is wrong>, got <what was given>".
class InvalidIncident : public std::runtime_error {
   public:
    InvalidIncident(std::string json_path, const std::string& message)
        : std::runtime_error(message), json_path_(std::move(json_path)) {}
    const std::string& json_path() const { return json_path_; }

   private:
    std::string json_path_;
};

/// Where the installed data lives (cdfs/, tables/, schema/): $SWARM_DATA_DIR if set, else
/// <prefix>/share/swarm/data of the prefix the library's code was loaded from (the program
/// that links it statically in <prefix>/bin, or the Python module in
/// <prefix>/lib/python3/dist-packages), so a moved installation still finds its data, else the
/// data directory the library was installed with (or the source tree for an uninstalled build).
std::filesystem::path data_dir();

/// Parses and validates incident JSON (docs/incident-format.md). Named flow-size CDFs are
/// looked up in `data/cdfs/`. An imported topology must be inline (no file is read).
/// Throws InvalidIncident.
Incident parse_incident(std::string_view json_text, const std::filesystem::path& data = data_dir());
/// The same from a file; an imported topology's relative `file` is looked up next to it. An
/// unreadable file throws std::runtime_error.
Incident load_incident(const std::filesystem::path& file,
                       const std::filesystem::path& data = data_dir());
/// The same, with the operator's own mitigation models (swarm/model_plugin.h): candidate actions
/// may name any type of `models`. A model's parameter errors are InvalidIncident like any other.
Incident parse_incident(std::string_view json_text, const ModelCatalog& models,
                        const std::filesystem::path& data = data_dir());
Incident load_incident(const std::filesystem::path& file, const ModelCatalog& models,
                       const std::filesystem::path& data = data_dir());

/// A loaded transport table set (the three tables of SWARM §3.3). Cheap to copy: copies share
/// the tables, which are immutable, so one TableSet can serve many threads.
class TableSet {
   public:
    /// Loads <dir>/loss_limited_throughput.tsv, short_flow_rtts.tsv, queueing_delay.tsv.
    /// Throws std::runtime_error naming the file and line of any problem.
    static TableSet load(const std::filesystem::path& dir);
    /// The default set, data_dir()/tables/ns3-cubic (measured with ns-3, docs/tables.md).
    static TableSet load_default();

    const std::string& name() const;
    const TransportTables& tables() const { return *tables_; }

   private:
    explicit TableSet(std::shared_ptr<const TransportTables> tables) : tables_(std::move(tables)) {}
    std::shared_ptr<const TransportTables> tables_;
};

/// Ranks the incident's candidates (see swarm/rank.h for the options: threads, seed override,
/// progress callback, cancel token -> RankCancelled). When the incident has a `transport`
/// section and options.table_sets is empty, its table sets load from data_dir()/tables.
Ranking rank(const Incident& incident, const TableSet& tables, const RankOptions& options = {});

/// The ranking as the CLI's JSON contract (`swarm rank --format json`, docs/api.md).
std::string to_json_string(const Ranking& ranking, int indent = 2);

}  // namespace swarm
