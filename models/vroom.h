// VROOM: live migration of a virtual router from physical router A to a spare B (E. Keller, PhD
// thesis, ch. 3; docs/models/vroom.md). The logical topology, the routing DAG and the WCMP
// weights never change (§3.1). The control plane is frozen for the stall-and-copy downtime
// while A's data plane keeps forwarding (§3.4.2, §3.6.4); B's FIB is then cloned, one route at a
// time (§3.4.2, Table 3.2); the links then move one by one to B (§3.2.1, "double data planes"
// in §3.4.2). A's faults (its switch loss, and by default the faults of its ports) leave with
// the migration; the time it takes is the cost.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "estimator/mitigation/mitigation_model.h"

namespace swarm {

class ModelRegistry;

struct VroomParams {
    NodeId router = -1;  ///< X, the virtual router's switch (hosted on A until it moves)
    std::string spare;   ///< B, a physical router outside the modelled fabric
    double control_plane_downtime_s = 0.972;  ///< T_cp, §3.6.4 (OSPF only; 3.560 s with full BGP)
    int routes = 0;                           ///< R, FIB entries cloned on B
    double fib_install_s =
        100e-6;  ///< t_fib, §3.4.2 "between one hundred and a few hundred microseconds"
    double link_migration_s = 0.1;  ///< Δ per link (proposal: the thesis does not measure it)
    std::vector<LinkId> links;      ///< X's links in migration order (every one of them)
    /// The channel of each link into X: a packet is forwarded by A iff it enters X over a link
    /// that has not moved yet (§3.4.2 "Double data planes": B sets up every outgoing link first).
    std::vector<ChannelId> ingress;
    double spare_capacity_fraction = 1.0;  ///< B's port capacity relative to X's links (§3.7)
    bool clears_link_failures = true;      ///< faults on X's links sit on A's ports (proposal)
    double start_s = 0.0;                  ///< t0
};

class Vroom : public MitigationModel {
   public:
    explicit Vroom(VroomParams params) : p_(std::move(params)) {}

    std::string type() const override { return "vroom"; }
    std::string describe(const Topology& topology) const override;
    /// Link i (0-based, in migration order) terminates on B from link_migrated_s(i), and the
    /// traffic entering X over it no longer meets A's switch faults (docs/models/vroom.md §2).
    std::vector<TimedEdit> timed_edits() const override;
    /// §3.7 placement: X running, B not shared by two virtual routers (primary and backup),
    /// B's links with headroom for the expected offered load.
    std::optional<std::string> infeasible(const NetworkState& state,
                                          const Incident& incident) const override;

    const VroomParams& params() const { return p_; }
    /// End of the control-plane freeze: t0 + T_cp.
    double control_plane_end_s() const { return p_.start_s + p_.control_plane_downtime_s; }
    /// Data-plane cloning, R x t_fib (Table 3.2: linear in the number of routes).
    double cloning_s() const { return p_.routes * p_.fib_install_s; }
    /// t_i = t0 + T_cp + R t_fib + (i + 1) Δ.
    double link_migrated_s(std::size_t i) const {
        return control_plane_end_s() + cloning_s() +
               static_cast<double>(i + 1) * p_.link_migration_s;
    }
    /// A's data plane removed: the last link has moved.
    double done_s() const {
        return p_.links.empty() ? control_plane_end_s() + cloning_s()
                                : link_migrated_s(p_.links.size() - 1);
    }

   private:
    /// Reports the timeline's costs (control-plane downtime, migration end); steers no flow.
    std::shared_ptr<const FlowPolicy> do_flow_policy(const ModelContext& context) const override;
    VroomParams p_;
};

/// Registers {"type": "vroom", ...} (keys and defaults in docs/models/vroom.md §3).
void register_vroom(ModelRegistry& registry);

class ModelParams;
/// VROOM's parameters besides "router" (every key of docs/models/vroom.md §3 but `router`).
const std::vector<std::string>& vroom_keys();
/// Reads those parameters from `p` for moving the switch `router`: for {"type": "vroom"} and
/// for models that run on a migrated virtual router (a bug-tolerant router, thesis §5.2).
std::shared_ptr<const Vroom> read_vroom(const ModelParams& p, NodeId router);

}  // namespace swarm
