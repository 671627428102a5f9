#include "crypto/keys.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "base/error.hpp"

namespace cccd::crypto {

PKeyPtr generate_ec_key(const EcGroup& group) {
    PKeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    check(ctx != nullptr, "EVP_PKEY_CTX_new_from_name");
    check(EVP_PKEY_keygen_init(ctx.get()) == 1, "EVP_PKEY_keygen_init");
    std::string name = group.name();
    check(EVP_PKEY_CTX_set_group_name(ctx.get(), name.c_str()) == 1, "EVP_PKEY_CTX_set_group_name");
    EVP_PKEY* raw = nullptr;
    check(EVP_PKEY_generate(ctx.get(), &raw) == 1, "EVP_PKEY_generate");
    return PKeyPtr(raw);
}

PKeyPtr generate_rsa_key(unsigned bits) {
    if (bits < 1024 || bits > 4096) throw InvalidArgument("an RSA key must have 1024 to 4096 bits");
    PKeyPtr key(EVP_RSA_gen(bits));
    check(key != nullptr, "EVP_RSA_gen");
    return key;
}

SecretBytes private_key_to_der(const EVP_PKEY* key) {
    std::unique_ptr<PKCS8_PRIV_KEY_INFO, Deleter<PKCS8_PRIV_KEY_INFO_free>> info(EVP_PKEY2PKCS8(key));
    check(info != nullptr, "EVP_PKEY2PKCS8");
    int length = i2d_PKCS8_PRIV_KEY_INFO(info.get(), nullptr);
    check(length > 0, "i2d_PKCS8_PRIV_KEY_INFO");
    Bytes der(static_cast<std::size_t>(length));
    unsigned char* out = der.data();
    check(i2d_PKCS8_PRIV_KEY_INFO(info.get(), &out) == length, "i2d_PKCS8_PRIV_KEY_INFO");
    return SecretBytes(std::move(der));
}

PKeyPtr private_key_from_der(ByteView der) {
    const unsigned char* in = der.data();
    PKeyPtr key(d2i_AutoPrivateKey(nullptr, &in, static_cast<long>(der.size())));
    if (!key || in != der.data() + der.size()) {
        clear_openssl_errors();
        throw ParseError("not a private key (PKCS#8 DER expected)");
    }
    return key;
}

}  // namespace cccd::crypto
