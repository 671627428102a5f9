#pragma once
// A Document Signer key held in memory, as certs::SigningKey (tests only: production keys live in a
// PKCS#11 token or an encrypted file).
#include <openssl/evp.h>

#include <string>

#include "certs/signing_key.hpp"

namespace cccd::testing {

class MemorySigningKey : public certs::SigningKey {
public:
    explicit MemorySigningKey(EVP_PKEY* key) : key_(key) { EVP_PKEY_up_ref(key); }
    ~MemorySigningKey() override { EVP_PKEY_free(key_); }
    MemorySigningKey(const MemorySigningKey&) = delete;
    MemorySigningKey& operator=(const MemorySigningKey&) = delete;
    EVP_PKEY* key() const override { return key_; }
    std::string describe() const override { return "test key in memory"; }

private:
    EVP_PKEY* key_;
};

}  // namespace cccd::testing
