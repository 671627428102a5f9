#pragma once
// What the admin tests share: a temporary installation (config, key files, SQLCipher database) and
// raw SQL on the file past the Storage API, as an attacker with the file and its key could run it.
#include <sqlcipher/sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

#include "base/bytes.hpp"
#include "crypto/ed25519.hpp"
#include "server/admin/configured_storage.hpp"
#include "server/http/config.hpp"
#include "server/security/password.hpp"
#include "tests/support/temp_dir.hpp"

namespace cccd::server::admin::test {

// Argon2id at its cheapest: these tests check behaviour, not cost.
inline const crypto::KeyFileKdf kFastKdf{1, 8u * 1024u * 1024u};
inline const security::PasswordParams kFastPassword{1, 8u * 1024u * 1024u};
inline const std::string kPassphrase = "correct horse battery staple";
inline const std::string kActor = "admin:tester";

// A directory for one test, removed afterwards.
using TempDir = cccd::testing::TempDir;

// A configuration whose files all live in `dir` (nothing is created yet).
inline http::ServerConfig installation_config(const TempDir& dir) {
    http::ServerConfig config;
    config.tls_certificate = dir.file("server.pem");
    config.tls_key = dir.file("server.key");
    config.database_kind = "sqlcipher";
    config.database_path = dir.file("population.db");
    config.database_key_file = dir.file("database.key");
    config.audit_signing_key_file = dir.file("audit.key");
    return config;
}

// Runs SQL on the SQLCipher file with its key; throws with SQLite's message when it is refused.
inline void raw_sql(const http::ServerConfig& config, const std::string& sql) {
    const SecretBytes key = load_database_key(config.database_key_file);
    sqlite3* db = nullptr;
    sqlite3_open(config.database_path.c_str(), &db);
    const std::string statements = "PRAGMA key = \"x'" + to_hex(key.view()) + "'\";" + sql;
    char* message = nullptr;
    const int rc = sqlite3_exec(db, statements.c_str(), nullptr, nullptr, &message);
    const std::string text = message != nullptr ? message : "";
    sqlite3_free(message);
    sqlite3_close(db);
    if (rc != SQLITE_OK) throw std::runtime_error("sqlite refused: " + text);
}

}  // namespace cccd::server::admin::test
