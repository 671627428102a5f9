#pragma once
// The storage configuration of a test's own SQLCipher file: a fixed test key, made of one byte repeated
// (tests that open two databases give each its own byte).
#include <cstdint>
#include <string>

#include "server/storage/storage.hpp"

namespace cccd::testing {

inline server::StorageConfig sqlcipher_config(std::string path, std::uint8_t key_byte = 0x42) {
    server::StorageConfig config;
    config.kind = server::StorageKind::SqlCipher;
    config.location = std::move(path);
    config.key = SecretBytes(Bytes(32, key_byte));
    return config;
}

}  // namespace cccd::testing
