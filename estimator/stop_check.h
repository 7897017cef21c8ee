// When a ranking must stop early: a flag another thread raises (DELETE, SIGTERM after the
// grace period) and a steady-clock deadline (the request's deadline_s, the service's per-job
// time limit, or an embedder's own). Polled inside the epoch loop, so a stop takes effect
// within one epoch's work rather than at the next sample boundary.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>

#include "swarm/rank.h"

namespace swarm {

class StopCheck {
   public:
    using Clock = std::chrono::steady_clock;

    StopCheck() = default;
    StopCheck(const std::atomic<bool>* flag, std::optional<Clock::time_point> deadline)
        : flag_(flag), deadline_(deadline) {}

    /// Throws RankCancelled when the flag is raised and RankDeadlineExceeded when the deadline
    /// has passed. Cheap enough for every epoch: a relaxed load, and a clock read (about 20 ns)
    /// on every 16th call only.
    void poll() {
        if (flag_ && flag_->load(std::memory_order_relaxed)) throw RankCancelled();
        if (deadline_ && (++calls_ & 15u) == 0 && Clock::now() >= *deadline_)
            throw RankDeadlineExceeded();
    }

    /// Like poll() but reads the clock every time: for coarse steps (one per sample).
    void check() {
        calls_ = 15;
        poll();
    }

   private:
    const std::atomic<bool>* flag_ = nullptr;
    std::optional<Clock::time_point> deadline_;
    std::uint32_t calls_ = 0;
};

}  // namespace swarm
