#include "service/stored_networks.h"

#include "estimator/helper/incident_reader.h"
#include "estimator/helper/json_document.h"
#include "estimator/helper/json_fields.h"
#include "models/builtin_models.h"

namespace swarm::service {

using nlohmann::json;
using namespace json_fields;

json checked_network(const std::string& text, const std::filesystem::path& data_dir,
                     const WorkBudget& budget) {
    const json network = parse_json_document(text);
    as_object(network, "$");
    check_keys(network, "$",
               {"description", "topology", "traffic", "routing", "ongoing_mitigations"});
    required_field(network, "$", "topology");
    required_field(network, "$", "traffic");
    // Read as an incident with one do-nothing candidate: the same checks, the same JSON paths.
    json incident = network;
    incident["version"] = 1;
    incident["name"] = "network";
    incident["candidates"] = json::array({{{"name", "no-action"}, {"actions", json::array()}}});
    read_incident_text(incident.dump(), data_dir, builtin_models(), budget);
    return network;
}

std::optional<NetworkReference> network_reference(const json& incident) {
    if (!incident.is_object()) return std::nullopt;
    const json* ref = optional_field(incident, "network");
    if (!ref) return std::nullopt;
    const std::string path = "$.network";
    as_object(*ref, path);
    check_keys(*ref, path, {"name", "version"});
    NetworkReference out;
    out.name = as_string(required_field(*ref, path, "name"), child(path, "name"));
    if (const json* version = optional_field(*ref, "version")) {
        if (!version->is_number_integer() || version->get<std::int64_t>() < 1) {
            fail(child(path, "version"), "must be a version number >= 1, got " + shown(*version));
        }
        out.version = version->get<std::int64_t>();
    }
    return out;
}

json with_network(const json& incident, const json& network, const std::string& network_name) {
    json merged = incident;
    merged.erase("network");
    for (const char* section : kNetworkSections) {
        if (!network.contains(section)) continue;
        if (merged.contains(section)) {
            fail(child("$", section), "given by the stored network " + in_quotes(network_name) +
                                          " already; an incident that references a network adds "
                                          "only failures, candidates and settings");
        }
        merged[section] = network[section];
    }
    return merged;
}

}  // namespace swarm::service
