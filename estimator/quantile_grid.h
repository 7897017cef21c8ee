// The quantile grid behind every transport table (SWARM §3.3 and Appendix B): a grid of network
// conditions whose cells hold a distribution (a row of quantiles), read from one text table
// file (docs/tables.md) and sampled by multilinear interpolation across the grid and linear
// interpolation between quantiles.
#pragma once

#include <cstddef>
#include <filesystem>
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

/// Reads and parses one table file; errors name the file and line.
QuantileGrid load_table_grid(const std::filesystem::path& file, const QuantileGrid::Spec& spec);
/// Throws std::runtime_error naming `other_file` when its mss_bytes or mtu_bytes differ from
/// `reference`'s (read from `reference_file`).
void check_same_packet_sizes(const QuantileGrid& reference,
                             const std::filesystem::path& reference_file, const QuantileGrid& other,
                             const std::filesystem::path& other_file);

}  // namespace swarm
