#include "server/admin/installation.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/clock.hpp"
#include "base/error.hpp"
#include "crypto/key_file.hpp"
#include "server/admin/audit_tools.hpp"
#include "server/admin/configured_storage.hpp"
#include "server/audit/audit_log.hpp"
#include "server/security/audit_chain.hpp"
#include "server/storage/sqlcipher_file.hpp"

namespace cccd::server::admin {

namespace fs = std::filesystem;

namespace {

bool path_exists(const fs::path& path) {
    std::error_code ignored;
    return fs::exists(path, ignored);
}

void remove_quietly(const fs::path& path) {
    std::error_code ignored;
    fs::remove(path, ignored);
}

void fsync_path(const fs::path& path, int flags) {
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0) throw StorageError("cannot open " + path.string() + " to flush it");
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) throw StorageError("cannot flush " + path.string() + " to disk");
}

// An empty file with the permissions of `model`, so the renamed copy is as private as the original.
void create_empty_like(const fs::path& path, const fs::path& model) {
    struct stat info {};
    if (::stat(model.c_str(), &info) != 0) throw StorageError("cannot read the permissions of " + model.string());
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, info.st_mode & 0777);
    if (fd < 0) throw StorageError("cannot create " + path.string());
    ::close(fd);
}

struct Snapshot {
    std::uint64_t citizens = 0;
    std::optional<AuditEntry> last_audit;
};

Snapshot snapshot_of(const fs::path& path, const SecretBytes& key) {
    auto storage = open_storage({StorageKind::SqlCipher, path.string(), key, 1});
    return storage->read([](Transaction& t) { return Snapshot{t.count_citizens(), t.last_audit()}; });
}

}  // namespace

AuthenticationKeysReport init_authentication_keys(const http::ServerConfig& config,
                                                  const std::optional<SecretBytes>& assertion_passphrase,
                                                  std::string_view actor, const crypto::KeyFileKdf& kdf) {
    AuthenticationKeysReport report;
    if (config.assertion_key_file.empty()) return report;
    report.configured = true;
    const fs::path key_file = config.assertion_key_file;
    const bool key_exists = path_exists(key_file);
    if (!key_exists && (!assertion_passphrase || assertion_passphrase->size() < 12))
        throw InvalidArgument("the assertion signing key " + key_file.string() + " does not exist yet: set " +
                              std::string(assertion_passphrase_variable) + " or " +
                              std::string(assertion_passphrase_file_variable) +
                              " to the passphrase that will seal it (at least 12 characters)");
    if (config.pairwise_secret_file.empty())
        throw InvalidArgument("pairwise_secret_file is required when assertion_key_file is set");
    if (key_exists && assertion_passphrase) {
        report.assertion_key_id = crypto::read_ed25519_key_file(key_file, *assertion_passphrase).key_id();
    } else if (key_exists) {
        report.assertion_key_id = crypto::ed25519_key_id(crypto::read_ed25519_public_key(key_file));
    }
    auto storage = open_configured_storage(config);
    if (!path_exists(config.pairwise_secret_file)) {
        crypto::create_secret_key_file(config.pairwise_secret_file);
        report.created_pairwise_secret = true;
    }
    if (!key_exists) {
        const auto key = crypto::Ed25519KeyPair::generate();
        crypto::write_ed25519_key_file(key_file, key, *assertion_passphrase, kdf);
        report.created_assertion_key = true;
        report.assertion_key_id = key.key_id();
    }
    if (report.created_assertion_key || report.created_pairwise_secret) {
        const std::string detail = "assertion_key=" + std::string(report.created_assertion_key ? "created" : "kept") +
                                   " pairwise_secret=" + (report.created_pairwise_secret ? "created" : "kept") +
                                   " assertion_key_id=" + report.assertion_key_id;
        storage->transaction([&](Transaction& t) {
            append_audit(t, {utc_now(), std::string(actor), "install.auth-keys", "", "ok", detail});
        });
    }
    return report;
}

