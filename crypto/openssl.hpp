#pragma once
// RAII owners for OpenSSL handles and the one place OpenSSL errors become CryptoError.
#include <memory>
#include <string>

#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

namespace cccd::crypto {

template <auto Free>
struct Deleter {
    template <typename T>
    void operator()(T* p) const noexcept { Free(p); }
};

using PKeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using PKeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, Deleter<EVP_CIPHER_CTX_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, Deleter<BN_clear_free>>;
using BnCtxPtr = std::unique_ptr<BN_CTX, Deleter<BN_CTX_free>>;
using EcGroupPtr = std::unique_ptr<EC_GROUP, Deleter<EC_GROUP_free>>;
using EcPointPtr = std::unique_ptr<EC_POINT, Deleter<EC_POINT_clear_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using X509CrlPtr = std::unique_ptr<X509_CRL, Deleter<X509_CRL_free>>;
using X509StorePtr = std::unique_ptr<X509_STORE, Deleter<X509_STORE_free>>;
using X509StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX_free>>;
using CmsPtr = std::unique_ptr<CMS_ContentInfo, Deleter<CMS_ContentInfo_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG_free>>;

// Throws CryptoError naming `what` and OpenSSL's most recent error; clears OpenSSL's error queue.
[[noreturn]] void throw_openssl_error(const std::string& what);

// Calls throw_openssl_error unless `ok` is true (for OpenSSL's 1-on-success convention).
inline void check(bool ok, const char* what) {
    if (!ok) throw_openssl_error(what);
}

// Drops queued OpenSSL errors after a failure the caller handled itself.
void clear_openssl_errors() noexcept;

}  // namespace cccd::crypto
