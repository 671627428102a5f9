#include "server/http/tls.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstring>

#include "base/environment.hpp"
#include "base/error.hpp"
#include "crypto/hash.hpp"
#include "crypto/openssl.hpp"

namespace cccd::server::http {

namespace {

int passphrase_callback(char* buffer, int size, int /*rwflag*/, void* user) {
    const auto* passphrase = static_cast<const SecretBytes*>(user);
    if (!passphrase || passphrase->empty() || size <= 0) return 0;
    const std::size_t length = std::min(passphrase->size(), static_cast<std::size_t>(size));
    std::memcpy(buffer, passphrase->data(), length);
    return static_cast<int>(length);
}

std::string lower_hex(ByteView bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (std::uint8_t b : bytes) {
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 0x0f]);
    }
    return out;
}

std::string name_entry(const X509_NAME* name, int nid) {
    if (!name) return {};
    const int index = X509_NAME_get_index_by_NID(name, nid, -1);
    if (index < 0) return {};
    const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
    unsigned char* utf8 = nullptr;
    const int length = ASN1_STRING_to_UTF8(&utf8, data);
    if (length < 0) return {};
    std::string text(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(length));
    OPENSSL_free(utf8);
    return text;
}

}  // namespace

SharedKey share_key(EVP_PKEY* key) {
    if (!key) throw InvalidArgument("no private key given");
    crypto::check(EVP_PKEY_up_ref(key) == 1, "EVP_PKEY_up_ref");
    return SharedKey(key, EVP_PKEY_free);
}

SharedKey load_private_key_file(const std::filesystem::path& path, const SecretBytes& passphrase) {
    crypto::BioPtr bio(BIO_new_file(path.c_str(), "r"));
    if (!bio) {
        crypto::clear_openssl_errors();
        throw CryptoError("cannot open the private key " + path.string() + ": the file cannot be read");
    }
    // The callback copies the passphrase straight into OpenSSL's buffer, which OpenSSL cleanses.
    EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, passphrase_callback,
                                            const_cast<SecretBytes*>(&passphrase));
    if (!key) {
        crypto::clear_openssl_errors();
        throw CryptoError("cannot open the private key " + path.string() +
                          ": wrong passphrase, no passphrase for an encrypted key, or not a PEM private key");
    }
    return SharedKey(key, EVP_PKEY_free);
}

SecretBytes tls_key_passphrase_from_environment() {
    return secret_from_environment("CCCD_TLS_KEY_PASSPHRASE", "CCCD_TLS_KEY_PASSPHRASE_FILE").value_or(SecretBytes{});
}

ClientCertificate describe_certificate(X509* certificate) {
    ClientCertificate info;
    const int length = i2d_X509(certificate, nullptr);
    crypto::check(length > 0, "i2d_X509");
    info.der.resize(static_cast<std::size_t>(length));
    unsigned char* out = info.der.data();
    crypto::check(i2d_X509(certificate, &out) == length, "i2d_X509");
    info.sha256_hex = lower_hex(crypto::sha256(info.der));
    info.subject_common_name = name_entry(X509_get_subject_name(certificate), NID_commonName);
    info.subject_organizational_unit = name_entry(X509_get_subject_name(certificate), NID_organizationalUnitName);
    info.issuer_common_name = name_entry(X509_get_issuer_name(certificate), NID_commonName);
    return info;
}

}  // namespace cccd::server::http
