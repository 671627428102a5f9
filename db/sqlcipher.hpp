#pragma once
// The SQLCipher driver: one connection to an encrypted SQLite file (AES-256, raw 32-byte key, no
// passphrase derivation), WAL, synchronous=FULL, foreign keys on. The server's embedded storage pools
// these; the enrollment station keeps its offline queue in one.
#include <memory>
#include <optional>
#include <string>

#include "base/bytes.hpp"
#include "db/connection.hpp"

namespace cccd::db {

// Opens (creating if missing) the file at `path`. key: 32 bytes for an encrypted file; std::nullopt
// for plain SQLite (benchmarks only). WrongKeyError when the key does not open the file; StorageError
// when the file cannot be opened or written.
std::unique_ptr<Connection> open_sqlcipher(const std::string& path, const std::optional<SecretBytes>& key);

}  // namespace cccd::db
