#include "crypto/key_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include "base/error.hpp"
#include "base/file.hpp"
#include "crypto/random.hpp"

namespace cccd::crypto {

SecretBytes secret_key_from_text(std::string text, const std::string& what) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
    Bytes key;
    try {
        key = from_hex(text);
    } catch (const InvalidArgument&) {
    }
    secure_wipe(text.data(), text.size());
    if (key.size() != kSecretKeyBytes) throw InvalidArgument(what + " must hold the key as 64 hex digits");
    return SecretBytes(std::move(key));
}

SecretBytes read_secret_key_file(const std::filesystem::path& path, const std::string& what) {
    Bytes raw = read_file(path);
    if (raw.size() == kSecretKeyBytes) return SecretBytes(std::move(raw));
    std::string text(raw.begin(), raw.end());
    secure_wipe(raw);
    return secret_key_from_text(std::move(text), what);
}

void create_secret_key_file(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) throw Error("cannot create " + path.string() + " (it may exist already: keys are never overwritten)");
    SecretBytes key(random_bytes(kSecretKeyBytes));
    std::string hex = to_hex(key.view()) + "\n";
    const bool ok = ::write(fd, hex.data(), hex.size()) == static_cast<ssize_t>(hex.size()) && ::fsync(fd) == 0;
    secure_wipe(hex.data(), hex.size());
    ::close(fd);
    if (!ok) {
        // A partial key file would stop every later attempt (keys are never overwritten) and open nothing.
        ::unlink(path.c_str());
        throw Error("cannot write " + path.string());
    }
}

}  // namespace cccd::crypto
