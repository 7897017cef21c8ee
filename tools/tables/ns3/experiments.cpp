// ns-3 simulations of SWARM Appendix B (see experiments.h). Compiled as C++17: ns-3.37's
// headers (singleton.h) declare constructors as template-ids, which C++20 rejects.
#include "tools/tables/ns3/experiments.h"

#include <chrono>
#include <cmath>
#include <map>
#include <stdexcept>

#include "ns3/version-defines.h"
#include "tools/ns3_common/tcp_stack.h"

namespace swarm::ns3tables {
namespace {

using ns3::Ptr;

using ns3common::configure_tcp;
using ns3common::connect;
using ns3common::install_sink;
using ns3common::kMtuBytes;
using ns3common::kPppHeaderBytes;
using ns3common::Link;
using ns3common::seed_rng;

double wall_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// Fig. 1(a) folded into one link: h1 -> h2 with the whole RTT as propagation delay and the
/// random drop on h2's receive side, so only data-direction packets (and SYN, handshake ACK)
/// are dropped. The s1/s2 switches of the figure add nothing when capacity never binds.
struct PairNetwork {
    ns3::NodeContainer nodes;
    ns3::Ipv4InterfaceContainer interfaces;
};

PairNetwork build_pair(const TcpSettings& tcp, double link_bps, double rtt_s, double drop_rate) {
    using namespace ns3;
    PairNetwork net;
    net.nodes.Create(2);
    InternetStackHelper().Install(net.nodes);
    NetDeviceContainer devices =
        connect(net.nodes.Get(0), net.nodes.Get(1), link_bps, rtt_s / 2.0, tcp).devices;
    auto loss = CreateObject<RateErrorModel>();
    loss->SetAttribute("ErrorUnit", StringValue("ERROR_UNIT_PACKET"));
    loss->SetAttribute("ErrorRate", DoubleValue(drop_rate));
    loss->AssignStreams(1);
    devices.Get(1)->SetAttribute("ReceiveErrorModel", PointerValue(loss));
    Ipv4AddressHelper addresses("10.0.0.0", "255.255.255.252");
    net.interfaces = addresses.Assign(devices);
    return net;
}

void install_bulk_sender(Ptr<ns3::Node> node, ns3::Ipv4Address to, std::uint64_t bytes,
                         double start_s) {
    ns3common::install_bulk_sender(node, to, bytes, start_s, 1448);
}

// ---- queueing (Fig. 1(b)) ---------------------------------------------------------------------

/// Reads, at Poisson times in [from, to), the FIFO wait a packet arriving at the measured egress
/// port would have: everything queued ahead of it (queue disc and device queue, on-the-wire
/// size) plus the remainder of the packet being transmitted.
class VirtualProbe {
   public:
    VirtualProbe(Ptr<ns3::QueueDisc> qdisc, Ptr<ns3::PointToPointNetDevice> device, double link_bps,
                 std::uint32_t buffer_packets, double mean_gap_s)
        : qdisc_(qdisc),
          device_(device),
          link_bps_(link_bps),
          buffer_packets_(buffer_packets),
          packet_time_s_(kMtuBytes * 8.0 / link_bps) {
        gap_ = ns3::CreateObject<ns3::ExponentialRandomVariable>();
        gap_->SetAttribute("Mean", ns3::DoubleValue(mean_gap_s));
        gap_->SetStream(2);
    }

    void run(double from_s, double to_s) {
        to_s_ = to_s;
        ns3::Simulator::Schedule(ns3::Seconds(from_s), &VirtualProbe::sample, this);
    }

    /// PhyTxBegin trace of the measured device: when the packet on the wire will be done.
    void on_tx_begin(Ptr<const ns3::Packet> packet) {
        tx_end_s_ = ns3::Simulator::Now().GetSeconds() + packet->GetSize() * 8.0 / link_bps_;
    }

    std::vector<double> delays_packets;
    std::uint32_t full = 0;

   private:
    void sample() {
        const double now = ns3::Simulator::Now().GetSeconds();
        if (now >= to_s_) {
            return;
        }
        const std::uint32_t packets = qdisc_->GetNPackets() + device_->GetQueue()->GetNPackets();
        const double bytes =
            qdisc_->GetNBytes() + device_->GetQueue()->GetNBytes() + kPppHeaderBytes * packets;
        const double wait = bytes * 8.0 / link_bps_ + std::max(0.0, tx_end_s_ - now);
        delays_packets.push_back(wait / packet_time_s_);
        full += qdisc_->GetNPackets() >= buffer_packets_ ? 1 : 0;
        ns3::Simulator::Schedule(ns3::Seconds(gap_->GetValue()), &VirtualProbe::sample, this);
    }

