#pragma once
// Whole-file work on the embedded SQLCipher database, past the Storage interface:
//
//   SqlCipherFile          one raw connection to a file, keyed on open, closed on every path
//   backup_sqlcipher       an online, consistent copy while the server writes (SQLite's backup API)
//   check_sqlcipher_file   PRAGMA integrity_check (and cipher_integrity_check where SQLCipher has it)
//
// A copy stays encrypted under the same key. The key is never logged, printed or put in an error
// message; the text that carries it to SQLCipher is wiped after use. docs/backup-restore.md.
//
//   backup_sqlcipher(db, key, dest):
//     source: own connection to db ── BEGIN; first read ──────────── snapshot S held ───── COMMIT
//     dest:   mkstemp(".dest.partial-XXXXXX", 0600) ── backup_step(N pages) × k ── journal_mode=DELETE
//             ── reopen, read page 1 ── fsync ── rename (never over an existing file) ── fsync(dir)
//   In WAL mode a held read snapshot blocks no writer: commits go on into the WAL while the pages of S
//   are copied, and SQLite does not restart the copy (its snapshot never changes).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <memory>

#include "base/bytes.hpp"
#include "db/errors.hpp"

struct sqlite3;

namespace cccd::server {

// The file is not a whole database: truncated, a page that does not decrypt or whose HMAC fails.
class DamagedDatabaseError : public db::StorageError {
public:
    using db::StorageError::StorageError;
};

class SqlCipherFile {
public:
    enum class Access {
        ReadOnly,   // never writes (a rollback-journal file needs no side files then)
        ReadWrite,  // an existing file
        Create,     // creates it when missing (an empty file is a new database)
    };
    // Opens `path`, applies `key` (32 bytes, InvalidArgument otherwise) and reads page 1.
    // WrongKeyError when page 1 does not decrypt: a wrong key, a file that is not an SQLCipher database
    // made with this kind of key, or a damaged first page (SQLCipher cannot tell these apart).
    // DamagedDatabaseError when a later page is damaged or the file is cut short; StorageError when
    // the file cannot be opened.
    SqlCipherFile(const std::filesystem::path& path, const SecretBytes& key, Access access);
    ~SqlCipherFile();
    SqlCipherFile(const SqlCipherFile&) = delete;
    SqlCipherFile& operator=(const SqlCipherFile&) = delete;

    // Runs statements without results; StorageError("<what_failed> (<SQLite's words>)") when refused
    // (DamagedDatabaseError for a damaged page, BusyError when locked past the 5 s busy timeout).
    void exec(std::string_view sql, std::string_view what_failed);
    // The first column of every row, as text (NULL as "").
    std::vector<std::string> column(std::string_view sql, std::string_view what_failed);
    // The first column of the first row as an integer (0 for NULL or no row).
    std::int64_t integer(std::string_view sql, std::string_view what_failed);
    // ATTACH DATABASE path AS schema_name KEY key, with bound values (neither is spliced into SQL).
    void attach(const std::filesystem::path& path, const SecretBytes& key, std::string_view schema_name);

    const std::filesystem::path& path() const noexcept { return path_; }
    sqlite3* handle() noexcept { return db_.get(); }

private:
    struct Close {
        void operator()(sqlite3* db) const noexcept;
    };
    [[noreturn]] void fail(int code, std::string_view what_failed) const;

    std::filesystem::path path_;
    std::unique_ptr<sqlite3, Close> db_;
};

// What a CCCD database holds, counted in one read transaction.
struct SqlCipherContents {
    std::uint32_t schema_version = 0;  // the highest migration it records
    std::uint64_t citizens = 0;
    std::uint64_t cards = 0;
    std::uint64_t enrollments = 0;
    std::uint64_t audit_entries = 0;             // the last audit sequence (0: an empty log)
    std::uint64_t last_checkpoint_sequence = 0;  // 0: no checkpoint
};

// ---- backup ----

struct SqlCipherBackupProgress {
    std::uint64_t pages_copied = 0;
    std::uint64_t pages_total = 0;
};

struct SqlCipherBackupOptions {
    // Pages copied per sqlite3_backup_step (SQLCipher 3 pages are 1024 bytes: 1 MiB a step). The
    // snapshot is held between steps, so the size only sets how often on_step is called.
    int pages_per_step = 1024;
    // Called after each step, with the snapshot held (the server keeps writing meanwhile).
    std::function<void(const SqlCipherBackupProgress&)> on_step;
};

struct SqlCipherBackupReport {
    std::uint64_t pages = 0;
    std::uint64_t bytes = 0;
    SqlCipherContents contents;  // counted in the snapshot that was copied: they describe the file exactly
};

// Copies the CCCD database at `database` (opened with `key`) to `destination`, a new file (an existing
// one is refused: InvalidArgument), while other connections and processes go on writing. The copy is a
// consistent snapshot: every transaction committed before the snapshot began and none after. Written
// to a temporary file beside `destination` (mode 0600, removed on failure), flushed, then renamed.
// The copy is a rollback-journal file (one self-contained file; opening it for service turns WAL back
// on). WrongKeyError when the key does not open the database; StorageError when a file cannot be read
// or written (the disk full, a directory missing).
SqlCipherBackupReport backup_sqlcipher(const std::filesystem::path& database, const SecretBytes& key,
                                       const std::filesystem::path& destination,
                                       const SqlCipherBackupOptions& options = {});

// ---- integrity ----

struct SqlCipherFileCheck {
    bool ok = true;
    std::string problem;             // the first problems found, in SQLite's words (pages, indexes: never a value)
    std::string cipher_version;      // PRAGMA cipher_version
    bool cipher_checked = false;     // PRAGMA cipher_integrity_check ran (SQLCipher 4 and later)
    std::uint64_t pages = 0;
    SqlCipherContents contents;      // when the checks passed
};

// Opens `file` with `key` and checks it: PRAGMA integrity_check (every b-tree page read, which on
// SQLCipher also checks each page's HMAC), PRAGMA cipher_integrity_check where SQLCipher has it (4.0
// and later: every page's HMAC, free pages included), and that it is a CCCD database (it records its
// migrations). Nothing is written, but the file is opened read-write so that a WAL-mode file's side
// files go when it closes: run it on a copy (verify and restore do). A damaged file is a result
// (ok = false), not an exception; WrongKeyError when page 1 does not decrypt, StorageError when the
// file cannot be opened.
SqlCipherFileCheck check_sqlcipher_file(const std::filesystem::path& file, const SecretBytes& key);

}  // namespace cccd::server
