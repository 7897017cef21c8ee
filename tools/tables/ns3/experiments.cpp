// ns-3 simulations of SWARM Appendix B (see experiments.h). Compiled as C++17: ns-3.37's
// headers (singleton.h) declare constructors as template-ids, which C++20 rejects.
#include "tools/tables/ns3/experiments.h"

#include <chrono>
#include <cmath>
#include <stdexcept>

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"
#include "ns3/version-defines.h"

namespace swarm::ns3tables {
namespace {

using ns3::Ptr;

constexpr std::uint16_t kDataPort = 5000;
constexpr double kMtuBytes = 1500.0;
constexpr double kPppHeaderBytes = 2.0;  // ns-3's point-to-point framing, on the wire only

double wall_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

ns3::TypeId cc_type(CongestionControl cc) {
    switch (cc) {
        case CongestionControl::kCubic:
            return ns3::TcpCubic::GetTypeId();
        case CongestionControl::kNewReno:
            return ns3::TcpNewReno::GetTypeId();
        case CongestionControl::kDctcp:
            return ns3::TcpDctcp::GetTypeId();
        case CongestionControl::kBbr:
            return ns3::TcpBbr::GetTypeId();
    }
    throw std::invalid_argument("unknown congestion control");
}

/// Process-wide ns-3 defaults for one run. SACK and timestamps are on (ns-3 defaults, as
/// Linux), recovery is ns-3's default PRR.
void configure_tcp(const TcpSettings& tcp) {
    using namespace ns3;
    Config::SetDefault("ns3::TcpL4Protocol::SocketType", TypeIdValue(cc_type(tcp.cc)));
    Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(tcp.mss_bytes));
    Config::SetDefault("ns3::TcpSocket::InitialCwnd", UintegerValue(tcp.initial_cwnd));
    Config::SetDefault("ns3::TcpSocket::SndBufSize", UintegerValue(tcp.socket_buffer_bytes));
    Config::SetDefault("ns3::TcpSocket::RcvBufSize", UintegerValue(tcp.socket_buffer_bytes));
    Config::SetDefault("ns3::TcpSocket::ConnTimeout", TimeValue(Seconds(tcp.syn_rto_s)));
    Config::SetDefault("ns3::TcpSocket::DataRetries", UintegerValue(tcp.data_retries));
    Config::SetDefault("ns3::TcpSocket::DelAckCount", UintegerValue(tcp.delack_count));
    Config::SetDefault("ns3::TcpSocket::DelAckTimeout", TimeValue(Seconds(tcp.delack_timeout_s)));
    Config::SetDefault("ns3::TcpSocketBase::MinRto", TimeValue(Seconds(tcp.min_rto_s)));
    Config::SetDefault("ns3::TcpSocketBase::Sack", BooleanValue(true));
    const bool dctcp = tcp.cc == CongestionControl::kDctcp;
    Config::SetDefault("ns3::TcpSocketBase::UseEcn", StringValue(dctcp ? "On" : "Off"));
    if (tcp.cc == CongestionControl::kBbr) {
        // BBR is specified with pacing; ns-3 caps the pacing rate at 4 Gb/s by default.
        Config::SetDefault("ns3::TcpSocketState::EnablePacing", BooleanValue(true));
        Config::SetDefault("ns3::TcpSocketState::MaxPacingRate",
                           DataRateValue(DataRate(std::uint64_t{10'000'000'000'000})));
    }
}

void seed_rng(std::uint32_t seed, std::uint64_t run) {
    ns3::RngSeedManager::SetSeed(seed);
    ns3::RngSeedManager::SetRun(run);
}

/// The egress queue of every port: DCTCP gets RED configured as DCTCP's step marker (instant
/// queue, mark above K, never early-drop ECN-capable packets); the others a drop-tail FIFO.
ns3::TrafficControlHelper queue_helper(const TcpSettings& tcp, double link_bps) {
    using namespace ns3;
    TrafficControlHelper tch;
    const auto limit = QueueSizeValue(QueueSize(QueueSizeUnit::PACKETS, tcp.buffer_packets));
    if (tcp.cc == CongestionControl::kDctcp) {
        const double k = tcp.ecn_threshold_packets;
        tch.SetRootQueueDisc("ns3::RedQueueDisc", "MaxSize", limit, "MeanPktSize",
                             UintegerValue(static_cast<std::uint32_t>(kMtuBytes)), "QW",
                             DoubleValue(1.0), "MinTh", DoubleValue(k), "MaxTh",
                             DoubleValue(k + 1.0), "UseEcn", BooleanValue(true), "UseHardDrop",
                             BooleanValue(false), "Gentle", BooleanValue(false), "LinkBandwidth",
                             DataRateValue(DataRate(static_cast<std::uint64_t>(link_bps))));
    } else {
        tch.SetRootQueueDisc("ns3::FifoQueueDisc", "MaxSize", limit);
    }
    return tch;
}

/// One point-to-point link a <-> b with an egress queue disc on both ends. The device queue
/// holds one packet so that the backlog sits in the queue disc, where DCTCP's marking sees it.
struct Link {
    ns3::NetDeviceContainer devices;
    ns3::QueueDiscContainer qdiscs;
};

Link connect(ns3::Ptr<ns3::Node> a, ns3::Ptr<ns3::Node> b, double bps, double delay_s,
             const TcpSettings& tcp) {
    using namespace ns3;
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", DataRateValue(DataRate(static_cast<std::uint64_t>(bps))));
    p2p.SetChannelAttribute("Delay", TimeValue(Seconds(delay_s)));
    p2p.SetQueue("ns3::DropTailQueue<Packet>", "MaxSize", StringValue("1p"));
    Link link;
    link.devices = p2p.Install(a, b);
    // Before addressing: Ipv4AddressHelper::Assign installs ns-3's default queue disc otherwise.
    link.qdiscs = queue_helper(tcp, bps).Install(link.devices);
    return link;
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

Ptr<ns3::PacketSink> install_sink(Ptr<ns3::Node> node) {
    using namespace ns3;
    PacketSinkHelper helper("ns3::TcpSocketFactory",
                            InetSocketAddress(Ipv4Address::GetAny(), kDataPort));
    ApplicationContainer apps = helper.Install(node);
    apps.Start(Seconds(0.0));
    return DynamicCast<PacketSink>(apps.Get(0));
}

void install_bulk_sender(Ptr<ns3::Node> node, ns3::Ipv4Address to, std::uint64_t bytes,
                         double start_s) {
    using namespace ns3;
    BulkSendHelper helper("ns3::TcpSocketFactory", InetSocketAddress(to, kDataPort));
    helper.SetAttribute("MaxBytes", UintegerValue(bytes));  // 0: unlimited
    // Segment-sized writes: 64 KB writes made ns-3's tx buffer split and copy large packets on
    // every retransmission (3x slower at high loss). The application fills the socket buffer
    // at t = 0 either way, so TCP never waits for data and results do not change.
    helper.SetAttribute("SendSize", UintegerValue(1448));
    helper.Install(node).Start(Seconds(start_s));
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

}  // namespace

CongestionControl parse_cc(const std::string& name) {
    if (name == "cubic") {
        return CongestionControl::kCubic;
    }
    if (name == "newreno") {
        return CongestionControl::kNewReno;
    }
    if (name == "dctcp") {
        return CongestionControl::kDctcp;
    }
    if (name == "bbr") {
        return CongestionControl::kBbr;
    }
    throw std::invalid_argument("unknown congestion control '" + name +
                                "' (cubic, newreno, dctcp, bbr)");
}

std::string cc_name(CongestionControl cc) {
    switch (cc) {
        case CongestionControl::kCubic:
            return "cubic";
        case CongestionControl::kNewReno:
            return "newreno";
        case CongestionControl::kDctcp:
            return "dctcp";
        case CongestionControl::kBbr:
            return "bbr";
    }
    return "?";
}

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

    // Node 0: the switch s1; node 1: the receiver h3; nodes 2..: one sender per long flow (the
    // paper's h4, split so that flows arrive on separate ports and interleave as in a switch).
    NodeContainer nodes;
    nodes.Create(2 + n);
    InternetStackHelper().Install(nodes);
    Ipv4AddressHelper addresses("10.0.0.0", "255.255.255.252");
    Link measured = connect(nodes.Get(0), nodes.Get(1), c, hop_delay, tcp);
    const Ipv4Address receiver = addresses.Assign(measured.devices).GetAddress(1);
    addresses.NewNetwork();
    for (std::uint32_t i = 0; i < n; ++i) {
        addresses.Assign(
            connect(nodes.Get(2 + i), nodes.Get(0), access_bps, hop_delay, tcp).devices);
        addresses.NewNetwork();
    }
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();

    install_sink(nodes.Get(1));
    auto start_jitter = CreateObject<UniformRandomVariable>();
    start_jitter->SetStream(3);
    for (std::uint32_t i = 0; i < n; ++i) {
        // Random starts in the first millisecond desynchronise the flows' phases.
        install_bulk_sender(nodes.Get(2 + i), receiver, 0, start_jitter->GetValue(0.0, 1e-3));
    }

    const double t_end = params.warmup_s + params.measure_s;
    auto device = DynamicCast<PointToPointNetDevice>(measured.devices.Get(0));
    VirtualProbe probe(measured.qdiscs.Get(0), device, c, tcp.buffer_packets,
                       params.probe_gap_packets * kMtuBytes * 8.0 / c);
    probe.run(params.warmup_s, t_end);
    UtilizationMeter meter(params.warmup_s, t_end);
    device->TraceConnectWithoutContext("PhyTxBegin",
                                       MakeCallback(&VirtualProbe::on_tx_begin, &probe));
    device->TraceConnectWithoutContext("PhyTxBegin",
                                       MakeCallback(&UtilizationMeter::on_tx_begin, &meter));
    Simulator::Stop(Seconds(t_end));
    Simulator::Run();
    QueueingResult result;
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

}  // namespace swarm::ns3tables
