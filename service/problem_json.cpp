#include "service/problem_json.h"

namespace swarm::service {

nlohmann::json Problem::to_json(const std::string& instance) const {
    nlohmann::json out = {{"type", "urn:swarm:problem:" + type},
                          {"title", title},
                          {"status", status},
                          {"detail", detail}};
    if (!instance.empty()) out["instance"] = instance;
    if (!json_path.empty()) {
        out["json_path"] = json_path;
        out["pointer"] = json_path_to_pointer(json_path);
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
