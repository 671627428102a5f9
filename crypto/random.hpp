#pragma once
// Cryptographically secure random bytes (OpenSSL's DRBG), for challenges, nonces and keys.
#include "base/bytes.hpp"

namespace cccd::crypto {

Bytes random_bytes(std::size_t count);

}  // namespace cccd::crypto
