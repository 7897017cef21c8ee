#include "service/worker_pool.h"

#include <algorithm>

namespace swarm::service {

WorkerPool::WorkerPool(JobQueue& queue, std::size_t workers, Runner runner)
    : queue_(queue), runner_(std::move(runner)) {
    const std::size_t count = std::max<std::size_t>(1, workers);
    threads_.reserve(count);
    for (std::size_t i = 0; i < count; ++i) threads_.emplace_back([this] { work(); });
}

WorkerPool::~WorkerPool() { shutdown(std::chrono::milliseconds(0)); }

void WorkerPool::work() {
    while (std::optional<std::string> id = queue_.pop()) {
        auto control = std::make_shared<JobControl>();
        {
            const std::lock_guard lock(mutex_);
            running_[*id] = control;
        }
        runner_(*id, *control);
        {
            const std::lock_guard lock(mutex_);
            running_.erase(*id);
        }
        idle_.notify_all();
    }
}

bool WorkerPool::request_stop(const std::string& id, StopReason why) {
    const std::lock_guard lock(mutex_);
    const auto it = running_.find(id);
    if (it == running_.end()) return false;
    it->second->request_stop(why);
    return true;
}

std::optional<double> WorkerPool::progress(const std::string& id) const {
    const std::lock_guard lock(mutex_);
    const auto it = running_.find(id);
    if (it == running_.end()) return std::nullopt;
    return it->second->progress.load();
}

std::optional<int> WorkerPool::samples_done(const std::string& id) const {
    const std::lock_guard lock(mutex_);
    const auto it = running_.find(id);
    if (it == running_.end()) return std::nullopt;
    return it->second->samples_done.load();
}

std::size_t WorkerPool::running() const {
    const std::lock_guard lock(mutex_);
    return running_.size();
}

void WorkerPool::shutdown(std::chrono::milliseconds grace) {
    {
        const std::lock_guard lock(mutex_);
        if (shut_down_) return;
        shut_down_ = true;
    }
    queue_.close();
    {
        std::unique_lock lock(mutex_);
        idle_.wait_for(lock, grace, [&] { return running_.empty(); });
        for (auto& [id, control] : running_) control->request_stop(StopReason::Shutdown);
    }
    for (std::thread& t : threads_) {
        if (t.joinable()) t.join();
    }
}

}  // namespace swarm::service
