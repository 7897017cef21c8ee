// ZooRoute, host-side srcPort probing and re-hashing in the overlay (Sun et al., SIGCOMM '25),
// as a candidate mitigation (docs/models/zooroute.md): hosts probe the (destination, srcPort)
// pairs their traffic uses (partial mode) and every probed srcPort of a pair once a failure is
// seen (full mode, §2 "Path probing"); a flow whose ECMP path drops at least `loss_threshold`
// is re-encapsulated with a srcPort whose path works (§2 "Path altering") after its detection
// delay, or at once if its pair has already learned the path is bad (§2 "Path recording").
// The guest's TCP keeps its own backoff: a flow stuck on a blackhole resumes at its next
// retransmission. Reports its probe cost (§3 "Online overhead") and how many flows it moved.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "estimator/mitigation/mitigation_model.h"
#include "estimator/mitigation/model_params.h"
#include "models/host_list.h"

namespace swarm {

class ModelRegistry;

/// The parameters of {"type": "zooroute", ...}; defaults and sources in docs/models/zooroute.md
/// §3. The paper gives no timing numbers: every "proposal" below is ours.
struct ZooRouteParams {
    HostList hosts;                 ///< servers it governs (as source); empty = all
    bool full_mode = false;         ///< §2: partial probing until a failure is seen
    double probe_interval_s = 1.0;  ///< proposal: §1 "global bypass ... within seconds"
    int probes_to_detect = 3;       ///< proposal: three missed keep-alives
    double loss_threshold = 0.01;   ///< proposal: BIFROST §2.2's 1% loss event (same operator)
    int full_mode_ports = 16;       ///< proposal: N_p, §2 names it without a value
    bool srcport_learning = false;  ///< §2 "SrcPort learning in stateful forwarding" halves probes
    int probe_bytes = 128;          ///< proposal: a small UDP probe with VXLAN encapsulation
    double start_s = 0.0;

    /// Reads and validates the parameters (IncidentError naming the JSON path).
    static ZooRouteParams read(const ModelParams& params);
};

class ZooRouteModel : public MitigationModel {
   public:
    explicit ZooRouteModel(ZooRouteParams params) : params_(std::move(params)) {}
    std::string type() const override { return "zooroute"; }
    std::string describe(const Topology& topology) const override;
    bool steers_flows() const override { return true; }
    std::optional<std::vector<std::int32_t>> governed_sources() const override {
        return params_.hosts;
    }
    const ZooRouteParams& params() const { return params_; }

   private:
    std::shared_ptr<const FlowPolicy> do_flow_policy(const ModelContext& context) const override;
    ZooRouteParams params_;
};

void register_zooroute(ModelRegistry& registry);

}  // namespace swarm
