// Tokenising the project's whitespace-separated data files (flow-size CDFs, transport tables).
#pragma once

#include <algorithm>
#include <charconv>
#include <optional>
#include <string_view>
#include <vector>

namespace swarm::detail {

/// Splits on spaces, tabs and carriage returns; no empty tokens.
inline std::vector<std::string_view> split_whitespace(std::string_view line) {
    std::vector<std::string_view> tokens;
    std::size_t pos = 0;
    while (true) {
        pos = line.find_first_not_of(" \t\r", pos);
        if (pos == std::string_view::npos) return tokens;
        const std::size_t end = std::min(line.find_first_of(" \t\r", pos), line.size());
        tokens.push_back(line.substr(pos, end - pos));
        pos = end;
    }
}

/// The whole token as a double, or empty. from_chars also accepts "inf" and "nan": callers
/// decide whether those are allowed.
inline std::optional<double> parse_number(std::string_view token) {
    double value = 0.0;
    const auto* end = token.data() + token.size();
    const auto [ptr, ec] = std::from_chars(token.data(), end, value);
    if (ec != std::errc() || ptr != end) return std::nullopt;
    return value;
}

}  // namespace swarm::detail
