// The bug-tolerant router, BTR (E. Keller, PhD thesis, ch. 2; docs/models/bug-tolerant-router.md):
// a switch runs R diverse routing instances behind a router hypervisor whose voter decides what
// reaches the FIB (§2.3). For swarm its effect is on routing-software bugs (the `routing_bug`
// failure): from the moment BTR runs, each bug episode puts its wrong routes in the FIB only
// for exposed_s + fault_rate x the episode's length (estimator/routing_bug.h, BugMask), with the
// strategy's numbers from models/btr_voting.h. Turning it on costs a restart under the
// hypervisor (graceful or not), or a VROOM migration onto a spare that runs the virtual router
// as a BTR (§5.2); its running costs are side metrics.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "estimator/mitigation/mitigation_model.h"
#include "models/btr_voting.h"

namespace swarm {

class ModelRegistry;
class Vroom;

/// How the switch comes to run BTR.
enum class BtrTransition {
    Running,  ///< it already does (the candidate sets R and the strategy): active from start_s
    Restart,  ///< its routing software restarts under the hypervisor: active after bootstrap_s
    Vroom,  ///< its virtual router moves to a spare that runs it as a BTR (§5.2): active once moved
};

struct BtrParams {
    NodeId router = -1;
    BtrConfig config;
    std::optional<double> fault_rate;  ///< replaces the thesis's measured rate (an operator's own)
    BtrTransition transition = BtrTransition::Restart;
    double bootstrap_s = 1.0;      ///< proposal: instances started and the voted FIB written
    bool graceful_restart = true;  ///< the FIB keeps forwarding while the instances start
    int routes = 0;                ///< FIB entries per instance (memory cost)
    double start_s = 0.0;
    std::shared_ptr<const Vroom> vroom;  ///< the migration, with BtrTransition::Vroom
};

class BugTolerantRouter : public MitigationModel {
   public:
    explicit BugTolerantRouter(BtrParams params) : p_(std::move(params)) {}

    std::string type() const override { return "bug_tolerant_router"; }
    std::string describe(const Topology& topology) const override;
    /// The switch's bug mask: from active_from_s(), exposed_s() + fault_rate() x each episode.
    void edit_state(NetworkState& state) const override;
    /// A restart without graceful restart takes the switch out of routing until BTR runs; a
    /// VROOM transition brings the migration's edits.
    std::vector<TimedEdit> timed_edits() const override;
    /// The switch must run (a dead or drained switch runs no routing software); the start must
    /// fall in the simulated interval; a VROOM transition must be placeable (vroom.h).
    std::optional<std::string> infeasible(const NetworkState& state,
                                          const Incident& incident) const override;

    const BtrParams& params() const { return p_; }
    double fault_rate() const { return p_.fault_rate ? *p_.fault_rate : btr_fault_rate(p_.config); }
    double exposed_s() const { return btr_exposed_s(p_.config); }
    /// When the voter starts writing the FIB.
    double active_from_s() const;
    /// Memory of the running instances, MB: R x (3.2 MB + 2.1 kB per route) (proposal from the
    /// thesis's Table 3.1 router memory: 3.2 MB empty, 24.2 MB with 10k routes).
    double memory_mb() const;

   protected:
    /// Reports the costs (side metrics); steers no flow.
    std::shared_ptr<const FlowPolicy> do_flow_policy(const ModelContext& context) const override;

   private:
    BtrParams p_;
};

/// Registers {"type": "bug_tolerant_router", ...} (keys and defaults in
/// docs/models/bug-tolerant-router.md §3).
void register_bug_tolerant_router(ModelRegistry& registry);

}  // namespace swarm
