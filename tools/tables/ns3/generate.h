// Regenerating one measured table set (one congestion control) from ns-3 runs: the jobs of the
// three Appendix B experiments, their parallel execution (runner.h), and the assembly of the
// three table files with their provenance.
#pragma once

#include <filesystem>
#include <string>

#include "tools/tables/common/table_writer.h"
#include "tools/tables/ns3/experiments.h"
#include "tools/tables/ns3/grid.h"
#include "tools/tables/ns3/runner.h"

namespace swarm::ns3tables {

struct GenerateOptions {
    GridSpec grid;
    std::filesystem::path out_dir;  // the set is written to out_dir / ("ns3-" + cc)
    int parallel = 2;
    std::string command;  // the command line, for provenance
};

/// Runs (or takes from the cache) every repetition of every grid point for `cc`, writes
/// <out_dir>/ns3-<cc>/{loss_limited_throughput,short_flow_rtts,queueing_delay}.tsv and loads
/// them back with TransportTables::load as a self-check. Returns the set's directory.
std::filesystem::path generate_table_set(CongestionControl cc, const GenerateOptions& options,
                                         ResultCache& cache);

/// The TCP and switch settings every table set is measured with (only cc differs).
TcpSettings table_tcp_settings(CongestionControl cc);

/// The provenance every measured table file records: MSS/MTU, generator (`what`: which grid or
/// experiment), command line, simulator, congestion control, TCP and switch settings.
void add_setting_provenance(tables::TableFile& t, CongestionControl cc, const std::string& what,
                            const std::string& command);

}  // namespace swarm::ns3tables
