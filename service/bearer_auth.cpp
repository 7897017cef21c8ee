#include "service/bearer_auth.h"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace swarm::service {

bool constant_time_equal(std::string_view presented, std::string_view expected) {
    std::size_t difference = presented.size() ^ expected.size();
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto p = static_cast<unsigned char>(i < presented.size() ? presented[i] : 0);
        difference |= static_cast<std::size_t>(p ^ static_cast<unsigned char>(expected[i]));
    }
    return difference == 0;
}

namespace {

std::string trim(const std::string& text) {
    const char* space = " \t\r\n";
    const std::size_t first = text.find_first_not_of(space);
    if (first == std::string::npos) return "";
    return text.substr(first, text.find_last_not_of(space) - first + 1);
}

}  // namespace

std::optional<std::string> load_api_token(const std::string& token_file) {
    if (!token_file.empty()) {
        std::ifstream in(token_file);
        if (!in) throw std::runtime_error("cannot read token file " + token_file);
        std::ostringstream text;
        text << in.rdbuf();
        std::string token = trim(text.str());
        if (token.empty()) throw std::runtime_error("token file " + token_file + " is empty");
        return token;
    }
    if (const char* env = std::getenv("SWARM_API_TOKEN"); env && *env) return trim(env);
    return std::nullopt;
}

bool authorized(const std::string& authorization_header, const std::string& token) {
    constexpr std::string_view scheme = "Bearer ";
    if (authorization_header.size() < scheme.size()) return false;
    // The scheme is case-insensitive (RFC 9110 §11.1).
    for (std::size_t i = 0; i < scheme.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(authorization_header[i])) !=
            std::tolower(static_cast<unsigned char>(scheme[i]))) {
            return false;
        }
    }
    return constant_time_equal(std::string_view(authorization_header).substr(scheme.size()), token);
}

}  // namespace swarm::service
