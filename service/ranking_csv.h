// `swarm rank --format csv`: a Ranking as RFC 4180 CSV, one row per candidate and metric (and the
// healthy network's rows), ready for pandas.read_csv. Columns and units: docs/api.md#csv.
#pragma once

#include <string>

#include "estimator/diagnosis.h"
#include "swarm/incident.h"
#include "swarm/ranking.h"

namespace swarm::cli {

/// The CSV header line (with its newline).
std::string csv_header();
/// The rows of one ranking (without the header); values in SI units (bit/s, s), full precision.
std::string render_csv_rows(const Ranking& ranking);
/// Header and rows: a whole CSV document for one ranking.
std::string render_csv(const Ranking& ranking);
/// "table", "json" or "csv" output of one ranking, as `swarm rank --format` prints it; the
/// table and the JSON carry each candidate's explanation (ranking_explanation.h).
std::string render_ranking(const Incident& incident, const Ranking& ranking,
                           const std::vector<CandidateDiagnosis>& diagnoses,
                           const std::string& format, bool pretty_json);
/// The file extension a --format writes under --out: ".txt", ".json", ".csv".
std::string format_extension(const std::string& format);

}  // namespace swarm::cli
