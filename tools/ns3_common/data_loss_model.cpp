// See data_loss_model.h. Compiled as C++17 with the ns-3 headers.
#include "tools/ns3_common/data_loss_model.h"

namespace swarm::ns3common {
namespace {

/// A TCP segment with no payload and none of FIN, SYN, RST; `p` starts with the PPP header.
bool pure_ack(ns3::Ptr<ns3::Packet> p) {
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

}  // namespace

ns3::TypeId DataLossModel::GetTypeId() {
    static ns3::TypeId tid = ns3::TypeId("swarm::ns3common::DataLossModel")
                                 .SetParent<ns3::ErrorModel>()
                                 .SetGroupName("Network");
    return tid;
}

DataLossModel::DataLossModel() : uniform_(ns3::CreateObject<ns3::UniformRandomVariable>()) {}

void DataLossModel::configure(double rate, std::int64_t stream) {
    rate_ = rate;
    uniform_->SetStream(stream);
}

bool DataLossModel::DoCorrupt(ns3::Ptr<ns3::Packet> p) {
    return !pure_ack(p) && uniform_->GetValue() < rate_;
}

}  // namespace swarm::ns3common
