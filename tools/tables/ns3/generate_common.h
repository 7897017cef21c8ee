// Helpers the table assemblies share (generate.cpp: the three Appendix B tables; congestion.cpp:
// the congestion tables): result encoding in the cache, cache-key prefixes, the per-run
// quantile levels of queue probes, the provenance every generated file carries, and the
// quantile and table-writing helpers (tools/tables/common/) by their short names.
#pragma once

#include <string>
#include <vector>

#include "tools/tables/common/quantiles.h"
#include "tools/tables/common/table_writer.h"
#include "tools/tables/ns3/generate.h"

namespace swarm::ns3tables {

using tables::empirical_quantiles;
using tables::format_number;
using tables::pooled_quantiles;
using tables::TableFile;
using tables::write_table_file;

/// Per-run quantile levels of the probe samples kept for pooling: every 0.5% and the tail.
std::vector<double> run_levels();
/// A cached result: numbers separated by spaces (10 significant digits), "inf" allowed.
std::string encode(const std::vector<double>& values);
std::vector<double> decode(const std::string& text);
/// "<kind>|<cc>|<every TCP and switch setting>|seed=<s>": the start of every cache key, so
/// changing a setting never reuses stale runs.
std::string prefix(const char* kind, CongestionControl cc, const GridSpec& g);
std::string prefix(const char* kind, const TcpSettings& tcp, const GridSpec& g);
/// Generator, command, simulator, CC, TCP, switch, seeds and repetitions provenance lines.
void add_common(tables::TableFile& t, CongestionControl cc, const GenerateOptions& o);

}  // namespace swarm::ns3tables
