// The long-flow window curve of a measured set (docs/tables.md "Long-flow window curve"): the
// Appendix B short-flow experiment (one flow, one lossless link fast enough that capacity never
// binds) extended to the long flows' sizes, 150 KB to 30 MB. It holds the number of round trips
// a flow of a given size needs when only its congestion window limits it (slow start, HyStart's
// exit and the congestion-avoidance growth after it), which the estimator turns into a
// window-limited rate cap per epoch (docs/model.md "Long flows: finite size").
#pragma once

#include "tools/tables/ns3/generate.h"

namespace swarm::ns3tables {

/// Runs (or takes from the cache) every run and writes <out_dir>/ns3-<cc>/long_flow_window.tsv,
/// then loads it back with the estimator's loader as a self-check.
void generate_long_window_table(CongestionControl cc, const GenerateOptions& options,
                                ResultCache& cache);

/// Single-switch validation (issue 13): a flow of a given size joins n bulk flows at a saturated
/// drop-tail port (run_probe_flow); prints, as a markdown table, its measured FCT against the
/// window-limited model (the curve of `window_file` at the RTT including the measured queue,
/// capped at the fair share) and against the fluid share alone.
void validate_long_window(CongestionControl cc, const GenerateOptions& options, ResultCache& cache,
                          const std::filesystem::path& window_file);

}  // namespace swarm::ns3tables
