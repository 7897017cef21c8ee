// BIFROST, Alibaba's multipath reliable transport in the VPC layer (Fan et al., NSDI '26), as a
// candidate mitigation (docs/models/bifrost.md): the flows between two covered servers form one
// connection per (source, destination) (§4.4), whose packet groups are sprayed round-robin over
// the top-k lowest-RTT of its candidate paths (§4.1): one multipath flow in the max-min
// allocation. Loss is recovered by BIFROST's bitmap ACKs and millisecond RTOs (§4.3,
// BifrostTransport), not by the guest's TCP; failed and lossy paths leave the spray set after a
// detection delay; with no path left that delivers, the connection falls back to the plain VPC,
// one ECMP path with the guest's TCP (§7.2). It reports its header cost (App. C.1, Fig. C2).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "estimator/mitigation/mitigation_model.h"
#include "estimator/mitigation/model_params.h"
#include "models/bifrost_transport.h"
#include "models/host_list.h"

namespace swarm {

class ModelRegistry;

/// The parameters of {"type": "bifrost", ...}; defaults and sources in docs/models/bifrost.md §3.
struct BifrostParams {
    HostList hosts;                       ///< servers running BIFROST; empty = all
    int top_k = 4;                        ///< §4.1 "top-k (e.g., 4) paths"
    int candidate_paths = 8;              ///< inferred: a 3-bit Path ID (App. C.1)
    int packet_group_packets = 50;        ///< §4.1 "(e.g., 50 packets per group)"
    BifrostRecovery recovery;             ///< §4.3, §7.4
    int header_bytes = 16;                ///< App. C.1, Fig. C2: four 32-bit words
    double exclude_loss_threshold = 0.1;  ///< proposal (§6.1.1, Fig. 16: a 10%-loss port avoided)
    double detection_s = 4e-3;            ///< proposal: one initial RTO
    double start_s = 0.0;

    /// Reads and validates the parameters (IncidentError naming the JSON path).
    static BifrostParams read(const ModelParams& params);
};

class BifrostModel : public MitigationModel {
   public:
    explicit BifrostModel(BifrostParams params) : params_(std::move(params)) {}
    std::string type() const override { return "bifrost"; }
    std::string describe(const Topology& topology) const override;
    bool steers_flows() const override { return true; }
    std::optional<std::vector<std::int32_t>> governed_sources() const override {
        return params_.hosts;
    }
    const BifrostParams& params() const { return params_; }

   private:
    std::shared_ptr<const FlowPolicy> do_flow_policy(const ModelContext& context) const override;
    BifrostParams params_;
};

void register_bifrost(ModelRegistry& registry);

}  // namespace swarm
