// What one rank sends rank 0 after a round: how its share ended and the outcomes of the items it
// finished, as bytes for MPI_Gatherv. Doubles travel as their bytes, so outcomes arrive
// bit-identical; the ranks must share one byte order and layout (the same binary on the same
// architecture, docs/mpi.md).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "estimator/sample_executor.h"

namespace swarm::mpi {

struct RoundReply {
    enum class Status : std::uint8_t {
        Done = 0,     ///< every item of the share finished
        Stopped = 1,  ///< the round's stop time passed (RankDeadlineExceeded)
        Failed = 2,   ///< `error` says why
    };
    Status status = Status::Done;
    std::string error;
    /// (index in the rank's block, outcome) of each item that finished.
    std::vector<std::pair<std::uint32_t, SampleOutcome>> outcomes;
};

std::vector<char> encode(const RoundReply& reply);

/// Throws std::runtime_error when `bytes` is not a whole reply.
RoundReply decode(std::span<const char> bytes);

}  // namespace swarm::mpi
