#include "mpi/mpi_rounds.h"

#include <chrono>
#include <cstdint>
#include <exception>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "estimator/sample_runner.h"
#include "mpi/round_reply.h"
#include "mpi/work_split.h"
#include "swarm/rank.h"

namespace swarm::mpi {

namespace {

/// What rank 0 broadcasts before each round, and once at the end.
struct Command {
    std::int32_t finish = 0;     ///< 1: no round follows
    std::int32_t exit_code = 0;  ///< with finish: what every rank exits with
    std::uint64_t items = 0;     ///< items of the round, broadcast next
    double stop_in_s = -1.0;     ///< seconds until the round's stop time; < 0: none
};

int size_of(MPI_Comm comm) {
    int size = 1;
    MPI_Comm_size(comm, &size);
    return size;
}

/// Waits for a non-blocking operation without spinning on a core another rank needs.
void wait_for(MPI_Request& request) {
    int done = 0;
    for (MPI_Test(&request, &done, MPI_STATUS_IGNORE); !done;
         MPI_Test(&request, &done, MPI_STATUS_IGNORE)) {
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
}

void broadcast(void* data, std::size_t bytes, MPI_Comm comm) {
    MPI_Request request;
    MPI_Ibcast(data, static_cast<int>(bytes), MPI_BYTE, 0, comm, &request);
    wait_for(request);
}

/// Every rank's reply bytes, on rank 0 (empty elsewhere); rank 0 sends none.
std::vector<std::vector<char>> gather_replies(const std::vector<char>& mine, MPI_Comm comm) {
    const int ranks = size_of(comm);
    int rank = 0;
    MPI_Comm_rank(comm, &rank);
    int size = static_cast<int>(mine.size());
    std::vector<int> sizes(rank == 0 ? static_cast<std::size_t>(ranks) : 0);
    MPI_Request request;
    MPI_Igather(&size, 1, MPI_INT, sizes.data(), 1, MPI_INT, 0, comm, &request);
    wait_for(request);
    std::vector<int> offsets(sizes.size(), 0);
    for (std::size_t k = 1; k < sizes.size(); ++k) offsets[k] = offsets[k - 1] + sizes[k - 1];
    std::vector<char> all(sizes.empty() ? 0
                                        : static_cast<std::size_t>(offsets.back() + sizes.back()));
    MPI_Igatherv(mine.data(), size, MPI_BYTE, all.data(), sizes.data(), offsets.data(), MPI_BYTE, 0,
                 comm, &request);
    wait_for(request);
    std::vector<std::vector<char>> replies(sizes.size());
    for (std::size_t k = 0; k < sizes.size(); ++k) {
        const auto begin = all.begin() + offsets[k];
        replies[k].assign(begin, begin + sizes[k]);
    }
    return replies;
}

/// Runs `items` with `runner`; the reply holds the outcomes of those that finished.
RoundReply run_block(const SampleRunner& runner, std::span<const SampleItem> items, StopTime stop) {
    std::vector<std::optional<SampleOutcome>> slots(items.size());
    RoundReply reply;
    try {
        runner.run(items, stop, [&](std::size_t i, SampleOutcome&& o) { slots[i] = std::move(o); });
    } catch (const RankDeadlineExceeded&) {
        reply.status = RoundReply::Status::Stopped;
    } catch (const std::exception& e) {
        reply.status = RoundReply::Status::Failed;
        reply.error = e.what();
    }
    for (std::size_t i = 0; i < slots.size(); ++i) {
        if (slots[i])
            reply.outcomes.emplace_back(static_cast<std::uint32_t>(i), std::move(*slots[i]));
    }
    return reply;
}

double seconds_until(StopTime stop) {
    if (!stop) return -1.0;
    const double left =
        std::chrono::duration<double>(*stop - std::chrono::steady_clock::now()).count();
    return left > 0.0 ? left : 0.0;
}

StopTime stop_after(double seconds) {
    if (seconds < 0.0) return std::nullopt;
    return std::chrono::steady_clock::now() +
           std::chrono::duration_cast<std::chrono::steady_clock::duration>(
               std::chrono::duration<double>(seconds));
}

/// Hands rank `rank`'s outcomes to `sink`. Returns whether its block stopped early; throws
/// when it failed or its outcomes do not fit this round.
bool deliver(RoundReply reply, int rank, ItemBlock block, std::size_t metrics,
             const SampleSink& sink) {
    const std::string who = "MPI rank " + std::to_string(rank);
    if (reply.status == RoundReply::Status::Failed)
        throw std::runtime_error(who + ": " + reply.error);
    for (const auto& [index, outcome] : reply.outcomes) {
        if (index >= block.size() || outcome.metrics.size() != metrics) {
            throw std::runtime_error(who +
                                     " sent an outcome that does not fit the round: the ranks "
                                     "disagree on the incident or the options");
        }
    }
    for (auto& [index, outcome] : reply.outcomes) sink(block.begin + index, std::move(outcome));
    return reply.status == RoundReply::Status::Stopped;
}

}  // namespace

MpiExecutor::MpiExecutor(MPI_Comm comm) : comm_(comm), ranks_(size_of(comm)) {}

MpiExecutor::~MpiExecutor() { finish(1); }

void MpiExecutor::run_round(std::span<const SampleItem> items, StopTime stop,
                            const SampleRunner& local, const SampleSink& sink) {
    Command command{0, 0, items.size(), seconds_until(stop)};
    broadcast(&command, sizeof command, comm_);
    std::vector<SampleItem> sent(items.begin(), items.end());
    broadcast(sent.data(), sent.size() * sizeof(SampleItem), comm_);

    // Rank 0's own block goes straight to the sink; a failure waits until every rank replied,
    // so that no rank is left in the gather.
    const ItemBlock mine = block_of(items.size(), ranks_, 0);
    std::exception_ptr failure;
    bool stopped = false;
    try {
        local.run(items.subspan(mine.begin, mine.size()), stop,
                  [&](std::size_t i, SampleOutcome&& o) { sink(mine.begin + i, std::move(o)); });
    } catch (const RankDeadlineExceeded&) {
        stopped = true;
    } catch (...) {
        failure = std::current_exception();
    }
    const std::vector<std::vector<char>> replies = gather_replies({}, comm_);
    if (failure) std::rethrow_exception(failure);
    for (int k = 1; k < ranks_; ++k) {
        const ItemBlock block = block_of(items.size(), ranks_, k);
        if (deliver(decode(replies[static_cast<std::size_t>(k)]), k, block, local.metrics().size(),
                    sink))
            stopped = true;
    }
    if (stopped) throw RankDeadlineExceeded();
}

void MpiExecutor::finish(int exit_code) {
    if (finished_) return;
    finished_ = true;
    Command command{1, exit_code, 0, -1.0};
    broadcast(&command, sizeof command, comm_);
}

int serve_rounds(MPI_Comm comm, const SampleRunner* runner, const std::string& setup_error) {
    int rank = 0;
    MPI_Comm_rank(comm, &rank);
    const int ranks = size_of(comm);
    for (;;) {
        Command command;
        broadcast(&command, sizeof command, comm);
        if (command.finish) return command.exit_code;
        std::vector<SampleItem> items(command.items);
        broadcast(items.data(), items.size() * sizeof(SampleItem), comm);
        const ItemBlock block = block_of(items.size(), ranks, rank);
        RoundReply reply;
        if (runner) {
            reply = run_block(*runner, std::span(items).subspan(block.begin, block.size()),
                              stop_after(command.stop_in_s));
        } else {
            reply.status = RoundReply::Status::Failed;
            reply.error = setup_error;
        }
        gather_replies(encode(reply), comm);
    }
}

}  // namespace swarm::mpi
