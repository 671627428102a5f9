// The SQLCipher driver: RAII over sqlite3* and sqlite3_stmt*, the key, the durability pragmas, and the
// mapping of SQLite result codes onto db's errors.
#include "db/sqlcipher.hpp"

#include <fcntl.h>
#include <sqlcipher/sqlite3.h>
#include <unistd.h>

#include <limits>
#include <string_view>
#include <unordered_map>

namespace cccd::db {

namespace {

constexpr std::string_view kWrongKey = "the database key is wrong or the file is not a CCCD database";
constexpr int kBusyTimeoutMs = 5000;
constexpr std::string_view kRulePrefix = "cccd: ";  // how this project's triggers begin their messages

// Transaction control, prepared once per connection like every other statement: sqlite3_exec would
// compile the text again for each transaction, which was a fifth of a small read's cost.
constexpr Statement kBeginRead{"beginning a read transaction", "BEGIN DEFERRED"};
constexpr Statement kBeginWrite{"beginning a write transaction", "BEGIN IMMEDIATE"};
constexpr Statement kCommit{"committing", "COMMIT"};
constexpr Statement kRollback{"rolling back", "ROLLBACK"};

struct CloseDatabase {
    void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
struct FinalizeStatement {
    void operator()(sqlite3_stmt* statement) const noexcept { sqlite3_finalize(statement); }
};
using DatabaseHandle = std::unique_ptr<sqlite3, CloseDatabase>;
using StatementHandle = std::unique_ptr<sqlite3_stmt, FinalizeStatement>;

// Throws the db error for a failed SQLite call; `what` names the step, never a value.
[[noreturn]] void fail(sqlite3* db, int code, std::string_view what) {
    const std::string context = "storage: " + std::string(what) + ": ";
    const int primary = code & 0xFF;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
        throw BusyError(context + "the database is busy");
    }
    if (primary == SQLITE_NOTADB) throw WrongKeyError("storage: " + std::string(kWrongKey));
    if (primary == SQLITE_CONSTRAINT) {
        if (code == SQLITE_CONSTRAINT_TRIGGER) {
            // A trigger's message is the schema author's own text (RAISE(ABORT, 'cccd: ...')), never a
            // value, so it may be passed on; it also names the rule.
            std::string rule = db ? sqlite3_errmsg(db) : "";
            if (rule.starts_with(kRulePrefix)) rule.erase(0, kRulePrefix.size());
            throw SchemaRuleError(context + rule, rule);
        }
        if (code == SQLITE_CONSTRAINT_PRIMARYKEY || code == SQLITE_CONSTRAINT_UNIQUE) {
            throw ConflictError(context + "a record with this key already exists");
        }
        if (code == SQLITE_CONSTRAINT_FOREIGNKEY) {
            throw ConstraintError(context + "it refers to a record that does not exist");
        }
        throw ConstraintError(context + "a constraint refused the value");
    }
    if (primary == SQLITE_FULL) throw StorageError(context + "the disk is full");
    if (primary == SQLITE_READONLY || primary == SQLITE_CANTOPEN || primary == SQLITE_PERM) {
        throw StorageError(context + "cannot open or write the database file (" + sqlite3_errstr(code) + ")");
    }
    throw StorageError(context + sqlite3_errstr(code));
}

// A database file that does not exist yet is made here, empty and readable by its owner alone: SQLite
// would make it 0644 less the process's umask, and its -wal and -shm files take the database file's
// mode. An existing file keeps its mode (the operator's); any failure is left to sqlite3_open_v2 to
// report, which opens the same path next.
void create_private_if_missing(const std::string& path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) ::close(fd);
}

class SqliteConnection final : public Connection {
public:
    SqliteConnection(const std::string& path, const std::optional<SecretBytes>& key) {
        create_private_if_missing(path);
        sqlite3* raw = nullptr;
        const int opened = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
        db_.reset(raw);  // closed even when opening failed
        if (opened != SQLITE_OK) fail(nullptr, opened, "opening the database file");
        sqlite3_extended_result_codes(db_.get(), 1);
        sqlite3_busy_timeout(db_.get(), kBusyTimeoutMs);
        if (key) apply_key(*key);
        // The first read decrypts page 1: a wrong key (or a plain file opened with a key, or an
        // encrypted one without) fails here, before anything is written.
        execute_script("SELECT count(*) FROM sqlite_master");  // SQLITE_NOTADB -> WrongKeyError
        // WAL: readers never block the writer; FULL: the WAL is synced at every commit, so an
        // acknowledged commit survives a crash or SIGKILL of the process (and power loss).
        const auto mode = pragma_text("PRAGMA journal_mode = WAL");
        if (mode != "wal") throw StorageError("storage: the database cannot use write-ahead logging");
        execute_script("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -16384;");
    }

    // 16 MiB per connection in service; 1 GiB (allocated only as pages are touched) during a bulk import.
    void bulk_load(bool on) override { execute_script(on ? "PRAGMA cache_size = -1048576" : "PRAGMA cache_size = -16384"); }

    void begin(bool read_only) override {
        // IMMEDIATE takes the write lock at once, so two writers queue on busy_timeout instead of
        // deadlocking on an upgrade from a shared lock.
        execute(read_only ? kBeginRead : kBeginWrite, {});
    }
    void commit() override { execute(kCommit, {}); }
    void rollback() noexcept override {
        if (sqlite3_get_autocommit(db_.get())) return;
        try {
            execute(kRollback, {});
        } catch (const std::exception&) {
            // Nothing more to do here: SQLite rolls back what is left when the connection closes.
        }
    }

