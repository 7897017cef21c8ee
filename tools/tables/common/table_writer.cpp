#include "tools/tables/common/table_writer.h"

#include <cmath>
#include <fstream>
#include <stdexcept>

namespace swarm::tables {

std::string format_number(double x, int precision) {
    if (std::isinf(x)) {
        return "inf";
    }
    std::ostringstream out;
    out.precision(precision);
    out << (x == 0.0 ? 0.0 : x);  // no "-0"
    return out.str();
}

std::string command_line_text(int argc, char** argv) {
    std::string text = std::filesystem::path(argv[0]).filename().string();
    for (int i = 1; i < argc; ++i) {
        text += std::string(" ") + argv[i];
    }
    return text;
}

void TableFile::add_row(const std::vector<double>& coords, const std::vector<double>& values) {
    for (const double c : coords) {
        rows << format_number(c, 12) << '\t';
    }
    for (std::size_t i = 0; i < values.size(); ++i) {
        rows << (i ? "\t" : "") << format_number(values[i]);
    }
    rows << '\n';
}

namespace {

std::string levels_text(const std::vector<double>& levels, const std::string& prefix,
                        const std::string& separator) {
    std::string text;
    for (const double level : levels) {
        text += (text.empty() ? "" : separator) + prefix + format_number(level);
    }
    return text;
}

}  // namespace

void write_table_file(const std::filesystem::path& file, const TableFile& table) {
    const std::filesystem::path temporary = file.string() + ".tmp";
    {
        std::ofstream out(temporary);
        out << "# swarm-table: " << table.kind << "\n# version: 1\n";
        for (const auto& source : table.sources) {
            out << "# source: " << source << '\n';
        }
        for (const auto& [key, value] : table.provenance) {
            out << "# " << key << ": " << value << '\n';
        }
        std::string axes;
        for (const auto& axis : table.axes) {
            axes += (axes.empty() ? "" : " ") + axis;
        }
        out << "# axes: " << axes << "\n# value: " << table.value
            << "\n# quantiles: " << levels_text(table.levels, "", " ")
            << "\n# mss_bytes: " << format_number(table.mss_bytes)
            << "\n# mtu_bytes: " << format_number(table.mtu_bytes) << '\n';
        for (const auto& axis : table.axes) {
            out << axis << '\t';
        }
        out << levels_text(table.levels, "q", "\t") << '\n' << table.rows.str();
        if (!out) {
            throw std::runtime_error(temporary.string() + ": write failed");
        }
    }
    std::filesystem::rename(temporary, file);
}

}  // namespace swarm::tables