    Ptr<ns3::QueueDisc> qdisc_;
    Ptr<ns3::PointToPointNetDevice> device_;
    Ptr<ns3::ExponentialRandomVariable> gap_;
    double link_bps_;
    std::uint32_t buffer_packets_;
    double packet_time_s_;
    double to_s_ = 0.0;
    double tx_end_s_ = 0.0;
};

/// Busy fraction of a device's transmitter in a window, from the bytes it starts sending.
class UtilizationMeter {
   public:
    UtilizationMeter(double from_s, double to_s) : from_s_(from_s), to_s_(to_s) {}
    void on_tx_begin(Ptr<const ns3::Packet> packet) {
        const double now = ns3::Simulator::Now().GetSeconds();
        if (now >= from_s_ && now < to_s_) {
            bytes_ += packet->GetSize();
        }
    }
    double utilization(double link_bps) const {
        return bytes_ * 8.0 / (link_bps * (to_s_ - from_s_));
    }

   private:
    double from_s_;
    double to_s_;
    double bytes_ = 0.0;
};

/// Bytes each sender's flow delivers to the receiving application from `from_s` on.
class FlowMeter {
   public:
    explicit FlowMeter(double from_s) : from_s_(from_s) {}
    void add_sender(ns3::Ipv4Address address) {
        index_[address.Get()] = bytes.size();
        bytes.push_back(0.0);
    }
    void on_rx(Ptr<const ns3::Packet> packet, const ns3::Address& from) {
        if (ns3::Simulator::Now().GetSeconds() < from_s_) {
            return;
        }
        const auto it = index_.find(ns3::InetSocketAddress::ConvertFrom(from).GetIpv4().Get());
        if (it != index_.end()) {
            bytes[it->second] += packet->GetSize();
        }
    }
    std::vector<double> bytes;

   private:
    double from_s_;
    std::map<std::uint32_t, std::size_t> index_;
};

/// Fig. 1(b)'s star: switch s1 (node 0), the receiver h3 (node 1) behind the measured link of
/// rate `link_bps`, and `senders` hosts (nodes 2..) on access links of rate `access_bps`; every
/// link has `hop_delay` one way. Routing tables are populated.
struct Star {
    ns3::NodeContainer nodes;
    Link measured;
    ns3::Ipv4Address receiver;
    std::vector<ns3::Ipv4Address> senders;
};

Star build_star(const TcpSettings& tcp, double link_bps, double access_bps, double hop_delay,
                std::uint32_t senders) {
    using namespace ns3;
    Star star;
    star.nodes.Create(2 + senders);
    InternetStackHelper().Install(star.nodes);
    Ipv4AddressHelper addresses("10.0.0.0", "255.255.255.252");
    star.measured = connect(star.nodes.Get(0), star.nodes.Get(1), link_bps, hop_delay, tcp);
    star.receiver = addresses.Assign(star.measured.devices).GetAddress(1);
    addresses.NewNetwork();
    for (std::uint32_t i = 0; i < senders; ++i) {
        star.senders.push_back(addresses
                                   .Assign(connect(star.nodes.Get(2 + i), star.nodes.Get(0),
                                                   access_bps, hop_delay, tcp)
                                               .devices)
                                   .GetAddress(0));
        addresses.NewNetwork();
    }
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();
    return star;
}

/// The receiver's sink and unlimited bulk flows from the star's senders 0..n-1, started at
/// random in the first millisecond (stream 3), which desynchronises their phases.
Ptr<ns3::PacketSink> start_bulk_flows(const Star& star, std::uint32_t n) {
    Ptr<ns3::PacketSink> sink = install_sink(star.nodes.Get(1));
    auto start_jitter = ns3::CreateObject<ns3::UniformRandomVariable>();
    start_jitter->SetStream(3);
    for (std::uint32_t i = 0; i < n; ++i) {
        install_bulk_sender(star.nodes.Get(2 + i), star.receiver, 0,
                            start_jitter->GetValue(0.0, 1e-3));
    }
    return sink;
}

/// Drop-tail overflow of one queue disc from start() to the end of the run.
class DropMeter {
   public:
    explicit DropMeter(Ptr<ns3::QueueDisc> qdisc) : qdisc_(qdisc) {}
    void start() {
        received_ = qdisc_->GetStats().nTotalReceivedPackets;
        dropped_ = qdisc_->GetStats().nTotalDroppedPackets;
    }
    double drop_rate() const {
        const auto& stats = qdisc_->GetStats();
        const double offered = static_cast<double>(stats.nTotalReceivedPackets - received_);
        return offered > 0 ? static_cast<double>(stats.nTotalDroppedPackets - dropped_) / offered
                           : 0.0;
    }

