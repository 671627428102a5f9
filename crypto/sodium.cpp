#include "crypto/sodium.hpp"

#include <sodium.h>

#include "base/error.hpp"

namespace cccd::crypto {

void ensure_sodium() {
    // sodium_init is itself thread-safe and idempotent; the static makes the check run once.
    static const int status = sodium_init();
    if (status < 0) throw CryptoError("libsodium could not be initialised");
}

Bytes keyed_hash(ByteView key, ByteView data, std::size_t bytes) {
    ensure_sodium();
    if (key.size() < crypto_generichash_KEYBYTES_MIN || key.size() > crypto_generichash_KEYBYTES_MAX ||
        bytes < crypto_generichash_BYTES_MIN || bytes > crypto_generichash_BYTES_MAX)
        throw InvalidArgument("keyed_hash: key of 16 to 64 bytes, output of 16 to 64 bytes");
    Bytes out(bytes);
    crypto_generichash(out.data(), out.size(), data.data(), data.size(), key.data(), key.size());
    return out;
}

}  // namespace cccd::crypto
