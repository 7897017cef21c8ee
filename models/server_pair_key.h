// One 64-bit key per ordered (source, destination) server pair, for the per-pair state of the
// path-steering models (BIFROST connections, ZooRoute learning, RON virtual links).
#pragma once

#include <cstdint>

namespace swarm {

inline std::uint64_t server_pair_key(std::int32_t src, std::int32_t dst) {
    return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(src)) << 32) |
           static_cast<std::uint32_t>(dst);
}

}  // namespace swarm
