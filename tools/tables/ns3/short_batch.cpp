// See short_batch.h. Compiled as C++17 with the ns-3 headers.
#include "tools/tables/ns3/short_batch.h"

#include <cmath>
#include <stdexcept>

#include "tools/ns3_common/data_loss_model.h"
#include "tools/ns3_common/tcp_stack.h"

namespace swarm::ns3tables {
namespace {

using ns3::Ptr;

constexpr std::uint16_t kFirstPort = 10000;

/// Per-flow bookkeeping, filled by the traces below.
struct Batch {
    std::vector<ShortBatchFlow>* flows = nullptr;
    std::vector<double> start_s;
    std::vector<double> established_s;
    std::vector<std::uint64_t> received;
    std::uint64_t size = 0;
    std::size_t left = 0;

    void on_rx(Ptr<const ns3::Packet> packet, const ns3::Address& from, const ns3::Address&) {
        const auto port = ns3::InetSocketAddress::ConvertFrom(from).GetPort();
        const std::size_t i = port - kFirstPort;
        if (port < kFirstPort || i >= received.size()) {
            return;
        }
        received[i] += packet->GetSize();
        ShortBatchFlow& flow = (*flows)[i];
        if (flow.censored && received[i] >= size) {
            flow.censored = false;
            flow.fct_s = ns3::Simulator::Now().GetSeconds() - start_s[i];
            if (--left == 0) {
                ns3::Simulator::Stop();
            }
        }
    }
};

void on_state(Batch* batch, std::size_t i, ns3::TcpSocket::TcpStates_t,
              ns3::TcpSocket::TcpStates_t now) {
    if (now == ns3::TcpSocket::ESTABLISHED && batch->established_s[i] < 0.0) {
        batch->established_s[i] = ns3::Simulator::Now().GetSeconds();
    }
}

void on_cong_state(Batch* batch, std::size_t i, ns3::TcpSocketState::TcpCongState_t,
                   ns3::TcpSocketState::TcpCongState_t now) {
    if (now == ns3::TcpSocketState::CA_LOSS) {
        ++(*batch->flows)[i].data_timeouts;
    }
}

/// The sender's socket exists once its application has started (the SYN is sent then); the
/// traces are attached 1 ns later, long before the SYN-ACK can arrive.
void attach(Batch* batch, std::size_t i, Ptr<ns3::BulkSendApplication> app) {
    auto socket = ns3::DynamicCast<ns3::TcpSocketBase>(app->GetSocket());
    if (!socket) {
        throw std::runtime_error("short batch: the sender has no TCP socket");
    }
    socket->TraceConnectWithoutContext("State", ns3::MakeBoundCallback(&on_state, batch, i));
    socket->TraceConnectWithoutContext("CongState",
                                       ns3::MakeBoundCallback(&on_cong_state, batch, i));
}

}  // namespace

std::vector<ShortBatchFlow> run_short_batch(const ns3common::TcpSettings& tcp,
                                            const ShortBatchParams& params, std::uint32_t seed,
                                            std::uint64_t run) {
    using namespace ns3;
    if (params.flows <= 0 || params.flows > 50000) {
        throw std::invalid_argument("short batch: flows must be in 1..50000");
    }
    ns3common::seed_rng(seed, run);
    ns3common::configure_tcp(tcp);
    // Concurrent flows share the sender's port: a buffer no window can fill keeps the only
    // losses the error model's (at 10 Tb/s a packet occupies the link 1.2 ns).
    ns3common::TcpSettings port = tcp;
    port.buffer_packets = 1u << 20;
    NodeContainer nodes;
    nodes.Create(2);
    InternetStackHelper().Install(nodes);
    const NetDeviceContainer devices =
        ns3common::connect(nodes.Get(0), nodes.Get(1), params.link_bps, params.rtt_s / 2.0, port)
            .devices;
    const double drops[2] = {params.drop_reverse, params.drop_forward};  // received by 0, by 1
    for (std::uint32_t side = 0; side < 2; ++side) {
        if (drops[side] > 0.0) {
            auto loss = CreateObject<ns3common::DataLossModel>();
            loss->configure(drops[side], 1 + side);
            devices.Get(side)->SetAttribute("ReceiveErrorModel", PointerValue(loss));
        }
    }
    Ipv4AddressHelper addresses("10.0.0.0", "255.255.255.252");
    const Ipv4InterfaceContainer ifc = addresses.Assign(devices);

    const auto n = static_cast<std::size_t>(params.flows);
    std::vector<ShortBatchFlow> flows(n);
    Batch batch;
    batch.flows = &flows;
    batch.start_s.resize(n);
    batch.established_s.assign(n, -1.0);
    batch.received.assign(n, 0);
    batch.size = static_cast<std::uint64_t>(std::ceil(params.size_bytes));
    batch.left = n;
    ns3common::install_sink(nodes.Get(1))
        ->TraceConnectWithoutContext("RxWithAddresses", MakeCallback(&Batch::on_rx, &batch));
    for (std::size_t i = 0; i < n; ++i) {
        flows[i].censored = true;
        batch.start_s[i] = static_cast<double>(i) * params.gap_s;
        const auto app = ns3common::install_bulk_sender(
            nodes.Get(0), ifc.GetAddress(1), batch.size, batch.start_s[i], tcp.mss_bytes,
            ifc.GetAddress(0), static_cast<std::uint16_t>(kFirstPort + i));
        Simulator::Schedule(Seconds(batch.start_s[i]) + NanoSeconds(1), &attach, &batch, i, app);
    }
    const double end_s = batch.start_s.back() + params.time_limit_s;
    Simulator::Stop(Seconds(end_s));
    Simulator::Run();
    const double now = Simulator::Now().GetSeconds();
    for (std::size_t i = 0; i < n; ++i) {
        ShortBatchFlow& flow = flows[i];
        // Established more than half a SYN RTO after the SYN: a SYN or SYN-ACK was lost.
        const double established = batch.established_s[i];
        flow.handshake_timeout =
            established < 0.0 || established - batch.start_s[i] > 0.5 * tcp.syn_rto_s;
        if (flow.censored) {
            flow.fct_s = now - batch.start_s[i];
        }
    }
    Simulator::Destroy();
    return flows;
}

}  // namespace swarm::ns3tables
