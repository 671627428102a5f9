#pragma once
// Fresh public keys (SubjectPublicKeyInfo DER) for the DG14 and DG15 tests.
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <stdexcept>

#include "base/bytes.hpp"
#include "crypto/openssl.hpp"

namespace cccd::lds::test {

inline Bytes spki_of(EVP_PKEY* key) {
    int len = i2d_PUBKEY(key, nullptr);
    if (len <= 0) throw std::runtime_error("i2d_PUBKEY failed");
    Bytes out(static_cast<std::size_t>(len));
    unsigned char* p = out.data();
    i2d_PUBKEY(key, &p);
    return out;
}

inline crypto::PKeyPtr ec_key(const char* curve) {
    crypto::PKeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve));
    if (!key) throw std::runtime_error("EC key generation failed");
    return key;
}

// The key's SubjectPublicKeyInfo; with explicit curve parameters when asked (as BSI TR-03110 wants for CA keys).
inline Bytes ec_spki(const char* curve, bool explicit_parameters = false) {
    auto key = ec_key(curve);
    if (explicit_parameters &&
        EVP_PKEY_set_utf8_string_param(key.get(), OSSL_PKEY_PARAM_EC_ENCODING, OSSL_PKEY_EC_ENCODING_EXPLICIT) != 1) {
        throw std::runtime_error("cannot switch to explicit parameters");
    }
    return spki_of(key.get());
}

inline Bytes rsa_spki(unsigned bits) {
    crypto::PKeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(bits)));
    if (!key) throw std::runtime_error("RSA key generation failed");
    return spki_of(key.get());
}

}  // namespace cccd::lds::test
