// Whole-file work on the embedded database: a raw keyed connection, the online backup and the
// integrity checks (sqlcipher_file.hpp has the diagram).
#include "server/storage/sqlcipher_file.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <sqlcipher/sqlite3.h>

#include <cerrno>
#include <cstring>

#include "base/error.hpp"

namespace cccd::server {

namespace fs = std::filesystem;

namespace {

constexpr int kBusyTimeoutMs = 5000;
constexpr int kBusyRounds = 100;          // a step found the database locked: 100 × 50 ms, then BusyError
constexpr std::size_t kProblemLines = 3;  // how many of integrity_check's lines a problem quotes

std::string key_literal(const SecretBytes& key) { return "x'" + to_hex(key.view()) + "'"; }

bool path_exists(const fs::path& path) {
    std::error_code ignored;
    return fs::exists(path, ignored);
}

void remove_quietly(const fs::path& path) {
    std::error_code ignored;
    fs::remove(path, ignored);
}

// The side files SQLite may leave beside a database.
std::vector<fs::path> side_files(const fs::path& path) {
    return {fs::path(path.string() + "-journal"), fs::path(path.string() + "-wal"), fs::path(path.string() + "-shm")};
}

void fsync_path(const fs::path& path, int flags) {
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0) throw db::StorageError("cannot open " + path.string() + " to flush it to disk");
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) throw db::StorageError("cannot flush " + path.string() + " to disk");
}

fs::path directory_of(const fs::path& file) { return file.parent_path().empty() ? fs::path(".") : file.parent_path(); }

// Moves `from` to `to` unless `to` exists (checked by the kernel, so no race with another writer).
void rename_without_replacing(const fs::path& from, const fs::path& to) {
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return;
    int error = errno;
    if (error == EINVAL || error == ENOSYS) {  // a file system without RENAME_NOREPLACE: a hard link refuses too
        if (::link(from.c_str(), to.c_str()) == 0) {
            ::unlink(from.c_str());
            return;
        }
        error = errno;
    }
    if (error == EEXIST)
        throw InvalidArgument(to.string() + " appeared while the backup was written: it was left as it was");
    throw db::StorageError("cannot rename the finished backup to " + to.string() + " (" + std::strerror(error) + ")");
}

// integrity_check's lines (one row per problem, or one row of several lines in older SQLite), the
// first few of them.
std::string first_problems(const std::vector<std::string>& rows) {
    std::vector<std::string> lines;
    for (const auto& row : rows) {
        std::size_t start = 0;
        while (start <= row.size()) {
            const std::size_t end = std::min(row.find('\n', start), row.size());
            std::string line = row.substr(start, end - start);
            if (!line.empty() && line.find("*** in database") == std::string::npos) lines.push_back(std::move(line));
            start = end + 1;
        }
    }
    std::string text;
    for (std::size_t i = 0; i < lines.size() && i < kProblemLines; ++i) text += (i == 0 ? "" : "; ") + lines[i];
    if (lines.size() > kProblemLines) text += " (and " + std::to_string(lines.size() - kProblemLines) + " more)";
    return text;
}

// Counted in the caller's transaction (the tables every CCCD schema has).
SqlCipherContents contents_of(SqlCipherFile& db) {
    auto count = [&](const char* sql, const char* what) { return static_cast<std::uint64_t>(db.integer(sql, what)); };
    SqlCipherContents contents;
    contents.schema_version = static_cast<std::uint32_t>(
        db.integer("SELECT max(version) FROM schema_migrations", "this is not a CCCD database (no schema_migrations)"));
    contents.citizens = count("SELECT count(*) FROM citizens", "cannot count the citizens");
    contents.cards = count("SELECT count(*) FROM cards", "cannot count the cards");
    contents.enrollments = count("SELECT count(*) FROM enrollments", "cannot count the enrollments");
    contents.audit_entries = count("SELECT max(sequence) FROM audit_log", "cannot read the audit log");
    contents.last_checkpoint_sequence = count("SELECT max(sequence) FROM audit_checkpoints", "cannot read the audit checkpoints");
    return contents;
}

