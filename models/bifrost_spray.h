// BIFROST's choice of paths for one connection (Fan et al., NSDI '26, §4.1; docs/models/
// bifrost.md §2): the connection knows a set of candidate paths, one srcPort each, and sprays
// packet groups round-robin over the top-k of them by RTT. Paths that fail or are lossier than
// the connection's best one leave the spray set once the connection has noticed (a detection
// delay later); when no candidate delivers anything, BIFROST falls back to the plain VPC, one
// ECMP path (§7.2).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace swarm {

/// What the connection's RTT table knows about one candidate path.
struct SprayCandidate {
    double drop_rate = 0.0;
    double base_rtt_s = 0.0;
    /// The connection's random order among paths of equal RTT (uniform draw, seeded).
    double tie = 0.0;
};

/// Whether a candidate stays in the spray set once failures are detected: it delivers
/// (drop < 1), and its loss beyond the connection's best candidate's,
/// 1 - (1 - p) / (1 - min p), is below `exclude_loss` (θ_B). Loss every candidate shares (the
/// servers' links, their ToRs) is therefore never a reason to drop a path: no path avoids it.
std::vector<bool> healthy_candidates(std::span<const SprayCandidate> candidates,
                                     double exclude_loss);

/// §4.1 "selects the top-k paths with the lowest RTTs": indices of the (up to) k candidates
/// with `eligible` set, by base RTT (to the nanosecond) then tie order. Fewer than k eligible:
/// all of them.
std::vector<std::size_t> lowest_rtt(std::span<const SprayCandidate> candidates,
                                    const std::vector<bool>& eligible, int k);

/// The spray sets of one connection before and after detection.
struct SpraySets {
    std::vector<std::size_t> before;  ///< top-k of every candidate
    std::vector<std::size_t> after;   ///< top-k of the healthy ones; empty when falling back
    bool fallback() const { return after.empty(); }
    bool changes() const { return before != after; }
};
SpraySets spray_sets(std::span<const SprayCandidate> candidates, int k, double exclude_loss);

/// Packet groups of a flow of `size_bytes` (§4.1: groups of `group_packets` packets, each on
/// one path): ⌈⌈size / payload⌉ / group_packets⌉, at least 1.
int packet_groups(double size_bytes, double payload_bytes, int group_packets);

}  // namespace swarm
