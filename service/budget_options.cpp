#include "service/budget_options.h"

namespace swarm::cli {

void add_budget_options(CLI::App& command, WorkBudget& budget) {
    const std::string group =
        "Work budget (an incident over it is refused; docs/incident-format.md#limits)";
    command.add_option("--max-servers", budget.max_servers, "Servers in the topology")
        ->check(CLI::PositiveNumber)
        ->capture_default_str()
        ->group(group);
    command
        .add_option("--max-links", budget.max_links, "Links in the topology, server links included")
        ->check(CLI::PositiveNumber)
        ->capture_default_str()
        ->group(group);
    command
        .add_option("--max-flows-per-sample", budget.max_flows_per_sample,
                    "arrival_rate_per_server x servers x duration_s")
        ->check(CLI::PositiveNumber)
        ->capture_default_str()
        ->group(group);
    command
        .add_option("--max-epochs-per-sample", budget.max_epochs_per_sample,
                    "2 x duration_s / epoch_ms")
        ->check(CLI::PositiveNumber)
        ->capture_default_str()
        ->group(group);
    command.add_option("--max-samples", budget.max_samples, "Traffic x routing samples")
        ->check(CLI::PositiveNumber)
        ->capture_default_str()
        ->group(group);
    command
        .add_option_function<double>(
            "--max-memory-gb", [&budget](double gb) { budget.max_memory_bytes = gb * 1e9; },
            "Peak memory estimated from the incident before it runs (default " +
                std::to_string(static_cast<int>(budget.max_memory_bytes / 1e9)) + ")")
        ->check(CLI::PositiveNumber)
        ->group(group);
}

}  // namespace swarm::cli
