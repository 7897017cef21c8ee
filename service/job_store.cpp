#include "service/job_store.h"

#include <sqlite3.h>

#include <stdexcept>

namespace swarm::service {

const char* to_string(JobStatus status) {
    switch (status) {
        case JobStatus::Queued:
            return "queued";
        case JobStatus::Running:
            return "running";
        case JobStatus::Done:
            return "done";
        case JobStatus::Failed:
            return "failed";
        case JobStatus::Cancelled:
            return "cancelled";
    }
    return "unknown";
}

std::optional<JobStatus> parse_job_status(const std::string& text) {
    for (JobStatus s : {JobStatus::Queued, JobStatus::Running, JobStatus::Done, JobStatus::Failed,
                        JobStatus::Cancelled}) {
        if (text == to_string(s)) return s;
    }
    return std::nullopt;
}

namespace {

constexpr const char* kColumns =
    "id, status, incident_name, incident_json, seed, idempotency_key, request_fingerprint, "
    "created_ms, "
    "started_ms, finished_ms, deadline_ms, result_json, curves_json, error, attempts, "
    "network_name, network_version";

/// A prepared statement, finalized on scope exit. Binding is 1-based, like SQLite's.
class Statement {
   public:
    Statement(sqlite3* db, const char* sql) : db_(db) {
        if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
            throw std::runtime_error(std::string("sqlite prepare: ") + sqlite3_errmsg(db));
        }
    }
    ~Statement() { sqlite3_finalize(stmt_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int i, const std::string& text) {
        check(sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()),
                                SQLITE_TRANSIENT));
        return *this;
    }
    Statement& bind(int i, std::int64_t value) {
        check(sqlite3_bind_int64(stmt_, i, value));
        return *this;
    }
    Statement& bind_null(int i) {
        check(sqlite3_bind_null(stmt_, i));
        return *this;
    }
    template <typename T>
    Statement& bind(int i, const std::optional<T>& value) {
        return value ? bind(i, *value) : bind_null(i);
    }
    /// True while a row is available.
    bool step() {
        const int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        throw std::runtime_error(std::string("sqlite step: ") + sqlite3_errmsg(db_));
    }
    std::string text(int column) const {
        const auto* p = sqlite3_column_text(stmt_, column);
        return p ? std::string(reinterpret_cast<const char*>(p),
                               static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
                 : std::string();
    }
    std::int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }
    bool is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

   private:
    void check(int rc) {
        if (rc != SQLITE_OK)
            throw std::runtime_error(std::string("sqlite bind: ") + sqlite3_errmsg(db_));
    }
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

JobRecord read_row(const Statement& s) {
    JobRecord job;
    job.id = s.text(0);
    job.status = parse_job_status(s.text(1)).value_or(JobStatus::Failed);
    job.incident_name = s.text(2);
    job.incident_json = s.text(3);
    if (!s.is_null(4)) job.seed = std::stoull(s.text(4));
    if (!s.is_null(5)) job.idempotency_key = s.text(5);
    job.request_fingerprint = s.text(6);
    job.created_ms = s.integer(7);
    job.started_ms = s.integer(8);
    job.finished_ms = s.integer(9);
    if (!s.is_null(10)) job.deadline_ms = s.integer(10);
    job.result_json = s.text(11);
    job.curves_json = s.text(12);
    job.error = s.text(13);
    job.attempts = static_cast<int>(s.integer(14));
    if (!s.is_null(15)) job.network_name = s.text(15);
    job.network_version = s.integer(16);
    return job;
}

/// BEGIN IMMEDIATE ... COMMIT, rolled back if the scope is left by an exception.
class Transaction {
   public:
    explicit Transaction(sqlite3* db) : db_(db) { run("BEGIN IMMEDIATE"); }
    ~Transaction() {
        if (!committed_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit() {
        run("COMMIT");
        committed_ = true;
    }

   private:
    void run(const char* sql) {
        if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
            throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db_));
        }
    }
    sqlite3* db_;
    bool committed_ = false;
};

}  // namespace

void JobStore::Closer::operator()(sqlite3* db) const { sqlite3_close_v2(db); }

