// Writing transport table files in the loader's format (docs/tables.md, "File format
// (version 1)"). Shared by the table generators: tools/tables/analytic and tools/tables/ns3.
#pragma once

#include <filesystem>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace swarm::tables {

/// `x` as table files print numbers: `precision` significant digits in std::ostream's default
/// notation (1e-06, 0.25, 1.927e+10), "inf" for +infinity, and "0" for -0.
std::string format_number(double x, int precision = 6);

/// The command line recorded in a table's `command` header field: the program's file name
/// (not its path, so the field does not depend on the build directory) and the arguments.
std::string command_line_text(int argc, char** argv);

/// One table file being assembled: its header fields and, as text, its rows with optional '#'
/// comment lines between them. write_table_file writes it.
struct TableFile {
    TableFile(std::string kind_, std::vector<std::string> axes_, std::string value_,
              std::vector<double> levels_)
        : kind(std::move(kind_)),
          axes(std::move(axes_)),
          value(std::move(value_)),
          levels(std::move(levels_)) {}

    std::string kind;  // `swarm-table`: loss_limited_throughput, short_flow_rtts, queueing_delay
    std::vector<std::string> sources;                             // one `source` line each
    std::vector<std::pair<std::string, std::string>> provenance;  // extra "key: value" lines
    std::vector<std::string> axes;
    std::string value;
    std::vector<double> levels;  // the quantile levels, one value column each
    double mss_bytes = 1448;
    double mtu_bytes = 1500;
    std::ostringstream rows;

    /// One grid point: its coordinates (12 significant digits) and its value at each level.
    /// PRECONDITION: coords.size() == axes.size(), values.size() == levels.size().
    void add_row(const std::vector<double>& coords, const std::vector<double>& values);
    void add_comment(const std::string& text) { rows << "# " << text << '\n'; }
};

/// Writes `table` to `file`: the header, the column header row, the rows. Writes a temporary
/// file first and renames it, so a reader never sees a half-written table. Throws
/// std::runtime_error when the write fails.
void write_table_file(const std::filesystem::path& file, const TableFile& table);

}  // namespace swarm::tables
