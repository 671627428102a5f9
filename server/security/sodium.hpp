#pragma once
// The small libsodium helpers every part of server/security shares.
#include <string>
#include <string_view>

#include "base/bytes.hpp"

namespace cccd::server::security {

// Initialises libsodium once per process (thread-safe); throws CryptoError if it cannot.
void ensure_sodium();

// `count` bytes from the operating system's CSPRNG.
Bytes random_bytes(std::size_t count);

// SHA-256 (libsodium's crypto_hash_sha256).
Bytes sha256(ByteView data);

// BLAKE2b of `data` under `key` (16..64 bytes), `bytes` long (16..64): a fingerprint only the key's
// holder can compute or link (libsodium's crypto_generichash).
Bytes keyed_hash(ByteView key, ByteView data, std::size_t bytes = 16);

// Lower-case hex, the form used for key ids and certificate fingerprints.
std::string lower_hex(ByteView bytes);

// URL-safe base64 without padding (RFC 4648 §5), and back; InvalidArgument on anything else.
std::string base64url_encode(ByteView bytes);
Bytes base64url_decode(std::string_view text);
// Standard base64 with padding (RFC 4648 §4), as JSON APIs carry bytes; InvalidArgument when malformed.
std::string base64_encode(ByteView bytes);
Bytes base64_decode(std::string_view text);

}  // namespace cccd::server::security
