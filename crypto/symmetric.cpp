#include "crypto/symmetric.hpp"

#include <openssl/core_names.h>
#include <openssl/params.h>

#include "base/error.hpp"
#include "crypto/hash.hpp"
#include "crypto/openssl.hpp"

namespace cccd::crypto {

namespace {

const EVP_CIPHER* aes_cbc_for(std::size_t key_size) {
    switch (key_size) {
        case 16: return EVP_aes_128_cbc();
        case 24: return EVP_aes_192_cbc();
        case 32: return EVP_aes_256_cbc();
        default: throw InvalidArgument("AES key must be 16, 24 or 32 bytes");
    }
}

const EVP_CIPHER* aes_ecb_for(std::size_t key_size) {
    switch (key_size) {
        case 16: return EVP_aes_128_ecb();
        case 24: return EVP_aes_192_ecb();
        case 32: return EVP_aes_256_ecb();
        default: throw InvalidArgument("AES key must be 16, 24 or 32 bytes");
    }
}

Bytes run_cipher(const EVP_CIPHER* cipher, ByteView key, ByteView data, ByteView iv, bool encrypt) {
    auto block = static_cast<std::size_t>(EVP_CIPHER_get_block_size(cipher));
    if (data.size() % block != 0) throw InvalidArgument("cipher input is not a whole number of blocks");
    auto iv_len = static_cast<std::size_t>(EVP_CIPHER_get_iv_length(cipher));
    Bytes zero_iv(iv_len, 0);
    if (!iv.empty() && iv.size() != iv_len) throw InvalidArgument("cipher IV has the wrong length");
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    check(ctx != nullptr, "allocating a cipher context");
    check(EVP_CipherInit_ex(ctx.get(), cipher, nullptr, key.data(), iv.empty() ? zero_iv.data() : iv.data(),
                            encrypt ? 1 : 0) == 1,
          "initialising a cipher");
    EVP_CIPHER_CTX_set_padding(ctx.get(), 0);
    Bytes out(data.size() + block);
    int len = 0;
    int total = 0;
    check(EVP_CipherUpdate(ctx.get(), out.data(), &len, data.data(), static_cast<int>(data.size())) == 1,
          "running a cipher");
    total = len;
    check(EVP_CipherFinal_ex(ctx.get(), out.data() + total, &len) == 1, "finishing a cipher");
    total += len;
    out.resize(static_cast<std::size_t>(total));
    return out;
}

void require_tdes_key(ByteView key) {
    if (key.size() != 16) throw InvalidArgument("3DES key must be 16 bytes (two-key 3DES)");
}

// Two-key 3DES as OpenSSL's three-key EDE: K1 || K2 || K1.
Bytes tdes_key24(ByteView key16) {
    require_tdes_key(key16);
    return concat({key16, key16.first(8)});
}

}  // namespace

Bytes pad_iso9797(ByteView data, std::size_t block) {
    Bytes out(data.begin(), data.end());
    out.push_back(0x80);
    while (out.size() % block != 0) out.push_back(0x00);
    return out;
}

Bytes unpad_iso9797(ByteView data) {
    std::size_t i = data.size();
    while (i > 0 && data[i - 1] == 0x00) --i;
    if (i == 0 || data[i - 1] != 0x80) throw ParseError("padding is malformed");
    return Bytes(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(i - 1));
}

Bytes tdes_cbc_encrypt(ByteView key16, ByteView data, ByteView iv) {
    Bytes k = tdes_key24(key16);
    Bytes out = run_cipher(EVP_des_ede3_cbc(), k, data, iv, true);
    secure_wipe(k);
    return out;
}

Bytes tdes_cbc_decrypt(ByteView key16, ByteView data, ByteView iv) {
    Bytes k = tdes_key24(key16);
    Bytes out = run_cipher(EVP_des_ede3_cbc(), k, data, iv, false);
    secure_wipe(k);
    return out;
}

Bytes tdes_ecb_encrypt_block(ByteView key16, ByteView block8) {
    if (block8.size() != 8) throw InvalidArgument("3DES block must be 8 bytes");
    Bytes k = tdes_key24(key16);
    Bytes out = run_cipher(EVP_des_ede3_ecb(), k, block8, {}, true);
    secure_wipe(k);
    return out;
}

Bytes aes_cbc_encrypt(ByteView key, ByteView data, ByteView iv) {
    return run_cipher(aes_cbc_for(key.size()), key, data, iv, true);
}

Bytes aes_cbc_decrypt(ByteView key, ByteView data, ByteView iv) {
    return run_cipher(aes_cbc_for(key.size()), key, data, iv, false);
}

Bytes aes_ecb_encrypt_block(ByteView key, ByteView block16) {
    if (block16.size() != 16) throw InvalidArgument("AES block must be 16 bytes");
    return run_cipher(aes_ecb_for(key.size()), key, block16, {}, true);
}

Bytes retail_mac(ByteView key16, ByteView padded_data) {
    require_tdes_key(key16);
    if (padded_data.empty() || padded_data.size() % 8 != 0) {
        throw InvalidArgument("retail MAC input must be padded to 8-byte blocks");
    }
    // Single DES lives in OpenSSL 3's legacy provider; 3DES with three equal keys is single DES,
    // so the default provider suffices.
    Bytes ka3 = concat({key16.first(8), key16.first(8), key16.first(8)});
    Bytes kb3 = concat({key16.subspan(8, 8), key16.subspan(8, 8), key16.subspan(8, 8)});
    // Single-DES CBC over all blocks with Ka; keep only the last block.
    Bytes chain = run_cipher(EVP_des_ede3_cbc(), ka3, padded_data, {}, true);
    Bytes last(chain.end() - 8, chain.end());
    // Final transformation: decrypt with Kb, encrypt with Ka.
    Bytes step = run_cipher(EVP_des_ede3_ecb(), kb3, last, {}, false);
    Bytes mac = run_cipher(EVP_des_ede3_ecb(), ka3, step, {}, true);
    secure_wipe(step);
    secure_wipe(chain);
    secure_wipe(ka3);
    secure_wipe(kb3);
    return mac;
}

Bytes aes_cmac(ByteView key, ByteView data) {
    const char* cipher_name = nullptr;
    switch (key.size()) {
        case 16: cipher_name = "AES-128-CBC"; break;
        case 24: cipher_name = "AES-192-CBC"; break;
        case 32: cipher_name = "AES-256-CBC"; break;
        default: throw InvalidArgument("AES key must be 16, 24 or 32 bytes");
    }
    using MacPtr = std::unique_ptr<EVP_MAC, Deleter<EVP_MAC_free>>;
    using MacCtxPtr = std::unique_ptr<EVP_MAC_CTX, Deleter<EVP_MAC_CTX_free>>;
    MacPtr mac(EVP_MAC_fetch(nullptr, "CMAC", nullptr));
    check(mac != nullptr, "fetching CMAC");
    MacCtxPtr ctx(EVP_MAC_CTX_new(mac.get()));
    check(ctx != nullptr, "allocating a CMAC context");
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, const_cast<char*>(cipher_name), 0),
        OSSL_PARAM_construct_end()};
    check(EVP_MAC_init(ctx.get(), key.data(), key.size(), params) == 1, "initialising CMAC");
    check(EVP_MAC_update(ctx.get(), data.data(), data.size()) == 1, "running CMAC");
    Bytes out(16);
    std::size_t len = 0;
    check(EVP_MAC_final(ctx.get(), out.data(), &len, out.size()) == 1, "finishing CMAC");
    out.resize(len);
    return out;
}

