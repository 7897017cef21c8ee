// RON, a resilient overlay network (Andersen et al., "The Case for Resilient Overlay Networks",
// HotOS 2001), as a candidate mitigation (docs/models/ron.md): chosen host pairs send through
// one intermediate RON node when their direct path is lossy (§2.1, §3.2 "paths only with single
// indirect hops"). Every RON node probes its virtual link to every other (§3.1), a UDP tunnel
// with a fixed 5-tuple that ECMP hashes onto one path; the pair moves once its prober has seen
// the direct path fail, after seconds (Abstract). Both segments are real paths through the
// fabric and the relay's NIC carries the traffic in and out, at the cost of latency.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "estimator/mitigation/mitigation_model.h"
#include "estimator/mitigation/model_params.h"

namespace swarm {

class ModelRegistry;

/// The parameters of {"type": "ron", ...}; defaults and sources in docs/models/ron.md §3.
struct RonParams {
    /// Protected pairs, one entry per direction (a -> b and b -> a), expanded to servers.
    std::vector<std::pair<std::int32_t, std::int32_t>> directions;
    std::vector<std::int32_t> relays;  ///< candidate intermediate servers
    double probe_interval_s = 4.0;     ///< Fig. 4 caption: "probes taken roughly 4 seconds apart"
    int probes_to_detect = 1;     ///< proposal: E[T] = 6 s, "within several seconds" (Abstract)
    bool latency_metric = false;  ///< §1: "the main objective of RON is reliability" (loss)
    double relay_forwarding_s = 20e-6;  ///< proposal: a user-space UDP receive and resend, one way
    bool pin_virtual_links = true;      ///< §3.2: UDP encapsulation between RON nodes
    double start_s = 0.0;

    /// Reads and validates the parameters (IncidentError naming the JSON path).
    static RonParams read(const ModelParams& params);
    /// Every RON node: the servers of the pairs and the relays, sorted.
    std::vector<std::int32_t> nodes() const;
};

class RonModel : public MitigationModel {
   public:
    explicit RonModel(RonParams params) : params_(std::move(params)) {}
    std::string type() const override { return "ron"; }
    std::string describe(const Topology& topology) const override;
    bool steers_flows() const override { return true; }
    /// The pairs' servers (both ends: each sends to the other).
    std::optional<std::vector<std::int32_t>> governed_sources() const override;
    const RonParams& params() const { return params_; }

   private:
    std::shared_ptr<const FlowPolicy> do_flow_policy(const ModelContext& context) const override;
    RonParams params_;
};

void register_ron(ModelRegistry& registry);

}  // namespace swarm
