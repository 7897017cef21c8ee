// Incident JSON (format v1) -> validated Incident. Every check reports a JSON path and what was
// given, because incident files are written by hand under pressure and a vague error costs
// more time than the estimate itself. Unknown keys are errors: a typo must never silently
// turn into a default. Sections are read in dependency order (topology first, since failures,
// actions, routing and traffic patterns name its nodes and links).
#include "estimator/helper/incident_reader.h"

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "estimator/budget.h"
#include "estimator/helper/estimator_defaults.h"
#include "estimator/helper/incident_buffers.h"
#include "estimator/helper/incident_sections.h"
#include "estimator/helper/json_document.h"
#include "estimator/helper/routing_bug_reader.h"
#include "estimator/helper/topology_import/topology_import.h"

namespace swarm {
namespace {

using namespace json_fields;
using namespace incident_sections;

// ---- the document

Incident read_document(const json& doc, const std::filesystem::path& data_dir,
                       const ModelRegistry& models) {
    const std::string root = "$";
    as_object(doc, root);
    // The version first: a newer document may use keys this reader does not know.
    const json& version = required_field(doc, root, "version");
    if (!version.is_number_integer() || version.get<std::int64_t>() != 1) {
        fail(child(root, "version"),
             "unsupported version " + shown(version) + "; this reader supports version 1");
    }
    if (doc.contains("network")) {
        fail(child(root, "network"),
             "a stored network is referenced over REST only (PUT "
             "/v1/networks/{name}, docs/api.md); here give its "
             "\"topology\" and \"traffic\"");
    }
    check_keys(doc, root,
               {"version", "name", "description", "topology", "routing", "ongoing_mitigations",
                "failures", "traffic", "candidates", "comparator", "estimator", "transport"});
    Incident incident;
    incident.name = as_name(required_field(doc, root, "name"), child(root, "name"));
    if (const json* description = optional_field(doc, "description")) {
        incident.description = as_string(*description, child(root, "description"));
    }
    incident.topology =
        read_topology(required_field(doc, root, "topology"), child(root, "topology"));
    read_buffers(optional_field(doc, "buffers"), child(root, "buffers"), incident.topology);
    const Topology& topo = incident.topology;
    incident.routing = read_routing(optional_field(doc, "routing"), child(root, "routing"), topo);
    incident.ongoing_mitigations = read_actions(optional_field(doc, "ongoing_mitigations"),
                                                child(root, "ongoing_mitigations"), topo);
    incident.failures =
        read_failures(optional_field(doc, "failures"), child(root, "failures"), topo);
    incident.traffic =
        read_traffic(required_field(doc, root, "traffic"), child(root, "traffic"), topo, data_dir);
    incident.candidates = read_candidates(required_field(doc, root, "candidates"),
                                          child(root, "candidates"), topo, models);
    incident.comparator =
        read_comparator(optional_field(doc, "comparator"), child(root, "comparator"));
    incident.estimator = read_estimator(optional_field(doc, "estimator"), child(root, "estimator"));
    incident.transport =
        read_transport(optional_field(doc, "transport"), child(root, "transport"), data_dir);
    const json* estimator = optional_field(doc, "estimator");
    const json& traffic = required_field(doc, root, "traffic");
    fill_derived_defaults(incident, {estimator && optional_field(*estimator, "epoch_ms"),
                                     optional_field(traffic, "duration_s") != nullptr,
                                     optional_field(traffic, "measure_window_s") != nullptr});
    // After the defaults: episodes are checked against the duration the ranking will use.
    check_routing_bug_episodes(incident.failures, incident.traffic.duration.value,
                               child(root, "failures"));
    return incident;
}

/// Runs `read`, turning any library exception into an IncidentError at "$": it is still the
/// input's fault as far as the caller can tell.
template <typename Read>
auto as_incident_error(Read read) -> decltype(read()) {
    try {
        return read();
    } catch (const IncidentError&) {
        throw;
    } catch (const std::exception& e) {
        throw IncidentError("$", std::string("cannot read incident: ") + e.what());
    }
}

json with_imported_topology(const json& document, const std::filesystem::path& base_dir) {
    return as_incident_error([&] { return resolve_topology_import(document, base_dir); });
}

}  // namespace

Incident read_incident(const nlohmann::json& document, const std::filesystem::path& data_dir,
                       const ModelRegistry& models, const std::filesystem::path& base_dir) {
    return as_incident_error([&] {
        return read_document(resolve_topology_import(document, base_dir), data_dir, models);
    });
}

Incident read_incident_text(const std::string& text, const std::filesystem::path& data_dir,
                            const ModelRegistry& models, const WorkBudget& budget,
                            const std::filesystem::path& base_dir) {
    // The import first, so the budget sees the topology that will actually be built.
    const json document = with_imported_topology(parse_json_document(text), base_dir);
    check_topology_budget(document, budget);
    Incident incident = read_incident(document, data_dir, models);
    check_budget(incident, budget);
    return incident;
}

}  // namespace swarm
