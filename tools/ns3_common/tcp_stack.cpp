// See tcp_stack.h. Compiled as C++17 with the ns-3 headers.
#include "tools/ns3_common/tcp_stack.h"

#include <stdexcept>

namespace swarm::ns3common {
namespace {

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

/// ns-3.37 defaults of the time constants that configure_tcp dilates (listed with
/// TypeId::GetAttribute on ns3::TcpSocketBase, TcpSocket, TcpCubic, RttEstimator); written out
/// because a dilated value must be computed from the undilated one.
constexpr double kClockGranularityS = 0.001;
constexpr double kPersistTimeoutS = 6.0;
constexpr double kInitialRttEstimateS = 1.0;
constexpr double kCubicDeltaS = 0.010;
constexpr double kHyStartAckDeltaS = 0.002;
constexpr double kHyStartDelayMinS = 0.004;
constexpr double kHyStartDelayMaxS = 1.0;
constexpr double kCubicC = 0.4;

}  // namespace

void configure_tcp(const TcpSettings& tcp, double time_scale) {
    using namespace ns3;
    const double f = time_scale;
    Config::SetDefault("ns3::TcpL4Protocol::SocketType", TypeIdValue(cc_type(tcp.cc)));
    Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(tcp.mss_bytes));
    Config::SetDefault("ns3::TcpSocket::InitialCwnd", UintegerValue(tcp.initial_cwnd));
    Config::SetDefault("ns3::TcpSocket::SndBufSize", UintegerValue(tcp.socket_buffer_bytes));
    Config::SetDefault("ns3::TcpSocket::RcvBufSize", UintegerValue(tcp.socket_buffer_bytes));
    Config::SetDefault("ns3::TcpSocket::ConnTimeout", TimeValue(Seconds(tcp.syn_rto_s * f)));
    Config::SetDefault("ns3::TcpSocket::DataRetries", UintegerValue(tcp.data_retries));
    Config::SetDefault("ns3::TcpSocket::DelAckCount", UintegerValue(tcp.delack_count));
    Config::SetDefault("ns3::TcpSocket::DelAckTimeout",
                       TimeValue(Seconds(tcp.delack_timeout_s * f)));
    Config::SetDefault("ns3::TcpSocketBase::MinRto", TimeValue(Seconds(tcp.min_rto_s * f)));
    Config::SetDefault("ns3::TcpSocketBase::Sack", BooleanValue(true));
    if (f != 1.0) {
        const auto dilated = [f](double seconds) { return TimeValue(Seconds(seconds * f)); };
        Config::SetDefault("ns3::TcpSocketBase::ClockGranularity", dilated(kClockGranularityS));
        Config::SetDefault("ns3::TcpSocket::PersistTimeout", dilated(kPersistTimeoutS));
        Config::SetDefault("ns3::RttEstimator::InitialEstimation", dilated(kInitialRttEstimateS));
        Config::SetDefault("ns3::TcpCubic::C", DoubleValue(kCubicC / (f * f * f)));
        Config::SetDefault("ns3::TcpCubic::CubicDelta", dilated(kCubicDeltaS));
        Config::SetDefault("ns3::TcpCubic::HyStartAckDelta", dilated(kHyStartAckDeltaS));
        Config::SetDefault("ns3::TcpCubic::HyStartDelayMin", dilated(kHyStartDelayMinS));
        Config::SetDefault("ns3::TcpCubic::HyStartDelayMax", dilated(kHyStartDelayMaxS));
    }
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

Link connect(ns3::Ptr<ns3::Node> a, ns3::Ptr<ns3::Node> b, double bps, double delay_s,
             const TcpSettings& tcp, std::uint32_t buffer_a, std::uint32_t buffer_b) {
    using namespace ns3;
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", DataRateValue(DataRate(static_cast<std::uint64_t>(bps))));
    p2p.SetChannelAttribute("Delay", TimeValue(Seconds(delay_s)));
    p2p.SetQueue("ns3::DropTailQueue<Packet>", "MaxSize", StringValue("1p"));
    Link link;
    link.devices = p2p.Install(a, b);
    // Before addressing: Ipv4AddressHelper::Assign installs ns-3's default queue disc otherwise.
    const std::uint32_t buffers[2] = {buffer_a, buffer_b};
    for (std::uint32_t side = 0; side < 2; ++side) {
        TcpSettings end = tcp;
        end.buffer_packets = buffers[side] > 0 ? buffers[side] : tcp.buffer_packets;
        link.qdiscs.Add(queue_helper(end, bps).Install(link.devices.Get(side)));
    }
    return link;
}

ns3::Ptr<ns3::PacketSink> install_sink(ns3::Ptr<ns3::Node> node) {
    using namespace ns3;
    PacketSinkHelper helper("ns3::TcpSocketFactory",
                            InetSocketAddress(Ipv4Address::GetAny(), kDataPort));
    ApplicationContainer apps = helper.Install(node);
    apps.Start(Seconds(0.0));
    return DynamicCast<PacketSink>(apps.Get(0));
}

ns3::Ptr<ns3::BulkSendApplication> install_bulk_sender(ns3::Ptr<ns3::Node> node,
                                                       ns3::Ipv4Address to, std::uint64_t bytes,
                                                       double start_s, std::uint32_t segment_bytes,
                                                       ns3::Ipv4Address local,
                                                       std::uint16_t local_port) {
    using namespace ns3;
    BulkSendHelper helper("ns3::TcpSocketFactory", InetSocketAddress(to, kDataPort));
    helper.SetAttribute("MaxBytes", UintegerValue(bytes));  // 0: unlimited
    // Segment-sized writes: 64 KB writes made ns-3's tx buffer split and copy large packets on
    // every retransmission (3x slower at high loss). The application fills the socket buffer
    // at t = 0 either way, so TCP never waits for data and results do not change.
    helper.SetAttribute("SendSize", UintegerValue(segment_bytes));
    if (local_port != 0) {
        helper.SetAttribute("Local", AddressValue(InetSocketAddress(local, local_port)));
    }
    ApplicationContainer apps = helper.Install(node);
    apps.Start(Seconds(start_s));
    return DynamicCast<BulkSendApplication>(apps.Get(0));
}

}  // namespace swarm::ns3common