   private:
    Ptr<ns3::QueueDisc> qdisc_;
    std::uint64_t received_ = 0;
    std::uint64_t dropped_ = 0;
};

}  // namespace

std::string ns3_version() {
    return "ns-3." + std::to_string(NS3_VERSION_MINOR) + " (Debian libns3-dev)";
}

LongFlowResult run_long_flow(const TcpSettings& tcp, const LongFlowParams& params,
                             std::uint32_t seed, std::uint64_t run) {
    const auto wall_start = std::chrono::steady_clock::now();
    seed_rng(seed, run);
    configure_tcp(tcp);
    PairNetwork net = build_pair(tcp, params.link_bps, params.rtt_s, params.drop_rate);
    Ptr<ns3::PacketSink> sink = install_sink(net.nodes.Get(1));
    install_bulk_sender(net.nodes.Get(0), net.interfaces.GetAddress(1), 0, 0.0);

    // Goodput: bytes delivered in order to the receiving application (iperf3's measure).
    struct Window {
        std::uint64_t bytes_at_start = 0;
        std::uint64_t stop_bytes = 0;  // 0: no segment budget
        double start_s = 0.0;
        double end_s = 0.0;
    } window{0, 0, params.warmup_s, params.warmup_s + params.measure_s};
    ns3::Simulator::Schedule(ns3::Seconds(params.warmup_s), [&window, &params, sink, &tcp] {
        window.bytes_at_start = sink->GetTotalRx();
        if (params.max_segments > 0) {
            window.stop_bytes = window.bytes_at_start + params.max_segments * tcp.mss_bytes;
        }
    });
    if (params.max_segments > 0) {
        sink->TraceConnectWithoutContext(
            "Rx", ns3::MakeCallback(+[](Window* w, Ptr<ns3::PacketSink> s, Ptr<const ns3::Packet>,
                                        const ns3::Address&) {
                      if (w->stop_bytes > 0 && s->GetTotalRx() >= w->stop_bytes) {
                          w->end_s = ns3::Simulator::Now().GetSeconds();
                          w->stop_bytes = 0;
                          ns3::Simulator::Stop();
                      }
                  }).Bind(&window, sink));
    }
    ns3::Simulator::Stop(ns3::Seconds(window.end_s));
    ns3::Simulator::Run();
    LongFlowResult result;
    result.measured_s = window.end_s - window.start_s;
    result.goodput_bps =
        static_cast<double>(sink->GetTotalRx() - window.bytes_at_start) * 8.0 / result.measured_s;
    ns3::Simulator::Destroy();
    result.wall_s = wall_since(wall_start);
    return result;
}

ShortFlowResult run_short_flow(const TcpSettings& tcp, const ShortFlowParams& params,
                               std::uint32_t seed, std::uint64_t run) {
    const auto wall_start = std::chrono::steady_clock::now();
    seed_rng(seed, run);
    configure_tcp(tcp);
    PairNetwork net = build_pair(tcp, params.link_bps, params.rtt_s, params.drop_rate);
    Ptr<ns3::PacketSink> sink = install_sink(net.nodes.Get(1));
    const auto size = static_cast<std::uint64_t>(std::ceil(params.size_bytes));
    install_bulk_sender(net.nodes.Get(0), net.interfaces.GetAddress(1), size, 0.0);

    ShortFlowResult result;
    result.censored = true;
    result.fct_s = params.time_limit_s;
    // The application connects at t = 0, so the completion time counts the handshake.
    sink->TraceConnectWithoutContext(
        "Rx",
        ns3::MakeCallback(+[](ShortFlowResult* out, Ptr<ns3::PacketSink> s, std::uint64_t total,
                              Ptr<const ns3::Packet>, const ns3::Address&) {
            if (out->censored && s->GetTotalRx() >= total) {
                out->censored = false;
                out->fct_s = ns3::Simulator::Now().GetSeconds();
                ns3::Simulator::Stop();
            }
        }).Bind(&result, sink, size));
    ns3::Simulator::Stop(ns3::Seconds(params.time_limit_s));
    ns3::Simulator::Run();
    ns3::Simulator::Destroy();
    result.wall_s = wall_since(wall_start);
    return result;
}

QueueingResult run_queueing(const TcpSettings& tcp, const QueueingParams& params,
                            std::uint32_t seed, std::uint64_t run) {
    using namespace ns3;
    const auto wall_start = std::chrono::steady_clock::now();
    seed_rng(seed, run);
    configure_tcp(tcp);
    const std::uint32_t n = params.competing_flows;
    const double c = params.link_bps;
    const double hop_delay = params.rtt_s / 4.0;  // access link + measured link, each way
    const bool saturated = params.utilization >= 1.0;
    const double access_bps = saturated ? params.access_speedup * c : params.utilization * c / n;

    // One sender per long flow (the paper's h4, split so that flows arrive on separate ports
    // and interleave as in a switch).
    Star star = build_star(tcp, c, access_bps, hop_delay, n);
    Link& measured = star.measured;
    FlowMeter flows(params.warmup_s);
    for (const Ipv4Address& sender : star.senders) flows.add_sender(sender);
    Ptr<PacketSink> sink = start_bulk_flows(star, n);

    const double t_end = params.warmup_s + params.measure_s;
    QueueingResult result;
    auto device = DynamicCast<PointToPointNetDevice>(measured.devices.Get(0));
    VirtualProbe probe(measured.qdiscs.Get(0), device, c, tcp.buffer_packets,
                       params.probe_gap_packets * kMtuBytes * 8.0 / c);
    probe.run(params.warmup_s, t_end);
    UtilizationMeter meter(params.warmup_s, t_end);
    device->TraceConnectWithoutContext("PhyTxBegin",
                                       MakeCallback(&VirtualProbe::on_tx_begin, &probe));
    device->TraceConnectWithoutContext("PhyTxBegin",
                                       MakeCallback(&UtilizationMeter::on_tx_begin, &meter));
    sink->TraceConnectWithoutContext("Rx", MakeCallback(&FlowMeter::on_rx, &flows));
    DropMeter drops(measured.qdiscs.Get(0));
    Simulator::Schedule(Seconds(params.warmup_s), &DropMeter::start, &drops);
    Simulator::Stop(Seconds(t_end));
    Simulator::Run();
    result.drop_rate = drops.drop_rate();
    result.flow_bytes = flows.bytes;
    result.delays_packets = std::move(probe.delays_packets);
    result.full_fraction =
        result.delays_packets.empty()
            ? 0.0
            : static_cast<double>(probe.full) / static_cast<double>(result.delays_packets.size());
    result.utilization_measured = meter.utilization(c);
    Simulator::Destroy();
    result.wall_s = wall_since(wall_start);
    return result;
}

ProbeFlowResult run_probe_flow(const TcpSettings& tcp, const QueueingParams& params,
                               double probe_bytes, std::uint32_t seed, std::uint64_t run) {
    using namespace ns3;
    const auto wall_start = std::chrono::steady_clock::now();
    seed_rng(seed, run);
    configure_tcp(tcp);
    const std::uint32_t n = params.competing_flows;
    const double c = params.link_bps;
    const double hop_delay = params.rtt_s / 4.0;
    const double access_bps = params.access_speedup * c;

    // Senders 0..n-1 run the bulk flows, sender n the probe.
    Star star = build_star(tcp, c, access_bps, hop_delay, n + 1);
    Link& measured = star.measured;
    const Ipv4Address probe_address = star.senders.back();
    Ptr<PacketSink> sink = start_bulk_flows(star, n);
    const auto size = static_cast<std::uint64_t>(std::ceil(probe_bytes));
    install_bulk_sender(star.nodes.Get(2 + n), star.receiver, size, params.warmup_s);

    struct Probe {
        std::uint32_t address;
        std::uint64_t size;
        double start_s;
        double received = 0.0;
        ProbeFlowResult result;
    } probe{probe_address.Get(), size, params.warmup_s, 0.0, ProbeFlowResult{}};
    probe.result.censored = true;
    probe.result.fct_s = 1.0;
    sink->TraceConnectWithoutContext(
        "Rx", MakeCallback(+[](Probe* p, Ptr<const Packet> packet, const Address& from) {
                  if (InetSocketAddress::ConvertFrom(from).GetIpv4().Get() != p->address) return;
                  p->received += packet->GetSize();
                  if (p->result.censored && p->received >= static_cast<double>(p->size)) {
                      p->result.censored = false;
                      p->result.fct_s = Simulator::Now().GetSeconds() - p->start_s;
                      Simulator::Stop();
                  }
              }).Bind(&probe));
    auto device = DynamicCast<PointToPointNetDevice>(measured.devices.Get(0));
    VirtualProbe queue(measured.qdiscs.Get(0), device, c, tcp.buffer_packets,
                       params.probe_gap_packets * kMtuBytes * 8.0 / c);
    queue.run(params.warmup_s, params.warmup_s + 1.0);
    device->TraceConnectWithoutContext("PhyTxBegin",
                                       MakeCallback(&VirtualProbe::on_tx_begin, &queue));
    Simulator::Stop(Seconds(params.warmup_s + 1.0));
    Simulator::Run();
    double sum = 0.0;
    for (const double d : queue.delays_packets) sum += d;
    probe.result.queue_packets =
        queue.delays_packets.empty() ? 0.0 : sum / static_cast<double>(queue.delays_packets.size());
    Simulator::Destroy();
    probe.result.wall_s = wall_since(wall_start);
    return probe.result;
}

}  // namespace swarm::ns3tables
