#pragma once
// The server's TLS side: private keys (possibly encrypted PEM) and the TLS 1.3-only context.
#include <filesystem>
#include <memory>
#include <string>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "base/bytes.hpp"
#include "server/http/message.hpp"

namespace cccd::server::http {

using SharedKey = std::shared_ptr<EVP_PKEY>;

// Takes one more reference on `key` (the caller keeps its own).
SharedKey share_key(EVP_PKEY* key);

// A PEM private key, encrypted (PKCS#8 with a passphrase, as cccd-pki writes) or not. CryptoError
// "cannot open the private key PATH: wrong passphrase, ..." in words; the passphrase is never shown.
SharedKey load_private_key_file(const std::filesystem::path& path, const SecretBytes& passphrase);

// CCCD_TLS_KEY_PASSPHRASE, else the first line of the file named by CCCD_TLS_KEY_PASSPHRASE_FILE;
// empty when neither is set.
SecretBytes tls_key_passphrase_from_environment();

struct TlsOptions {
    std::string certificate_chain_file;      // PEM: the server certificate first, then intermediates
    SharedKey private_key;                   // its key
    std::string client_ca_file;              // PEM bundle; empty: client certificates are not asked for
    // Routes not marked public (Router::add_public) refuse a request without a verified client
    // certificate: 403 client_certificate_required. The handshake itself lets such a client in.
    bool require_client_certificate = false;
};

// What a verified peer certificate says (DER, SHA-256, names).
ClientCertificate describe_certificate(X509* certificate);

}  // namespace cccd::server::http
