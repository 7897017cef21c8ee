#include "estimator/helper/incident_buffers.h"

#include "estimator/helper/json_fields.h"

namespace swarm {

using namespace json_fields;

namespace {

// A guard against typos (an extra three zeros), as the topology's size limits.
constexpr Range kBufferPackets{0.0, 1e6, true, false};

}  // namespace

void read_buffers(const nlohmann::json* j, const std::string& path, Topology& topo) {
    if (!j) return;
    as_object(*j, path);
    check_keys(*j, path, {"default_packets", "switches"});
    if (const nlohmann::json* d = optional_field(*j, "default_packets")) {
        topo.set_default_buffer_packets(
            number_in(*d, child(path, "default_packets"), kBufferPackets));
    }
    const nlohmann::json* switches = optional_field(*j, "switches");
    if (!switches) return;
    const std::string at = child(path, "switches");
    as_object(*switches, at);
    for (const auto& [name, packets] : switches->items()) {
        const std::string entry = child(at, name);
        const NodeId n = switch_ref(nlohmann::json(name), entry, topo);
        topo.set_buffer_packets(n, number_in(packets, entry, kBufferPackets));
    }
}

}  // namespace swarm
