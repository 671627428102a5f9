// The connection pool, the retry loop, the migrations and the batch import shared by both backends.
#include "server/storage/sql_storage.hpp"

#include <array>
#include <chrono>
#include <random>
#include <thread>

namespace cccd::server::sql {

namespace {

// A busy database or a serialization failure: the whole unit of work runs again after a short,
// growing, jittered pause. 12 attempts reach about 2 s of waiting in total.
constexpr int kMaxAttempts = 12;

void back_off(int attempt) {
    thread_local std::minstd_rand jitter{std::random_device{}()};
    const int base_ms = std::min(1 << attempt, 400);
    std::uniform_int_distribution<int> spread(base_ms / 2, base_ms);
    std::this_thread::sleep_for(std::chrono::milliseconds(spread(jitter)));
}

constexpr Statement kCreateMigrationsSqlite{
    "create schema_migrations",
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY NOT NULL, name TEXT NOT NULL, "
    "applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))"};
constexpr Statement kCreateMigrationsPostgres{
    "create schema_migrations",
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
    "applied_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))"};
// Two servers starting at once on one PostgreSQL database: the second waits here for the first.
constexpr Statement kMigrationLockPostgres{"lock migrations", "SELECT pg_advisory_xact_lock(4242424201)"};
constexpr Statement kMigrationApplied{"migration applied", "SELECT 1 FROM schema_migrations WHERE version = ?1"};
constexpr Statement kRecordMigration{
    "record migration", "INSERT INTO schema_migrations (version, name) VALUES (?1, ?2)"};
constexpr Statement kSchemaVersion{"schema version", "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"};
constexpr Statement kMigrationsTablePostgres{
    "find schema_migrations",
    "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_migrations'"};

}  // namespace

std::uint32_t SqlTransaction::schema_version() {
    const auto rows = db_.query(kSchemaVersion, {});
    return rows.empty() ? 0 : static_cast<std::uint32_t>(rows.front().integer(0));
}

// Takes a connection from the pool for one unit of work and gives it back (or drops it if broken).
class SqlStorage::Lease {
public:
    explicit Lease(SqlStorage& owner) : owner_(owner), connection_(owner.acquire()) {}
    ~Lease() { owner_.release(std::move(connection_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Connection& operator*() const { return *connection_; }

private:
    SqlStorage& owner_;
    std::unique_ptr<Connection> connection_;
};

SqlStorage::SqlStorage(Dialect dialect, std::size_t pool_size)
    : dialect_(dialect), pool_size_(pool_size == 0 ? 1 : pool_size) {}

void SqlStorage::adopt(std::unique_ptr<Connection> connection) {
    const std::lock_guard lock(mutex_);
    ++open_;
    idle_.push_back(std::move(connection));
}

std::unique_ptr<Connection> SqlStorage::acquire() {
    std::unique_lock lock(mutex_);
    available_.wait(lock, [&] { return !idle_.empty() || open_ < pool_size_; });
    if (!idle_.empty()) {
        auto connection = std::move(idle_.back());
        idle_.pop_back();
        return connection;
    }
    ++open_;
    lock.unlock();
    try {
        return connect();
    } catch (...) {
        const std::lock_guard relock(mutex_);
        --open_;
        available_.notify_one();
        throw;
    }
}

void SqlStorage::release(std::unique_ptr<Connection> connection) {
    {
        const std::lock_guard lock(mutex_);
        if (connection && connection->usable()) {
            idle_.push_back(std::move(connection));
        } else {
            --open_;
        }
    }
    available_.notify_one();
}

void SqlStorage::run_on(Connection& connection, bool read_only, const std::function<void(Connection&)>& work) {
    for (int attempt = 1;; ++attempt) {
        try {
            connection.begin(read_only);
            try {
                work(connection);
                connection.commit();
                return;
            } catch (...) {
                connection.rollback();
                throw;
            }
        } catch (const BusyError&) {
            if (attempt >= kMaxAttempts || !connection.usable()) throw;
            back_off(attempt);
        } catch (const db::SchemaRuleError& refused) {
            // The audit triggers (schema.cpp): SQLite names the rule by its message, PostgreSQL by CCA01.
            if (refused.rule() == "CCA01" || refused.rule().find("audit sequence") != std::string::npos) {
                throw AuditSequenceError(refused.what());
            }
            throw;  // "the audit log is append-only" (CCA02) stays a StorageError
        }
    }
}

void SqlStorage::run(Mode mode, const std::function<void(Transaction&)>& work) {
    const Lease lease(*this);
    run_on(*lease, mode == Mode::ReadOnly, [&](Connection& connection) {
        SqlTransaction transaction(connection, dialect_);
        work(transaction);
    });
}

void SqlStorage::migrate() {
    const Lease lease(*this);
    const bool postgres = dialect_ == Dialect::Postgres;
    if (postgres) {
        // Up to date: nothing to create. The service role, which may not create tables, opens it so.
        bool up_to_date = false;
        run_on(*lease, true, [&](Connection& db) {
            if (db.query(kMigrationsTablePostgres, {}).front().integer(0) == 0) return;
            const auto rows = db.query(kSchemaVersion, {});
            up_to_date = !rows.empty() && rows.front().integer(0) >= static_cast<std::int64_t>(migrations().back().version);
        });
        if (up_to_date) return;
    }
    run_on(*lease, false, [&](Connection& db) {
        if (postgres) db.query(kMigrationLockPostgres, {});
        db.execute(postgres ? kCreateMigrationsPostgres : kCreateMigrationsSqlite, {});
    });
    for (const Migration& migration : migrations()) {
        run_on(*lease, false, [&](Connection& db) {
            if (postgres) db.query(kMigrationLockPostgres, {});
            const std::array<Value, 1> version{static_cast<std::int64_t>(migration.version)};
            if (!db.query(kMigrationApplied, version).empty()) return;  // idempotent on every start
            db.execute_script(postgres ? migration.postgres_script : migration.sqlite_script);
            const std::array<Value, 2> row{static_cast<std::int64_t>(migration.version), std::string(migration.name)};
            db.execute(kRecordMigration, row);
        });
    }
}

void SqlStorage::import_batch(Connection& connection, std::span<const Citizen> batch) {
    SqlTransaction transaction(connection, dialect_);
    for (const Citizen& citizen : batch) transaction.put_citizen(citizen);
}

void SqlStorage::import_citizens(std::span<const Citizen> citizens, std::size_t batch_size) {
    if (batch_size == 0) batch_size = 10'000;
    const Lease lease(*this);
    struct BulkLoad {
        Connection& connection;
        explicit BulkLoad(Connection& c) : connection(c) { connection.bulk_load(true); }
        ~BulkLoad() {
            try {
                connection.bulk_load(false);
            } catch (...) {  // the pool drops a connection that cannot be reset
            }
        }
        BulkLoad(const BulkLoad&) = delete;
        BulkLoad& operator=(const BulkLoad&) = delete;
    } bulk(*lease);
    for (std::size_t start = 0; start < citizens.size(); start += batch_size) {
        const auto batch = citizens.subspan(start, std::min(batch_size, citizens.size() - start));
        run_on(*lease, false, [&](Connection& connection) { import_batch(connection, batch); });
    }
}

}  // namespace cccd::server::sql

namespace cccd::server {

std::uint32_t Storage::schema_version() {
    return read([](Transaction& t) {
        // Only the SQL backends exist; they answer through their own connection.
        auto& sql_transaction = dynamic_cast<sql::SqlTransaction&>(t);
        return sql_transaction.schema_version();
    });
}

}  // namespace cccd::server
