// Topology import (docs/incident-format.md#imported-topologies): the shipped example fabric as
// NetworkX writes it (GraphML, node-link JSON) and as a Containerlab file reads back to one
// explicit topology; a yEd-style GraphML; and the errors, each naming the node or link.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "estimator/helper/json_fields.h"
#include "estimator/helper/topology_import/topology_import.h"

namespace swarm {
namespace {

using json = nlohmann::json;
const std::filesystem::path kTopologies =
    std::filesystem::path(SWARM_SOURCE_DATA_DIR) / "topologies";

json incident_importing(const json& import) {
    return {{"version", 1}, {"topology", {{"import", import}}}};
}

json imported(const json& import, const std::filesystem::path& base = kTopologies) {
    return resolve_topology_import(incident_importing(import), base).at("topology");
}

/// Links as sorted "a|b" strings (ends sorted): a multiset, so LAG members count twice.
std::vector<std::string> link_set(const json& topology) {
    std::vector<std::string> out;
    for (const json& link : topology.at("links")) {
        auto a = link.at("nodes")[0].get<std::string>();
        auto b = link.at("nodes")[1].get<std::string>();
        if (b < a) std::swap(a, b);
        out.push_back(a + "|" + b + "|" + link.value("gbps", json()).dump());
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string error_of(const json& import, const std::filesystem::path& base = kTopologies) {
    try {
        imported(import, base);
    } catch (const IncidentError& e) {
        return e.what();
    }
    return "no error";
}

TEST(TopologyImport, ThreeFormatsOfTheExampleFabricAgree) {
    const json defaults = {{"server_link_gbps", 25}, {"server_link_delay_us", 1}};
    json graphml = defaults, networkx = defaults, clab = defaults;
    graphml["file"] = "leaf-spine.graphml";
    networkx["file"] = "leaf-spine.node-link.json";
    clab["file"] = "leaf-spine.clab.yml";
    const json g = imported(graphml);
    const json n = imported(networkx);
    const json c = imported(clab);

    EXPECT_EQ(g.at("nodes"), n.at("nodes"));
    EXPECT_EQ(g.at("nodes"), c.at("nodes"));  // the 8 Linux hosts became 2 servers per leaf
    ASSERT_EQ(g.at("nodes").size(), 6u);
    EXPECT_EQ(g.at("nodes")[2],
              json({{"name", "leaf-0"}, {"tier", 0}, {"pod", 0}, {"servers", 2}}));
    EXPECT_EQ(g.at("nodes")[0], json({{"name", "spine-0"}, {"tier", 1}}));
    const auto links = link_set(g);
    EXPECT_EQ(links.size(), 9u);  // 8 leaf-spine links + the second LAG member
    EXPECT_EQ(std::count(links.begin(), links.end(), "leaf-0|spine-0|100.0"), 2);
    EXPECT_EQ(link_set(n), links);
    // Containerlab labels are text: "100" reads as the integer 100.
    std::vector<std::string> clab_links = link_set(c);
    for (std::string& l : clab_links) l.replace(l.rfind('|') + 1, std::string::npos, "100.0");
    EXPECT_EQ(clab_links, links);
    EXPECT_EQ(c.at("server_link_gbps"), 25);
}

// As yEd saves it: graphics keys without attr.type (which Boost's reader rejects), node names in
// y:NodeLabel, ids n0..., edgedefault "directed" (links are full duplex all the same).
constexpr const char* kYed = R"(<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:y="http://www.yworks.com/xml/graphml" xmlns:yed="http://www.yworks.com/xml/yed/3">
  <!--Created by yEd 3.23.2-->
  <key attr.name="tier" attr.type="int" for="node" id="d0"/>
  <key attr.name="servers" attr.type="int" for="node" id="d1"/>
  <key for="port" id="d2" yfiles.type="portgraphics"/>
  <key for="node" id="d6" yfiles.type="nodegraphics"/>
  <key for="graphml" id="d7" yfiles.type="resources"/>
  <key for="edge" id="d10" yfiles.type="edgegraphics"/>
  <key attr.name="gbps" attr.type="double" for="edge" id="d11"/>
  <graph edgedefault="directed" id="G">
    <node id="n0"><data key="d0">0</data><data key="d1">3</data>
      <data key="d6"><y:ShapeNode><y:Geometry height="30.0" width="30.0" x="0.0" y="0.0"/>
        <y:NodeLabel alignment="center">tor-a</y:NodeLabel></y:ShapeNode></data></node>
    <node id="n1"><data key="d0">0</data><data key="d1">3</data>
      <data key="d6"><y:ShapeNode><y:NodeLabel>tor-b</y:NodeLabel></y:ShapeNode></data></node>
    <node id="n2"><data key="d0">1</data>
      <data key="d6"><y:ShapeNode><y:NodeLabel>agg</y:NodeLabel></y:ShapeNode></data></node>
    <edge id="e0" source="n0" target="n2"><data key="d11">40.0</data>
      <data key="d10"><y:PolyLineEdge><y:Arrows source="none" target="standard"/></y:PolyLineEdge></data></edge>
    <edge id="e1" source="n1" target="n2"><data key="d11">40.0</data></edge>
  </graph>
  <data key="d7"><y:Resources/></data>
</graphml>)";

TEST(TopologyImport, YedGraphml) {
    const json t = imported(
        {{"format", "graphml"}, {"inline", kYed}, {"link_delay_us", 2}, {"server_link_gbps", 10}});
    EXPECT_EQ(t.at("nodes"), json::parse(R"([{"name": "tor-a", "tier": 0, "servers": 3},
        {"name": "tor-b", "tier": 0, "servers": 3}, {"name": "agg", "tier": 1}])"));
    EXPECT_EQ(link_set(t), (std::vector<std::string>{"agg|tor-a|40.0", "agg|tor-b|40.0"}));
    EXPECT_EQ(t.at("link_delay_us"), 2);
}

TEST(TopologyImport, NetworkxInlineWithServerNodes) {
    // Integer node ids as nx.Graph gives them, servers as nodes with role "server".
    const json data = json::parse(R"({"directed": false, "multigraph": false, "graph": {},
      "nodes": [{"id": 0, "tier": 0}, {"id": 1, "tier": 0}, {"id": 2, "tier": 1},
                {"id": 3, "role": "server"}, {"id": 4, "role": "server"}],
      "links": [{"source": 0, "target": 2}, {"source": 1, "target": 2},
                {"source": 3, "target": 0, "gbps": 25}, {"source": 4, "target": 1, "gbps": 25}]})");
    const json t = imported(
        {{"format", "networkx"}, {"inline", data}, {"link_gbps", 100}, {"link_delay_us", 1}});
    EXPECT_EQ(t.at("nodes")[0], json({{"name", "0"}, {"tier", 0}, {"servers", 1}}));
    EXPECT_EQ(t.at("nodes").size(), 3u);
    EXPECT_EQ(t.at("links").size(), 2u);
    EXPECT_EQ(t.at("server_link_gbps"), 25);
    EXPECT_EQ(t.at("link_gbps"), 100);
}

TEST(TopologyImport, ErrorsNameTheNodeOrLink) {
    const auto networkx = [](const char* nodes, const char* links) {
        return json{{"format", "networkx"},
                    {"link_gbps", 10},
                    {"link_delay_us", 1},
                    {"inline", json::parse(std::string("{\"nodes\": ") + nodes +
                                           ", \"links\": " + links + "}")}};
    };
    EXPECT_NE(error_of(networkx(R"([{"id": "a", "tier": 0}, {"id": "b"}])",
                                R"([{"source": "a", "target": "b"}])"))
                  .find("NetworkX node \"b\" has no tier attribute"),
              std::string::npos);
    EXPECT_NE(error_of(networkx(R"([{"id": "a", "tier": 0}, {"id": "b", "tier": 0}])", "[]"))
                  .find("do not form one connected fabric: NetworkX node \"b\" cannot reach \"a\""),
              std::string::npos);
    EXPECT_NE(error_of(networkx(R"([{"id": "a", "tier": 1}, {"id": "h", "role": "server"}])",
                                R"([{"source": "h", "target": "a"}])"))
                  .find("\"h\" has role server but its link goes to \"a\", which is not a tier-0"),
              std::string::npos);
    EXPECT_NE(error_of(networkx(R"([{"id": "a", "tier": 0}, {"id": "b", "tier": "top"}])",
                                R"([{"source": "a", "target": "b"}])"))
                  .find("NetworkX node \"b\": attribute tier must be a number, got string \"top\""),
              std::string::npos);
    EXPECT_NE(
        error_of(networkx(R"([{"id": "a", "tier": 0}])", R"([{"source": "a", "target": "z"}])"))
            .find("$.topology.import.inline.links[0].target: no node with id \"z\""),
        std::string::npos);
    json no_speed = networkx(R"([{"id": "a", "tier": 0}, {"id": "b", "tier": 1}])",
                             R"([{"source": "a", "target": "b"}])");
    no_speed.erase("link_gbps");
    EXPECT_NE(error_of(no_speed).find("NetworkX link \"a\" -- \"b\" has no gbps attribute and the "
                                      "import gives no link_gbps default"),
              std::string::npos);
    EXPECT_NE(error_of({{"format", "networkx"},
                        {"inline",
                         {{"directed", true}, {"nodes", json::array()}, {"links", json::array()}}}})
                  .find("directed"),
              std::string::npos);
    EXPECT_NE(error_of({{"format", "containerlab"}, {"inline", "topology: [1, 2"}})
                  .find("cannot read the Containerlab YAML"),
              std::string::npos);
    EXPECT_NE(
        error_of({{"format", "graphml"}, {"inline", "<graphml><graph><node id=\"a\"/></graph"}})
            .find("$.topology.import.inline: cannot read GraphML"),
        std::string::npos);
    EXPECT_NE(error_of({{"file", "leaf-spine.graphml"}}, {})
                  .find("only be named when the incident is read from a file"),
              std::string::npos);
    EXPECT_NE(error_of({{"file", "missing.graphml"}}).find("cannot read"), std::string::npos);
    EXPECT_NE(error_of({{"format", "gml"}, {"inline", ""}}).find("unknown format \"gml\""),
              std::string::npos);
    EXPECT_NE(
        error_of({{"format", "graphml"}}).find("needs exactly one of \"file\" and \"inline\""),
        std::string::npos);
}

TEST(TopologyImport, OtherDocumentsUnchanged) {
    const json clos = {{"version", 1}, {"topology", {{"clos", {{"pods", 1}}}}}};
    EXPECT_EQ(resolve_topology_import(clos, {}), clos);
    const json both = {{"topology", {{"import", {{"inline", ""}}}, {"nodes", json::array()}}}};
    try {
        resolve_topology_import(both, {});
        FAIL() << "expected an error";
    } catch (const IncidentError& e) {
        EXPECT_EQ(e.path(), "$.topology.nodes");
    }
}

}  // namespace
}  // namespace swarm
