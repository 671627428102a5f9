#pragma once
// Key pairs of the PKI: what kind of key a profile asks for, software key generation, and the
// encrypted PKCS#8 key files that hold every key not kept in a token.
#include <filesystem>
#include <string>

#include "base/bytes.hpp"
#include "crypto/openssl.hpp"

namespace cccd::certs {

enum class KeyType { Ec, Rsa };

// The key a certificate gets: ECDSA on a named curve (never explicit parameters, so OpenSSL's own
// chain verification accepts our certificates) or RSA.
struct KeySpec {
    KeyType type = KeyType::Ec;
    std::string curve = "brainpoolP384r1";  // OpenSSL group name, EC only
    int rsa_bits = 3072;                    // RSA only

    // "ECDSA brainpoolP384r1", "RSA 3072".
    std::string describe() const;
};

// From the tool's options: --key-type ec|rsa, --curve NAME, --bits N. InvalidArgument for an unknown
// curve or an RSA size outside 2048..8192.
KeySpec make_key_spec(const std::string& key_type, const std::string& curve, int rsa_bits);
// The curve's OID (dotted), e.g. "1.3.36.3.3.2.8.1.1.11" for brainpoolP384r1; InvalidArgument if unknown.
std::string curve_oid(const std::string& curve);

// A fresh software key pair.
crypto::PKeyPtr generate_key(const KeySpec& spec);

// A secret read from the environment: the value of `value_variable` (taken out of the environment,
// base/environment.hpp), else the first line of the file named by `file_variable`. Empty when
// neither is set. Never logged; wiped on destruction. The bytes end with a NUL so they can be handed to
// C APIs as a string.
SecretBytes secret_from_environment(const char* value_variable, const char* file_variable);
inline const char* c_str(const SecretBytes& secret) { return reinterpret_cast<const char*>(secret.data()); }

// Writes `key` as PKCS#8 encrypted with AES-256-CBC (PBES2, PBKDF2-HMAC-SHA256 of 600,000 iterations),
// file mode 0600.
// The passphrase must be at least 12 characters. Refuses to overwrite an existing file.
void write_encrypted_key_file(const std::filesystem::path& path, EVP_PKEY* key, const SecretBytes& passphrase);
// Reads an encrypted PKCS#8 PEM key file (any PBES2 parameters, so also the 2,048-iteration files
// written before). CryptoError in words for a wrong passphrase, an unencrypted
// file or a file that holds no key.
crypto::PKeyPtr read_encrypted_key_file(const std::filesystem::path& path, const SecretBytes& passphrase);

// The public half of any key (a software copy, also for keys that live in a token).
crypto::PKeyPtr public_key_of(EVP_PKEY* key);
// True when both keys have the same public key.
bool same_public_key(EVP_PKEY* a, EVP_PKEY* b);

}  // namespace cccd::certs
