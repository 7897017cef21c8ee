// The packet-level ground truth (see truth_sim.h). Compiled as C++17 with the ns-3 headers.
//
// Routing: every flow follows the path the estimator's Routing sampled for it. A small
// Ipv4RoutingProtocol (FlowPathRouting) on every node forwards by the flow's 4-tuple, looked up
// in a hash table filled before the run: the data direction along the path, ACKs back along the
// reversed path. Hosts send everything to their one link. This pins ECMP/WCMP per flow exactly
// as the estimator drew it, instead of ns-3's hash-based ECMP choosing differently.
#include "tools/truth/truth_sim.h"

#include <chrono>
#include <cmath>
#include <map>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>

#include "tools/ns3_common/tcp_stack.h"

namespace swarm::truth {
namespace {

using ns3::Ptr;

struct FlowKey {
    std::uint32_t src = 0;
    std::uint32_t dst = 0;
    std::uint16_t sport = 0;
    std::uint16_t dport = 0;
    bool operator==(const FlowKey& o) const {
        return src == o.src && dst == o.dst && sport == o.sport && dport == o.dport;
    }
};

struct FlowKeyHash {
    std::size_t operator()(const FlowKey& k) const {
        std::uint64_t h = (std::uint64_t{k.src} << 32) ^ k.dst;
        h ^= (std::uint64_t{k.sport} << 16 | k.dport) * 0x9E3779B97F4A7C15ULL;
        h ^= h >> 29;
        return static_cast<std::size_t>(h * 0xBF58476D1CE4E5B9ULL);
    }
};

/// Per-flow source routing by 4-tuple (switches) or "everything out of the one link" (hosts).
class FlowPathRouting : public ns3::Ipv4RoutingProtocol {
   public:
    static ns3::TypeId GetTypeId() {
        static ns3::TypeId tid = ns3::TypeId("swarm::truth::FlowPathRouting")
                                     .SetParent<ns3::Ipv4RoutingProtocol>()
                                     .SetGroupName("Internet");
        return tid;
    }

    void set_counter(std::uint64_t* unrouted) { unrouted_ = unrouted; }
    void add_peer(std::uint32_t interface, ns3::Ipv4Address peer) { peers_[interface] = peer; }
    void add_route(const FlowKey& key, std::uint32_t interface) { table_[key] = interface; }

    Ptr<ns3::Ipv4Route> RouteOutput(Ptr<ns3::Packet>, const ns3::Ipv4Header& header,
                                    Ptr<ns3::NetDevice>, ns3::Socket::SocketErrno& error) override {
        // Only hosts originate packets, through their single link.
        if (peers_.size() != 1) {
            error = ns3::Socket::ERROR_NOROUTETOHOST;
            return nullptr;
        }
        error = ns3::Socket::ERROR_NOTERROR;
        return route(header.GetDestination(), peers_.begin()->first);
    }

    bool RouteInput(Ptr<const ns3::Packet> p, const ns3::Ipv4Header& header,
                    Ptr<const ns3::NetDevice> idev, UnicastForwardCallback ucb,
                    MulticastForwardCallback, LocalDeliverCallback lcb, ErrorCallback) override {
        const std::uint32_t iif = ipv4_->GetInterfaceForDevice(idev);
        if (ipv4_->IsDestinationAddress(header.GetDestination(), iif)) {
            lcb(p, header, iif);
            return true;
        }
        std::uint8_t ports[4] = {0, 0, 0, 0};
        p->CopyData(ports, 4);  // the TCP header starts with source and destination port
        const FlowKey key{header.GetSource().Get(), header.GetDestination().Get(),
                          static_cast<std::uint16_t>(ports[0] << 8 | ports[1]),
                          static_cast<std::uint16_t>(ports[2] << 8 | ports[3])};
        const auto it = table_.find(key);
        if (it == table_.end()) {
            ++*unrouted_;
            return false;
        }
        ucb(route(header.GetDestination(), it->second), p, header);
        return true;
    }

