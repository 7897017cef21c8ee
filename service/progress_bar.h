// Progress of a batch of rankings on stderr: a redrawn bar on a terminal, and plain lines
// (one per finished file) when stderr is a pipe or a file, so logs stay readable.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <ostream>
#include <string>
#include <vector>

namespace swarm::cli {

class BatchProgress {
   public:
    BatchProgress(std::size_t files, bool terminal, std::ostream& out);

    /// Thread-safe. `fraction` of file `index`'s samples are done.
    void update(std::size_t index, double fraction);
    /// Thread-safe. File `index` finished; `error` is empty on success.
    void done(std::size_t index, const std::string& name, double seconds, const std::string& error);
    /// Clears the bar (terminal only).
    void finish();

   private:
    void draw_locked(bool force);

    std::mutex mutex_;
    std::ostream& out_;
    const bool terminal_;
    std::vector<double> fractions_;
    std::size_t finished_ = 0;
    std::size_t failed_ = 0;
    std::chrono::steady_clock::time_point last_draw_{};
};

/// True when the file descriptor is a terminal.
bool is_terminal(int fd);

}  // namespace swarm::cli
