// A model's optional "hosts" parameter (BIFROST, ZooRoute): the servers it covers, or every
// server when the incident leaves it out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "swarm/topology.h"

namespace swarm {

using HostList = std::optional<std::vector<std::int32_t>>;

/// Per server index: 1 if `hosts` covers it.
inline std::vector<char> host_mask(const HostList& hosts, std::size_t server_count) {
    std::vector<char> mask(server_count, hosts ? 0 : 1);
    if (hosts) {
        for (std::int32_t s : *hosts) mask[static_cast<std::size_t>(s)] = 1;
    }
    return mask;
}

/// "3 of 36 servers" or "every server", for a model's describe().
inline std::string describe_hosts(const HostList& hosts, const Topology& topology) {
    if (!hosts) return "every server";
    return std::to_string(hosts->size()) + " of " + std::to_string(topology.servers().size()) +
           " servers";
}

}  // namespace swarm
