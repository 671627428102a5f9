#pragma once
// Shared helpers of the cccd_certs tests: a small PKI made with the library itself, and mutations
// that break one rule of a certificate and re-sign it.
#include <ctime>
#include <filesystem>
#include <functional>
#include <string>

#include <openssl/x509v3.h>

#include "certs/keys.hpp"
#include "certs/profiles.hpp"
#include "crypto/openssl.hpp"
#include "tests/support/temp_dir.hpp"

namespace cccd::certs::test {

struct Credential {
    crypto::PKeyPtr key;
    crypto::X509Ptr cert;
};

inline std::time_t fixed_now() { return 1767225600; }  // 2026-01-01T00:00:00Z

inline KeySpec ec_p256() { return make_key_spec("ec", "prime256v1", 0); }

inline Credential make_root(Profile profile, const KeySpec& spec = ec_p256(), const std::string& cn = "CSCA Test",
                            std::uint64_t serial = 1) {
    Credential c;
    c.key = generate_key(spec);
    CertificateRequest r;
    r.profile = profile;
    r.subject.common_name = cn;
    r.subject.organization = "CCCD Test";
    r.serial = serial;
    r.validity = default_validity(profile, fixed_now());
    r.private_key_usage = default_private_key_usage(profile, fixed_now());
    c.cert = issue_certificate(r, c.key.get(), Issuer{nullptr, c.key.get()});
    return c;
}

inline Credential make_issued(const Credential& issuer, Profile profile, const KeySpec& spec = ec_p256(),
                              std::uint64_t serial = 2) {
    Credential c;
    c.key = generate_key(spec);
    CertificateRequest r;
    r.profile = profile;
    r.subject.common_name = std::string(profile_name(profile)) + " Test";
    r.subject.organization = "CCCD Test";
    r.serial = serial;
    r.validity = default_validity(profile, fixed_now());
    r.private_key_usage = default_private_key_usage(profile, fixed_now());
    if (profile == Profile::DocumentSigner) r.document_types = {"ID"};
    if (profile == Profile::TlsServer) {
        r.dns_names = {"localhost"};
        r.ip_addresses = {"127.0.0.1"};
    }
    c.cert = issue_certificate(r, c.key.get(), Issuer{issuer.cert.get(), issuer.key.get()});
    return c;
}

// A copy of `original` changed by `change`, then signed by `signer`.
inline crypto::X509Ptr mutated(const X509* original, EVP_PKEY* signer, const std::function<void(X509*)>& change) {
    crypto::X509Ptr copy(X509_dup(const_cast<X509*>(original)));
    change(copy.get());
    X509_sign(copy.get(), signer, EVP_sha256());
    return copy;
}

inline void delete_extension(X509* cert, int nid) {
    int index = X509_get_ext_by_NID(cert, nid, -1);
    if (index >= 0) X509_EXTENSION_free(X509_delete_ext(cert, index));
}

// Replaces (or adds) an extension given in OpenSSL's configuration syntax.
inline void set_extension(X509* cert, int nid, const char* value) {
    delete_extension(cert, nid);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value);
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

using TempDir = cccd::testing::TempDir;

}  // namespace cccd::certs::test
