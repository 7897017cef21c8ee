// The congestion tables of a measured set (issue 13, docs/tables.md "Congestion"): the
// queueing experiment of Appendix B (Fig. 1(b)) with the egress buffer as a grid axis, run at
// and below saturation, recording per (utilisation, buffer, competing long flows):
//   congestion_loss.tsv   the port's drop-tail loss rate (quantiles over repetitions);
//   congestion_queue.tsv  the FIFO wait, in packet times (quantiles over pooled probes);
//   rate_spread.tsv       each long flow's rate / the fair share (quantiles over pooled flows).
#pragma once

#include <filesystem>

#include "tools/tables/ns3/generate.h"

namespace swarm::ns3tables {

/// Runs (or takes from the cache) every congestion run for `cc` and writes the three files into
/// <out_dir>/ns3-<cc>/, then loads the set back with TransportTables::load as a self-check.
void generate_congestion_tables(CongestionControl cc, const GenerateOptions& options,
                                ResultCache& cache);

}  // namespace swarm::ns3tables
