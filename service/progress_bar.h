// Progress of a batch of rankings on stderr: a redrawn bar on a terminal, and plain lines
// (one per finished file) when stderr is a pipe or a file, so logs stay readable.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <ostream>
#include <string>
#include <vector>

#include "swarm/rank.h"

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

/// One ranking's progress on a terminal (`swarm rank FILE`): a bar over the samples planned
/// through the current round, the samples done, the round and the cap, and the time left for
/// the planned work (adaptive sampling may stop sooner, when the decision is settled, or plan
/// another round).
class RankProgressBar {
   public:
    explicit RankProgressBar(std::ostream& out);
    /// Thread-safe; redraws at most every 100 ms.
    void update(const RankProgress& progress);
    /// Clears the bar.
    void finish();

   private:
    std::mutex mutex_;
    std::ostream& out_;
    const std::chrono::steady_clock::time_point started_;
    std::chrono::steady_clock::time_point last_draw_{};
    bool drawn_ = false;
};

/// "[#####.........] " of `width` characters for a fraction in [0, 1].
std::string bar_text(double fraction, int width);

/// True when the file descriptor is a terminal.
bool is_terminal(int fd);

}  // namespace swarm::cli
