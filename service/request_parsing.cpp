#include "service/request_parsing.h"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

namespace swarm::service {

namespace {

constexpr std::size_t kMaxParameterLength = 32;

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::string trimmed(const std::string& text) {
    const std::size_t first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return "";
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

bool all_digits(const std::string& text) {
    return !text.empty() && std::all_of(text.begin(), text.end(),
                                        [](unsigned char c) { return c >= '0' && c <= '9'; });
}

/// "12" or "12.5": digits, optionally a point and more digits.
bool plain_decimal(const std::string& text) {
    const std::size_t point = text.find('.');
    if (point == std::string::npos) return all_digits(text);
    return all_digits(text.substr(0, point)) && all_digits(text.substr(point + 1));
}

/// The value quoted for a message: cut short, the rest made safe by Problem::to_json.
std::string quoted(const std::string& text) {
    return "\"" +
           (text.size() > kMaxParameterLength ? text.substr(0, kMaxParameterLength) + "..."
                                              : text) +
           "\"";
}

/// A decimal integer >= 1 that fits in 64 bits, or nullopt.
std::optional<std::int64_t> positive_integer(const std::string& text) {
    std::int64_t value = 0;
    const bool parsed =
        all_digits(text) && text.size() <= kMaxParameterLength &&
        std::from_chars(text.data(), text.data() + text.size(), value).ec == std::errc();
    if (!parsed || value < 1) return std::nullopt;
    return value;
}

}  // namespace

Problem bad_parameter(const std::string& name, const std::string& what) {
    return {400, "invalid-parameter", "Invalid query parameter",
            "query parameter " + name + ": " + what, ""};
}

void check_parameters(const httplib::Request& req, std::initializer_list<const char*> known) {
    for (auto it = req.params.begin(); it != req.params.end(); ++it) {
        const std::string& name = it->first;
        const bool listed =
            std::any_of(known.begin(), known.end(), [&](const char* k) { return name == k; });
        if (!listed) {
            std::string names;
            for (const char* k : known) names += std::string(names.empty() ? "" : ", ") + k;
            throw bad_parameter(quoted(name),
                                "unknown" + (names.empty() ? std::string("; this route takes none")
                                                           : "; this route takes " + names));
        }
        if (req.params.count(name) > 1) throw bad_parameter(name, "given more than once");
    }
}

std::size_t page_size_parameter(const httplib::Request& req, std::size_t fallback,
                                std::size_t max_value) {
    if (!req.has_param("page_size")) return fallback;
    const std::string text = req.get_param_value("page_size");
    std::size_t value = 0;
    const bool parsed =
        all_digits(text) && text.size() <= kMaxParameterLength &&
        std::from_chars(text.data(), text.data() + text.size(), value).ec == std::errc();
    if (!parsed || value < 1 || value > max_value)
        throw bad_parameter("page_size", "expected an integer from 1 to " +
                                             std::to_string(max_value) + ", got " + quoted(text));
    return value;
}

std::optional<std::int64_t> page_token_parameter(const httplib::Request& req) {
    if (!req.has_param("page_token")) return std::nullopt;
    const std::string text = req.get_param_value("page_token");
    const std::optional<std::int64_t> value = positive_integer(text);
    if (!value)
        throw bad_parameter("page_token", "not a token this service issued: " + quoted(text) +
                                              " (pass next_page_token of the previous page "
                                              "unchanged)");
    return value;
}

std::optional<std::int64_t> version_parameter(const httplib::Request& req) {
    if (!req.has_param("version")) return std::nullopt;
    const std::string text = req.get_param_value("version");
    const std::optional<std::int64_t> value = positive_integer(text);
    if (!value)
        throw bad_parameter("version",
                            "expected a version number (1, 2, ...), got " + quoted(text));
    return value;
}

std::optional<double> seconds_parameter(const httplib::Request& req, const std::string& name,
                                        double max_value) {
    if (!req.has_param(name.c_str())) return std::nullopt;
    const std::string text = req.get_param_value(name.c_str());
    double value = 0.0;
    const bool parsed =
        text.size() <= kMaxParameterLength && plain_decimal(text) &&
        std::from_chars(text.data(), text.data() + text.size(), value).ec == std::errc();
    if (!parsed || !std::isfinite(value))
        throw bad_parameter(
            name, "expected a number of seconds >= 0 such as 30 or 0.5, got " + quoted(text));
    if (value > max_value)
        throw bad_parameter(name, "at most " + std::to_string(static_cast<long long>(max_value)) +
                                      " s, got " + text);
    return value;
}

std::optional<std::uint64_t> seed_parameter(const httplib::Request& req) {
    if (!req.has_param("seed")) return std::nullopt;
    const std::string text = req.get_param_value("seed");
    std::uint64_t value = 0;
    const bool parsed =
        all_digits(text) &&
        std::from_chars(text.data(), text.data() + text.size(), value).ec == std::errc();
    if (!parsed)
        throw bad_parameter("seed", "expected an integer in [0, 2^64-1], got " + quoted(text));
    return value;
}

bool is_json_media_type(const std::string& content_type) {
    const std::size_t semicolon = content_type.find(';');
    if (lower(trimmed(content_type.substr(0, semicolon))) != "application/json") return false;
    for (std::size_t at = semicolon; at != std::string::npos;) {
        const std::size_t next = content_type.find(';', at + 1);
        const std::string parameter = trimmed(content_type.substr(at + 1, next - at - 1));
        const std::size_t equals = parameter.find('=');
        if (lower(trimmed(parameter.substr(0, equals))) == "charset" &&
            equals != std::string::npos) {
            std::string charset = lower(trimmed(parameter.substr(equals + 1)));
            if (charset.size() >= 2 && charset.front() == '"' && charset.back() == '"')
                charset = charset.substr(1, charset.size() - 2);
            if (charset != "utf-8" && charset != "utf8") return false;
        }
        at = next;
    }
    return true;
}

std::optional<std::string> idempotency_key(const httplib::Request& req) {
    if (!req.has_header("Idempotency-Key")) return std::nullopt;
    const std::string key = req.get_header_value("Idempotency-Key");
    const bool visible =
        std::all_of(key.begin(), key.end(), [](unsigned char c) { return c >= 0x20 && c < 0x7f; });
    if (key.empty() || key.size() > 255 || !visible) {
        throw Problem{400, "invalid-idempotency-key", "Invalid Idempotency-Key",
                      "the key must have 1 to 255 printable ASCII characters", ""};
    }
    return key;
}

}  // namespace swarm::service
