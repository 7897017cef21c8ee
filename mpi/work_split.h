// Which items of a round each MPI rank runs: contiguous blocks of the round's item list, as
// even as integers allow (the first `items % ranks` ranks run one more). Contiguous blocks keep
// a traffic sample's items together, so a rank draws few demand samples it shares with another.
// The split never changes the result (estimator/sample_executor.h), only who computes what.
#pragma once

#include <cstddef>

namespace swarm::mpi {

struct ItemBlock {
    std::size_t begin = 0;
    std::size_t end = 0;
    std::size_t size() const { return end - begin; }
};

/// Rank `rank`'s block of `items` items shared by `ranks` ranks.
/// PRECONDITION: 0 <= rank < ranks.
constexpr ItemBlock block_of(std::size_t items, int ranks, int rank) {
    const auto n = static_cast<std::size_t>(ranks);
    const auto r = static_cast<std::size_t>(rank);
    const std::size_t base = items / n;
    const std::size_t extra = items % n;
    const std::size_t begin = r * base + (r < extra ? r : extra);
    return {begin, begin + base + (r < extra ? 1 : 0)};
}

}  // namespace swarm::mpi
