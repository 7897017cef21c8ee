// The work one ranking may ask for (issue 12): checked before a job is accepted, from the
// incident alone, so that a typo such as "duration_s": 1e300 is a clear error instead of a
// machine out of memory. Time is bounded separately, while the job runs (RankOptions::deadline).
// Defaults: docs/incident-format.md, "Limits"; every limit is configurable (`swarm rank` and
// `swarm serve` options --max-servers ... --max-memory-gb).
#pragma once

#include <stdexcept>
#include <string>

namespace swarm {

struct WorkBudget {
    /// Servers in the topology (the paper's largest is 16K servers, Table A.1 "large").
    double max_servers = 100'000;
    /// Links, server links included.
    double max_links = 1'000'000;
    /// Flows one traffic sample holds: arrival_rate_per_server x servers x duration_s.
    double max_flows_per_sample = 20'000'000;
    /// Epochs one sample may step through: 2 x duration_s (the censoring horizon) / epoch_ms.
    double max_epochs_per_sample = 10'000'000;
    /// Traffic samples x routing samples (each run for the healthy network and every candidate).
    double max_samples = 100'000;
    /// Peak memory, estimated up front (estimate_memory_bytes()).
    double max_memory_bytes = 8e9;
};

}  // namespace swarm
