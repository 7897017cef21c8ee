#include "service/serve_command.h"

#include <pthread.h>
#include <signal.h>

#include <cmath>
#include <ctime>
#include <iostream>

#include "service/bearer_auth.h"
#include "service/data_paths.h"

namespace swarm::cli {

int run_serve(ServeArguments args) {
    service::ServeConfig& config = args.config;
    const std::filesystem::path data_dir = resolve_data_dir(args.data_dir);
    config.jobs.data_dir = data_dir;
    config.tables_dir = resolve_tables_dir(args.tables, data_dir);
    config.jobs.job_time_limit = std::chrono::seconds(args.job_time_limit_s);
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
              << config.jobs.workers << " worker(s)" << (config.http.token ? ", bearer auth" : "")
              << ")" << std::endl;

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
                  << ": stopping; running jobs get " << args.grace_s
                  << " s to finish, the rest run again on the next start" << std::endl;
    }
    app->stop(grace);
    std::cerr << "swarm: stopped" << std::endl;
    return received ? 0 : 1;
}

}  // namespace swarm::cli
