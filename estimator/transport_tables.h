// The three empirical transport tables of SWARM §3.3 and Appendix B, loaded from data/tables/.
// Each table maps a grid of network conditions to a distribution (a row of quantiles); lookups
// interpolate across the grid and between quantiles, so a uniform draw u gives a sample.
//
// File format (one table per file, text): '#'-comment header lines with "key: value" pairs
// (swarm-table, version, source, axes, value, quantiles, mss_bytes, mtu_bytes), then a header
// row naming the axes and quantile columns, then one row per grid point. See docs/tables.md.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "estimator/quantile_grid.h"

namespace swarm {

/// Throughput (bits/s) a long flow reaches when only packet loss limits it (§3.3, App. B).
class LossLimitedThroughputTable {
   public:
    explicit LossLimitedThroughputTable(QuantileGrid grid) : grid_(std::move(grid)) {}
    /// Axes drop_rate (log, 0 allowed), rtt_us (log); value throughput_bps, inf allowed.
    static QuantileGrid::Spec spec();
    /// +infinity where the table says loss does not limit (drop rate 0).
    double sample_bps(double drop_rate, double rtt_s, double u) const;
    const QuantileGrid& grid() const { return grid_; }

   private:
    QuantileGrid grid_;
};

/// Number of RTTs a short flow needs to finish (§3.3, App. B): size x drop rate x RTT.
class ShortFlowRttTable {
   public:
    explicit ShortFlowRttTable(QuantileGrid grid) : grid_(std::move(grid)) {}
    /// Axes size_bytes (log), drop_rate (log, 0 allowed), rtt_us (log); value rtts.
    static QuantileGrid::Spec spec();
    /// The same axes and value for the body of the FCT model (short_flow_fct.h): RTT counts of
    /// flows that had no retransmission timeout, kind "short_flow_body".
    static QuantileGrid::Spec body_spec();
    double sample_rtts(double size_bytes, double drop_rate, double rtt_s, double u) const;
    /// The largest size measured (lookups clamp beyond it).
    double max_size_bytes() const { return grid_.axes().front().points.back(); }
    const QuantileGrid& grid() const { return grid_; }

   private:
    QuantileGrid grid_;
};

/// Queueing delay on one link, in packet transmission times (MTU / link rate), for a link at
/// a utilisation in [0, 1] shared with a number of long flows (§3.3, App. B, Fig. 1(b)).
/// Packet units make the table independent of the link rate.
class QueueingDelayTable {
   public:
    explicit QueueingDelayTable(QuantileGrid grid) : grid_(std::move(grid)) {}
    /// Axes utilization (linear), competing_flows (log, 0 allowed); value packets.
    static QuantileGrid::Spec spec();
    double sample_packets(double utilization, double competing_flows, double u) const;
    const QuantileGrid& grid() const { return grid_; }

   private:
    QuantileGrid grid_;
};

class CongestionTables;
class LongFlowWindow;

/// One table set (one congestion control, one MSS): the three tables and their provenance.
struct TransportTables {
    std::string name;  ///< directory name, e.g. "analytic-reno"
    LossLimitedThroughputTable loss_limited;
    ShortFlowRttTable short_flow_rtts;
    QueueingDelayTable queueing;
    double mss_bytes = 1448.0;  ///< payload per packet, from the tables' headers
    double mtu_bytes = 1500.0;  ///< bytes on the wire per full packet
    /// The body of the short-flow FCT model, when the set has one (short_flow_body.tsv, the
    /// measured sets): short flows then take body + timeouts (short_flow_fct.h) instead of a
    /// draw from short_flow_rtts, whose tail mixes in timeouts at the rate of its few runs.
    std::optional<ShortFlowRttTable> short_flow_body;
    /// The optional congestion tables (congestion_tables.h); null when the set has none.
    std::shared_ptr<const CongestionTables> congestion;
    /// The optional long-flow window curve (long_flow_window.h, long_flow_window.tsv); null
    /// when the set has none. With it, a long flow's rate is also capped by what its window
    /// allows at its round-trip time including queueing (docs/model.md "Long flows: finite
    /// size").
    std::shared_ptr<const LongFlowWindow> long_flow_window;

    /// Loads <dir>/loss_limited_throughput.tsv, short_flow_rtts.tsv, queueing_delay.tsv and,
    /// if present, short_flow_body.tsv, the congestion tables and long_flow_window.tsv.
    /// Throws std::runtime_error naming the file and line on any problem (including the three
    /// files disagreeing on mss_bytes or mtu_bytes).
    static TransportTables load(const std::filesystem::path& dir);
};

}  // namespace swarm
