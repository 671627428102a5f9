#pragma once
// Private keys wherever they live: in a PKCS#11 token (an HSM in production, SoftHSM2 in tests) or in
// an encrypted PKCS#8 key file. Either way the caller gets an EVP_PKEY that OpenSSL signs with
// (X509_sign, X509_CRL_sign, CMS), so the same code signs in both cases.
#include <map>
#include <memory>
#include <string>

#include "base/bytes.hpp"
#include "certs/keys.hpp"
#include "crypto/openssl.hpp"

namespace cccd::certs {

// A private key usable by OpenSSL (EVP_PKEY*) wherever it lives; keeps the token session open while it exists.
class SigningKey {
public:
    virtual ~SigningKey() = default;
    virtual EVP_PKEY* key() const = 0;
    // "PKCS#11 token 'cccd' object 'ds-2026' (ECDSA brainpoolP384r1)" or "key file ds.key.pem (...)";
    // never a PIN or passphrase.
    virtual std::string describe() const = 0;
};

// spec: "pkcs11:token=...;object=..." (RFC 7512 URI; PIN from the URI's pin-source/pin-value or env
// CCCD_PKCS11_PIN; module from the URI's module-path, env CCCD_PKCS11_MODULE or the SoftHSM2 default
// /usr/lib/softhsm/libsofthsm2.so) or a path to an encrypted PEM key file (passphrase from env
// CCCD_KEY_PASSPHRASE or a file named by CCCD_KEY_PASSPHRASE_FILE).
std::unique_ptr<SigningKey> open_signing_key(const std::string& spec);

// Where the secrets come from, for callers that hold two keys at once (a CA key and a new subject key).
struct SecretSources {
    const char* passphrase_variable = "CCCD_KEY_PASSPHRASE";
    const char* passphrase_file_variable = "CCCD_KEY_PASSPHRASE_FILE";
    const char* pin_variable = "CCCD_PKCS11_PIN";
};
std::unique_ptr<SigningKey> open_signing_key(const std::string& spec, const SecretSources& sources);

// True when `spec` names a PKCS#11 object rather than a file.
bool is_pkcs11_uri(const std::string& spec);

// The parts of an RFC 7512 URI the PKI uses (percent-decoded). The PIN is never stored here.
struct Pkcs11Uri {
    std::string token;        // token label
    std::string object;       // key label
    std::string id;           // key id (raw bytes), optional
    std::string module_path;  // query module-path, optional
    std::string pin_source;   // query pin-source (a file path or file: URI), optional
    bool has_pin_value = false;
    // Without pin, module or query: safe to store and to show.
    std::string to_string() const;
};
// InvalidArgument for a URI without token or object, or with an attribute we do not understand.
Pkcs11Uri parse_pkcs11_uri(const std::string& uri);

// The PKCS#11 module to load for `uri`: module-path, else CCCD_PKCS11_MODULE, else SoftHSM2's.
std::string pkcs11_module_for(const Pkcs11Uri& uri);
inline constexpr const char* kSoftHsm2Module = "/usr/lib/softhsm/libsofthsm2.so";

// Generates a key pair INSIDE the token named by `uri` (private key sensitive, not extractable,
// signing only; public key stored beside it with the same CKA_ID and label), then opens it.
// InvalidArgument when the token already holds an object with that label.
std::unique_ptr<SigningKey> generate_token_key(const std::string& uri, const KeySpec& spec,
                                               const SecretSources& sources = {});

// Generates a software key, writes it encrypted to `path` (passphrase from `sources`) and opens it.
std::unique_ptr<SigningKey> generate_file_key(const std::string& path, const KeySpec& spec,
                                              const SecretSources& sources = {});

}  // namespace cccd::certs
