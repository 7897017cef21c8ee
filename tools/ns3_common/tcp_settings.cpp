#include "tools/ns3_common/tcp_settings.h"

#include <stdexcept>

namespace swarm::ns3common {

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

}  // namespace swarm::ns3common
