#pragma once
// Officer passwords: Argon2id through libsodium's crypto_pwhash_str, stored as libsodium's encoded
// string ("$argon2id$v=19$m=65536,t=3,p=1$salt$hash"), which carries its own salt and parameters.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/bytes.hpp"

namespace cccd::server::security {

// Argon2id cost. The defaults are libsodium's INTERACTIVE memory (64 MiB) with 3 passes instead of 2:
// about 0.1 s on one core of the development machine (docs/server-http.md has the measurement), so
// a burst of logins cannot exhaust the server while an offline guess still costs 64 MiB and 3 passes.
struct PasswordParams {
    std::uint64_t opslimit = 3;
    std::size_t memlimit = 64u * 1024u * 1024u;
};
inline constexpr std::size_t max_password_bytes = 1024;  // longer input is refused before hashing

// The encoded Argon2id string for `password`. InvalidArgument if the password is empty or longer than
// max_password_bytes; CryptoError if libsodium cannot allocate the memory.
std::string hash_password(const SecretBytes& password, const PasswordParams& params = {});

// True when `password` matches `encoded`. A malformed encoded string is simply "no match".
bool verify_password(std::string_view encoded, const SecretBytes& password);

// True when `encoded` was made with parameters other than `params` (or is not Argon2id): re-hash
// the password after the next successful login.
bool password_needs_rehash(std::string_view encoded, const PasswordParams& params = {});

// A password held as SecretBytes (wiped with it).
inline SecretBytes password_from(std::string_view text) { return SecretBytes(view(text)); }

}  // namespace cccd::server::security
