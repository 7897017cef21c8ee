// Stored networks (PUT /v1/networks/{name}), like a forked Batfish snapshot: the topology,
// traffic, routing and ongoing mitigations of a fabric, stored once and versioned; an incident
// then names the network and adds only its failures and candidates. docs/api.md, "Stored
// networks".
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "swarm/budget.h"

namespace swarm::service {

/// The sections a stored network holds; an incident that references one gives none of them.
inline constexpr const char* kNetworkSections[] = {"topology", "traffic", "routing",
                                                   "ongoing_mitigations"};

/// An incident's `"network": {"name": ..., "version": ...}` (version absent: the latest).
struct NetworkReference {
    std::string name;
    std::optional<std::int64_t> version;
};

/// Parses a PUT body (any JSON text) and checks it as an incident's network: an object with
/// "topology" and "traffic", optionally "routing", "ongoing_mitigations" and "description",
/// each valid as in an incident and within `budget`. Returns the document. Throws IncidentError
/// with the JSON path ("$.topology.links[3].to").
nlohmann::json checked_network(const std::string& text, const std::filesystem::path& data_dir,
                               const WorkBudget& budget);

/// The reference of an incident document, or nullopt without "network". Throws IncidentError
/// at "$.network..." when it is malformed.
std::optional<NetworkReference> network_reference(const nlohmann::json& incident);

/// The incident with the network's sections merged in and "network" removed. Throws
/// IncidentError at the section that both give.
nlohmann::json with_network(const nlohmann::json& incident, const nlohmann::json& network,
                            const std::string& network_name);

}  // namespace swarm::service
