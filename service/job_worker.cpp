#include "service/job_worker.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <mutex>
#include <new>

#include "estimator/helper/incident_reader.h"
#include "estimator/helper/ranking_json.h"
#include "estimator/helper/table_set_cache.h"
#include "estimator/transport_tables.h"
#include "models/builtin_models.h"
#include "service/budget_options.h"
#include "service/data_paths.h"
#include "service/ranking_analysis.h"
#include "service/ranking_explanation.h"
#include "swarm/rank.h"

namespace swarm::cli {

namespace {

/// The job's stop flag, for the SIGTERM handler, which can reach state only through a static.
/// Set once, in the job's process, before the handler is installed; the fork server never sets it.
std::atomic<bool>* stop_flag = nullptr;

void on_sigterm(int) { stop_flag->store(true); }  // lock-free: async-signal-safe

/// Sets `cancel` when SIGTERM arrives, whichever thread takes it. A handler, not a thread that
/// waits for the signal: with a second thread every copy-on-write fault of the job flushes the
/// TLB of the other core too (an interrupt, costly in a virtual machine), and joining it at the
/// end waited for a thread that on a busy machine may not have been scheduled yet (100 ms).
void stop_on_sigterm(std::atomic<bool>& cancel) {
    stop_flag = &cancel;
    struct sigaction action {};
    action.sa_handler = on_sigterm;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &action, nullptr);
}

/// One protocol line on stdout, whole, from any thread.
class LineWriter {
   public:
    void write(const std::string& kind, const std::string& payload) {
        std::string line = kind + " " + payload;
        for (char& c : line)
            if (c == '\n' || c == '\r') c = ' ';
        line += '\n';
        const std::lock_guard lock(mutex_);
        std::fwrite(line.data(), 1, line.size(), stdout);
        std::fflush(stdout);
    }

   private:
    std::mutex mutex_;
};

void crash_if_poisoned(const std::string& incident_name) {
    const char* poison = std::getenv("SWARM_TEST_CRASH_INCIDENT");
    if (poison == nullptr || incident_name != poison) return;
    volatile int* nowhere = nullptr;
    *nowhere = 1;  // SIGSEGV
}

/// The job's deadline as the ranking's time budget (no round started that would end after it)
/// and hard deadline (a round under way then keeps the samples it finished).
void apply_deadline(std::int64_t deadline_unix_ms, RankOptions& options) {
    const auto now = std::chrono::system_clock::now();
    const auto deadline =
        std::chrono::system_clock::time_point(std::chrono::milliseconds(deadline_unix_ms));
    const auto left = std::max(std::chrono::system_clock::duration::zero(), deadline - now);
    options.time_budget_s = std::chrono::duration<double>(left).count();
    options.deadline = std::chrono::steady_clock::now() +
                       std::chrono::duration_cast<std::chrono::steady_clock::duration>(left);
}

std::string ranked_json(const JobArguments& args, JobResources& resources, const std::string& text,
                        std::atomic<bool>& cancel, LineWriter& out) {
    const Incident incident =
        read_incident_text(text, resources.data_dir, builtin_models(), args.budget);
    crash_if_poisoned(incident.name);
    if (!resources.tables) throw std::runtime_error(resources.tables_error);
    const TransportTables& tables = *resources.tables;
    RankOptions options;
    options.threads = args.threads;
    options.seed = args.seed;
    options.cancel = &cancel;
    options.budget = args.budget;
    options.table_sets = resources.table_sets.loader();
    options.report = [&out](const RankProgress& progress) {
        out.write("progress",
                  std::to_string(progress.fraction) + " " + std::to_string(progress.samples_done));
    };
    if (args.deadline_unix_ms) apply_deadline(*args.deadline_unix_ms, options);
    const service::Analysis analysis = service::analyse(incident, tables, options);
    // The CLI's JSON, explanations included (ranking_explanation.h).
    const nlohmann::json result = {
        {"ranking",
         service::explained_json(incident, analysis.ranking, diagnose(incident, tables, options))},
        {"curves", analysis.curves}};
    return result.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

JobResources::JobResources(const std::string& data_dir_flag, const std::string& tables_flag)
    : data_dir(resolve_data_dir(data_dir_flag)), table_sets(data_dir / "tables") {
    try {
        tables = TransportTables::load(resolve_tables_dir(tables_flag, data_dir));
    } catch (const std::exception& e) {
        tables_error = e.what();
    }
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(data_dir / "tables", ec)) {
        try {
            if (entry.is_directory()) table_sets.get(entry.path().filename().string());
        } catch (const std::exception&) {
            // Loaded (and failing with its message) by the job that names it, if any.
        }
    }
    builtin_models();  // built once here rather than in every child
}

void add_job_options(CLI::App& app, JobArguments& args) {
    app.add_option("--threads", args.threads);
    app.add_option("--seed", args.seed);
    app.add_option("--deadline-unix-ms", args.deadline_unix_ms);
    add_budget_options(app, args.budget);
}

/// The job; returns the exit code.
int run_job(const JobArguments& args, JobResources& resources, std::atomic<bool>& cancel) {
    LineWriter out;
    try {
        const std::string text{std::istreambuf_iterator<char>(std::cin),
                               std::istreambuf_iterator<char>()};
        out.write("result", ranked_json(args, resources, text, cancel, out));
        return 0;
    } catch (const RankDeadlineExceeded&) {
        out.write("error",
                  "deadline exceeded before one sample of every candidate was done: no ranking to "
                  "return");
    } catch (const RankCancelled&) {
        return kWorkerExitCancelled;
    } catch (const IncidentError& e) {
        // Only incidents too large to validate at acceptance get here (JobsConfig).
        out.write("error", std::string("invalid incident at ") + e.what());
    } catch (const std::bad_alloc&) {
        out.write("error", "out of memory: the job needs more than its memory limit");
    } catch (const std::exception& e) {
        out.write("error", std::string("ranking failed: ") + e.what());
    }
    return kWorkerExitFailed;
}

void run_job_and_exit(const JobArguments& args, JobResources& resources) {
    std::atomic<bool> cancel{false};
    stop_on_sigterm(cancel);
    const int code = run_job(args, resources, cancel);
    std::fflush(stdout);
    _exit(code);
}

}  // namespace swarm::cli