InitReport init_installation(const http::ServerConfig& config, const std::optional<SecretBytes>& audit_passphrase,
                             std::string_view actor, const crypto::KeyFileKdf& kdf) {
    InitReport report;
    const fs::path audit_key_file = config.audit_signing_key_file;
    const bool audit_key_exists = path_exists(audit_key_file);
    // Refusals come before the first file is made, so a refused init leaves nothing half done.
    if (!audit_key_exists && !audit_passphrase)
        throw InvalidArgument("the audit signing key " + audit_key_file.string() + " does not exist yet: set " +
                              std::string(audit_passphrase_variable) + " or " + std::string(audit_passphrase_file_variable) +
                              " to the passphrase that will seal it (at least 12 characters)");
    if (!audit_key_exists && audit_passphrase->size() < 12)
        throw InvalidArgument("the audit key passphrase must have at least 12 characters");
    std::optional<crypto::Ed25519KeyPair> signing_key;  // when the passphrase is here to open it
    if (audit_key_exists && audit_passphrase) {
        signing_key.emplace(crypto::read_ed25519_key_file(audit_key_file, *audit_passphrase));
        report.audit_key_id = signing_key->key_id();
        report.checked_audit_passphrase = true;
    } else if (audit_key_exists) {
        report.audit_key_id = crypto::ed25519_key_id(crypto::read_ed25519_public_key(audit_key_file));
    }
    if (config.database_kind == "sqlcipher" && !path_exists(config.database_key_file)) {
        if (path_exists(config.database_path))
            throw InvalidArgument("the database " + config.database_path + " exists but its key file " +
                                  config.database_key_file + " does not: restore the key file (a new key cannot open it)");
        create_database_key(config.database_key_file);
        report.created_database_key = true;
    }
    // The database opens (right key, reachable) before an audit key is made for it; the owner migrates.
    auto storage = open_configured_storage_as_owner(config);
    if (!config.database_service_role.empty()) {
        grant_postgres_service_role(config.database_owner_connection_string, config.database_service_role);
        report.service_role = config.database_service_role;
    }
    if (!audit_key_exists) {
        const auto key = crypto::Ed25519KeyPair::generate();
        crypto::write_ed25519_key_file(audit_key_file, key, *audit_passphrase, kdf);
        report.created_audit_key = true;
        report.audit_key_id = key.key_id();
        signing_key.emplace(key);
    }
    if (report.created_database_key || report.created_audit_key) {
        std::string detail = "database_key=" + std::string(report.created_database_key ? "created" : "kept") +
                             " audit_key=" + (report.created_audit_key ? "created" : "kept") +
                             " audit_key_id=" + report.audit_key_id;
        storage->transaction([&](Transaction& t) {
            append_audit(t, {utc_now(), std::string(actor), "install.init", "", "ok", detail});
        });
    }
    if (signing_key) {
        // The log never starts (or stays, after admin commands) without a checkpoint over its last entry.
        AuditCheckpointer checkpointer(*storage, *signing_key, 1, std::chrono::seconds(0));
        checkpointer.on_checkpoint([&](const AuditCheckpoint& made) {
            if (!config.audit_checkpoint_log.empty()) append_checkpoint_log(config.audit_checkpoint_log, made);
        });
        report.checkpoint = checkpointer.checkpoint_now();
    }
    report.schema_version = storage->schema_version();
    report.citizens = storage->count_citizens();
    return report;
}

AuditKeyRotation rotate_audit_key(Storage& storage, const crypto::Ed25519KeyPair& current,
                                  const fs::path& new_key_file, const SecretBytes& new_passphrase,
                                  std::string_view actor, const crypto::KeyFileKdf& kdf) {
    const auto next = crypto::Ed25519KeyPair::generate();
    crypto::write_ed25519_key_file(new_key_file, next, new_passphrase, kdf);  // refuses an existing file
    AuditKeyRotation rotation{current.key_id(), next.key_id(), next.public_key(), 0, {}};
    try {
        rotation.checkpoint = storage.transaction([&](Transaction& t) {
            const std::string detail = "from=" + current.key_id() + " to=" + next.key_id() +
                                       " public_key=" + to_hex(next.public_key());
            const AuditEntry entry = append_audit(t, {utc_now(), std::string(actor), "audit.key-rotate", next.key_id(), "ok", detail});
            const auto previous = t.last_checkpoint();
            AuditCheckpoint checkpoint = security::sign_checkpoint(entry, previous ? &*previous : nullptr, utc_now(), current);
            t.append_checkpoint(checkpoint);
            return checkpoint;
        });
        rotation.announcement_sequence = rotation.checkpoint.sequence;
    } catch (...) {
        remove_quietly(new_key_file);  // a key the log never announced must not be put to use
        throw;
    }
    return rotation;
}

