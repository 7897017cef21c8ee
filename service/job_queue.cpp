#include "service/job_queue.h"

#include <algorithm>

namespace swarm::service {

bool JobQueue::push(const std::string& id) {
    {
        const std::lock_guard lock(mutex_);
        if (closed_ || ids_.size() >= capacity_) return false;
        ids_.push_back(id);
    }
    available_.notify_one();
    return true;
}

void JobQueue::push_unbounded(const std::string& id) {
    {
        const std::lock_guard lock(mutex_);
        if (closed_) return;
        ids_.push_back(id);
    }
    available_.notify_one();
}

std::optional<std::string> JobQueue::pop() {
    std::unique_lock lock(mutex_);
    available_.wait(lock, [&] { return closed_ || !ids_.empty(); });
    if (closed_) return std::nullopt;
    std::string id = std::move(ids_.front());
    ids_.pop_front();
    return id;
}

bool JobQueue::remove(const std::string& id) {
    const std::lock_guard lock(mutex_);
    const auto it = std::find(ids_.begin(), ids_.end(), id);
    if (it == ids_.end()) return false;
    ids_.erase(it);
    return true;
}

void JobQueue::close() {
    {
        const std::lock_guard lock(mutex_);
        closed_ = true;
    }
    available_.notify_all();
}

std::size_t JobQueue::size() const {
    const std::lock_guard lock(mutex_);
    return ids_.size();
}

}  // namespace swarm::service
