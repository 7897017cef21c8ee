// Stored networks over a real server: PUT /v1/networks/{name} versions a fabric's topology,
// traffic, routing and ongoing mitigations; an incident references it and adds only failures
// and candidates; the job and its result record the version used.
#include "service_test_support.h"

namespace swarm::test {
namespace {

const char* kSections[] = {"topology", "traffic", "routing", "ongoing_mitigations"};

json network_of(const json& incident) {
    json network;
    for (const char* section : kSections) {
        if (incident.contains(section)) network[section] = incident[section];
    }
    return network;
}

json referencing(const json& incident, const std::string& network,
                 std::optional<int> version = {}) {
    json out = incident;
    for (const char* section : kSections) out.erase(section);
    out["network"] = {{"name", network}};
    if (version) out["network"]["version"] = *version;
    return out;
}

httplib::Result put_network(httplib::Client& client, const std::string& name, const json& body) {
    return client.Put(("/v1/networks/" + name).c_str(), body.dump(), "application/json");
}

TEST(StoredNetworks, PutVersionsAndGetReturnsEachVersion) {
    TestServer server;
    auto client = server.client();
    const json incident = tiny_incident();
    json first = network_of(incident);
    auto res = put_network(*client, "fabric-1", first);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 201) << res->body;
    EXPECT_EQ(json::parse(res->body)["version"], 1);
    EXPECT_EQ(res->get_header_value("Location"), "/v1/networks/fabric-1?version=1");

    json second = first;
    second["traffic"]["arrival_rate_per_server"] =
        2 * first["traffic"]["arrival_rate_per_server"].get<double>();
    res = put_network(*client, "fabric-1", second);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 201) << res->body;
    EXPECT_EQ(json::parse(res->body)["version"], 2);

    res = client->Get("/v1/networks/fabric-1");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    EXPECT_EQ(json::parse(res->body)["version"], 2);
    EXPECT_EQ(json::parse(res->body)["network"], second);
    res = client->Get("/v1/networks/fabric-1?version=1");
    ASSERT_TRUE(res);
    EXPECT_EQ(json::parse(res->body)["network"], first);

    res = client->Get("/v1/networks/fabric-1?version=3");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404);
    res = client->Get("/v1/networks/nowhere");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404);
    EXPECT_EQ(json::parse(res->body)["type"], "urn:swarm:problem:network-not-found");
    for (const char* bad : {"0", "-1", "1.0", "99999999999999999999", "%FF"}) {
        res = client->Get((std::string("/v1/networks/fabric-1?version=") + bad).c_str());
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, 400) << bad;
        EXPECT_NE(json::parse(res->body)["detail"].get<std::string>().find(
                      "query parameter version: expected a version number"),
                  std::string::npos)
            << res->body;
    }
}

TEST(StoredNetworks, AnIncidentReferencingANetworkRanksLikeTheWholeIncident) {
    TestServer server;
    auto client = server.client();
    const json incident = tiny_incident("by-reference");
    ASSERT_EQ(put_network(*client, "fabric", network_of(incident))->status, 201);
    json busier = network_of(incident);
    busier["traffic"]["arrival_rate_per_server"] =
        2 * incident["traffic"]["arrival_rate_per_server"].get<double>();
    ASSERT_EQ(put_network(*client, "fabric", busier)->status, 201);

    // The whole incident and the reference to version 1 give the same ranking.
    auto whole = post_incident(*client, incident, "?wait=60&seed=5");
    ASSERT_TRUE(whole && whole->status == 200) << (whole ? whole->body : "");
    auto by_ref = post_incident(*client, referencing(incident, "fabric", 1), "?wait=60&seed=5");
    ASSERT_TRUE(by_ref);
    ASSERT_EQ(by_ref->status, 200) << by_ref->body;
    const json job = json::parse(by_ref->body);
    ASSERT_EQ(job["status"], "done") << job.dump();
    EXPECT_EQ(job["network"], (json{{"name", "fabric"}, {"version", 1}}));
    EXPECT_EQ(job["result"]["network"], job["network"]);
    EXPECT_EQ(job["result"]["ranking"], json::parse(whole->body)["result"]["ranking"]);

    // Without a version: the latest, recorded as such.
    auto latest = post_incident(*client, referencing(incident, "fabric"), "?wait=60&seed=5");
    ASSERT_TRUE(latest && latest->status == 200) << (latest ? latest->body : "");
    EXPECT_EQ(json::parse(latest->body)["network"]["version"], 2);
    // And the listing shows it too.
    auto listed = client->Get("/v1/rankings?page_size=1");
    ASSERT_TRUE(listed);
    EXPECT_EQ(json::parse(listed->body)["rankings"][0]["network"]["version"], 2);
}