JobStore::JobStore(const std::filesystem::path& path) : lock_(path) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(
        path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
        nullptr);
    db_.reset(raw);
    if (rc != SQLITE_OK) {
        throw std::runtime_error("cannot open job database " + path.string() + ": " +
                                 (raw ? sqlite3_errmsg(raw) : "out of memory"));
    }
    sqlite3_busy_timeout(db_.get(), 5000);
    exec("PRAGMA journal_mode=WAL");
    // Durability: in WAL mode every commit survives a crash of the process (SIGKILL). Against
    // a power cut, only acceptance must be synced (insert() switches to FULL for it: the WAL
    // is fsynced before the API answers 202, which also syncs earlier commits). Status changes
    // and results use NORMAL: lost at a power cut, the job is simply queued and estimated again
    // (deterministically) on the next start. Measured: three fsyncs per job cost ~20 ms.
    exec("PRAGMA synchronous=NORMAL");
    exec(
        "CREATE TABLE IF NOT EXISTS jobs ("
        " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
        " id TEXT NOT NULL UNIQUE,"
        " status TEXT NOT NULL,"
        " incident_name TEXT NOT NULL,"
        " incident_json TEXT NOT NULL,"
        " seed TEXT,"
        " idempotency_key TEXT UNIQUE,"
        " request_fingerprint TEXT NOT NULL,"
        " created_ms INTEGER NOT NULL,"
        " started_ms INTEGER NOT NULL DEFAULT 0,"
        " finished_ms INTEGER NOT NULL DEFAULT 0,"
        " deadline_ms INTEGER,"
        " result_json TEXT NOT NULL DEFAULT '',"
        " curves_json TEXT NOT NULL DEFAULT '',"
        " error TEXT NOT NULL DEFAULT '',"
        " attempts INTEGER NOT NULL DEFAULT 0)");
    exec("CREATE INDEX IF NOT EXISTS jobs_by_status ON jobs(status, seq)");
    // Databases written before stored networks existed get the columns (NULL / 0: none).
    if (!has_column("jobs", "network_name")) {
        exec("ALTER TABLE jobs ADD COLUMN network_name TEXT");
        exec("ALTER TABLE jobs ADD COLUMN network_version INTEGER NOT NULL DEFAULT 0");
    }
    exec(
        "CREATE TABLE IF NOT EXISTS networks ("
        " name TEXT NOT NULL,"
        " version INTEGER NOT NULL,"
        " body_json TEXT NOT NULL,"
        " created_ms INTEGER NOT NULL,"
        " PRIMARY KEY (name, version))");
}

bool JobStore::has_column(const char* table, const char* column) const {
    Statement info(db_.get(),
                   (std::string("SELECT name FROM pragma_table_info('") + table + "')").c_str());
    while (info.step()) {
        if (info.text(0) == column) return true;
    }
    return false;
}

JobStore::~JobStore() = default;

void JobStore::exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_.get(), sql, nullptr, nullptr, &message) != SQLITE_OK) {
        const std::string what = message ? message : "unknown error";
        sqlite3_free(message);
        throw std::runtime_error(std::string("sqlite: ") + what + " in: " + sql);
    }
}

