// ns-3 wiring shared by the transport-table generator (tools/tables/ns3/experiments.cpp) and
// the ground-truth runner (tools/truth/truth_sim.cpp): TCP defaults, egress queues, links,
// sinks and bulk senders, all from one TcpSettings. Includes ns-3 headers, so only C++17
// translation units may include it (ns-3.37's headers are not valid C++20).
#pragma once

#include <cstdint>

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"
#include "tools/ns3_common/tcp_settings.h"

namespace swarm::ns3common {

constexpr std::uint16_t kDataPort = 5000;
constexpr double kMtuBytes = 1500.0;
constexpr double kPppHeaderBytes = 2.0;  // ns-3's point-to-point framing, on the wire only

/// Process-wide ns-3 defaults for one run. SACK and timestamps are on (ns-3 defaults, as
/// Linux), recovery is ns-3's default PRR.
///
/// `time_scale` F dilates time for a network whose link rates are divided and propagation
/// delays multiplied by F (docs/fidelity.md, "Down-scaling"): every time constant of TCP is
/// multiplied by F (minimum RTO, SYN RTO, delayed-ACK timer, RTO clock granularity, persist
/// timer, initial RTT estimate, Cubic's HyStart ACK spacing and delay bounds and its epoch
/// delta) and Cubic's C, in segments/s^3, divided by F^3, so that the dilated network behaves as
/// the original one slowed down F times. Not dilated: the TCP timestamp clock (1 ms ticks; ns-3
/// estimates RTTs from its own send times). F = 1 leaves ns-3's and TcpSettings' values untouched
/// (the table generator).
void configure_tcp(const TcpSettings& tcp, double time_scale = 1.0);

void seed_rng(std::uint32_t seed, std::uint64_t run);

/// The egress queue of every port: DCTCP gets RED configured as DCTCP's step marker (instant
/// queue, mark above K, never early-drop ECN-capable packets); the others a drop-tail FIFO.
ns3::TrafficControlHelper queue_helper(const TcpSettings& tcp, double link_bps);

/// One point-to-point link a <-> b with an egress queue disc on both ends. The device queue
/// holds one packet so that the backlog sits in the queue disc, where DCTCP's marking sees it.
/// Each end's queue disc holds `buffer_a` / `buffer_b` packets (0: tcp.buffer_packets).
struct Link {
    ns3::NetDeviceContainer devices;
    ns3::QueueDiscContainer qdiscs;
};

Link connect(ns3::Ptr<ns3::Node> a, ns3::Ptr<ns3::Node> b, double bps, double delay_s,
             const TcpSettings& tcp, std::uint32_t buffer_a = 0, std::uint32_t buffer_b = 0);

/// A PacketSink accepting TCP connections on kDataPort, started at t = 0.
ns3::Ptr<ns3::PacketSink> install_sink(ns3::Ptr<ns3::Node> node);

/// A BulkSend application sending `bytes` (0: unlimited) to `to`:kDataPort from start_s, in
/// segment-sized writes. A non-zero `local_port` binds the socket to (local, local_port), so
/// that the flow's 4-tuple is known in advance (per-flow routes of the ground-truth runner).
/// Returns the application (its socket exists from start_s on).
ns3::Ptr<ns3::BulkSendApplication> install_bulk_sender(
    ns3::Ptr<ns3::Node> node, ns3::Ipv4Address to, std::uint64_t bytes, double start_s,
    std::uint32_t segment_bytes, ns3::Ipv4Address local = ns3::Ipv4Address::GetAny(),
    std::uint16_t local_port = 0);

}  // namespace swarm::ns3common