    void NotifyInterfaceUp(std::uint32_t) override {}
    void NotifyInterfaceDown(std::uint32_t) override {}
    void NotifyAddAddress(std::uint32_t, ns3::Ipv4InterfaceAddress) override {}
    void NotifyRemoveAddress(std::uint32_t, ns3::Ipv4InterfaceAddress) override {}
    void SetIpv4(Ptr<ns3::Ipv4> ipv4) override { ipv4_ = ipv4; }
    void PrintRoutingTable(Ptr<ns3::OutputStreamWrapper>, ns3::Time::Unit) const override {}

   private:
    Ptr<ns3::Ipv4Route> route(ns3::Ipv4Address destination, std::uint32_t interface) const {
        auto r = ns3::Create<ns3::Ipv4Route>();
        r->SetDestination(destination);
        r->SetSource(ipv4_->GetAddress(interface, 0).GetLocal());
        r->SetGateway(peers_.at(interface));
        r->SetOutputDevice(ipv4_->GetNetDevice(interface));
        return r;
    }

    Ptr<ns3::Ipv4> ipv4_;
    std::map<std::uint32_t, ns3::Ipv4Address> peers_;
    std::unordered_map<FlowKey, std::uint32_t, FlowKeyHash> table_;
    std::uint64_t* unrouted_ = nullptr;
};

/// Drops each packet with probability `rate`, except pure TCP ACKs (no payload, no SYN, FIN or
/// RST), which it never drops. Installed as the receive error model of a point-to-point
/// device, so the packet starts with the PPP header.
///
/// Why not ns-3's RateErrorModel on every packet: ns-3.37's TCP stalls for good when both data
/// and ACKs are lost (a lone 14.5 MB Cubic flow at 1% loss both ways stopped after 1.3-2.8 MB
/// and sent nothing more in 60 s, in 3 of 3 runs; loss on data only, or on ACKs only, is fine).
/// The transport tables were measured with ACKs never dropped, too (docs/tables.md).
class DataLossModel : public ns3::ErrorModel {
   public:
    static ns3::TypeId GetTypeId() {
        static ns3::TypeId tid = ns3::TypeId("swarm::truth::DataLossModel")
                                     .SetParent<ns3::ErrorModel>()
                                     .SetGroupName("Network");
        return tid;
    }
    DataLossModel() : uniform_(ns3::CreateObject<ns3::UniformRandomVariable>()) {}
    void configure(double rate, std::int64_t stream) {
        rate_ = rate;
        uniform_->SetStream(stream);
    }

   private:
    static bool pure_ack(Ptr<ns3::Packet> p) {
        std::uint8_t head[2 + 60 + 14];
        const std::uint32_t n = p->CopyData(head, sizeof(head));
        constexpr std::uint32_t kPpp = 2;
        if (n < kPpp + 20) {
            return false;
        }
        const std::uint8_t* ip = head + kPpp;
        const std::uint32_t ip_header = (ip[0] & 0x0Fu) * 4u;
        const std::uint32_t ip_total = std::uint32_t{ip[2]} << 8 | ip[3];
        if (ip[9] != 6 || n < kPpp + ip_header + 14) {
            return false;  // not TCP
        }
        const std::uint8_t* tcp = ip + ip_header;
        const std::uint32_t tcp_header = (tcp[12] >> 4) * 4u;
        const bool control = (tcp[13] & 0x07u) != 0;  // FIN, SYN or RST
        return !control && ip_total == ip_header + tcp_header;
    }
    bool DoCorrupt(Ptr<ns3::Packet> p) override {
        return !pure_ack(p) && uniform_->GetValue() < rate_;
    }
    void DoReset() override {}

    Ptr<ns3::UniformRandomVariable> uniform_;
    double rate_ = 0.0;
};

/// Where node `a` reaches neighbour `b`: its interface and b's address on that link.
struct Port {
    std::uint32_t interface = 0;
    ns3::Ipv4Address peer;
};

/// Receiver-side completion: bytes delivered to the sinks, per flow (by sender address and
/// port), and the time the last one arrived.
struct Delivery {
    const std::vector<SimFlow>* flows = nullptr;
    std::vector<SimFlowResult>* results = nullptr;
    std::unordered_map<std::uint64_t, std::size_t> by_sender;
    std::size_t measured_left = 0;  ///< measured flows not finished
    double time_scale = 1.0;

    static std::uint64_t sender_key(ns3::Ipv4Address ip, std::uint16_t port) {
        return std::uint64_t{ip.Get()} << 16 | port;
    }