struct FinishBackup {
    void operator()(sqlite3_backup* backup) const noexcept { sqlite3_backup_finish(backup); }
};

}  // namespace

// ---- SqlCipherFile ----

void SqlCipherFile::Close::operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }

SqlCipherFile::SqlCipherFile(const fs::path& path, const SecretBytes& key, Access access) : path_(path) {
    if (key.size() != 32) throw InvalidArgument("the SQLCipher key must be 32 bytes, got " + std::to_string(key.size()));
    const int flags = access == Access::ReadOnly ? SQLITE_OPEN_READONLY
                      : access == Access::ReadWrite ? SQLITE_OPEN_READWRITE
                                                    : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    sqlite3* raw = nullptr;
    const int opened = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    db_.reset(raw);  // closed even when opening failed
    if (opened != SQLITE_OK) {
        if (access != Access::Create && !path_exists(path)) throw db::StorageError("there is no database at " + path.string());
        throw db::StorageError("cannot open " + path.string() + " (" + sqlite3_errstr(opened) + ")");
    }
    sqlite3_extended_result_codes(db_.get(), 1);
    sqlite3_busy_timeout(db_.get(), kBusyTimeoutMs);
    std::string pragma = "PRAGMA key = \"" + key_literal(key) + "\"";
    const int keyed = sqlite3_exec(db_.get(), pragma.c_str(), nullptr, nullptr, nullptr);
    secure_wipe(pragma.data(), pragma.size());
    if (keyed != SQLITE_OK) throw db::StorageError("SQLCipher refused the key for " + path.string() + " (is this SQLCipher?)");
    // Page 1 decrypts here or never: a wrong key and a file of another kind fail alike.
    const int read = sqlite3_exec(db_.get(), "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
    if ((read & 0xFF) == SQLITE_NOTADB)
        throw db::WrongKeyError("the database key does not open " + path.string() +
                                ": a wrong key, a file that is not a CCCD database, or a damaged first page");
    if (read != SQLITE_OK) fail(read, "cannot read " + path.string());
}

SqlCipherFile::~SqlCipherFile() = default;

void SqlCipherFile::fail(int code, std::string_view what_failed) const {
    const std::string message = std::string(what_failed) + " (" + sqlite3_errmsg(db_.get()) + ")";
    switch (code & 0xFF) {
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB: throw DamagedDatabaseError(path_.string() + " is damaged: " + message);
        case SQLITE_BUSY:
        case SQLITE_LOCKED: throw db::BusyError(message + ": the database stayed locked");
        case SQLITE_FULL: throw db::StorageError(message + ": the disk is full");
        default: throw db::StorageError(message);
    }
}

void SqlCipherFile::exec(std::string_view sql, std::string_view what_failed) {
    const std::string text(sql);
    const int rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) fail(rc, what_failed);
}

std::vector<std::string> SqlCipherFile::column(std::string_view sql, std::string_view what_failed) {
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
    const std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> statement(raw, sqlite3_finalize);
    if (rc != SQLITE_OK) fail(rc, what_failed);
    std::vector<std::string> values;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(raw, 0));
        values.emplace_back(text != nullptr ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(raw, 0)))
                                            : std::string());
    }
    if (rc != SQLITE_DONE) fail(rc, what_failed);
    return values;
}

std::int64_t SqlCipherFile::integer(std::string_view sql, std::string_view what_failed) {
    const auto values = column(sql, what_failed);
    if (values.empty() || values.front().empty()) return 0;
    return std::strtoll(values.front().c_str(), nullptr, 10);
}

