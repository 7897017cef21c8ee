#include "service/problem_json.h"

namespace swarm::service {

nlohmann::json Problem::to_json(const std::string& instance) const {
    nlohmann::json out = {{"type", "urn:swarm:problem:" + printable_utf8(type)},
                          {"title", printable_utf8(title)},
                          {"status", status},
                          {"detail", printable_utf8(detail)}};
    if (!instance.empty()) out["instance"] = printable_utf8(instance);
    if (!json_path.empty()) {
        out["json_path"] = printable_utf8(json_path);
        out["pointer"] = printable_utf8(json_path_to_pointer(json_path));
    }
    return out;
}

std::string Problem::body(const std::string& instance) const {
    return to_json(instance).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

namespace {

/// Length of the well-formed UTF-8 sequence at text[i] (RFC 3629: no overlongs, no
/// surrogates, at most U+10FFFF), or 0.
std::size_t utf8_sequence(const std::string& text, std::size_t i) {
    const auto byte = [&](std::size_t k) {
        return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0u;
    };
    const auto continuation = [&](std::size_t k) { return (byte(k) & 0xC0u) == 0x80u; };
    const unsigned lead = byte(0);
    if (lead < 0x80) return 1;
    if (lead >= 0xC2 && lead <= 0xDF) return continuation(1) ? 2 : 0;
    if (lead >= 0xE0 && lead <= 0xEF) {
        const unsigned second = byte(1);
        const bool ok = (lead == 0xE0 ? second >= 0xA0 : true) &&
                        (lead == 0xED ? second <= 0x9F : true) && continuation(1) &&
                        continuation(2);
        return ok ? 3 : 0;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
        const unsigned second = byte(1);
        const bool ok = (lead == 0xF0 ? second >= 0x90 : true) &&
                        (lead == 0xF4 ? second <= 0x8F : true) && continuation(1) &&
                        continuation(2) && continuation(3);
        return ok ? 4 : 0;
    }
    return 0;
}

}  // namespace

std::string printable_utf8(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = utf8_sequence(text, i);
        if (length > 0) {
            out.append(text, i, length);
            i += length;
            continue;
        }
        static constexpr char kHex[] = "0123456789ABCDEF";
        const auto c = static_cast<unsigned char>(text[i++]);
        out += '%';
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
    }
    return out;
}

namespace {

void append_escaped(std::string& pointer, const std::string& token) {
    pointer += '/';
    for (char c : token) {
        if (c == '~') {
            pointer += "~0";
        } else if (c == '/') {
            pointer += "~1";
        } else {
            pointer += c;
        }
    }
}

}  // namespace

std::string json_path_to_pointer(const std::string& json_path) {
    std::string pointer;
    std::size_t i = (!json_path.empty() && json_path[0] == '$') ? 1 : 0;
    while (i < json_path.size()) {
        if (json_path[i] == '.') {
            const std::size_t end = json_path.find_first_of(".[", i + 1);
            const std::size_t stop = end == std::string::npos ? json_path.size() : end;
            append_escaped(pointer, json_path.substr(i + 1, stop - i - 1));
            i = stop;
        } else if (json_path.compare(i, 2, "[\"") == 0) {
            std::string key;
            std::size_t j = i + 2;
            for (; j < json_path.size() && json_path[j] != '"'; ++j) {
                if (json_path[j] == '\\' && j + 1 < json_path.size()) ++j;
                key += json_path[j];
            }
            append_escaped(pointer, key);
            i = json_path.find(']', j);
            i = i == std::string::npos ? json_path.size() : i + 1;
        } else if (json_path[i] == '[') {
            const std::size_t end = json_path.find(']', i);
            const std::size_t stop = end == std::string::npos ? json_path.size() : end;
            append_escaped(pointer, json_path.substr(i + 1, stop - i - 1));
            i = stop == json_path.size() ? stop : stop + 1;
        } else {
            ++i;  // not path syntax; skip rather than loop forever
        }
    }
    return pointer;
}

}  // namespace swarm::service
