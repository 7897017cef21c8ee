// The packet loss every ns-3 simulation of this project applies to a lossy link or switch: each
// packet is dropped with a fixed probability, except pure TCP ACKs, which are never dropped.
// Shared by the ground-truth runner (tools/truth) and the short-flow experiments of the table
// generator (tools/tables/ns3/short_batch.cpp). Includes ns-3 headers: C++17 only.
#pragma once

#include <cstdint>

#include "ns3/core-module.h"
#include "ns3/network-module.h"

namespace swarm::ns3common {

/// Drops each packet with probability `rate`, except pure TCP ACKs (no payload, no SYN, FIN or
/// RST). Installed as the receive error model of a point-to-point device, so the packet starts
/// with the PPP header.
///
/// Why not ns-3's RateErrorModel on every packet: ns-3.37's TCP stalls for good when both data
/// and ACKs are lost (a lone 14.5 MB Cubic flow at 1% loss both ways stopped after 1.3-2.8 MB
/// and sent nothing more in 60 s, in 3 of 3 runs; loss on data only, or on ACKs only, is fine).
/// The transport tables were measured with ACKs never dropped, too (docs/tables.md).
class DataLossModel : public ns3::ErrorModel {
   public:
    static ns3::TypeId GetTypeId();
    DataLossModel();
    /// `stream`: the ns-3 random stream of this model's draws (RngSeedManager seed and run).
    void configure(double rate, std::int64_t stream);

   private:
    bool DoCorrupt(ns3::Ptr<ns3::Packet> p) override;
    void DoReset() override {}

    ns3::Ptr<ns3::UniformRandomVariable> uniform_;
    double rate_ = 0.0;
};

}  // namespace swarm::ns3common
