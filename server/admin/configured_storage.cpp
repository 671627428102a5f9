#include "server/admin/configured_storage.hpp"

#include <string>

#include "base/environment.hpp"
#include "base/error.hpp"
#include "base/file.hpp"
#include "crypto/key_file.hpp"

namespace cccd::server {

SecretBytes load_database_key(const std::filesystem::path& key_file) {
    return crypto::read_secret_key_file(key_file, "the database key file " + key_file.string());
}

SecretBytes configured_database_key(const http::ServerConfig& c) {
    if (!c.database_key_file.empty()) return load_database_key(c.database_key_file);
    if (const auto text = take_secret_from_environment("CCCD_DB_KEY"))
        return crypto::secret_key_from_text(cccd::to_string(text->view()), "CCCD_DB_KEY");
    throw InvalidArgument("the database is encrypted: set database_key_file in the configuration or CCCD_DB_KEY");
}

std::unique_ptr<Storage> open_configured_storage(const http::ServerConfig& c) {
    StorageConfig config;
    if (c.database_kind == "postgresql" || c.database_kind == "postgres") {
        config.kind = StorageKind::Postgres;
        config.location = c.database_connection_string;
    } else if (c.database_kind == "sqlcipher") {
        config.kind = StorageKind::SqlCipher;
        config.location = c.database_path;
        config.key = configured_database_key(c);
    } else {
        throw InvalidArgument("database_kind must be sqlcipher or postgresql, not \"" + c.database_kind + "\"");
    }
    return open_storage(config);
}

std::unique_ptr<Storage> open_configured_storage_as_owner(const http::ServerConfig& c) {
    if (c.database_owner_connection_string.empty()) return open_configured_storage(c);
    http::ServerConfig owner = c;
    owner.database_connection_string = c.database_owner_connection_string;
    return open_configured_storage(owner);
}

void create_database_key(const std::filesystem::path& key_file) { crypto::create_secret_key_file(key_file); }

}  // namespace cccd::server
