#include "estimator/helper/json_document.h"

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "estimator/helper/json_fields.h"

namespace swarm {
namespace {

using json = nlohmann::json;
using json_fields::child;
using json_fields::in_quotes;
using json_fields::item;

/// The parse callback: tracks where the parser is (one frame per open container, each with its
/// path, which the depth limit keeps short) to reject too-deep nesting as soon as it opens and
/// to remember the first duplicate key. Before the depth limit the frames held paths as long as
/// the nesting, so `[` x 50,000 cost 4.3 GB; now they cost O(depth limit) each.
class DocumentChecker {
   public:
    explicit DocumentChecker(int max_depth) : max_depth_(max_depth) {}

    bool operator()(int depth, json::parse_event_t event, json& parsed) {
        switch (event) {
            case json::parse_event_t::object_start:
            case json::parse_event_t::array_start:
                open(event == json::parse_event_t::object_start, depth);
                break;
            case json::parse_event_t::object_end:
            case json::parse_event_t::array_end:
                if (!stack_.empty()) stack_.pop_back();
                break;
            case json::parse_event_t::key:
                on_key(parsed);
                break;
            case json::parse_event_t::value:
                if (!stack_.empty() && !stack_.back().object) ++stack_.back().next_index;
                break;
        }
        return true;
    }
    const std::optional<IncidentError>& duplicate() const { return duplicate_; }

   private:
    struct Frame {
        bool object;
        std::string path;
        std::set<std::string, std::less<>> keys;
        std::string key;
        std::size_t next_index = 0;
    };

    // `depth` counts the containers already open around this one (0 at the top level).
    void open(bool object, int depth) {
        std::string path = "$";
        if (!stack_.empty()) {
            Frame& parent = stack_.back();
            path = parent.object ? child(parent.path, parent.key)
                                 : item(parent.path, parent.next_index++);
        }
        if (depth >= max_depth_) {
            throw IncidentError(path, "arrays and objects nest more than " +
                                          std::to_string(max_depth_) +
                                          " levels deep (the limit for incident JSON)");
        }
        stack_.push_back(Frame{object, std::move(path), {}, {}, 0});
    }

    void on_key(const json& parsed) {
        if (stack_.empty() || !parsed.is_string()) return;
        Frame& frame = stack_.back();
        frame.key = parsed.get<std::string>();
        if (frame.keys.insert(frame.key).second || duplicate_) return;
        duplicate_.emplace(child(frame.path, frame.key), "duplicate key " + in_quotes(frame.key));
    }

    int max_depth_;
    std::vector<Frame> stack_;
    std::optional<IncidentError> duplicate_;
};

/// nlohmann's message without its library prefix and without the raw bytes it quotes ("last
/// read: '...'" may hold invalid UTF-8 that a problem+json body cannot carry).
std::string syntax_error(const json::parse_error& e) {
    std::string text = e.what();
    if (const auto prefix = text.find("] "); prefix != std::string::npos) text.erase(0, prefix + 2);
    if (const auto last = text.find("; last read: '"); last != std::string::npos) {
        const auto expected = text.find("; expected", last);
        text.erase(last, expected == std::string::npos ? std::string::npos : expected - last);
    }
    for (char& c : text) {
        if (static_cast<unsigned char>(c) >= 0x80) c = '?';
    }
    return text;
}

}  // namespace

nlohmann::json parse_json_document(std::string_view text, int max_depth) {
    DocumentChecker checker(max_depth);
    json document;
    try {
        document = json::parse(text.begin(), text.end(), std::ref(checker));
    } catch (const IncidentError&) {
        throw;
    } catch (const json::parse_error& e) {
        throw IncidentError(
            "$", "malformed JSON at byte " + std::to_string(e.byte) + ": " + syntax_error(e));
    } catch (const std::exception& e) {
        throw IncidentError("$", std::string("malformed JSON: ") + e.what());
    }
    if (checker.duplicate()) throw *checker.duplicate();
    return document;
}

}  // namespace swarm