    void on_rx(Ptr<const ns3::Packet> packet, const ns3::Address& from, const ns3::Address&) {
        const auto sender = ns3::InetSocketAddress::ConvertFrom(from);
        const auto it = by_sender.find(sender_key(sender.GetIpv4(), sender.GetPort()));
        if (it == by_sender.end()) {
            return;
        }
        SimFlowResult& r = (*results)[it->second];
        r.bytes_received += packet->GetSize();
        const SimFlow& flow = (*flows)[it->second];
        if (r.finish_s < 0.0 && r.bytes_received >= flow.bytes) {
            r.finish_s = ns3::Simulator::Now().GetSeconds() / time_scale;
            if (flow.measured && --measured_left == 0) {
                ns3::Simulator::Stop();
            }
        }
    }
};

void check_input(const SimNetwork& network, const std::vector<SimFlow>& flows) {
    if (static_cast<std::size_t>(network.node_count) != network.node_drop_rate.size()) {
        throw std::invalid_argument("simulate: node_drop_rate must have node_count entries");
    }
    for (const SimLink& l : network.links) {
        if (l.a < 0 || l.b < 0 || l.a >= network.node_count || l.b >= network.node_count ||
            l.a == l.b || !(l.bps > 0.0)) {
            throw std::invalid_argument("simulate: bad link");
        }
    }
    for (const SimFlow& f : flows) {
        if (f.path.size() < 2 || f.bytes == 0) {
            throw std::invalid_argument("simulate: a flow needs a path of 2+ nodes and 1+ bytes");
        }
    }
}

}  // namespace

SimResult simulate(const SimNetwork& network, const std::vector<SimFlow>& flows,
                   const SimSettings& settings) {
    using namespace ns3;
    const auto wall_start = std::chrono::steady_clock::now();
    check_input(network, flows);
    const double f = settings.time_scale;
    ns3common::seed_rng(settings.seed, settings.run);
    ns3common::configure_tcp(settings.tcp, f);

    NodeContainer nodes;
    nodes.Create(static_cast<std::uint32_t>(network.node_count));
    InternetStackHelper().Install(nodes);
    SimResult result;
    std::vector<Ptr<FlowPathRouting>> routing;
    for (std::int32_t n = 0; n < network.node_count; ++n) {
        auto proto = CreateObject<FlowPathRouting>();
        proto->set_counter(&result.unrouted_packets);
        nodes.Get(static_cast<std::uint32_t>(n))->GetObject<Ipv4>()->SetRoutingProtocol(proto);
        routing.push_back(proto);
    }

    // Links, addresses, loss. A packet is dropped on the receiving device with the link's drop
    // rate and the receiving node's (a switch drops each packet it receives); pure ACKs are
    // never dropped (DataLossModel).
    std::map<std::pair<std::int32_t, std::int32_t>, Port> ports;
    std::vector<int> degree(static_cast<std::size_t>(network.node_count), 0);
    std::vector<Ipv4Address> host_address(static_cast<std::size_t>(network.node_count));
    Ipv4AddressHelper addresses("10.0.0.0", "255.255.255.252");
    std::int64_t stream = 1;
    for (const SimLink& l : network.links) {
        const ns3common::Link link = ns3common::connect(nodes.Get(static_cast<std::uint32_t>(l.a)),
                                                        nodes.Get(static_cast<std::uint32_t>(l.b)),
                                                        l.bps / f, l.delay_s * f, settings.tcp);
        const Ipv4InterfaceContainer ifc = addresses.Assign(link.devices);
        addresses.NewNetwork();
        const std::int32_t ends[2] = {l.a, l.b};
        for (int side = 0; side < 2; ++side) {
            const std::int32_t self = ends[side];
            const std::int32_t other = ends[1 - side];
            Ptr<NetDevice> device = link.devices.Get(static_cast<std::uint32_t>(side));
            const std::uint32_t interface = nodes.Get(static_cast<std::uint32_t>(self))
                                                ->GetObject<Ipv4>()
                                                ->GetInterfaceForDevice(device);
            const Ipv4Address peer = ifc.GetAddress(static_cast<std::uint32_t>(1 - side));
            ports[{self, other}] = Port{interface, peer};
            routing[static_cast<std::size_t>(self)]->add_peer(interface, peer);
            host_address[static_cast<std::size_t>(self)] =
                ifc.GetAddress(static_cast<std::uint32_t>(side));
            ++degree[static_cast<std::size_t>(self)];
            const double keep = (1.0 - l.drop_rate) *
                                (1.0 - network.node_drop_rate[static_cast<std::size_t>(self)]);
            if (keep < 1.0) {
                auto loss = CreateObject<DataLossModel>();
                loss->configure(1.0 - keep, stream++);
                device->SetAttribute("ReceiveErrorModel", PointerValue(loss));
            }
        }
    }

    // Flows: senders bound to a per-host port, routes along the path, sinks on every host.
    result.flows.assign(flows.size(), SimFlowResult{});
    Delivery delivery;
    delivery.flows = &flows;
    delivery.results = &result.flows;
    delivery.time_scale = f;
    std::vector<std::uint32_t> next_port(static_cast<std::size_t>(network.node_count), 10000);
    std::vector<char> has_sink(static_cast<std::size_t>(network.node_count), 0);
    const auto port_of = [&](std::int32_t a, std::int32_t b) -> const Port& {
        const auto it = ports.find({a, b});
        if (it == ports.end()) {
            throw std::invalid_argument("simulate: a flow path crosses a missing link " +
                                        std::to_string(a) + "-" + std::to_string(b));
        }
        return it->second;
    };
    for (std::size_t i = 0; i < flows.size(); ++i) {
        const SimFlow& flow = flows[i];
        const std::int32_t src = flow.path.front();
        const std::int32_t dst = flow.path.back();
        if (degree[static_cast<std::size_t>(src)] != 1 ||
            degree[static_cast<std::size_t>(dst)] != 1) {
            throw std::invalid_argument("simulate: flow ends must be hosts with one link");
        }
        const std::uint32_t sport = next_port[static_cast<std::size_t>(src)]++;
        if (sport > 65000) {
            throw std::invalid_argument("simulate: too many flows from one host");
        }
        const Ipv4Address sip = host_address[static_cast<std::size_t>(src)];
        const Ipv4Address dip = host_address[static_cast<std::size_t>(dst)];
        const FlowKey forward{sip.Get(), dip.Get(), static_cast<std::uint16_t>(sport),
                              ns3common::kDataPort};
        const FlowKey backward{dip.Get(), sip.Get(), ns3common::kDataPort,
                               static_cast<std::uint16_t>(sport)};
        for (std::size_t h = 0; h + 1 < flow.path.size(); ++h) {
            const Port& out = port_of(flow.path[h], flow.path[h + 1]);
            const Port& back = port_of(flow.path[h + 1], flow.path[h]);
            routing[static_cast<std::size_t>(flow.path[h])]->add_route(forward, out.interface);
            routing[static_cast<std::size_t>(flow.path[h + 1])]->add_route(backward,
                                                                           back.interface);
        }
        if (!has_sink[static_cast<std::size_t>(dst)]) {
            has_sink[static_cast<std::size_t>(dst)] = 1;
            ns3common::install_sink(nodes.Get(static_cast<std::uint32_t>(dst)))
                ->TraceConnectWithoutContext("RxWithAddresses",
                                             MakeCallback(&Delivery::on_rx, &delivery));
        }
        ns3common::install_bulk_sender(nodes.Get(static_cast<std::uint32_t>(src)), dip, flow.bytes,
                                       flow.start_s * f, settings.tcp.mss_bytes, sip,
                                       static_cast<std::uint16_t>(sport));
        delivery.by_sender[Delivery::sender_key(sip, static_cast<std::uint16_t>(sport))] = i;
        delivery.measured_left += flow.measured ? 1 : 0;
    }
    if (delivery.measured_left == 0) {
        Simulator::Stop();  // nothing to wait for
    }

    Simulator::Stop(Seconds(settings.horizon_s * f));
    Simulator::Run();  // until the last measured flow finishes (Delivery) or the horizon
    result.end_s = Simulator::Now().GetSeconds() / f;
    result.events = Simulator::GetEventCount();
    Simulator::Destroy();
    result.wall_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    return result;
}

}  // namespace swarm::truth