RekeyReport rekey_database(const fs::path& database, const SecretBytes& old_key, const fs::path& new_key_file,
                           std::string_view actor, const std::function<void(std::string_view)>& on_step) {
    auto step = [&](std::string_view what) {
        if (on_step) on_step(what);
    };
    if (!path_exists(database)) throw InvalidArgument("there is no database at " + database.string());
    const fs::path copy = database.string() + ".rekey";
    const fs::path wal = database.string() + "-wal";
    const fs::path shm = database.string() + "-shm";

    step("checking the current key and counting the records");
    const Snapshot before = snapshot_of(database, old_key);  // WrongKeyError for a wrong current key
    // Our own last connection removed the WAL and shared memory: if they are back, someone else has it open.
    if (path_exists(wal) || path_exists(shm))
        throw StorageError("the database " + database.string() +
                           " is open in another process: stop cccd-server before changing the key");

    const bool created_key = !path_exists(new_key_file);
    if (created_key) create_database_key(new_key_file);
    auto cleanup = [&] {
        for (const auto& leftover : {copy, fs::path(copy.string() + "-wal"), fs::path(copy.string() + "-shm")})
            remove_quietly(leftover);
        if (created_key) remove_quietly(new_key_file);
    };
    RekeyReport report;
    try {
        const SecretBytes new_key = load_database_key(new_key_file);
        if (new_key == old_key) throw InvalidArgument("the new key file holds the current key: nothing would change");
        for (const auto& leftover : {copy, fs::path(copy.string() + "-wal"), fs::path(copy.string() + "-shm")})
            remove_quietly(leftover);  // a copy left by an interrupted run; the original was never touched

        step("writing a copy encrypted under the new key");
        create_empty_like(copy, database);  // SQLite takes an empty file as a new database
        {
            SqlCipherFile source(database, old_key, SqlCipherFile::Access::ReadWrite);
            source.attach(copy, new_key, "rekeyed");
            source.exec("SELECT sqlcipher_export('rekeyed')", "copying the database under the new key failed");
            source.exec("DETACH DATABASE rekeyed", "cannot close the re-encrypted copy");
        }

        step("checking the copy opens with the new key and holds the same records");
        {
            auto storage = open_storage({StorageKind::SqlCipher, copy.string(), new_key, 1});
            const Snapshot after = storage->read([](Transaction& t) { return Snapshot{t.count_citizens(), t.last_audit()}; });
            if (after.citizens != before.citizens || after.last_audit != before.last_audit)
                throw StorageError("the re-encrypted copy differs from the database; the database was left as it was");
            const std::string detail = "new_key_file=" + new_key_file.filename().string();
            storage->transaction([&](Transaction& t) {
                append_audit(t, {utc_now(), std::string(actor), "database.rekey", "", "ok", detail});
            });
            report.citizens = after.citizens;
            report.audit_entries = after.last_audit ? after.last_audit->sequence + 1 : 1;
        }
        if (path_exists(fs::path(copy.string() + "-wal")))
            throw StorageError("the re-encrypted copy was not closed cleanly; the database was left as it was");

        step("replacing the database with the copy");
        fsync_path(copy, O_RDONLY);
        fs::rename(copy, database);  // atomic: the old file or the new one, never a mix
    } catch (...) {
        cleanup();
        throw;
    }
    // From here the database needs the new key: nothing may remove its key file any more.
    fsync_path(database.parent_path().empty() ? fs::path(".") : database.parent_path(), O_RDONLY | O_DIRECTORY);
    return report;
}

}  // namespace cccd::server::admin