void SqlCipherFile::attach(const fs::path& path, const SecretBytes& key, std::string_view schema_name) {
    const std::string sql = "ATTACH DATABASE ?1 AS " + std::string(schema_name) + " KEY ?2";
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v2(db_.get(), sql.c_str(), -1, &raw, nullptr);
    const std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> statement(raw, sqlite3_finalize);
    if (rc != SQLITE_OK) fail(rc, "cannot prepare to attach " + path.string());
    std::string key_text = key_literal(key);
    sqlite3_bind_text(raw, 1, path.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(raw, 2, key_text.c_str(), static_cast<int>(key_text.size()), SQLITE_TRANSIENT);
    rc = sqlite3_step(raw);
    secure_wipe(key_text.data(), key_text.size());
    if (rc != SQLITE_DONE) fail(rc, "cannot attach " + path.string());
}

// ---- backup ----

SqlCipherBackupReport backup_sqlcipher(const fs::path& database, const SecretBytes& key, const fs::path& destination,
                                       const SqlCipherBackupOptions& options) {
    if (destination.empty()) throw InvalidArgument("no backup file named");
    if (path_exists(destination))
        throw InvalidArgument("the backup file " + destination.string() +
                              " exists already: a backup never overwrites a file; name a new one");
    const fs::path directory = directory_of(destination);
    std::error_code error;
    if (!fs::is_directory(directory, error))
        throw InvalidArgument("the directory " + directory.string() + " for the backup does not exist");
    if (options.pages_per_step < 1) throw InvalidArgument("pages_per_step must be at least 1");

    SqlCipherFile source(database, key, SqlCipherFile::Access::ReadWrite);  // WrongKeyError, no database
    // Only in WAL mode does a held snapshot leave writers alone (in rollback mode it would stop every
    // commit for the whole copy). Every database cccd-server has opened is in WAL mode.
    const auto journal = source.column("PRAGMA journal_mode", "cannot read the database's journal mode");
    if (journal.empty() || journal.front() != "wal")
        throw db::StorageError("the database " + database.string() +
                               " is not in write-ahead-log mode, so a backup would stop its writers: open it once with "
                               "cccd-server (any admin command does) and back it up then");

    // The snapshot: BEGIN, then the first read pins it. Everything below reads that one state.
    source.exec("BEGIN", "cannot begin reading the database");
    SqlCipherBackupReport report;
    report.contents = contents_of(source);

    // The copy: a new private file beside the destination (mkstemp: O_EXCL, mode 0600).
    std::string name = ".";
    name += destination.filename().string();
    name += ".partial-XXXXXX";
    std::string pattern = (directory / name).string();
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0)
        throw db::StorageError("cannot create a file in " + directory.string() + " (" + std::strerror(errno) + ")");
    ::close(fd);
    const fs::path partial = pattern;
    auto cleanup = [&] {
        remove_quietly(partial);
        for (const auto& side : side_files(partial)) remove_quietly(side);
    };
    try {
        {
            SqlCipherFile copy(partial, key, SqlCipherFile::Access::Create);  // an empty file is a new database
            std::unique_ptr<sqlite3_backup, FinishBackup> backup(
                sqlite3_backup_init(copy.handle(), "main", source.handle(), "main"));
            if (!backup)
                throw db::StorageError(std::string("cannot start the backup (") + sqlite3_errmsg(copy.handle()) + ")");
            int busy_rounds = 0;
            for (;;) {
                const int rc = sqlite3_backup_step(backup.get(), options.pages_per_step);
                SqlCipherBackupProgress progress{0, static_cast<std::uint64_t>(sqlite3_backup_pagecount(backup.get()))};
                progress.pages_copied = progress.pages_total - static_cast<std::uint64_t>(sqlite3_backup_remaining(backup.get()));
                if (rc == SQLITE_DONE) {
                    report.pages = progress.pages_total;
                    if (options.on_step) options.on_step(progress);
                    break;
                }
                if (rc == SQLITE_OK) {
                    busy_rounds = 0;
                    if (options.on_step) options.on_step(progress);
                    continue;
                }
                if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && ++busy_rounds <= kBusyRounds) {
                    sqlite3_sleep(50);
                    continue;
                }
                const std::string words = sqlite3_errstr(rc);
                if ((rc & 0xFF) == SQLITE_FULL) throw db::StorageError("the backup failed: the disk is full");
                if ((rc & 0xFF) == SQLITE_BUSY || (rc & 0xFF) == SQLITE_LOCKED)
                    throw db::BusyError("the backup failed: the database stayed locked");
                throw db::StorageError("the backup failed while copying pages (" + words + ")");
            }
            const int finished = sqlite3_backup_finish(backup.release());
            if (finished != SQLITE_OK)
                throw db::StorageError(std::string("the backup failed at its end (") + sqlite3_errstr(finished) + ")");
            source.exec("COMMIT", "cannot end reading the database");  // the snapshot is let go at once
            // One self-contained file: no -wal beside it, readable from read-only media.
            const auto mode = copy.column("PRAGMA journal_mode = DELETE", "cannot finish the backup file");
            if (mode.empty() || mode.front() != "delete")
                throw db::StorageError("cannot finish the backup file (it stays in write-ahead-log mode)");
        }
        for (const auto& side : side_files(partial))
            if (path_exists(side)) throw db::StorageError("the backup file was not closed cleanly (" + side.string() + ")");
        {
            // It opens with the key and holds the snapshot's schema.
            SqlCipherFile reread(partial, key, SqlCipherFile::Access::ReadOnly);
            const auto version = reread.integer("SELECT max(version) FROM schema_migrations", "cannot read the backup back");
            if (static_cast<std::uint32_t>(version) != report.contents.schema_version)
                throw db::StorageError("the backup read back differs from the database");
        }
        report.bytes = static_cast<std::uint64_t>(fs::file_size(partial));
        fsync_path(partial, O_RDONLY);
        rename_without_replacing(partial, destination);
    } catch (...) {
        cleanup();
        throw;
    }
    fsync_path(directory, O_RDONLY | O_DIRECTORY);
    return report;
}

