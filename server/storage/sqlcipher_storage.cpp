// The embedded backend: the pool and migrations of SqlStorage over db's SQLCipher connections.
#include "server/storage/sqlcipher_storage.hpp"

#include "db/sqlcipher.hpp"

namespace cccd::server {

SqlCipherStorage::SqlCipherStorage(std::string path, std::optional<SecretBytes> key, std::size_t pool_size)
    : SqlStorage(sql::Dialect::Sqlite, pool_size), path_(std::move(path)), key_(std::move(key)) {
    adopt(connect());  // InvalidArgument for a key that is not 32 bytes, WrongKeyError for the wrong one
    migrate();
}

SqlCipherStorage::~SqlCipherStorage() = default;

StorageKind SqlCipherStorage::kind() const noexcept {
    return key_ ? StorageKind::SqlCipher : StorageKind::PlainSqlite;
}

std::unique_ptr<db::Connection> SqlCipherStorage::connect() { return db::open_sqlcipher(path_, key_); }

}  // namespace cccd::server
