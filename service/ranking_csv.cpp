#include "service/ranking_csv.h"

#include <charconv>
#include <cmath>
#include <sstream>

#include "estimator/helper/ranking_json.h"
#include "service/ranking_explanation.h"
#include "service/ranking_table.h"

namespace swarm::cli {
namespace {

/// RFC 4180: quote a field holding a comma, quote or line break; double embedded quotes.
std::string field(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string out = "\"";
    for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

/// Shortest text that reads back to the same double; empty for NaN (a missing value to pandas).
std::string number(double value) {
    if (!std::isfinite(value)) return "";
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

const char* unit_of(const Metric& metric) {
    return metric.quantity == Metric::Quantity::Throughput ? "bit/s" : "s";
}

void row(std::ostringstream& out, const Ranking& ranking, const std::string& candidate,
         const std::string& rank, const std::string& connected, const std::string& metric,
         const std::string& unit, const MetricEstimate* e) {
    out << field(ranking.incident) << ',' << field(candidate) << ',' << rank << ',' << connected
        << ',' << field(metric) << ',' << unit << ',';
    if (e != nullptr) {
        out << number(e->estimate) << ',' << number(e->ci_low) << ',' << number(e->ci_high) << ','
            << e->samples;
    } else {
        out << ",,,";
    }
    out << "\r\n";
}

}  // namespace

std::string csv_header() {
    return "incident,candidate,rank,connected,metric,unit,estimate,ci_low,ci_high,samples\r\n";
}

std::string render_csv_rows(const Ranking& ranking) {
    std::ostringstream out;
    for (const CandidateResult& c : ranking.ranking) {
        const std::string rank = std::to_string(c.rank);
        if (!c.connected) {
            // Not estimated: one row per metric with empty values, so every candidate appears.
            for (const auto& [metric, healthy] : ranking.healthy) {
                row(out, ranking, c.candidate, rank, "false", metric.name(), unit_of(metric),
                    nullptr);
            }
            continue;
        }
        for (const auto& [metric, e] : c.metrics) {
            row(out, ranking, c.candidate, rank, "true", metric.name(), unit_of(metric), &e);
        }
        for (const auto& [name, value] : c.side_metrics) {
            // A model's cost (docs/models/): an average without an interval.
            out << field(ranking.incident) << ',' << field(c.candidate) << ',' << rank << ",true,"
                << field(name) << ",," << number(value) << ",,,\r\n";
        }
    }
    for (const auto& [metric, e] : ranking.healthy) {
        row(out, ranking, "(healthy)", "", "true", metric.name(), unit_of(metric), &e);
    }
    return out.str();
}

std::string render_csv(const Ranking& ranking) { return csv_header() + render_csv_rows(ranking); }

std::string render_ranking(const Incident& incident, const Ranking& ranking,
                           const std::vector<CandidateDiagnosis>& diagnoses,
                           const std::string& format, bool pretty_json) {
    if (format == "json") {
        return service::explained_json(incident, ranking, diagnoses).dump(pretty_json ? 2 : -1) +
               "\n";
    }
    if (format == "csv") return render_csv(ranking);
    const std::string table = render_table(ranking);
    const std::string why = service::explanation_lines(incident, ranking, diagnoses);
    return why.empty() ? table : table + "\n" + why;
}

std::string format_extension(const std::string& format) {
    if (format == "json") return ".json";
    if (format == "csv") return ".csv";
    return ".txt";
}

}  // namespace swarm::cli