// ---- integrity ----

SqlCipherFileCheck check_sqlcipher_file(const fs::path& file, const SecretBytes& key) {
    SqlCipherFileCheck check;
    try {
        SqlCipherFile db(file, key, SqlCipherFile::Access::ReadWrite);  // WrongKeyError passes through
        const auto version = db.column("PRAGMA cipher_version", "cannot ask for the SQLCipher version");
        check.cipher_version = version.empty() ? std::string("unknown") : version.front();
        check.pages = static_cast<std::uint64_t>(db.integer("PRAGMA page_count", "cannot count the pages"));
        const auto integrity = db.column("PRAGMA integrity_check", "the integrity check could not run");
        if (integrity.size() != 1 || integrity.front() != "ok") {
            check.ok = false;
            check.problem = "the integrity check found damage: " + first_problems(integrity);
            return check;
        }
        // SQLCipher 4 added cipher_integrity_check (a row per bad page, none when all are good); 3.x
        // does not know the pragma and would answer nothing, which must not read as "all good".
        if (std::atoi(check.cipher_version.c_str()) >= 4) {
            const auto pages = db.column("PRAGMA cipher_integrity_check", "the cipher integrity check could not run");
            check.cipher_checked = true;
            if (!pages.empty()) {
                check.ok = false;
                check.problem = "the cipher integrity check found damaged pages: " + first_problems(pages);
                return check;
            }
        }
        const auto tables = db.integer("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
                                       "cannot read the schema");
        if (tables == 0) {
            check.ok = false;
            check.problem = "this is not a CCCD database: it records no migrations";
            return check;
        }
        try {
            db.exec("BEGIN", "cannot begin reading the database");
            check.contents = contents_of(db);
            db.exec("COMMIT", "cannot end reading the database");
        } catch (const DamagedDatabaseError&) {
            throw;
        } catch (const db::StorageError& e) {  // a table missing: a database of another kind
            check.ok = false;
            check.problem = std::string("this is not a whole CCCD database: ") + e.what();
        }
    } catch (const DamagedDatabaseError& e) {
        check.ok = false;
        check.problem = e.what();
    }
    return check;
}

}  // namespace cccd::server