Bytes adjust_des_parity(ByteView key) {
    Bytes out(key.begin(), key.end());
    for (auto& b : out) {
        int ones = 0;
        for (int i = 1; i < 8; ++i) ones += (b >> i) & 1;
        b = static_cast<std::uint8_t>((b & 0xFE) | ((ones % 2 == 0) ? 1 : 0));
    }
    return out;
}

SecretBytes kdf(ByteView shared_secret, KdfCounter counter, KeyCipher cipher) {
    Bytes input = concat({shared_secret, be_bytes(static_cast<std::uint32_t>(counter), 4)});
    HashAlgorithm h = (cipher == KeyCipher::Aes192 || cipher == KeyCipher::Aes256) ? HashAlgorithm::Sha256
                                                                                     : HashAlgorithm::Sha1;
    Bytes d = digest(h, input);
    secure_wipe(input);
    std::size_t size = cipher == KeyCipher::Aes192 ? 24 : cipher == KeyCipher::Aes256 ? 32 : 16;
    Bytes key(d.begin(), d.begin() + static_cast<std::ptrdiff_t>(size));
    secure_wipe(d);
    if (cipher == KeyCipher::Tdes) {
        Bytes adjusted = adjust_des_parity(key);
        secure_wipe(key);
        return SecretBytes(std::move(adjusted));
    }
    return SecretBytes(std::move(key));
}

}  // namespace cccd::crypto
