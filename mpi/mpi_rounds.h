// rank()'s rounds over MPI ranks. Rank 0 runs rank() with an MpiExecutor: each round it
// broadcasts the round's items and its stop time, runs its own block (work_split.h) on its
// threads, gathers every other rank's outcomes and hands them all to rank()'s sink, so the
// decision rule, the rounds and the reduction happen on rank 0 exactly as in one process. The
// other ranks run serve_rounds(): their own SampleRunner, built from the same incident and
// options, answers each round until rank 0 says finish. Only the main thread calls MPI
// (MPI_THREAD_FUNNELED); waits poll with short sleeps so an idle rank leaves its core to the
// ranks still computing.
#pragma once

#include <mpi.h>

#include <string>

#include "estimator/sample_executor.h"

namespace swarm::mpi {

class MpiExecutor final : public SampleExecutor {
   public:
    /// PRECONDITION: called on rank 0 of `comm`, every other rank in serve_rounds(comm, ...).
    explicit MpiExecutor(MPI_Comm comm);
    /// Calls finish(1) if finish() was not called: the other ranks never wait forever.
    ~MpiExecutor() override;
    MpiExecutor(const MpiExecutor&) = delete;
    MpiExecutor& operator=(const MpiExecutor&) = delete;

    /// Throws std::runtime_error naming the rank when another rank failed (its runner could not
    /// be built, its items threw, it disagrees on the number of metrics).
    void run_round(std::span<const SampleItem> items, StopTime stop, const SampleRunner& local,
                   const SampleSink& sink) override;

    /// Tells the other ranks that no round follows and to exit with `exit_code`. Once.
    void finish(int exit_code);

   private:
    MPI_Comm comm_;
    int ranks_ = 1;
    bool finished_ = false;
};

/// A rank other than 0: answers rank 0's rounds with `runner` until rank 0 finishes, and
/// returns the exit code rank 0 sent. With `runner` null it answers every round with
/// `setup_error` (rank 0 then fails the ranking, naming this rank).
int serve_rounds(MPI_Comm comm, const SampleRunner* runner, const std::string& setup_error);

}  // namespace swarm::mpi
