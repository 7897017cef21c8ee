// `swarm serve`: the REST service until SIGTERM or SIGINT, then a graceful stop (stop
// accepting, let running jobs finish for --grace seconds, re-queue the rest in the database).
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <string>

#include "service/service_app.h"

namespace swarm::cli {

struct ServeArguments {
    service::ServeConfig config;
    std::string token_file;
    std::string data_dir;
    std::string tables;
    double grace_s = 30.0;
    long job_time_limit_s = 600;
    std::size_t job_memory_mb = 4096;
    long retention_s = 7 * 24 * 3600;
    long network_store_mb = 256;
};

/// The `serve` subcommand and its options, filling `args`.
CLI::App* add_serve_command(CLI::App& app, ServeArguments& args, const std::string& tables_help);

int run_serve(ServeArguments args);

}  // namespace swarm::cli
