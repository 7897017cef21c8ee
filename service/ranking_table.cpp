#include "service/ranking_table.h"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace swarm::cli {

namespace {

std::string printf_string(const char* format, double value, const char* unit) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, format, value, unit);
    return buffer;
}

std::string format_value(const Metric& metric, double value) {
    if (!std::isfinite(value)) return "-";
    return metric.quantity == Metric::Quantity::Throughput ? format_rate(value)
                                                           : format_duration(value);
}

std::string pad(const std::string& text, std::size_t width) {
    return text.size() >= width ? text + " " : text + std::string(width - text.size(), ' ');
}

std::string metric_cell(const Metric& metric, const MetricEstimate& e) {
    std::string cell = format_value(metric, e.estimate);
    if (std::isfinite(e.estimate) && std::isfinite(e.ci_high) && e.ci_high > e.ci_low) {
        const double half = (e.ci_high - e.ci_low) / 2.0;
        const double percent = e.estimate != 0.0 ? 100.0 * half / std::abs(e.estimate) : 0.0;
        cell += printf_string(" ±%.1f%s", percent, "%");
    }
    return cell;
}

}  // namespace

std::string format_rate(double bps) {
    if (bps >= 1e9) return printf_string("%.3g %s", bps / 1e9, "Gbps");
    if (bps >= 1e6) return printf_string("%.3g %s", bps / 1e6, "Mbps");
    if (bps >= 1e3) return printf_string("%.3g %s", bps / 1e3, "Kbps");
    return printf_string("%.3g %s", bps, "bps");
}

std::string format_duration(double seconds) {
    if (seconds >= 1.0) return printf_string("%.3g %s", seconds, "s");
    if (seconds >= 1e-3) return printf_string("%.3g %s", seconds * 1e3, "ms");
    return printf_string("%.3g %s", seconds * 1e6, "us");
}

std::string render_table(const Ranking& ranking) {
    std::ostringstream out;
    out << "incident " << ranking.incident << ": " << ranking.traffic_samples << " traffic x "
        << ranking.routing_samples << " routing samples (DKW eps "
        << printf_string("%.3f%s", ranking.dkw_epsilon, "") << " at " << ranking.confidence * 100
        << "%), tables " << ranking.tables << ", "
        << printf_string("%.2f %s", ranking.elapsed_s, "s") << "\n\n";
    std::size_t name_width = 10;
    for (const auto& c : ranking.ranking) name_width = std::max(name_width, c.candidate.size() + 2);
    const auto& metrics = ranking.healthy;
    out << pad("rank", 6) << pad("candidate", name_width);
    for (const auto& [m, e] : metrics) out << pad(m.name(), 22);
    out << "\n";
    for (const CandidateResult& c : ranking.ranking) {
        out << pad(std::to_string(c.rank), 6) << pad(c.candidate, name_width);
        if (!c.connected) {
            out << "not ranked: " << c.reason << "\n";
            continue;
        }
        for (const auto& [m, e] : c.metrics) out << pad(metric_cell(m, e), 22);
        out << "\n";
        if (!c.side_metrics.empty()) {
            // A mitigation model's cost, beside its CLP (docs/models/).
            out << pad("", 6) << pad("", name_width) << "costs:";
            for (const auto& [name, value] : c.side_metrics)
                out << " " << name << "=" << printf_string("%.4g%s", value, "");
            out << "\n";
        }
    }
    out << pad("", 6) << pad("(healthy)", name_width);
    for (const auto& [m, e] : metrics) out << pad(metric_cell(m, e), 22);
    out << "\n\n± is the half-width of the confidence interval, relative to the estimate.\n";
    return out.str();
}

}  // namespace swarm::cli
