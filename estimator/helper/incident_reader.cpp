// Incident JSON (format v1) -> validated Incident. Every check reports a JSON path and what was
// given, because incident files are written by hand under pressure and a vague error costs
// more time than the estimate itself. Unknown keys are errors: a typo must never silently
// turn into a default. Sections are read in dependency order (topology first, since failures,
// actions, routing and traffic patterns name its nodes and links).
#include "estimator/helper/incident_reader.h"

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "estimator/helper/incident_sections.h"
#include "estimator/helper/topology_import/topology_import.h"

namespace swarm {
namespace {

using namespace json_fields;
using namespace incident_sections;

// ---- the document

Incident read_document(const json& doc, const std::filesystem::path& data_dir, const ModelRegistry& models) {
    const std::string root = "$";
    as_object(doc, root);
    // The version first: a newer document may use keys this reader does not know.
    const json& version = required_field(doc, root, "version");
    if (!version.is_number_integer() || version.get<std::int64_t>() != 1) {
        fail(child(root, "version"),
             "unsupported version " + shown(version) + "; this reader supports version 1");
    }
    check_keys(doc, root,
               {"version", "name", "description", "topology", "routing", "ongoing_mitigations", "failures",
                "traffic", "candidates", "comparator", "estimator", "transport"});
    Incident incident;
    incident.name = as_name(required_field(doc, root, "name"), child(root, "name"));
    if (const json* description = optional_field(doc, "description")) {
        incident.description = as_string(*description, child(root, "description"));
    }
    incident.topology =
        read_topology(required_field(doc, root, "topology"), child(root, "topology"));
    const Topology& topo = incident.topology;
    incident.routing = read_routing(optional_field(doc, "routing"), child(root, "routing"), topo);
    incident.ongoing_mitigations =
        read_actions(optional_field(doc, "ongoing_mitigations"), child(root, "ongoing_mitigations"),
                     topo);
    incident.failures = read_failures(optional_field(doc, "failures"), child(root, "failures"), topo);
    incident.traffic =
        read_traffic(required_field(doc, root, "traffic"), child(root, "traffic"), topo, data_dir);
    incident.candidates =
        read_candidates(required_field(doc, root, "candidates"), child(root, "candidates"), topo, models);
    incident.comparator =
        read_comparator(optional_field(doc, "comparator"), child(root, "comparator"));
    incident.estimator = read_estimator(optional_field(doc, "estimator"), child(root, "estimator"));
    incident.transport =
        read_transport(optional_field(doc, "transport"), child(root, "transport"), data_dir);
    return incident;
}

/// nlohmann keeps the last of duplicate keys silently; this parse callback remembers the first
/// duplicate (with its path) so the reader can reject it like any other typo.
class DuplicateKeyFinder {
   public:
    bool operator()(int /*depth*/, json::parse_event_t event, json& parsed) {
        switch (event) {
            case json::parse_event_t::object_start:
                open(true);
                break;
            case json::parse_event_t::array_start:
                open(false);
                break;
            case json::parse_event_t::object_end:
            case json::parse_event_t::array_end:
                if (!stack_.empty()) {
                    stack_.pop_back();
                }
                break;
            case json::parse_event_t::key:
                on_key(parsed);
                break;
            case json::parse_event_t::value:
                if (!stack_.empty() && !stack_.back().object) {
                    ++stack_.back().next_index;
                }
                break;
        }
        return true;
    }
    const std::optional<IncidentError>& duplicate() const { return duplicate_; }

   private:
    struct Frame {
        bool object;
        std::string path;
        std::set<std::string> keys;
        std::string key;
        std::size_t next_index = 0;
    };

    void open(bool object) {
        std::string path = "$";
        if (!stack_.empty()) {
            Frame& parent = stack_.back();
            path = parent.object ? child(parent.path, parent.key)
                                 : item(parent.path, parent.next_index++);
        }
        stack_.push_back(Frame{object, std::move(path), {}, {}, 0});
    }

    void on_key(const json& parsed) {
        if (stack_.empty() || !parsed.is_string()) {
            return;
        }
        Frame& frame = stack_.back();
        frame.key = parsed.get<std::string>();
        if (frame.keys.insert(frame.key).second || duplicate_) {
            return;
        }
        duplicate_.emplace(child(frame.path, frame.key), "duplicate key " + in_quotes(frame.key));
    }

    std::vector<Frame> stack_;
    std::optional<IncidentError> duplicate_;
};

}  // namespace

Incident read_incident(const nlohmann::json& document, const std::filesystem::path& data_dir,
                       const ModelRegistry& models, const std::filesystem::path& base_dir) {
    try {
        return read_document(resolve_topology_import(document, base_dir), data_dir, models);
    } catch (const IncidentError&) {
        throw;
    } catch (const std::exception& e) {
        // Any library exception is still the input's fault as far as the caller can tell.
        throw IncidentError("$", std::string("cannot read incident: ") + e.what());
    }
}

Incident read_incident_text(const std::string& text, const std::filesystem::path& data_dir,
                            const ModelRegistry& models, const std::filesystem::path& base_dir) {
    DuplicateKeyFinder finder;
    json document;
    try {
        document = json::parse(text, std::ref(finder));
    } catch (const json::parse_error& e) {
        throw IncidentError("$",
                            "malformed JSON at byte " + std::to_string(e.byte) + ": " + e.what());
    } catch (const std::exception& e) {
        throw IncidentError("$", std::string("malformed JSON: ") + e.what());
    }
    if (finder.duplicate()) {
        throw *finder.duplicate();
    }
    return read_incident(document, data_dir, models, base_dir);
}

}  // namespace swarm