TEST(StoredNetworks, BadNetworksAndBadReferencesAre422WithThePath) {
    TestServer server;
    auto client = server.client();
    const json incident = tiny_incident();
    json broken = network_of(incident);
    broken["traffic"]["arrival_rate_per_server"] = -1;
    auto res = put_network(*client, "broken", broken);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 422) << res->body;
    EXPECT_EQ(json::parse(res->body)["type"], "urn:swarm:problem:invalid-network");
    EXPECT_EQ(json::parse(res->body)["json_path"], "$.traffic.arrival_rate_per_server");

    json extra = network_of(incident);
    extra["candidates"] = json::array();
    res = put_network(*client, "extra", extra);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 422);
    EXPECT_EQ(json::parse(res->body)["json_path"], "$.candidates");
    res = put_network(*client, "no-traffic", json{{"topology", incident["topology"]}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 422);
    EXPECT_EQ(json::parse(res->body)["json_path"], "$.traffic");
    res = client->Put("/v1/networks/fabric", "{", "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400);

    ASSERT_EQ(put_network(*client, "fabric", network_of(incident))->status, 201);
    res = post_incident(*client, referencing(incident, "elsewhere"));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 422);
    EXPECT_EQ(json::parse(res->body)["json_path"], "$.network.name");
    res = post_incident(*client, referencing(incident, "fabric", 7));
    ASSERT_TRUE(res);
    EXPECT_EQ(json::parse(res->body)["json_path"], "$.network.version");
    json twice = referencing(incident, "fabric");
    twice["traffic"] = incident["traffic"];
    res = post_incident(*client, twice);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 422);
    EXPECT_EQ(json::parse(res->body)["json_path"], "$.traffic");
}

// A client that PUTs network after network cannot fill the disk: the store has a byte limit,
// beyond it PUT gets 429 network-store-full and stores nothing, and DELETE frees the space.
TEST(StoredNetworks, TheStoreIsBoundedAndDeleteFreesSpace) {
    const json network = network_of(tiny_incident());
    const std::size_t one = network.dump().size();  // the store keeps the parsed body, dumped
    TestServer server(
        [&](service::ServeConfig& c) { c.jobs.max_network_store_bytes = one + one / 2; });
    auto client = server.client();
    ASSERT_EQ(put_network(*client, "fabric", network)->status, 201);
    auto res = put_network(*client, "fabric", network);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 429) << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/problem+json");
    EXPECT_EQ(json::parse(res->body)["type"], "urn:swarm:problem:network-store-full");
    res = put_network(*client, "other", network);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 429);
    EXPECT_EQ(client->Get("/v1/networks/fabric?version=2")->status, 404);

    res = client->Delete("/v1/networks/fabric");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 204) << res->body;
    EXPECT_EQ(client->Get("/v1/networks/fabric")->status, 404);
    res = client->Delete("/v1/networks/fabric");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404);
    EXPECT_EQ(json::parse(res->body)["type"], "urn:swarm:problem:network-not-found");
    EXPECT_EQ(put_network(*client, "other", network)->status, 201);
    res = post_incident(*client, referencing(tiny_incident(), "fabric"));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 422);
    EXPECT_EQ(json::parse(res->body)["json_path"], "$.network.name");
    res = client->Post("/v1/networks/other", network.dump(), "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 405);
    EXPECT_EQ(res->get_header_value("Allow"), "GET, HEAD, PUT, DELETE");
}

TEST(StoredNetworks, TheCommandLineSaysReferencesAreForRest) {
    TempDir dir;
    json incident = referencing(tiny_incident(), "fabric");
    write_file(dir / "ref.json", incident.dump());
    const CommandResult run = run_command(
        std::string(SWARM_BINARY) + " validate " + (dir / "ref.json").string(), dir.path());
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_NE((run.out + run.err).find("$.network"), std::string::npos) << run.out << run.err;
}

}  // namespace
}  // namespace swarm::test
