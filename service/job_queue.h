// The bounded FIFO of job ids waiting for a worker. Bounded so that overload is refused at
// the door (429) instead of growing without limit; jobs recovered at start-up bypass the bound
// because they were accepted before.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>

namespace swarm::service {

class JobQueue {
   public:
    explicit JobQueue(std::size_t capacity) : capacity_(capacity) {}

    /// False when the queue is full or closed.
    bool push(const std::string& id);
    /// Recovery after a restart: always accepted (unless closed).
    void push_unbounded(const std::string& id);
    /// Blocks until a job is available; empty once the queue is closed.
    std::optional<std::string> pop();
    /// Takes a queued job out (cancelled before it started); false if it was not queued.
    bool remove(const std::string& id);
    /// Wakes every waiting pop(); later pushes are refused. Jobs left inside stay in the store.
    void close();

    std::size_t size() const;
    std::size_t capacity() const { return capacity_; }

   private:
    const std::size_t capacity_;
    mutable std::mutex mutex_;
    std::condition_variable available_;
    std::deque<std::string> ids_;
    bool closed_ = false;
};

}  // namespace swarm::service
