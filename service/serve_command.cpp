#include "service/serve_command.h"

#include <pthread.h>
#include <signal.h>

#include <cmath>
#include <ctime>
#include <iostream>

#include "service/bearer_auth.h"
#include "service/data_paths.h"

namespace swarm::cli {

CLI::App* add_serve_command(CLI::App& app, ServeArguments& args, const std::string& tables_help) {
    service::ServeConfig& serve = args.config;
    CLI::App* cmd = app.add_subcommand("serve",
                                       "Serve the REST API (docs/api.md) until SIGTERM; jobs and "
                                       "results persist in an SQLite database");
    cmd->add_option("--host", serve.http.host, "Address to bind; 127.0.0.1 keeps the service local")
        ->capture_default_str();
    cmd->add_option("--port", serve.http.port, "TCP port (0 = any free port)")
        ->check(CLI::Range(0, 65535))
        ->capture_default_str();
    cmd->add_option("--health-port", serve.http.health_port,
                    "Also serve /healthz and /readyz on this port, with threads of their own that "
                    "busy or slow clients of --port cannot occupy (0 = any free port)")
        ->check(CLI::Range(0, 65535));
    cmd->add_option("--db", serve.jobs.db_path,
                    "SQLite database of jobs and results (created if absent; one server per file)")
        ->capture_default_str();
    cmd->add_option("--token-file", args.token_file,
                    "Require 'Authorization: Bearer <token>' with the token in this file "
                    "(default: $SWARM_API_TOKEN if set, else no auth); /healthz and /readyz stay "
                    "open");
    add_data_dir_option(*cmd, args.data_dir);
    cmd->add_option("--tables", args.tables, tables_help);
    cmd->add_option("--workers", serve.jobs.workers, "Rankings estimated at the same time")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    cmd->add_option("--threads-per-job", serve.jobs.threads_per_job,
                    "Estimator threads per ranking (0 = every core)")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    cmd->add_option("--max-queue", serve.jobs.max_queue,
                    "Queued rankings beyond this get 429 with Retry-After")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    cmd->add_option("--max-body-bytes", serve.http.max_body_bytes,
                    "Larger request bodies get 413, whatever the transfer encoding")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    cmd->add_option("--inline-validation-bytes", serve.jobs.inline_validation_bytes,
                    "Larger incidents are validated by the job (it fails if invalid), not "
                    "before the 202")
        ->capture_default_str();
    cmd->add_option("--job-time-limit", args.job_time_limit_s,
                    "Seconds a ranking may run before it fails")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    cmd->add_option("--job-memory-mb", args.job_memory_mb,
                    "Memory (heap) a ranking's process may use before it fails (0 = no limit)")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    cmd->add_option("--max-attempts", serve.jobs.max_attempts,
                    "Starts of a job whose process crashes (or is interrupted by a crash of the "
                    "server) before it is quarantined as failed")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    cmd->add_option("--retention", args.retention_s,
                    "Seconds finished jobs are kept before they are deleted (0 = forever)")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    cmd->add_option("--max-finished-jobs", serve.jobs.max_finished_jobs,
                    "Finished jobs kept at most, newest first, whatever their age (0 = no limit)")
        ->capture_default_str();
    // At most 2^24 MiB (16 TiB): the byte count must not overflow when shifted by 20.
    cmd->add_option("--max-network-store-mb", args.network_store_mb,
                    "MiB the stored networks may take in all; beyond it PUT /v1/networks gets 429")
        ->check(CLI::Range(1L, 1L << 24))
        ->capture_default_str();
    cmd->add_option("--http-threads", serve.http.threads,
                    "Connections served at once (a ?wait request holds one)")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    cmd->add_option("--max-waiters", serve.http.max_waiters,
                    "Requests waiting in ?wait at once (0 = half of --http-threads); beyond it "
                    "?wait answers at once")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    cmd->add_option("--max-wait", serve.http.max_wait_s, "Ceiling in seconds on ?wait=")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    cmd->add_option("--grace", args.grace_s,
                    "On SIGTERM, seconds running jobs get to finish (new rankings get 503 "
                    "meanwhile) before they are re-queued for the next start")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    return cmd;
}

int run_serve(ServeArguments args) {
    service::ServeConfig& config = args.config;
    const std::filesystem::path data_dir = resolve_data_dir(args.data_dir);
    config.jobs.data_dir = data_dir;
    config.jobs.tables_dir = resolve_tables_dir(args.tables, data_dir);
    config.jobs.job_time_limit = std::chrono::seconds(args.job_time_limit_s);
    config.jobs.job_memory_bytes = static_cast<std::size_t>(args.job_memory_mb) << 20;
    config.jobs.retention = std::chrono::seconds(args.retention_s);
    config.jobs.max_network_store_bytes = static_cast<std::size_t>(args.network_store_mb) << 20;
    // Jobs run as `<this executable> job-worker` (job_worker.h).
    std::error_code no_proc;
    config.jobs.worker_binary = std::filesystem::read_symlink("/proc/self/exe", no_proc);
    if (no_proc) {
        std::cerr << "error: cannot find the swarm executable (/proc/self/exe): "
                  << no_proc.message() << "\n";
        return 2;
    }
    try {
        config.http.token = service::load_api_token(args.token_file);
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 2;
    }

    // SIGTERM and SIGINT are taken synchronously by this thread (sigtimedwait below): blocked
    // here, before any thread starts, so every thread inherits the mask and no handler runs.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    std::optional<service::ServiceApp> app;
    try {
        app.emplace(config);
        app->start();
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 2;
    }
    std::cerr << "swarm " << SWARM_VERSION << ": serving on http://" << config.http.host << ":"
              << app->port() << " (database " << config.jobs.db_path.string() << ", "
              << config.jobs.workers << " worker(s)" << (config.http.token ? ", bearer auth" : "");
    if (app->health_port()) std::cerr << ", health on port " << *app->health_port();
    std::cerr << ")" << std::endl;

    int received = 0;
    while (app->serving()) {
        const timespec tick{0, 200'000'000};
        const int signal = sigtimedwait(&stop_signals, nullptr, &tick);
        if (signal == SIGTERM || signal == SIGINT) {
            received = signal;
            break;
        }
    }
    const auto grace =
        std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(args.grace_s * 1000.0)));
    if (received) {
        std::cerr << "swarm: " << (received == SIGTERM ? "SIGTERM" : "SIGINT")
                  << ": stopping; new rankings get 503; running jobs get " << args.grace_s
                  << " s to finish, the rest run again on the next start" << std::endl;
    }
    app->stop(grace);
    std::cerr << "swarm: stopped" << std::endl;
    return received ? 0 : 1;
}

}  // namespace swarm::cli
