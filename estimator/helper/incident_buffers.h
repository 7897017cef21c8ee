// The incident's "buffers" section (docs/incident-format.md "Buffers"): the egress buffer per
// port, a topology-wide default and per-switch overrides, written into the Topology.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "swarm/topology.h"

namespace swarm {

/// Reads `j` (may be null: every node keeps Topology::kDefaultBufferPackets) at JSON path
/// `path` into `topo`. Throws IncidentError naming the path on a bad value or an unknown or
/// non-switch name.
void read_buffers(const nlohmann::json* j, const std::string& path, Topology& topo);

}  // namespace swarm
