#pragma once
// The population database the configuration names, opened and migrated. The SQLCipher key comes from
// `database_key_file` (64 hex digits, or 32 raw bytes) or, without a file, from the environment
// variable CCCD_DB_KEY (64 hex digits); it is never logged. Without it the file is unreadable, and the
// error says which key is missing.
#include <filesystem>
#include <memory>

#include "base/bytes.hpp"
#include "server/http/config.hpp"
#include "server/storage/storage.hpp"

namespace cccd::server {

SecretBytes load_database_key(const std::filesystem::path& key_file);
// The SQLCipher key the configuration names: `database_key_file`, else CCCD_DB_KEY. InvalidArgument
// saying which is missing when neither is set.
SecretBytes configured_database_key(const http::ServerConfig& config);
std::unique_ptr<Storage> open_configured_storage(const http::ServerConfig& config);
// For `admin init` (migrations): on PostgreSQL through database_owner_connection_string when set.
std::unique_ptr<Storage> open_configured_storage_as_owner(const http::ServerConfig& config);

// Writes a fresh random key (64 hex digits, mode 0600) to `key_file`; refuses to overwrite.
void create_database_key(const std::filesystem::path& key_file);

}  // namespace cccd::server