    std::vector<Row> query(const Statement& statement, std::span<const Value> parameters) override {
        Bound bound(*this, statement, parameters);
        std::vector<Row> rows;
        for (;;) {
            const int step = sqlite3_step(bound.statement);
            if (step == SQLITE_DONE) break;
            if (step != SQLITE_ROW) fail(db_.get(), step, statement.name);
            const int columns = sqlite3_column_count(bound.statement);
            std::vector<Value> values;
            values.reserve(static_cast<std::size_t>(columns));
            for (int c = 0; c < columns; ++c) values.push_back(column(bound.statement, c));
            rows.emplace_back(std::move(values));
        }
        return rows;
    }

    std::uint64_t execute(const Statement& statement, std::span<const Value> parameters) override {
        Bound bound(*this, statement, parameters);
        int step = SQLITE_ROW;
        while (step == SQLITE_ROW) step = sqlite3_step(bound.statement);
        if (step != SQLITE_DONE) fail(db_.get(), step, statement.name);
        return static_cast<std::uint64_t>(sqlite3_changes(db_.get()));
    }

    void execute_script(std::string_view script) override {
        const std::string text(script);
        const int rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, nullptr);
        if (rc != SQLITE_OK) fail(db_.get(), rc, "running a schema or control statement");
    }

private:
    // A cached statement with its parameters bound; reset (and unbound) when the use is over.
    struct Bound {
        Bound(SqliteConnection& owner, const Statement& s, std::span<const Value> parameters)
            : statement(owner.prepare(s)) {
            int index = 1;
            for (const Value& value : parameters) owner.bind(statement, index++, value, s.name);
        }
        ~Bound() {
            sqlite3_reset(statement);
            sqlite3_clear_bindings(statement);
        }
        Bound(const Bound&) = delete;
        Bound& operator=(const Bound&) = delete;
        sqlite3_stmt* statement;
    };

    void apply_key(const SecretBytes& key) {
        // PRAGMA key = "x'<64 hex>'": the raw key, no passphrase derivation. The text is wiped after use.
        std::string pragma = "PRAGMA key = \"x'" + to_hex(key.view()) + "'\"";
        const int rc = sqlite3_exec(db_.get(), pragma.c_str(), nullptr, nullptr, nullptr);
        secure_wipe(pragma.data(), pragma.size());
        if (rc != SQLITE_OK) throw StorageError("storage: SQLCipher refused the key (is this SQLCipher?)");
    }

    std::string pragma_text(const char* pragma) {
        sqlite3_stmt* raw = nullptr;
        int rc = sqlite3_prepare_v2(db_.get(), pragma, -1, &raw, nullptr);
        const StatementHandle statement(raw);
        if (rc != SQLITE_OK) fail(db_.get(), rc, "setting up the database");
        rc = sqlite3_step(raw);
        if (rc != SQLITE_ROW) fail(db_.get(), rc, "setting up the database");
        const auto* text = sqlite3_column_text(raw, 0);
        return text ? std::string(reinterpret_cast<const char*>(text)) : std::string();
    }

    sqlite3_stmt* prepare(const Statement& s) {
        const auto found = statements_.find(s.text);
        if (found != statements_.end()) return found->second.get();
        sqlite3_stmt* raw = nullptr;
        const int rc = sqlite3_prepare_v2(db_.get(), s.text, -1, &raw, nullptr);
        StatementHandle statement(raw);
        if (rc != SQLITE_OK) fail(db_.get(), rc, s.name);
        return statements_.emplace(s.text, std::move(statement)).first->second.get();
    }

    void bind(sqlite3_stmt* statement, int index, const Value& value, const char* name) {
        int rc = SQLITE_OK;
        if (std::holds_alternative<Null>(value)) {
            rc = sqlite3_bind_null(statement, index);
        } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
            rc = sqlite3_bind_int64(statement, index, *i);
        } else if (const auto* s = std::get_if<std::string>(&value)) {
            // The parameters outlive the statement's use (Bound resets before they go), so no copy.
            rc = sqlite3_bind_text64(statement, index, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
        } else if (const auto* b = std::get_if<Bytes>(&value)) {
            // An empty blob must stay an empty blob, not NULL: zeroblob(0) for it.
            rc = b->empty() ? sqlite3_bind_zeroblob(statement, index, 0)
                            : sqlite3_bind_blob64(statement, index, b->data(), b->size(), SQLITE_STATIC);
        }
        if (rc != SQLITE_OK) fail(db_.get(), rc, name);
    }

    static Value column(sqlite3_stmt* statement, int c) {
        switch (sqlite3_column_type(statement, c)) {
            case SQLITE_NULL: return Null{};
            case SQLITE_INTEGER: return static_cast<std::int64_t>(sqlite3_column_int64(statement, c));
            case SQLITE_BLOB: {
                const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(statement, c));
                const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement, c));
                return data ? Bytes(data, data + size) : Bytes{};
            }
            default: {
                const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, c));
                const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement, c));
                return text ? std::string(text, size) : std::string();
            }
        }
    }

    // Declared first so the statements below are finalized before the database closes.
    DatabaseHandle db_;
    std::unordered_map<const char*, StatementHandle> statements_;
};

}  // namespace

std::unique_ptr<Connection> open_sqlcipher(const std::string& path, const std::optional<SecretBytes>& key) {
    if (key && key->size() != 32) {
        throw InvalidArgument("storage: the SQLCipher key must be 32 bytes, got " + std::to_string(key->size()));
    }
    return std::make_unique<SqliteConnection>(path, key);
}

}  // namespace cccd::db
