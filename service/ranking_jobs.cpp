#include "service/ranking_jobs.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <random>

#include "estimator/budget.h"
#include "estimator/helper/incident_reader.h"
#include "estimator/helper/json_document.h"
#include "estimator/helper/json_fields.h"
#include "models/builtin_models.h"
#include "service/stored_networks.h"
#include "service/structured_log.h"

namespace swarm::service {

namespace {

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

/// 128 random bits as 32 hex digits: unguessable, so one client cannot enumerate another's jobs.
std::string new_job_id() {
    std::random_device random;
    std::string id;
    for (int i = 0; i < 4; ++i) {
        char part[9];
        std::snprintf(part, sizeof part, "%08x", static_cast<unsigned>(random()));
        id += part;
    }
    return id;
}

/// FNV-1a 64 of everything that defines the request; identical retries give the same value.
std::string fingerprint(const SubmitRequest& request) {
    std::uint64_t hash = 1469598103934665603ull;
    auto feed = [&](const std::string& text) {
        for (unsigned char c : text) {
            hash ^= c;
            hash *= 1099511628211ull;
        }
        hash ^= 0xff;
        hash *= 1099511628211ull;
    };
    feed(request.body);
    feed(request.seed ? std::to_string(*request.seed) : "-");
    feed(request.deadline_s ? std::to_string(*request.deadline_s) : "-");
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
    return text;
}

/// `message` without the JSON library's exception tags ("[json.exception.parse_error.101] "):
/// client-facing text names what is wrong, not which library noticed.
std::string without_library_tags(std::string message) {
    for (std::size_t at; (at = message.find("[json.exception.")) != std::string::npos;) {
        const std::size_t end = message.find("] ", at);
        message.erase(at, end == std::string::npos ? std::string::npos : end + 2 - at);
    }
    return message;
}

Problem invalid_incident(const IncidentError& e) {
    const bool malformed =
        e.path() == "$" && std::string(e.what()).find("malformed JSON") != std::string::npos;
    if (dynamic_cast<const BudgetExceeded*>(&e)) {
        // The detail names the field (json_path), the limit and both values.
        return Problem{422, "over-budget",
                       "The incident asks for more work than this service allows", e.what(),
                       e.path()};
    }
    Problem p;
    p.status = malformed ? 400 : 422;
    p.type = malformed ? "malformed-json" : "invalid-incident";
    p.title = malformed ? "The request body is not JSON" : "The incident is not valid";
    p.detail = without_library_tags(e.what());
    p.json_path = e.path();
    return p;
}

/// What the HTTP thread checks before accepting a job; returns the incident's name. Small bodies
/// are read in full; large ones only parsed and sized (JobsConfig::inline_validation_bytes).
/// Throws IncidentError.
std::string check_at_acceptance(const std::string& body, const JobsConfig& config) {
    if (body.size() <= config.inline_validation_bytes)
        return read_incident_text(body, config.data_dir, builtin_models(), config.budget).name;
    const nlohmann::json document = parse_json_document(body);
    check_topology_budget(document, config.budget);
    if (!document.is_object()) throw IncidentError("$", "expected an object");
    const auto name = document.find("name");
    return name != document.end() && name->is_string() ? name->get<std::string>() : "";
}

}  // namespace

RankingJobs::RankingJobs(JobsConfig config, MetricsRegistry& metrics)
    : config_(std::move(config)),
      metrics_(metrics),
      store_(config_.db_path),
      queue_(config_.max_queue),
      forks_({config_.worker_binary, config_.data_dir, config_.tables_dir}) {
    for (const std::string& id : store_.recover_unfinished(config_.max_attempts, now_ms()))
        queue_.push_unbounded(id);
    pool_ = std::make_unique<WorkerPool>(
        queue_, config_.workers, [this](const std::string& id, JobControl& control) {
            run(id, control);
            // The count limit holds after every job, not only at the pruner's next pass.
            if (config_.max_finished_jobs > 0)
                metrics_.jobs_pruned(store_.prune_finished_beyond(config_.max_finished_jobs));
        });
    if (config_.retention.count() > 0 || config_.max_finished_jobs > 0)
        pruner_ = std::jthread([this](std::stop_token stop) { prune_periodically(stop); });
}

RankingJobs::~RankingJobs() { shutdown(std::chrono::milliseconds(0)); }

void RankingJobs::prune_periodically(std::stop_token stop) {
    // Often enough that a job outlives its retention by at most a tenth of it, and that the
    // count limit is overshot by at most a minute of finished jobs.
    const std::chrono::milliseconds by_age =
        config_.retention.count() > 0
            ? std::chrono::duration_cast<std::chrono::milliseconds>(config_.retention) / 10
            : std::chrono::minutes(10);
    const auto interval = std::clamp<std::chrono::milliseconds>(
        by_age, std::chrono::seconds(1),
        config_.max_finished_jobs > 0 ? std::chrono::minutes(1) : std::chrono::minutes(10));
    std::unique_lock lock(prune_mutex_);
    do {
        prune_once();
        // wait_for returns early (false, the predicate's value) once a stop is requested.
        prune_wake_.wait_for(lock, stop, interval, [] { return false; });
    } while (!stop.stop_requested());
}

void RankingJobs::prune_once() {
    if (config_.retention.count() > 0) {
        const auto retention_ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(config_.retention).count();
        metrics_.jobs_pruned(store_.prune_finished(now_ms() - retention_ms));
    }
    if (config_.max_finished_jobs > 0)
        metrics_.jobs_pruned(store_.prune_finished_beyond(config_.max_finished_jobs));
}

SubmitOutcome RankingJobs::submit(const SubmitRequest& request) {
    SubmitOutcome outcome;
    if (stopping_) {
        outcome.problem = {503, "shutting-down", "The service is shutting down",
                           "retry against another instance", ""};
        outcome.retry_after_s = 5;
        return outcome;
    }
    JobRecord job;
    try {
        job.incident_json = with_stored_network(request.body, job);
        job.incident_name = check_at_acceptance(job.incident_json, config_);
    } catch (const IncidentError& e) {
        outcome.problem = invalid_incident(e);
        return outcome;
    }
    job.id = new_job_id();
    job.seed = request.seed;
    job.idempotency_key = request.idempotency_key;
    job.request_fingerprint = fingerprint(request);
    job.created_ms = now_ms();
    if (request.deadline_s)
        job.deadline_ms =
            job.created_ms + static_cast<std::int64_t>(std::llround(*request.deadline_s * 1000.0));

    const std::lock_guard lock(submit_mutex_);
    if (request.idempotency_key) {
        if (std::optional<JobRecord> first =
                store_.find_by_idempotency_key(*request.idempotency_key)) {
            // A retry: answer with the first job, whatever the queue looks like now.
            if (first->request_fingerprint != job.request_fingerprint) {
                outcome.problem = {
                    422, "idempotency-key-reused", "Idempotency-Key reused for a different request",
                    "the key was first used for job " + first->id + " with another body or options",
                    ""};
                return outcome;
            }
            outcome.kind = SubmitOutcome::Kind::Replayed;
            outcome.job = *get(first->id);
            return outcome;
        }
    }
    if (queue_.size() >= queue_.capacity()) {
        outcome.problem = {
            429, "queue-full", "Too many queued rankings",
            "the queue holds " + std::to_string(queue_.capacity()) + " jobs; retry later", ""};
        outcome.retry_after_s = retry_after_seconds();
        return outcome;
    }
    store_.insert(job);
    queue_.push(job.id);  // cannot fail: pops only shrink the queue and we hold submit_mutex_
    outcome.kind = SubmitOutcome::Kind::Created;
    outcome.job = {job, 0.0};
    return outcome;
}

JobView RankingJobs::view_of(JobRecord record) const {
    JobView view{std::move(record), 0.0};
    if (view.record.status == JobStatus::Done) {
        view.progress = 1.0;
    } else if (view.record.status == JobStatus::Running) {
        view.progress = pool_->progress(view.record.id).value_or(0.0);
        view.samples_done = pool_->samples_done(view.record.id).value_or(0);
    }
    return view;
}

std::string RankingJobs::with_stored_network(const std::string& body, JobRecord& job) const {
    if (body.find("\"network\"") == std::string::npos) return body;  // the common case, unparsed
    const nlohmann::json incident = parse_json_document(body);
    const std::optional<NetworkReference> ref = network_reference(incident);
    if (!ref) return body;
    const std::optional<StoredNetwork> network = store_.get_network(ref->name, ref->version);
    if (!network) {
        throw IncidentError(
            ref->version ? "$.network.version" : "$.network.name",
            "no stored network " + json_fields::in_quotes(ref->name) +
                (ref->version ? " with version " + std::to_string(*ref->version) : std::string()) +
                " (PUT /v1/networks/{name} stores one)");
    }
    job.network_name = network->name;
    job.network_version = network->version;
    return with_network(incident, nlohmann::json::parse(network->body_json), network->name).dump();
}

PutNetworkOutcome RankingJobs::put_network(const std::string& name, const std::string& body) {
    PutNetworkOutcome outcome;
    try {
        const nlohmann::json network = checked_network(body, config_.data_dir, config_.budget);
        const std::string stored = network.dump();
        outcome.network =
            store_.put_network(name, stored, now_ms(), config_.max_network_store_bytes);
        if (!outcome.network) {
            outcome.problem = Problem{
                429, "network-store-full", "The network store is full",
                "storing this network (" + std::to_string(stored.size()) +
                    " bytes) would take the stored networks over their limit of " +
                    std::to_string(config_.max_network_store_bytes) +
                    " bytes (--max-network-store-mb); DELETE /v1/networks/{name} frees space",
                ""};
        }
    } catch (const IncidentError& e) {
        outcome.problem = invalid_incident(e);
        if (outcome.problem.type == "invalid-incident") {
            outcome.problem.type = "invalid-network";
            outcome.problem.title = "The network is not valid";
        }
    }
    return outcome;
}

std::optional<JobView> RankingJobs::get(const std::string& id) const {
    std::optional<JobRecord> record = store_.get(id);
    if (!record) return std::nullopt;
    return view_of(std::move(*record));
}

JobPage RankingJobs::list(std::optional<JobStatus> status, std::optional<std::int64_t> before_seq,
                          std::size_t limit) const {
    JobStore::Page page = store_.list(status, before_seq, limit);
    JobPage out;
    out.next_before_seq = page.next_before_seq;
    for (JobRecord& record : page.jobs) out.jobs.push_back(view_of(std::move(record)));
    return out;
}

std::optional<JobView> RankingJobs::wait(const std::string& id,
                                         std::chrono::milliseconds timeout) const {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (true) {
        std::uint64_t seen;
        {
            const std::lock_guard lock(changed_mutex_);
            seen = generation_;
        }
        std::optional<JobView> view = get(id);
        if (!view || is_terminal(view->record.status) || stopping_) return view;
        std::unique_lock lock(changed_mutex_);
        if (!changed_.wait_until(lock, until,
                                 [&] { return generation_ != seen || stopping_.load(); }))
            return view;
    }
}

CancelOutcome RankingJobs::cancel(const std::string& id) {
    CancelOutcome outcome;
    std::optional<JobView> view = get(id);
    if (!view) return outcome;
    if (is_terminal(view->record.status)) {
        outcome.kind = CancelOutcome::Kind::AlreadyFinished;
        outcome.job = view;
        return outcome;
    }
    if (pool_->request_stop(id, StopReason::Cancelled)) {
        // Running: the estimator polls the token in its epoch loop and stops shortly.
        outcome.job = wait(id, std::chrono::seconds(5));
        outcome.kind = outcome.job && is_terminal(outcome.job->record.status)
                           ? CancelOutcome::Kind::Cancelled
                           : CancelOutcome::Kind::Stopping;
        return outcome;
    }
    // Queued (or taken by a worker that has not marked it running yet: mark_running then fails).
    queue_.remove(id);
    store_.mark_cancelled(id, "cancelled by request", now_ms());
    finish(view->record, "cancelled", 0, 0.0);
    outcome.job = get(id);
    outcome.kind = outcome.job && outcome.job->record.status == JobStatus::Cancelled
                       ? CancelOutcome::Kind::Cancelled
                       : CancelOutcome::Kind::AlreadyFinished;
    return outcome;
}

MetricsRegistry::Gauges RankingJobs::gauges() const { return {queue_.size(), pool_->running()}; }

void RankingJobs::stop_accepting() {
    stopping_ = true;
    notify_changed();
}

void RankingJobs::shutdown(std::chrono::milliseconds grace) {
    stop_accepting();
    pruner_.request_stop();
    pool_->shutdown(grace);
}

void RankingJobs::notify_changed() {
    {
        const std::lock_guard lock(changed_mutex_);
        ++generation_;
    }
    changed_.notify_all();
}

int RankingJobs::retry_after_seconds() const {
    const double backlog = static_cast<double>(queue_.size() + pool_->running());
    const double seconds = mean_job_seconds_.load() * backlog /
                           static_cast<double>(std::max<std::size_t>(1, config_.workers));
    return static_cast<int>(std::clamp(std::ceil(seconds), 1.0, 3600.0));
}

void RankingJobs::log(const nlohmann::json& event) const {
    if (config_.log_events) log_event(event);
}

void RankingJobs::finish(const JobRecord& job, const char* status, std::uint64_t samples,
                         double seconds) {
    metrics_.job_finished(status, samples, seconds);
    notify_changed();
    nlohmann::json line = {
        {"event", "job_finished"}, {"job", job.id},      {"incident", job.incident_name},
        {"status", status},        {"seconds", seconds}, {"samples", samples}};
    if (std::strcmp(status, "done") != 0) {
        if (const std::optional<JobRecord> now = store_.get(job.id)) line["error"] = now->error;
    }
    log(line);
}

WorkerCommand RankingJobs::worker_command(const JobRecord& job) const {
    WorkerCommand command;
    command.arguments = {"--threads", std::to_string(config_.threads_per_job)};
    if (job.seed)
        command.arguments.insert(command.arguments.end(), {"--seed", std::to_string(*job.seed)});
    if (job.deadline_ms) {
        command.arguments.insert(command.arguments.end(),
                                 {"--deadline-unix-ms", std::to_string(*job.deadline_ms)});
    }
    const WorkBudget& b = config_.budget;
    const auto flag = [&command](const char* name, double value) {
        char text[64];
        std::snprintf(text, sizeof text, "%.17g", value);
        command.arguments.insert(command.arguments.end(), {name, text});
    };
    flag("--max-servers", b.max_servers);
    flag("--max-links", b.max_links);
    flag("--max-flows-per-sample", b.max_flows_per_sample);
    flag("--max-epochs-per-sample", b.max_epochs_per_sample);
    flag("--max-samples", b.max_samples);
    flag("--max-memory-gb", b.max_memory_bytes / 1e9);
    command.memory_limit_bytes = config_.job_memory_bytes;
    return command;
}

void RankingJobs::run(const std::string& id, JobControl& control) {
    const std::optional<JobRecord> job = store_.get(id);
    if (!job || job->status != JobStatus::Queued) return;
    const std::int64_t start_ms = now_ms();
    if (job->deadline_ms && start_ms >= *job->deadline_ms) {
        store_.mark_failed(id,
                           "deadline exceeded before the job started (deadline was " +
                               std::to_string(*job->deadline_ms - job->created_ms) +
                               " ms after acceptance)",
                           start_ms);
        finish(*job, "failed", 0, 0.0);
        return;
    }
    if (!store_.mark_running(id, start_ms)) return;
    notify_changed();
    log({{"event", "job_started"},
         {"job", id},
         {"incident", job->incident_name},
         {"attempt", job->attempts + 1}});

    // The time limit is checked by this thread while the job's process runs (about every
    // 100 ms), whatever the estimator is doing; the process is then stopped.
    const auto started = std::chrono::steady_clock::now();
    const auto limit_at = started + config_.job_time_limit;
    // The worker stops itself at the deadline with the ranking of the samples done
    // (job_worker.h); this thread stops it only if it has not answered `kill_after` later.
    const auto deadline_at =
        job->deadline_ms
            ? started + std::chrono::milliseconds(*job->deadline_ms - start_ms) + config_.kill_after
            : std::chrono::steady_clock::time_point::max();
    std::uint64_t samples = 0;
    WorkerHooks hooks;
    hooks.kill_after = config_.kill_after;
    hooks.progress = [&](double fraction, int samples_done) {
        control.progress = std::max(control.progress.load(), fraction);
        control.samples_done = samples_done;
        ++samples;
        metrics_.add_samples(1);
    };
    hooks.should_stop = [&] {
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline_at) control.request_stop(StopReason::Deadline);
        if (now >= limit_at) control.request_stop(StopReason::TimeLimit);
        return control.cancel.load();
    };
    WorkerOutcome outcome;
    try {
        outcome = run_worker(forks_, worker_command(*job), job->incident_json, hooks);
    } catch (const std::exception& e) {
        outcome = {WorkerOutcome::Kind::Crashed, "", e.what()};
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    record(*job, outcome, control, samples, seconds);
}

void RankingJobs::record(const JobRecord& job, const WorkerOutcome& outcome,
                         const JobControl& control, std::uint64_t samples, double seconds) {
    switch (outcome.kind) {
        case WorkerOutcome::Kind::Done: {
            const nlohmann::json result =
                nlohmann::json::parse(outcome.result_json, nullptr, false);
            if (!result.is_object() || !result.contains("ranking") || !result.contains("curves")) {
                record_crash(job, "the job worker's result was unreadable", samples, seconds);
                return;
            }
            store_.mark_done(job.id, result["ranking"].dump(), result["curves"].dump(), now_ms());
            mean_job_seconds_ = 0.8 * mean_job_seconds_.load() + 0.2 * seconds;
            finish(job, "done", samples, seconds);
            return;
        }
        case WorkerOutcome::Kind::Failed:
            store_.mark_failed(job.id, outcome.error, now_ms());
            finish(job, "failed", samples, seconds);
            return;
        case WorkerOutcome::Kind::Stopped:
            record_stop(job, control.reason.load(), samples, seconds);
            return;
        case WorkerOutcome::Kind::Crashed:
            record_crash(job, outcome.error, samples, seconds);
            return;
    }
}

void RankingJobs::record_stop(const JobRecord& job, StopReason reason, std::uint64_t samples,
                              double seconds) {
    switch (reason) {
        case StopReason::Deadline:
            store_.mark_failed(job.id,
                               "deadline exceeded after " +
                                   std::to_string(now_ms() - job.created_ms) +
                                   " ms (the request allowed " +
                                   std::to_string(*job.deadline_ms - job.created_ms) + " ms)",
                               now_ms());
            finish(job, "failed", samples, seconds);
            return;
        case StopReason::TimeLimit:
            store_.mark_failed(job.id,
                               "per-job time limit of " +
                                   std::to_string(config_.job_time_limit.count()) + " s exceeded",
                               now_ms());
            finish(job, "failed", samples, seconds);
            return;
        case StopReason::Shutdown:
            store_.requeue(job.id);  // runs again when the service restarts
            notify_changed();
            return;
        case StopReason::Cancelled:
        case StopReason::None:
            store_.mark_cancelled(job.id, "cancelled by request", now_ms());
            finish(job, "cancelled", samples, seconds);
            return;
    }
}

void RankingJobs::record_crash(const JobRecord& job, const std::string& what, std::uint64_t samples,
                               double seconds) {
    const int attempt = job.attempts + 1;
    metrics_.job_crashed();
    log({{"event", "job_crashed"},
         {"job", job.id},
         {"incident", job.incident_name},
         {"attempt", attempt},
         {"max_attempts", config_.max_attempts},
         {"error", what},
         {"seconds", seconds}});
    if (attempt >= config_.max_attempts) {
        store_.mark_failed(job.id,
                           "quarantined after " + std::to_string(attempt) + " attempts: " + what,
                           now_ms());
        finish(job, "failed", samples, seconds);
        return;
    }
    // Perhaps a transient failure (the machine ran out of memory): once more, at the back.
    store_.requeue(job.id, "attempt " + std::to_string(attempt) + ": " + what);
    queue_.push_unbounded(job.id);
    notify_changed();
}

}  // namespace swarm::service
