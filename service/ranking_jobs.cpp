#include "service/ranking_jobs.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

#include "estimator/helper/incident_reader.h"
#include "estimator/helper/ranking_json.h"
#include "estimator/transport_tables.h"
#include "models/builtin_models.h"
#include "service/ranking_analysis.h"
#include "swarm/rank.h"

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

Problem invalid_incident(const IncidentError& e) {
    const bool malformed =
        e.path() == "$" && std::string(e.what()).find("malformed JSON") != std::string::npos;
    Problem p;
    p.status = malformed ? 400 : 422;
    p.type = malformed ? "malformed-json" : "invalid-incident";
    p.title = malformed ? "The request body is not JSON" : "The incident is not valid";
    p.detail = e.what();
    p.json_path = e.path();
    return p;
}

}  // namespace

RankingJobs::RankingJobs(JobsConfig config, const TransportTables& tables, MetricsRegistry& metrics)
    : config_(std::move(config)),
      tables_(tables),
      table_sets_(config_.data_dir / "tables"),
      metrics_(metrics),
      store_(config_.db_path),
      queue_(config_.max_queue) {
    for (const std::string& id : store_.recover_unfinished()) queue_.push_unbounded(id);
    pool_ = std::make_unique<WorkerPool>(
        queue_, config_.workers,
        [this](const std::string& id, JobControl& control) { run(id, control); });
}

RankingJobs::~RankingJobs() { shutdown(std::chrono::milliseconds(0)); }

SubmitOutcome RankingJobs::submit(const SubmitRequest& request) {
    SubmitOutcome outcome;
    if (stopping_) {
        outcome.problem = {503, "shutting-down", "The service is shutting down",
                           "retry against another instance", ""};
        outcome.retry_after_s = 5;
        return outcome;
    }
    Incident incident;
    try {
        incident = read_incident_text(request.body, config_.data_dir, builtin_models());
    } catch (const IncidentError& e) {
        outcome.problem = invalid_incident(e);
        return outcome;
    }
    JobRecord job;
    job.id = new_job_id();
    job.incident_name = incident.name;
    job.incident_json = request.body;
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

std::optional<JobView> RankingJobs::get(const std::string& id) const {
    std::optional<JobRecord> record = store_.get(id);
    if (!record) return std::nullopt;
    JobView view{std::move(*record), 0.0};
    if (view.record.status == JobStatus::Done) {
        view.progress = 1.0;
    } else if (view.record.status == JobStatus::Running) {
        view.progress = pool_->progress(id).value_or(0.0);
    }
    return view;
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
        // Running: the estimator stops at its next sample boundary.
        outcome.job = wait(id, std::chrono::seconds(5));
        outcome.kind = outcome.job && is_terminal(outcome.job->record.status)
                           ? CancelOutcome::Kind::Cancelled
                           : CancelOutcome::Kind::Stopping;
        return outcome;
    }
    // Queued (or taken by a worker that has not marked it running yet: mark_running then fails).
    queue_.remove(id);
    store_.mark_cancelled(id, "cancelled by request", now_ms());
    metrics_.job_finished("cancelled", 0, 0.0);
    notify_changed();
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

void RankingJobs::finish(const std::string& id, const char* status, std::uint64_t samples,
                         double seconds) {
    (void)id;
    metrics_.job_finished(status, samples, seconds);
    notify_changed();
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
        finish(id, "failed", 0, 0.0);
        return;
    }
    if (!store_.mark_running(id, start_ms)) return;
    notify_changed();

    const auto started = std::chrono::steady_clock::now();
    const auto limit_at = started + config_.job_time_limit;
    const auto deadline_at = job->deadline_ms
                                 ? started + std::chrono::milliseconds(*job->deadline_ms - start_ms)
                                 : std::chrono::steady_clock::time_point::max();
    std::atomic<std::uint64_t> samples{0};
    RankOptions options;
    options.threads = config_.threads_per_job;
    options.seed = job->seed;
    options.cancel = &control.cancel;
    options.table_sets = table_sets_.loader();
    options.progress = [&](double fraction) {
        double seen = control.progress.load();
        while (fraction > seen && !control.progress.compare_exchange_weak(seen, fraction)) {
        }
        ++samples;
        metrics_.add_samples(1);
        // Deadlines take effect at sample boundaries, like cancellation.
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline_at) control.request_stop(StopReason::Deadline);
        if (now >= limit_at) control.request_stop(StopReason::TimeLimit);
    };
    auto elapsed = [&] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    };
    try {
        const Incident incident = read_incident_text(job->incident_json, config_.data_dir, builtin_models());
        const Analysis analysis = analyse(incident, tables_, options);
        store_.mark_done(id, to_json(analysis.ranking).dump(), analysis.curves.dump(), now_ms());
        const double seconds = elapsed();
        mean_job_seconds_ = 0.8 * mean_job_seconds_.load() + 0.2 * seconds;
        finish(id, "done", samples.load(), seconds);
    } catch (const RankCancelled&) {
        switch (control.reason.load()) {
            case StopReason::Deadline:
                store_.mark_failed(id,
                                   "deadline exceeded after " +
                                       std::to_string(now_ms() - job->created_ms) +
                                       " ms (the request allowed " +
                                       std::to_string(*job->deadline_ms - job->created_ms) + " ms)",
                                   now_ms());
                finish(id, "failed", samples.load(), elapsed());
                break;
            case StopReason::TimeLimit:
                store_.mark_failed(id,
                                   "per-job time limit of " +
                                       std::to_string(config_.job_time_limit.count()) +
                                       " s exceeded",
                                   now_ms());
                finish(id, "failed", samples.load(), elapsed());
                break;
            case StopReason::Shutdown:
                store_.requeue(id);  // runs again when the service restarts
                notify_changed();
                break;
            case StopReason::Cancelled:
            case StopReason::None:
                store_.mark_cancelled(id, "cancelled by request", now_ms());
                finish(id, "cancelled", samples.load(), elapsed());
                break;
        }
    } catch (const std::exception& e) {
        store_.mark_failed(id, std::string("ranking failed: ") + e.what(), now_ms());
        finish(id, "failed", samples.load(), elapsed());
    }
}

}  // namespace swarm::service
