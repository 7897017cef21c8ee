// The window-limited progress of a long flow (issue 13; docs/model.md "Long flows: finite
// size"). SWARM's Appendix A.2 bounds a flow by a virtual edge at its drop-limited rate and notes
// that "the same method" models "congestion control rate limits in the first few epochs of each
// flow ... where the protocol's congestion window limits a flow's rate". This is that limit,
// measured rather than assumed: the round trips a loss-free flow of each size needs when only
// its window limits it (long_flow_window.tsv, ns-3, one flow on a link that never binds), read
// as a curve "bytes delivered after n round trips" at the flow's round-trip time.
#pragma once

#include <filesystem>
#include <vector>

#include "estimator/transport_tables.h"

namespace swarm {

class LongFlowWindow {
   public:
    /// Axes size_bytes (log), rtt_us (log); value rtts (handshake included: FCT / RTT).
    static QuantileGrid::Spec spec();
    static LongFlowWindow load(const std::filesystem::path& file);
    /// PRECONDITION: the grid has spec()'s axes and its median rounds grow with the size.
    explicit LongFlowWindow(QuantileGrid grid);

    /// Round trips after the handshake that a window-limited flow needs to deliver `bytes`, at
    /// round-trip time `rtt_s`: the curve through (0, 0) and the table's (median − 1, size),
    /// linear between sizes and beyond the largest (its last slope), blended in log RTT.
    double rounds(double bytes, double rtt_s) const;
    /// The inverse: bytes delivered `rounds` round trips after the handshake.
    double bytes(double rounds, double rtt_s) const;
    /// The average rate (bits/s) the window allows a flow that has delivered `delivered` of its
    /// `size` bytes over the next `horizon_s` at round-trip time `rtt_s` (propagation plus
    /// queueing), or until it would finish if that comes first: the flow's virtual edge for one
    /// epoch. Its position on the curve is set by the bytes delivered (slow start grows the
    /// window per acknowledged byte, whatever rate the network gave it).
    double cap_bps(double delivered, double size, double rtt_s, double horizon_s) const;
    /// Bytes the window holds at that position: what the next round trip delivers (at most
    /// the rest of the flow). A FIFO shared by window-limited flows holds at most their windows
    /// beyond the bandwidth-delay product, and each flow's packets in it in proportion.
    double window_bytes(double delivered, double size, double rtt_s) const;
    const QuantileGrid& grid() const { return grid_; }

   private:
    /// The curve at one RTT: round counts blended between the two bracketing RTT points.
    struct Curve {
        const std::vector<double>* lower;
        const std::vector<double>* upper;
        double weight;
        double at(std::size_t i) const {
            return (1.0 - weight) * (*lower)[i] + weight * (*upper)[i];
        }
    };
    Curve curve(double rtt_s) const;
    double rounds_on(const Curve& curve, double bytes) const;
    double bytes_on(const Curve& curve, double n) const;

    QuantileGrid grid_;
    std::vector<double> sizes_;                ///< curve points' bytes: 0, then the size axis
    std::vector<std::vector<double>> rounds_;  ///< per RTT axis point: rounds at sizes_
    std::vector<double> log_rtts_;
};

}  // namespace swarm
