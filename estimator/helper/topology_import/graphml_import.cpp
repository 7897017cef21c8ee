// GraphML -> neutral graph, read with Boost.Graph's read_graphml. Two things Boost's reader
// does not give, done here on the same XML (Boost.PropertyTree, the parser read_graphml uses):
// - node ids (it numbers vertices in document order of <node>, without their id), so node names
//   come from the ids (or a yEd label, or a `name` attribute);
// - yEd's graphics keys, which have no attr.type and make read_graphml fail: they are dropped
//   first, keeping each node's y:NodeLabel text; and yEd's edgedefault="directed", which Boost
//   refuses for an undirected graph: links are full duplex, so it is read as undirected.
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphml.hpp>
#include <boost/make_shared.hpp>
#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <set>
#include <sstream>

#include "estimator/helper/json_fields.h"
#include "estimator/helper/topology_import/imported_graph.h"

namespace swarm::topology_import {
namespace {

using json = nlohmann::json;
using boost::property_tree::ptree;
using json_fields::fail;

struct Attributed {
    Attributes attributes = Attributes::object();
};
using Graph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, Attributed, Attributed>;

/// A GraphML value as JSON, keeping the type the file's key declared.
json to_json(const boost::any& value) {
    if (const auto* v = boost::any_cast<std::string>(&value)) return *v;
    if (const auto* v = boost::any_cast<int>(&value)) return *v;
    if (const auto* v = boost::any_cast<long>(&value)) return *v;
    if (const auto* v = boost::any_cast<double>(&value)) return *v;
    if (const auto* v = boost::any_cast<float>(&value)) return static_cast<double>(*v);
    if (const auto* v = boost::any_cast<bool>(&value)) return *v;
    return nullptr;
}

/// Every attribute Boost reads lands in the vertex's or edge's JSON object, whatever its name:
/// read_graphml asks this map's generator for each attribute name it meets.
template <class Key>
class AttributeMap : public boost::dynamic_property_map {
   public:
    AttributeMap(Graph& graph, std::string name) : graph_(graph), name_(std::move(name)) {}
    boost::any get(const boost::any& key) override { return get_string(key); }
    std::string get_string(const boost::any& key) override {
        return graph_[boost::any_cast<Key>(key)].attributes.value(name_, json()).dump();
    }
    void put(const boost::any& key, const boost::any& value) override {
        graph_[boost::any_cast<Key>(key)].attributes[name_] = to_json(value);
    }
    const std::type_info& key() const override { return typeid(Key); }
    const std::type_info& value() const override { return typeid(std::string); }

   private:
    Graph& graph_;
    std::string name_;
};

/// yEd's visible node label: the text of y:NodeLabel inside a node's graphics data.
std::string yed_label(const ptree& node) {
    for (const auto& [tag, data] : node) {
        if (tag != "data") continue;
        for (const auto& [shape_tag, shape] : data) {
            if (const auto label = shape.get_optional<std::string>("y:NodeLabel")) return *label;
        }
    }
    return {};
}

struct Prepared {
    std::string xml;                 ///< the document without attribute-less (graphics) keys
    std::vector<std::string> names;  ///< node names in document order
};

Prepared prepare(const std::string& text, const std::string& path) {
    ptree doc;
    std::istringstream in(text);
    boost::property_tree::read_xml(in, doc, boost::property_tree::xml_parser::trim_whitespace);
    ptree* root = doc.get_child_optional("graphml").get_ptr();
    if (root == nullptr) fail(path, "not GraphML: no <graphml> element");
    std::set<std::string> dropped;
    for (auto it = root->begin(); it != root->end();) {
        // "attr.name" holds a dot, ptree's default path separator: address it with '/'.
        const bool graphics =
            it->first == "key" &&
            !it->second.get_optional<std::string>(ptree::path_type("<xmlattr>/attr.name", '/'));
        if (graphics) dropped.insert(it->second.get<std::string>("<xmlattr>.id", ""));
        it = graphics || (it->first == "data") ? root->erase(it) : std::next(it);
    }
    ptree* graph = root->get_child_optional("graph").get_ptr();
    if (graph == nullptr) fail(path, "GraphML without a <graph> element");
    // Links are full duplex whatever the drawing's arrows say (yEd saves edgedefault="directed");
    // Boost refuses a directed file for an undirected graph, so the direction is dropped here.
    graph->put("<xmlattr>.edgedefault", "undirected");
    Prepared out;
    for (auto& [tag, element] : *graph) {
        if (auto attributes = element.get_child_optional("<xmlattr>"))
            attributes->erase("directed");
        if (tag != "node" && tag != "edge") continue;
        if (tag == "node") {
            const std::string label = yed_label(element);
            out.names.push_back(label.empty() ? element.get<std::string>("<xmlattr>.id", "")
                                              : label);
        }
        for (auto it = element.begin(); it != element.end();) {
            const bool drop = it->first == "data" &&
                              dropped.count(it->second.get<std::string>("<xmlattr>.key", ""));
            it = drop ? element.erase(it) : std::next(it);
        }
    }
    std::ostringstream xml;
    boost::property_tree::write_xml(xml, doc);
    out.xml = xml.str();
    return out;
}

}  // namespace

ImportedGraph read_graphml_text(const std::string& text, const std::string& path) {
    Prepared prepared;
    Graph graph;
    try {
        prepared = prepare(text, path);
        boost::dynamic_properties properties(
            [&graph](const std::string& name, const boost::any& key,
                     const boost::any&) -> boost::shared_ptr<boost::dynamic_property_map> {
                if (key.type() == typeid(Graph::vertex_descriptor)) {
                    return boost::make_shared<AttributeMap<Graph::vertex_descriptor>>(graph, name);
                }
                if (key.type() == typeid(Graph::edge_descriptor)) {
                    return boost::make_shared<AttributeMap<Graph::edge_descriptor>>(graph, name);
                }
                return nullptr;  // graph-level attributes: not used
            });
        std::istringstream in(prepared.xml);
        boost::read_graphml(in, graph, properties);
    } catch (const IncidentError&) {
        throw;
    } catch (const std::exception& e) {
        fail(path, std::string("cannot read GraphML: ") + e.what());
    }
    if (boost::num_vertices(graph) != prepared.names.size()) {
        fail(path, "GraphML: an <edge> names a node that has no <node> element");
    }
    ImportedGraph out{"GraphML", {}, {}};
    for (std::size_t v = 0; v < prepared.names.size(); ++v) {
        Attributes attributes = graph[v].attributes;
        std::string name = prepared.names[v];
        if (const auto it = attributes.find("name"); it != attributes.end() && it->is_string()) {
            name = it->get<std::string>();
        }
        out.nodes.push_back({std::move(name), std::move(attributes)});
    }
    for (const auto& e : boost::make_iterator_range(boost::edges(graph))) {
        out.edges.push_back(
            {boost::source(e, graph), boost::target(e, graph), graph[e].attributes});
    }
    return out;
}

}  // namespace swarm::topology_import
