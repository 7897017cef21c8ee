// Router grafting: move one BGP session, with its TCP connection and its layer-3 link, from
// router A (`from`) to router B (`to`) without resetting it (E. Keller, PhD thesis, ch. 4;
// docs/models/router-grafting.md). At t_L the link moves (§4.2.1, §4.7.1): traffic from the
// peer takes the new exit at once. Until B has imported the routes (t_I), traffic towards the
// peer still reaches A, which tunnels it to B (§4.4.2); then every router uses the new exit.
// No packet is lost at any point (§4.3.2-4.3.3).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "estimator/mitigation/mitigation_model.h"

namespace swarm {

class ModelRegistry;

struct RouterGraftingParams {
    NodeId peer = -1;  ///< the remote end-point (stays put)
    NodeId from = -1;  ///< migrate-from router A, adjacent to `peer`
    NodeId to = -1;    ///< migrate-to router B, adjacent to `peer` (the circuit runs beside it)
    double link_migration_s = 1e-3;  ///< t_L - t0, §4.7.1 "less than a millisecond"
    double import_s = 0.1;           ///< t_I - t_L, route import and propagation (proposal)
    double start_s = 0.0;            ///< t0
};

class RouterGrafting : public MitigationModel {
   public:
    RouterGrafting(RouterGraftingParams params, LinkId moved, LinkId beside)
        : p_(params), moved_(moved), beside_(beside) {}

    std::string type() const override { return "router_grafting"; }
    std::string describe(const Topology& topology) const override;
    /// At t_L: the circuit (peer, from) now ends on `to` (graft()).
    std::vector<TimedEdit> timed_edits() const override;
    bool steers_flows() const override { return true; }
    std::optional<std::string> infeasible(const NetworkState& state,
                                          const Incident& incident) const override;

    /// The network after the link has moved: (peer, from) disabled; its capacity added to the
    /// parallel circuit (peer, to), whose WCMP weights at both ends gain from's, so that
    /// swarm's per-neighbour weights equal per-interface ECMP over the two circuits.
    void graft(NetworkState& state) const;

    const RouterGraftingParams& params() const { return p_; }
    double link_moved_s() const { return p_.start_s + p_.link_migration_s; }
    double routes_imported_s() const { return link_moved_s() + p_.import_s; }

   private:
    /// Flows whose path at arrival (on the candidate's network before the graft) crosses
    /// from -> peer and that arrive before t_I: their old path until t_L, the tunnel until t_I,
    /// the new exit after.
    std::shared_ptr<const FlowPolicy> do_flow_policy(const ModelContext& context) const override;
    RouterGraftingParams p_;
    LinkId moved_;   ///< (peer, from)
    LinkId beside_;  ///< (peer, to)
};

/// Registers {"type": "router_grafting", ...} (keys and defaults in
/// docs/models/router-grafting.md §3).
void register_router_grafting(ModelRegistry& registry);

}  // namespace swarm
