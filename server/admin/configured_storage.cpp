#include "server/admin/configured_storage.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "card/core/error.hpp"
#include "card/core/file.hpp"
#include "card/crypto/random.hpp"

namespace cccd::server {

namespace {

constexpr std::size_t kKeyBytes = 32;

SecretBytes key_from_text(std::string text, const std::string& where) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
    Bytes key;
    try {
        key = from_hex(text);
    } catch (const InvalidArgument&) {
    }
    secure_wipe(text.data(), text.size());
    if (key.size() != kKeyBytes) throw InvalidArgument(where + " must hold the database key as 64 hex digits");
    return SecretBytes(std::move(key));
}

}  // namespace

SecretBytes load_database_key(const std::filesystem::path& key_file) {
    Bytes raw = read_file(key_file);
    if (raw.size() == kKeyBytes) return SecretBytes(std::move(raw));
    std::string text(raw.begin(), raw.end());
    secure_wipe(raw);
    return key_from_text(std::move(text), "the database key file " + key_file.string());
}

std::unique_ptr<Storage> open_configured_storage(const http::ServerConfig& c) {
    StorageConfig config;
    if (c.database_kind == "postgresql" || c.database_kind == "postgres") {
        config.kind = StorageKind::Postgres;
        config.location = c.database_connection_string;
    } else if (c.database_kind == "sqlcipher") {
        config.kind = StorageKind::SqlCipher;
        config.location = c.database_path;
        if (!c.database_key_file.empty()) {
            config.key = load_database_key(c.database_key_file);
        } else if (const char* env = std::getenv("CCCD_DB_KEY"); env != nullptr) {
            config.key = key_from_text(env, "CCCD_DB_KEY");
        } else {
            throw InvalidArgument("the database is encrypted: set database_key_file in the configuration or CCCD_DB_KEY");
        }
    } else {
        throw InvalidArgument("database_kind must be sqlcipher or postgresql, not \"" + c.database_kind + "\"");
    }
    return open_storage(config);
}

void create_database_key(const std::filesystem::path& key_file) {
    int fd = ::open(key_file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) throw Error("cannot create " + key_file.string() + " (it may exist already: keys are never overwritten)");
    SecretBytes key(crypto::random_bytes(kKeyBytes));
    std::string hex = to_hex(key.view()) + "\n";
    bool ok = ::write(fd, hex.data(), hex.size()) == static_cast<ssize_t>(hex.size()) && ::fsync(fd) == 0;
    secure_wipe(hex.data(), hex.size());
    ::close(fd);
    if (!ok) {
        // A partial key file would stop every later `init` (keys are never overwritten) and open nothing.
        ::unlink(key_file.c_str());
        throw Error("cannot write " + key_file.string());
    }
}

}  // namespace cccd::server
