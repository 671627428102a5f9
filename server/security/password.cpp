#include "server/security/password.hpp"

#include <sodium.h>

#include "base/error.hpp"
#include "crypto/sodium.hpp"

namespace cccd::server::security {

namespace {

const char* as_chars(const SecretBytes& secret) { return reinterpret_cast<const char*>(secret.data()); }

// libsodium wants a NUL-terminated string for the encoded hash.
bool fits_encoded(std::string_view encoded) { return !encoded.empty() && encoded.size() < crypto_pwhash_STRBYTES; }

}  // namespace

std::string hash_password(const SecretBytes& password, const PasswordParams& params) {
    crypto::ensure_sodium();
    if (password.empty()) throw InvalidArgument("the password is empty");
    if (password.size() > max_password_bytes) throw InvalidArgument("the password is longer than 1024 bytes");
    char out[crypto_pwhash_STRBYTES] = {};
    if (crypto_pwhash_str_alg(out, as_chars(password), password.size(), params.opslimit, params.memlimit,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw CryptoError("Argon2id hashing failed (not enough memory for the configured memlimit?)");
    return std::string(out);
}

bool verify_password(std::string_view encoded, const SecretBytes& password) {
    crypto::ensure_sodium();
    if (!fits_encoded(encoded) || password.empty() || password.size() > max_password_bytes) return false;
    const std::string terminated(encoded);
    return crypto_pwhash_str_verify(terminated.c_str(), as_chars(password), password.size()) == 0;
}

bool password_needs_rehash(std::string_view encoded, const PasswordParams& params) {
    crypto::ensure_sodium();
    if (!fits_encoded(encoded)) return true;
    const std::string terminated(encoded);
    // 0: same algorithm and parameters; 1: different parameters; -1: not an Argon2id string at all.
    // crypto_pwhash_str_needs_rehash accepts argon2i strings too, so the prefix is checked as well.
    if (terminated.rfind("$argon2id$", 0) != 0) return true;
    return crypto_pwhash_str_needs_rehash(terminated.c_str(), params.opslimit, params.memlimit) != 0;
}

}  // namespace cccd::server::security
