#pragma once
// Backups of the embedded SQLCipher database that restore (docs/backup-restore.md).
//
//   take_backup      an online, consistent copy while the server serves (server/storage/sqlcipher_file.hpp)
//   verify_backup    checks a backup on a working copy: integrity, the schema, the audit chain
//   restore_backup   the same checks on a copy inside an empty data directory, then renamed into place
//
//   backup file ──copy (0600, fsync)──▶ working copy ── check_sqlcipher_file (integrity_check)
//       ── open_storage (an older schema is migrated, in the copy) ── verify_audit (server/audit)
//       ├─ verify:  report; the working copy and its directory are removed
//       └─ restore: audit entry "database.restore", fsync, rename to database_path, fsync(dir)
//
// The backup file is only read, byte by byte: SQLite never opens it, so a check never changes it and it
// may sit on read-only media. PostgreSQL is refused with a pointer to its own procedure.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.hpp"
#include "crypto/ed25519.hpp"
#include "server/admin/registry.hpp"  // AdminRefusal
#include "server/audit/audit_log.hpp"
#include "server/http/config.hpp"
#include "server/storage/sqlcipher_file.hpp"

namespace cccd::server::admin {

// InvalidArgument unless the configuration names the SQLCipher backend: on PostgreSQL, backups are the
// cluster's (pg_basebackup and WAL archiving, or pg_dump), verified after a restore with `admin audit
// verify`; the message says so. `command` names the refused command ("backup", "restore", ...).
void require_sqlcipher_backend(const http::ServerConfig& config, std::string_view command);

// What a database restored from a backup can be held to: the anchors and published checkpoints up to
// its last entry. Those after it are newer than the backup (the time a restore gives up), counted in
// `published_later` and `anchors_later`, not looked for. `admin audit verify --restored` and the
// backup checks use it; a plain verification keeps them all (a log cut back must fail).
AuditExpectations expectations_up_to(const AuditExpectations& expected, std::uint64_t last_entry,
                                     std::uint64_t& published_later, std::uint64_t& anchors_later);

// The last entry of the backup a restored database came from: its last entry, less the restore's own
// (database.restore, appended by restore_backup) when that is the last. What `audit verify --restored`
// holds it to: the live log went on from the backup's end with other entries than the restore's.
std::uint64_t restored_backup_end(Storage& restored);

// Copies the configured database to `destination` (a new file) while the server goes on writing:
// backup_sqlcipher with the configured key (database_key_file or CCCD_DB_KEY).
SqlCipherBackupReport take_backup(const http::ServerConfig& config, const std::filesystem::path& destination,
                                  const SqlCipherBackupOptions& options = {});

// What the verifier knows from outside the backup: the same as `admin audit verify` takes.
struct BackupExpectations {
    crypto::PublicKeySet trusted_keys;  // the audit public keys, from copies kept off the host
    // Anchors and published checkpoints after the backup's last entry are newer than the backup and
    // are not looked for in it (counted in BackupVerification::published_later / anchors_later);
    // those up to it must be there unchanged.
    AuditExpectations audit;
};

struct BackupVerification {
    bool ok = false;
    std::string problem;            // the first failure, in words; empty when ok
    SqlCipherFileCheck file;        // integrity_check, the SQLCipher version, the schema it records
    std::uint32_t schema_version = 0;  // after opening (an older backup is migrated in the working copy)
    std::uint64_t citizens = 0;
    std::uint64_t cards = 0;
    std::uint64_t enrollments = 0;
    bool audit_checked = false;     // the audit chain was walked (the file checks passed)
    AuditVerification audit;
    std::uint64_t published_later = 0;  // checkpoints of the checkpoint log newer than the backup
    std::uint64_t anchors_later = 0;
};

// Verifies `backup` (opened with `key`) on a working copy in a new private directory under
// `scratch_directory` (it needs as much free space as the backup's size), removed at the end. A backup
// that fails a check is a result (ok = false). WrongKeyError when the key does not open it (a backup
// made before `keys rekey-database` needs the key of its time); ParseError when the backup cannot be
// read; StorageError when the working copy cannot be written.
BackupVerification verify_backup(const std::filesystem::path& backup, const SecretBytes& key,
                                 const BackupExpectations& expected, const std::filesystem::path& scratch_directory);

struct RestoreReport {
    bool restored = false;          // false: the backup failed verification; nothing was put in place
    BackupVerification verification;
    std::filesystem::path database;
    std::uint64_t restore_entry = 0;  // the audit entry "database.restore" appended to the restored log
};

// Restores `backup` to `database_path`, whose directory (the data directory) must be empty or missing
// (created mode 0700): AdminRefusal otherwise, naming what is in it. The backup is copied into that
// directory, verified there as verify_backup does (nothing is put in place when it fails), migrated
// when older, audited ("database.restore", subject empty, detail: the backup's file name and last
// entry) and renamed to `database_path`. Run as root, the file gets the data directory's owner, so the
// service user can open it.
RestoreReport restore_backup(const std::filesystem::path& backup, const SecretBytes& key,
                             const std::filesystem::path& database_path, const BackupExpectations& expected,
                             std::string_view actor);

}  // namespace cccd::server::admin
