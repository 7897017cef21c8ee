// One owner per database: an exclusive flock(2) on the --db file, held while the JobStore is
// open. A second `swarm serve` on the same file is refused at start-up instead of running the
// same jobs twice. The kernel drops the lock when the owner dies, even by SIGKILL, so a restart
// after a crash never finds a stale lock. (SQLite's own locks are fcntl(2) locks, independent of
// flock on Linux; they serialise transactions, not ownership.)
#pragma once

#include <filesystem>

namespace swarm::service {

class DatabaseLock {
   public:
    /// Creates the file if needed and locks it; throws std::runtime_error naming the file when
    /// another process holds the lock.
    explicit DatabaseLock(const std::filesystem::path& path);
    ~DatabaseLock();
    DatabaseLock(const DatabaseLock&) = delete;
    DatabaseLock& operator=(const DatabaseLock&) = delete;

   private:
    int fd_ = -1;
};

}  // namespace swarm::service
