#pragma once
// The embedded backend: one SQLCipher file (AES-256, raw 32-byte key), WAL, synchronous=FULL, foreign
// keys on (the driver is db/sqlcipher.hpp). Without a key the same code opens a plain SQLite file
// (benchmarks only).
#include <optional>
#include <string>

#include "server/storage/sql_storage.hpp"

namespace cccd::server {

class SqlCipherStorage final : public sql::SqlStorage {
public:
    // key: 32 bytes for an encrypted file; std::nullopt for plain SQLite. Creates the file if missing.
    // WrongKeyError when the key does not open it.
    SqlCipherStorage(std::string path, std::optional<SecretBytes> key, std::size_t pool_size = 4);
    ~SqlCipherStorage() override;

    StorageKind kind() const noexcept override;

private:
    std::unique_ptr<db::Connection> connect() override;

    std::string path_;
    std::optional<SecretBytes> key_;
};

}  // namespace cccd::server
