#include "service/progress_bar.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <numeric>

namespace swarm::cli {

bool is_terminal(int fd) { return isatty(fd) == 1; }

std::string bar_text(double fraction, int width) {
    const int filled = static_cast<int>(std::clamp(fraction, 0.0, 1.0) * width);
    return std::string(static_cast<std::size_t>(filled), '#') +
           std::string(static_cast<std::size_t>(width - filled), '.');
}

RankProgressBar::RankProgressBar(std::ostream& out)
    : out_(out), started_(std::chrono::steady_clock::now()) {}

void RankProgressBar::update(const RankProgress& progress) {
    const std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    drawn_ = true;
    const double elapsed = std::chrono::duration<double>(now - started_).count();
    const double fraction = std::clamp(progress.fraction, 0.0, 1.0);
    char eta[32] = "";
    if (fraction > 0.0)
        std::snprintf(eta, sizeof eta, "  ETA %.0f s", elapsed * (1.0 - fraction) / fraction);
    char line[200];
    std::snprintf(line, sizeof line, "\r\033[K[%s] %3d%%  samples %d/%d (round %d, at most %d)%s",
                  bar_text(fraction, 30).c_str(), static_cast<int>(fraction * 100.0),
                  progress.samples_done, progress.samples_planned, progress.round,
                  progress.samples_max, eta);
    out_ << line << std::flush;
}

void RankProgressBar::finish() {
    const std::lock_guard lock(mutex_);
    if (drawn_) out_ << "\r\033[K" << std::flush;
    drawn_ = false;
}

BatchProgress::BatchProgress(std::size_t files, bool terminal, std::ostream& out)
    : out_(out), terminal_(terminal), fractions_(files, 0.0) {}

void BatchProgress::update(std::size_t index, double fraction) {
    const std::lock_guard lock(mutex_);
    fractions_[index] = std::max(fractions_[index], std::clamp(fraction, 0.0, 1.0));
    if (terminal_) draw_locked(false);
}

void BatchProgress::done(std::size_t index, const std::string& name, double seconds,
                         const std::string& error) {
    const std::lock_guard lock(mutex_);
    fractions_[index] = 1.0;
    ++finished_;
    if (!error.empty()) ++failed_;
    char timing[32];
    std::snprintf(timing, sizeof timing, "%.2f s", seconds);
    if (terminal_)
        out_ << "\r\033[K";  // the finished line replaces the bar, which is redrawn below
    out_ << "[" << finished_ << "/" << fractions_.size() << "] "
         << (error.empty() ? "ok     " : "FAILED ") << name;
    if (error.empty()) {
        out_ << " (" << timing << ")\n";
    } else {
        out_ << ": " << error << "\n";
    }
    if (terminal_) draw_locked(true);
    out_.flush();
}

void BatchProgress::finish() {
    const std::lock_guard lock(mutex_);
    if (terminal_) out_ << "\r\033[K" << std::flush;
}

void BatchProgress::draw_locked(bool force) {
    const auto now = std::chrono::steady_clock::now();
    if (!force && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    const double total = std::accumulate(fractions_.begin(), fractions_.end(), 0.0) /
                         static_cast<double>(fractions_.size());
    const std::string bar = bar_text(total, 30);
    char line[160];
    std::snprintf(line, sizeof line, "\r\033[K[%s] %3d%%  %zu/%zu files done%s", bar.c_str(),
                  static_cast<int>(total * 100.0), finished_, fractions_.size(),
                  failed_ ? (", " + std::to_string(failed_) + " failed").c_str() : "");
    out_ << line << std::flush;
}

}  // namespace swarm::cli
