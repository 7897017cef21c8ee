#include "service/structured_log.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>

namespace swarm::service {

std::string rfc3339(std::int64_t unix_ms) {
    const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[96];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  static_cast<int>(unix_ms % 1000));
    return text;
}

void log_event(const nlohmann::json& fields) {
    try {
        const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::system_clock::now().time_since_epoch());
        nlohmann::ordered_json line;
        line["ts"] = rfc3339(now.count());
        for (const auto& [key, value] : fields.items()) line[key] = value;
        const std::string text =
            line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
        // One write(2): a line is never split by another thread's line (stderr is unbuffered
        // and a pipe keeps writes up to PIPE_BUF whole; longer lines still go out in one call).
        [[maybe_unused]] const ssize_t written = ::write(2, text.data(), text.size());
    } catch (...) {
        // A log line must never take a request or a job down with it.
    }
}

}  // namespace swarm::service
