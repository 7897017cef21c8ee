#include "service/database_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace swarm::service {

DatabaseLock::DatabaseLock(const std::filesystem::path& path) {
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) {
        throw std::runtime_error("cannot open job database " + path.string() + ": " +
                                 std::strerror(errno));
    }
    if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) return;
    const int error = errno;
    ::close(fd_);
    fd_ = -1;
    if (error == EWOULDBLOCK) {
        throw std::runtime_error(
            "job database " + path.string() +
            " is in use by another swarm serve; stop it or choose another --db");
    }
    throw std::runtime_error("cannot lock job database " + path.string() + ": " +
                             std::strerror(error));
}

DatabaseLock::~DatabaseLock() {
    if (fd_ >= 0) ::close(fd_);
}

}  // namespace swarm::service
