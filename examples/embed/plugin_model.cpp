// An operator's own mitigation model, plugged into the installed library
// (include/swarm/model_plugin.h): "replace_cable" repairs a lossy link, at once or after the
// time a technician needs, and is infeasible on a link that is down or disabled. The incident's
// candidates name it like any built-in action:
//   {"name": "replace", "actions": [{"type": "replace_cable", "link": ["t0-0-0", "t1-0-0"],
//                                    "after_s": 0.1}]}
//
//   embed_plugin INCIDENT.json   rank a file with the model registered; the JSON contract on stdout
#include <swarm/swarm.h>

#include <iostream>
#include <memory>
#include <string>

namespace {

class ReplaceCable : public swarm::ModelPlugin {
   public:
    ReplaceCable(swarm::LinkId link, double after_s) : link_(link), after_s_(after_s) {}

    std::string describe(const swarm::Topology& topology) const override {
        const swarm::Link& l = topology.links()[static_cast<std::size_t>(link_)];
        return "replace the cable " + topology.node(l.a).name + " - " + topology.node(l.b).name +
               (after_s_ > 0.0 ? " after " + std::to_string(after_s_) + " s" : "");
    }
    // A repair that is done before the run starts is an edit at the start ...
    std::vector<swarm::NetworkEdit> edits(const swarm::NetworkView&) const override {
        if (after_s_ > 0.0) return {};
        return {swarm::SetLinkDropRate{link_, 0.0}};
    }
    // ... one that takes a while is an edit later in the run.
    std::vector<swarm::TimedNetworkEdits> timed_edits() const override {
        if (after_s_ <= 0.0) return {};
        return {{after_s_, "cable replaced", {swarm::SetLinkDropRate{link_, 0.0}}}};
    }
    // Asked of the candidate's network after its edits at the start (its other actions too).
    std::optional<std::string> infeasible(const swarm::NetworkView& network) const override {
        if (network.link_usable(link_)) return std::nullopt;
        return "the link is down or disabled: a new cable repairs loss, not an outage";
    }

   private:
    swarm::LinkId link_;
    double after_s_;
};

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: embed_plugin INCIDENT.json\n";
        return 2;
    }
    const std::filesystem::path data = EMBED_SWARM_DATA_DIR;
    try {
        swarm::ModelCatalog models;  // the built-in models, plus ours:
        models.add({"replace_cable", {"link", "after_s"}, [](const swarm::PluginParams& p) {
                        return std::make_shared<ReplaceCable>(
                            p.link("link"), p.number("after_s", 0.0, 0.0, 3600.0));
                    }});
        const swarm::Incident incident = swarm::load_incident(argv[1], models, data);
        const swarm::Ranking ranking =
            swarm::rank(incident, swarm::TableSet::load(data / "tables" / "ns3-cubic"));
        std::cout << swarm::to_json_string(ranking) << "\n";
    } catch (const swarm::InvalidIncident& e) {
        std::cerr << "invalid incident at " << e.json_path() << ": " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
