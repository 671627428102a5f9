#pragma once
// What only libsodium gives the system: its one-time initialisation and keyed BLAKE2b.
#include <cstddef>

#include "base/bytes.hpp"

namespace cccd::crypto {

// Initialises libsodium once per process (thread-safe); throws CryptoError if it cannot.
void ensure_sodium();

// BLAKE2b of `data` under `key` (16..64 bytes), `bytes` long (16..64): a fingerprint only the key's
// holder can compute or link (libsodium's crypto_generichash).
Bytes keyed_hash(ByteView key, ByteView data, std::size_t bytes = 16);

}  // namespace cccd::crypto
