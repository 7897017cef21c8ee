// Writing measured tables in the loader's format (docs/tables.md, "File format (version 1)"),
// and the statistics that turn repetitions into a quantile row.
#pragma once

#include <filesystem>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace swarm::ns3tables {

/// Hyndman-Fan type 7 empirical quantiles (as the analytic generator). +inf samples are
/// allowed; a level whose interpolation touches an inf sample is inf.
std::vector<double> quantiles(std::vector<double> samples, const std::vector<double>& levels);

/// Quantiles of the equal-weight mixture of several runs' distributions, each given by its
/// quantiles at `run_levels` (a piecewise-linear quantile function). Pools the probes of all
/// repetitions of a queueing point without storing every probe.
std::vector<double> pooled_quantiles(const std::vector<std::vector<double>>& run_quantiles,
                                     const std::vector<double>& run_levels,
                                     const std::vector<double>& levels);

/// DKW bound: with probability `confidence` the empirical CDF of n i.i.d. samples is within
/// eps = sqrt(ln(2 / (1 - confidence)) / (2 n)) of the true CDF everywhere.
double dkw_epsilon(int n, double confidence);

std::string num(double x, int precision = 6);

/// One table file: header fields, then rows (with optional '#' comment lines between them).
struct TableText {
    TableText(std::string kind_, std::vector<std::string> axes_, std::string value_,
              std::vector<double> levels_)
        : kind(std::move(kind_)),
          axes(std::move(axes_)),
          value(std::move(value_)),
          levels(std::move(levels_)) {}

    std::string kind;
    std::vector<std::string> sources;
    std::vector<std::pair<std::string, std::string>> provenance;  // extra "key: value" lines
    std::vector<std::string> axes;
    std::string value;
    std::vector<double> levels;
    double mss_bytes = 1448;
    double mtu_bytes = 1500;
    std::ostringstream rows;

    void add_row(const std::vector<double>& coords, const std::vector<double>& values);
    void add_comment(const std::string& text) { rows << "# " << text << '\n'; }
};

void write_table(const std::filesystem::path& file, const TableText& table);

}  // namespace swarm::ns3tables
