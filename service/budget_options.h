// The work-budget options `swarm rank` and `swarm serve` share (include/swarm/budget.h).
#pragma once

#include <CLI/CLI.hpp>

#include "swarm/budget.h"

namespace swarm::cli {

/// --max-servers, --max-links, --max-flows-per-sample, --max-epochs-per-sample, --max-samples,
/// --max-memory-gb, each defaulting to WorkBudget's value and writing into `budget`.
void add_budget_options(CLI::App& command, WorkBudget& budget);

}  // namespace swarm::cli