JobStore::Inserted JobStore::insert(const JobRecord& job) {
    const std::lock_guard lock(mutex_);
    exec("PRAGMA synchronous=FULL");
    struct RestoreNormal {
        JobStore& store;
        ~RestoreNormal() {
            sqlite3_exec(store.db_.get(), "PRAGMA synchronous=NORMAL", nullptr, nullptr, nullptr);
        }
    } restore{*this};
    Transaction transaction(db_.get());
    if (job.idempotency_key) {
        Statement find(
            db_.get(),
            (std::string("SELECT ") + kColumns + " FROM jobs WHERE idempotency_key = ?").c_str());
        find.bind(1, *job.idempotency_key);
        if (find.step()) return {read_row(find), false};
    }
    Statement insert(
        db_.get(),
        "INSERT INTO jobs (id, status, incident_name, incident_json, seed, idempotency_key, "
        "request_fingerprint, created_ms, deadline_ms, network_name, network_version) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, job.id)
        .bind(2, std::string(to_string(job.status)))
        .bind(3, job.incident_name)
        .bind(4, job.incident_json);
    insert.bind(5, job.seed ? std::optional<std::string>(std::to_string(*job.seed)) : std::nullopt);
    insert.bind(6, job.idempotency_key)
        .bind(7, job.request_fingerprint)
        .bind(8, job.created_ms)
        .bind(9, job.deadline_ms)
        .bind(10, job.network_name)
        .bind(11, job.network_version);
    insert.step();
    transaction.commit();
    return {job, true};
}

std::optional<JobRecord> JobStore::get(const std::string& id) const {
    const std::lock_guard lock(mutex_);
    Statement find(db_.get(),
                   (std::string("SELECT ") + kColumns + " FROM jobs WHERE id = ?").c_str());
    find.bind(1, id);
    if (!find.step()) return std::nullopt;
    return read_row(find);
}

std::optional<JobRecord> JobStore::find_by_idempotency_key(const std::string& key) const {
    const std::lock_guard lock(mutex_);
    Statement find(
        db_.get(),
        (std::string("SELECT ") + kColumns + " FROM jobs WHERE idempotency_key = ?").c_str());
    find.bind(1, key);
    if (!find.step()) return std::nullopt;
    return read_row(find);
}

bool JobStore::mark_running(const std::string& id, std::int64_t now_ms) {
    const std::lock_guard lock(mutex_);
    Statement update(db_.get(),
                     "UPDATE jobs SET status = 'running', started_ms = ?, attempts = attempts + 1 "
                     "WHERE id = ? AND status = 'queued'");
    update.bind(1, now_ms).bind(2, id).step();
    return sqlite3_changes(db_.get()) == 1;
}

void JobStore::mark_done(const std::string& id, const std::string& result_json,
                         const std::string& curves_json, std::int64_t now_ms) {
    const std::lock_guard lock(mutex_);
    Statement update(db_.get(),
                     "UPDATE jobs SET status = 'done', result_json = ?, curves_json = ?, "
                     "finished_ms = ?, error = '' "
                     "WHERE id = ? AND status = 'running'");
    update.bind(1, result_json).bind(2, curves_json).bind(3, now_ms).bind(4, id).step();
}

void JobStore::mark_failed(const std::string& id, const std::string& error, std::int64_t now_ms) {
    const std::lock_guard lock(mutex_);
    Statement update(db_.get(),
                     "UPDATE jobs SET status = 'failed', error = ?, finished_ms = ? WHERE id = ? "
                     "AND status IN ('queued', 'running')");
    update.bind(1, error).bind(2, now_ms).bind(3, id).step();
}

bool JobStore::mark_cancelled(const std::string& id, const std::string& reason,
                              std::int64_t now_ms) {
    const std::lock_guard lock(mutex_);
    Statement update(db_.get(),
                     "UPDATE jobs SET status = 'cancelled', error = ?, finished_ms = ? "
                     "WHERE id = ? AND status IN ('queued', 'running')");
    update.bind(1, reason).bind(2, now_ms).bind(3, id).step();
    return sqlite3_changes(db_.get()) == 1;
}

void JobStore::requeue(const std::string& id, const std::string& note) {
    const std::lock_guard lock(mutex_);
    Statement update(db_.get(),
                     "UPDATE jobs SET status = 'queued', started_ms = 0, error = ? "
                     "WHERE id = ? AND status = 'running'");
    update.bind(1, note).bind(2, id).step();
}

std::vector<std::string> JobStore::recover_unfinished(int max_attempts, std::int64_t now_ms) {
    const std::lock_guard lock(mutex_);
    Statement quarantine(
        db_.get(),
        "UPDATE jobs SET status = 'failed', finished_ms = ?, error = 'quarantined after ' || "
        "attempts || ' attempts: the service stopped abruptly while the job ran, every time' "
        "WHERE status = 'running' AND attempts >= ?");
    quarantine.bind(1, now_ms).bind(2, static_cast<std::int64_t>(max_attempts)).step();
    exec("UPDATE jobs SET status = 'queued', started_ms = 0 WHERE status = 'running'");
    Statement find(db_.get(), "SELECT id FROM jobs WHERE status = 'queued' ORDER BY seq");
    std::vector<std::string> ids;
    while (find.step()) ids.push_back(find.text(0));
    return ids;
}

std::size_t JobStore::prune_finished(std::int64_t before_ms) {
    const std::lock_guard lock(mutex_);
    Statement prune(db_.get(),
                    "DELETE FROM jobs WHERE status IN ('done', 'failed', 'cancelled') "
                    "AND finished_ms < ?");
    prune.bind(1, before_ms).step();
    return static_cast<std::size_t>(sqlite3_changes(db_.get()));
}

std::size_t JobStore::prune_finished_beyond(std::size_t keep) {
    const std::lock_guard lock(mutex_);
    // Counting walks the status index only; the sort runs only when there is something to
    // delete (after each finished job: one row).
    Statement count(db_.get(),
                    "SELECT COUNT(*) FROM jobs WHERE status IN ('done', 'failed', 'cancelled')");
    count.step();
    const std::int64_t excess = count.integer(0) - static_cast<std::int64_t>(keep);
    if (excess <= 0) return 0;
    Statement prune(db_.get(),
                    "DELETE FROM jobs WHERE seq IN (SELECT seq FROM jobs WHERE status IN ('done', "
                    "'failed', 'cancelled') ORDER BY finished_ms, seq LIMIT ?)");
    prune.bind(1, excess).step();
    return static_cast<std::size_t>(sqlite3_changes(db_.get()));
}

std::size_t JobStore::count(JobStatus status) const {
    const std::lock_guard lock(mutex_);
    Statement query(db_.get(), "SELECT COUNT(*) FROM jobs WHERE status = ?");
    query.bind(1, std::string(to_string(status)));
    query.step();
    return static_cast<std::size_t>(query.integer(0));
}

JobStore::Page JobStore::list(std::optional<JobStatus> status,
                              std::optional<std::int64_t> before_seq, std::size_t limit) const {
    const std::lock_guard lock(mutex_);
    // One row more than asked tells whether another page follows.
    Statement query(db_.get(), (std::string("SELECT ") + kColumns +
                                ", seq FROM jobs WHERE (?1 IS NULL OR status = ?1) AND "
                                "(?2 IS NULL OR seq < ?2) ORDER BY seq DESC LIMIT ?3")
                                   .c_str());
    query.bind(1, status ? std::optional<std::string>(to_string(*status)) : std::nullopt);
    query.bind(2, before_seq);
    query.bind(3, static_cast<std::int64_t>(limit) + 1);
    Page page;
    std::int64_t last_seq = 0;
    while (query.step()) {
        if (page.jobs.size() == limit) {
            page.next_before_seq = last_seq;
            break;
        }
        page.jobs.push_back(read_row(query));
        last_seq = query.integer(17);
    }
    return page;
}

std::optional<StoredNetwork> JobStore::put_network(const std::string& name,
                                                   const std::string& body_json,
                                                   std::int64_t now_ms,
                                                   std::size_t max_store_bytes) {
    const std::lock_guard lock(mutex_);
    Transaction transaction(db_.get());
    // Bytes, not characters: length() of a TEXT counts UTF-8 characters.
    Statement used(db_.get(),
                   "SELECT COALESCE(SUM(length(CAST(body_json AS BLOB))), 0) FROM networks");
    used.step();
    if (static_cast<std::size_t>(used.integer(0)) + body_json.size() > max_store_bytes)
        return std::nullopt;
    Statement latest(db_.get(), "SELECT COALESCE(MAX(version), 0) FROM networks WHERE name = ?");
    latest.bind(1, name).step();
    const StoredNetwork network{name, latest.integer(0) + 1, body_json, now_ms};
    Statement insert(
        db_.get(),
        "INSERT INTO networks (name, version, body_json, created_ms) VALUES (?, ?, ?, ?)");
    insert.bind(1, name).bind(2, network.version).bind(3, body_json).bind(4, now_ms).step();
    transaction.commit();
    return network;
}

std::size_t JobStore::delete_network(const std::string& name) {
    const std::lock_guard lock(mutex_);
    Statement remove(db_.get(), "DELETE FROM networks WHERE name = ?");
    remove.bind(1, name).step();
    return static_cast<std::size_t>(sqlite3_changes(db_.get()));
}

std::optional<StoredNetwork> JobStore::get_network(const std::string& name,
                                                   std::optional<std::int64_t> version) const {
    const std::lock_guard lock(mutex_);
    Statement find(db_.get(),
                   "SELECT name, version, body_json, created_ms FROM networks WHERE name = ?1 "
                   "AND (?2 IS NULL OR version = ?2) ORDER BY version DESC LIMIT 1");
    find.bind(1, name).bind(2, version);
    if (!find.step()) return std::nullopt;
    return StoredNetwork{find.text(0), find.integer(1), find.text(2), find.integer(3)};
}

}  // namespace swarm::service
