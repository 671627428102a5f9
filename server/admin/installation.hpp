#pragma once
// A new installation's keys and database, and their rotation.
//
//   init_installation      creates the SQLCipher key file and the sealed audit signing key when missing,
//                          opens (creating and migrating) the database. Running it again changes nothing.
//   rotate_audit_key       a new audit signing key; the old key signs a checkpoint over the entry that
//                          announces the new key, so whoever trusts the old key learns the new one.
//   rekey_database         re-encrypts the SQLCipher file under a new key (server stopped).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.hpp"
#include "crypto/ed25519.hpp"
#include "server/http/config.hpp"
#include "server/storage/storage.hpp"

namespace cccd::server::admin {

// The variables that hold the audit key passphrase (or name a file whose first line is it).
inline constexpr std::string_view audit_passphrase_variable = "CCCD_AUDIT_KEY_PASSPHRASE";
inline constexpr std::string_view audit_passphrase_file_variable = "CCCD_AUDIT_KEY_PASSPHRASE_FILE";

struct InitReport {
    bool created_database_key = false;
    bool created_audit_key = false;
    bool checked_audit_passphrase = false;  // the passphrase was given and opens the existing key
    std::string audit_key_id;
    std::uint32_t schema_version = 0;
    std::uint64_t citizens = 0;
    std::optional<AuditCheckpoint> checkpoint;  // signed over the last entry when it was not covered
    std::string service_role;                   // PostgreSQL: the service's role, created or its grants renewed
};

// On PostgreSQL the migrations run through database_owner_connection_string (when set), and with
// database_service_role set the service role is created or its grants renewed
// (grant_postgres_service_role): the service then connects as that role, which may only INSERT and
// SELECT the audit tables. Run it again after an upgrade (new migrations, new tables to grant).
// `audit_passphrase` is needed to create the audit key; given for an existing key it is checked
// (CryptoError when it does not open it), so a wrong passphrase shows at install time, not at start.
// InvalidArgument naming the variable when the key must be made and there is no passphrase.
// When it creates a key it appends the audit entry "install.init" naming what it made (and the audit
// key id), so the log starts by saying which key signs it. With the key open (made now, or the
// passphrase given) it signs a checkpoint over the last entry unless one covers it, and appends it to
// `audit_checkpoint_log` when configured. A database whose key file is missing is
// refused: a new key could never open it.
InitReport init_installation(const http::ServerConfig& config, const std::optional<SecretBytes>& audit_passphrase,
                             std::string_view actor, const crypto::KeyFileKdf& kdf = {});

// The variables that hold the assertion signing key's passphrase (the authentication API).
inline constexpr std::string_view assertion_passphrase_variable = "CCCD_ASSERTION_KEY_PASSPHRASE";
inline constexpr std::string_view assertion_passphrase_file_variable = "CCCD_ASSERTION_KEY_PASSPHRASE_FILE";

struct AuthenticationKeysReport {
    bool configured = false;              // the configuration names an assertion key (the API is on)
    bool created_assertion_key = false;
    bool created_pairwise_secret = false;
    std::string assertion_key_id;
};

// For the authentication API: makes the assertion signing key (Ed25519, sealed with the passphrase,
// at least 12 characters) and the pairwise-subject secret (32 random bytes) when the configuration
// names them and they do not exist; an existing key is checked against the passphrase when one is
// given. Nothing when the configuration has no assertion_key_file. Audited ("install.auth-keys").
AuthenticationKeysReport init_authentication_keys(const http::ServerConfig& config,
                                                  const std::optional<SecretBytes>& assertion_passphrase,
                                                  std::string_view actor, const crypto::KeyFileKdf& kdf = {});

struct AuditKeyRotation {
    std::string old_key_id;
    std::string new_key_id;
    Bytes new_public_key;
    std::uint64_t announcement_sequence = 0;  // the audit entry naming the new key, covered by the old key's checkpoint
    AuditCheckpoint checkpoint;               // that checkpoint (to publish in the checkpoint log)
};

// Writes the new sealed key file (never overwrites), then in one transaction appends the entry
// "audit.key-rotate" (subject: the new key id) and a checkpoint over it signed with `current`.
// If the transaction fails the new file is removed again.
AuditKeyRotation rotate_audit_key(Storage& storage, const crypto::Ed25519KeyPair& current,
                                  const std::filesystem::path& new_key_file, const SecretBytes& new_passphrase,
                                  std::string_view actor, const crypto::KeyFileKdf& kdf = {});

struct RekeyReport {
    std::uint64_t citizens = 0;
    std::uint64_t audit_entries = 0;
};

// Re-encrypts the SQLCipher database at `database` from `old_key` to the key in `new_key_file`
// (created with create_database_key when missing). The file is copied under the new key with
// sqlcipher_export into "<database>.rekey", checked (it opens with the new key, same counts and same
// last audit hash), audited there ("database.rekey"), then renamed over the original. StorageError if
// another process has the database open (stop the server first); the original is untouched on any
// failure, and a key file this call created is removed again.
RekeyReport rekey_database(const std::filesystem::path& database, const SecretBytes& old_key,
                           const std::filesystem::path& new_key_file, std::string_view actor,
                           const std::function<void(std::string_view)>& on_step = {});

}  // namespace cccd::server::admin
