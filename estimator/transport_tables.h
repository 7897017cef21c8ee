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

namespace swarm {

/// A full Cartesian grid over N (1..4) axes whose cells hold quantile vectors. Axes interpolate
/// linearly or in log10 space (a 0 on a log axis stands for `log_floor`).
class QuantileGrid {
   public:
    struct Axis {
        std::string name;
        bool log_scale = false;
        double log_floor = 1e-9;
        std::vector<double> points;  ///< strictly increasing; filled from the file by parse()
    };

    /// What a table file must declare and how its values interpolate: one per table kind.
    struct Spec {
        std::string kind;         ///< the "swarm-table:" header, e.g. "loss_limited_throughput"
        std::string value;        ///< the "value:" header, e.g. "throughput_bps"
        std::vector<Axis> axes;   ///< names and scales, in the order the file must give them
        bool log_values = false;  ///< interpolate log(value) across the grid (values > 0)
        bool allow_inf = false;   ///< "inf" cells allowed (e.g. "not loss-limited")
    };

    /// Parses the text of a table file. Throws std::runtime_error naming `source_name`, the line
    /// and what is wrong.
    static QuantileGrid parse(std::string_view text, std::string_view source_name,
                              const Spec& spec);

    /// Sample at coordinates (one per axis, clamped to the grid) for a uniform draw u in [0, 1].
    /// No allocation; O(log) per axis.
    double sample(const double* coords, double u) const;
    /// The median at coordinates: the table's point estimate.
    double median(const double* coords) const { return sample(coords, 0.5); }

    const std::vector<Axis>& axes() const { return axes_; }
    const std::vector<double>& quantile_levels() const { return levels_; }
    /// The "source:" header lines, joined by newlines: where the numbers came from.
    const std::string& provenance() const { return provenance_; }
    double mss_bytes() const { return mss_bytes_; }
    double mtu_bytes() const { return mtu_bytes_; }
    /// Lines of the "mss_bytes:" / "mtu_bytes:" headers, for cross-file consistency errors.
    std::size_t mss_line() const { return mss_line_; }
    std::size_t mtu_line() const { return mtu_line_; }

   private:
    struct Bracket;  // where a coordinate falls on one axis
    Bracket locate(std::size_t axis, double coord) const;
    double cell_value(std::size_t offset, std::size_t level, double level_weight) const;

    std::vector<Axis> axes_;
    std::vector<std::vector<double>> scaled_;  ///< axis points in interpolation scale
    std::vector<std::size_t> strides_;         ///< cell-index stride per axis
    std::vector<double> levels_;               ///< quantile levels, increasing in [0, 1]
    std::vector<double> values_;               ///< row-major over axes, then levels
    std::string provenance_;
    double mss_bytes_ = 0.0;
    double mtu_bytes_ = 0.0;
    std::size_t mss_line_ = 0;
    std::size_t mtu_line_ = 0;
    bool log_values_ = false;
};

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

/// Reads and parses one table file; errors name the file and line.
QuantileGrid load_table_grid(const std::filesystem::path& file, const QuantileGrid::Spec& spec);
/// Throws std::runtime_error naming `other_file` when its mss_bytes or mtu_bytes differ from
/// `reference`'s (read from `reference_file`).
void check_same_packet_sizes(const QuantileGrid& reference,
                             const std::filesystem::path& reference_file, const QuantileGrid& other,
                             const std::filesystem::path& other_file);

}  // namespace swarm
