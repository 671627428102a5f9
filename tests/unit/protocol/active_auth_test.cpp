// Active Authentication: round trips between the chip side (sign_*) and the terminal side (verify),
// the encodings real chips produce (plain/DER ECDSA, short and n - s RSA signatures), and refusals.
#include "card/protocol/active_auth.hpp"

#include <gtest/gtest.h>

#include <openssl/core_names.h>
#include <openssl/rsa.h>

#include "base/error.hpp"
#include "card/tlv/tlv.hpp"
#include "crypto/random.hpp"

namespace cccd::protocol {
namespace {

using crypto::HashAlgorithm;

constexpr std::string_view kEcdsaPlainSha256 = "0.4.0.127.0.7.1.1.4.1.3";
constexpr std::string_view kEcdsaPlainSha384 = "0.4.0.127.0.7.1.1.4.1.4";
constexpr std::string_view kX962EcdsaSha256 = "1.2.840.10045.4.3.2";

crypto::PKeyPtr ec_key(const char* curve) {
    crypto::PKeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve));
    if (!key) throw std::runtime_error("EC key generation failed");
    return key;
}

crypto::PKeyPtr rsa_key(std::size_t bits) {
    crypto::PKeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", bits));
    if (!key) throw std::runtime_error("RSA key generation failed");
    return key;
}

// Key generation is the slow part: one key of each kind for the whole file.
const crypto::PKeyPtr& brainpool_key() {
    static const crypto::PKeyPtr key = ec_key("brainpoolP256r1");
    return key;
}
const crypto::PKeyPtr& p256_key() {
    static const crypto::PKeyPtr key = ec_key("P-256");
    return key;
}
const crypto::PKeyPtr& rsa2048_key() {
    static const crypto::PKeyPtr key = rsa_key(2048);
    return key;
}
const crypto::PKeyPtr& other_rsa2048_key() {
    static const crypto::PKeyPtr key = rsa_key(2048);
    return key;
}

Bytes spki(const crypto::PKeyPtr& key) { return encode_subject_public_key_info(key); }

Bytes challenge() { return crypto::random_bytes(kAaChallengeSize); }

Bytes rsa_modulus(const crypto::PKeyPtr& key) {
    BIGNUM* n = nullptr;
    if (EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_RSA_N, &n) != 1) throw std::runtime_error("no modulus");
    crypto::BignumPtr owned(n);
    Bytes out(static_cast<std::size_t>(BN_num_bytes(n)));
    BN_bn2bin(n, out.data());
    return out;
}

// Raw RSA private operation on a hand-made block (any header and trailer we like).
Bytes raw_rsa_sign(const crypto::PKeyPtr& key, ByteView block) {
    crypto::PKeyCtxPtr ctx(EVP_PKEY_CTX_new(key.get(), nullptr));
    std::size_t len = 0;
    if (!ctx || EVP_PKEY_sign_init(ctx.get()) != 1 || EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_NO_PADDING) != 1 ||
        EVP_PKEY_sign(ctx.get(), nullptr, &len, block.data(), block.size()) != 1)
        throw std::runtime_error("raw RSA setup failed");
    Bytes out(len);
    if (EVP_PKEY_sign(ctx.get(), out.data(), &len, block.data(), block.size()) != 1)
        throw std::runtime_error("raw RSA failed");
    out.resize(len);
    return out;
}

// A well-formed ISO/IEC 9796-2 block for SHA-1 over a 256-byte modulus, for the tamper tests.
Bytes rsa_sha1_block(ByteView m1, ByteView chal) {
    Bytes block{0x6A};
    append(block, m1);
    append(block, crypto::sha1(concat({m1, chal})));
    block.push_back(0xBC);
    return block;
}

// ---- ECDSA ----

struct EcCase {
    const char* name;
    const crypto::PKeyPtr& (*key)();
    EcdsaEncoding encoding;
};

class EcdsaRoundTrip : public ::testing::TestWithParam<EcCase> {};

TEST_P(EcdsaRoundTrip, VerifiesWithOidAndDetectsEncoding) {
    const auto& key = GetParam().key();
    Bytes chal = challenge();
    Bytes sig = sign_active_auth_ecdsa(key, chal, HashAlgorithm::Sha256, GetParam().encoding);
    if (GetParam().encoding == EcdsaEncoding::Plain) {
        EXPECT_EQ(sig.size(), 64u);
    }

    for (auto oid : {kEcdsaPlainSha256, kX962EcdsaSha256}) {
        auto r = verify_active_auth(spki(key), chal, sig, oid);
        EXPECT_TRUE(r.ok) << r.reason;
        EXPECT_EQ(r.scheme, GetParam().encoding == EcdsaEncoding::Plain ? AaScheme::EcdsaPlain : AaScheme::EcdsaDer);
        EXPECT_EQ(r.hash, HashAlgorithm::Sha256);
    }
    // Without DG14's OID, a 256-bit curve means SHA-256.
    auto r = verify_active_auth(spki(key), chal, sig);
    EXPECT_TRUE(r.ok) << r.reason;
}

INSTANTIATE_TEST_SUITE_P(Curves, EcdsaRoundTrip,
                         ::testing::Values(EcCase{"BrainpoolPlain", brainpool_key, EcdsaEncoding::Plain},
                                           EcCase{"BrainpoolDer", brainpool_key, EcdsaEncoding::Der},
                                           EcCase{"P256Plain", p256_key, EcdsaEncoding::Plain},
                                           EcCase{"P256Der", p256_key, EcdsaEncoding::Der}),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(ActiveAuthEcdsa, AcceptsAWholeDg15AroundTheKey) {
    Bytes chal = challenge();
    Bytes sig = sign_active_auth_ecdsa(brainpool_key(), chal, HashAlgorithm::Sha256, EcdsaEncoding::Plain);
    Bytes dg15 = tlv::encode(0x6F, spki(brainpool_key()));
    EXPECT_TRUE(verify_active_auth(dg15, chal, sig, kEcdsaPlainSha256).ok);
}

TEST(ActiveAuthEcdsa, AcceptsExplicitCurveParametersInDg15) {
    // Many eMRTDs spell out the domain parameters in DG15 instead of naming the curve.
    auto key = ec_key("brainpoolP256r1");
    ASSERT_EQ(EVP_PKEY_set_utf8_string_param(key.get(), OSSL_PKEY_PARAM_EC_ENCODING,
                                             OSSL_PKEY_EC_ENCODING_EXPLICIT), 1);
    Bytes explicit_spki = spki(key);
    EXPECT_GT(explicit_spki.size(), 200u);  // named-curve form is 92 bytes
    Bytes chal = challenge();
    Bytes sig = sign_active_auth_ecdsa(key, chal, HashAlgorithm::Sha256, EcdsaEncoding::Plain);
    auto r = verify_active_auth(explicit_spki, chal, sig, kEcdsaPlainSha256);
    EXPECT_TRUE(r.ok) << r.reason;
    chal[0] ^= 1;
    EXPECT_FALSE(verify_active_auth(explicit_spki, chal, sig, kEcdsaPlainSha256).ok);
}

TEST(ActiveAuthEcdsa, PlainSignatureWithLeadingZeroKeepsItsLength) {
    // r or s below 2^248 happens about once in 128 signatures; 4000 tries miss it with odds ~1e-13.
    const auto& key = brainpool_key();
    bool found = false;
    for (int i = 0; i < 4000 && !found; ++i) {
        Bytes chal = challenge();
        Bytes sig = sign_active_auth_ecdsa(key, chal, HashAlgorithm::Sha256, EcdsaEncoding::Plain);
        ASSERT_EQ(sig.size(), 64u);
        if (sig[0] != 0 && sig[32] != 0) continue;
        found = true;
        auto r = verify_active_auth(spki(key), chal, sig, kEcdsaPlainSha256);
        EXPECT_TRUE(r.ok) << r.reason;
        EXPECT_EQ(r.scheme, AaScheme::EcdsaPlain);
        // Dropping the zero (a common bug) must not pass as plain.
        Bytes stripped = sig;
        stripped.erase(stripped.begin() + (sig[0] == 0 ? 0 : 32));
        EXPECT_FALSE(verify_active_auth(spki(key), chal, stripped, kEcdsaPlainSha256).ok);
    }
    EXPECT_TRUE(found);
}

TEST(ActiveAuthEcdsa, RefusesChangedChallenge) {
    Bytes chal = challenge();
    Bytes sig = sign_active_auth_ecdsa(p256_key(), chal, HashAlgorithm::Sha256, EcdsaEncoding::Plain);
    chal[3] ^= 0x01;
    auto r = verify_active_auth(spki(p256_key()), chal, sig, kEcdsaPlainSha256);
    EXPECT_FALSE(r.ok);
    EXPECT_NE(r.reason.find("does not match"), std::string::npos) << r.reason;
}

TEST(ActiveAuthEcdsa, RefusesFlippedSignatureBits) {
    Bytes chal = challenge();
    for (auto enc : {EcdsaEncoding::Plain, EcdsaEncoding::Der}) {
        Bytes sig = sign_active_auth_ecdsa(brainpool_key(), chal, HashAlgorithm::Sha256, enc);
        for (std::size_t i = 0; i < sig.size(); ++i) {
            Bytes bad = sig;
            bad[i] ^= 0x10;
            EXPECT_FALSE(verify_active_auth(spki(brainpool_key()), chal, bad, kEcdsaPlainSha256).ok) << "byte " << i;
        }
    }
}

TEST(ActiveAuthEcdsa, RefusesWrongKey) {
    Bytes chal = challenge();
    Bytes sig = sign_active_auth_ecdsa(brainpool_key(), chal, HashAlgorithm::Sha256, EcdsaEncoding::Plain);
    EXPECT_FALSE(verify_active_auth(spki(ec_key("brainpoolP256r1")), chal, sig, kEcdsaPlainSha256).ok);
    EXPECT_FALSE(verify_active_auth(spki(p256_key()), chal, sig, kEcdsaPlainSha256).ok);
    auto r = verify_active_auth(spki(rsa2048_key()), chal, sig);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.scheme, AaScheme::RsaIso9796_2);
}

TEST(ActiveAuthEcdsa, RefusesTruncatedSignature) {
    Bytes chal = challenge();
    Bytes sig = sign_active_auth_ecdsa(p256_key(), chal, HashAlgorithm::Sha256, EcdsaEncoding::Plain);
    for (std::size_t len : {std::size_t{0}, std::size_t{1}, std::size_t{32}, std::size_t{62}, std::size_t{63}}) {
        auto r = verify_active_auth(spki(p256_key()), chal, ByteView(sig).first(len), kEcdsaPlainSha256);
        EXPECT_FALSE(r.ok) << len;
    }
    Bytes der = sign_active_auth_ecdsa(p256_key(), chal, HashAlgorithm::Sha256, EcdsaEncoding::Der);
    EXPECT_FALSE(verify_active_auth(spki(p256_key()), chal, ByteView(der).first(der.size() - 1)).ok);
    Bytes longer = der;
    longer.push_back(0x00);  // trailing garbage after the SEQUENCE
    EXPECT_FALSE(verify_active_auth(spki(p256_key()), chal, longer).ok);
}

TEST(ActiveAuthEcdsa, RefusesHashMismatchBetweenOidAndSignature) {
    Bytes chal = challenge();
    Bytes sig = sign_active_auth_ecdsa(brainpool_key(), chal, HashAlgorithm::Sha256, EcdsaEncoding::Plain);
    auto r = verify_active_auth(spki(brainpool_key()), chal, sig, kEcdsaPlainSha384);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.hash, HashAlgorithm::Sha384);
    // A signature made with SHA-1 verifies only when DG14 says SHA-1.
    Bytes sig1 = sign_active_auth_ecdsa(brainpool_key(), chal, HashAlgorithm::Sha1, EcdsaEncoding::Plain);
    EXPECT_FALSE(verify_active_auth(spki(brainpool_key()), chal, sig1).ok);
    EXPECT_TRUE(verify_active_auth(spki(brainpool_key()), chal, sig1, "0.4.0.127.0.7.1.1.4.1.1").ok);
}

TEST(ActiveAuthEcdsa, RefusesUnknownOid) {
    Bytes chal = challenge();
    Bytes sig = sign_active_auth_ecdsa(brainpool_key(), chal, HashAlgorithm::Sha256, EcdsaEncoding::Plain);
    auto r = verify_active_auth(spki(brainpool_key()), chal, sig, "1.2.840.113549.1.1.11");
    EXPECT_FALSE(r.ok);
    EXPECT_NE(r.reason.find("not ECDSA"), std::string::npos) << r.reason;
}

TEST(ActiveAuthEcdsa, OidTable) {
    EXPECT_EQ(aa_ecdsa_hash_from_oid("0.4.0.127.0.7.1.1.4.1.1"), HashAlgorithm::Sha1);
    EXPECT_EQ(aa_ecdsa_hash_from_oid("0.4.0.127.0.7.1.1.4.1.2"), HashAlgorithm::Sha224);
    EXPECT_EQ(aa_ecdsa_hash_from_oid("0.4.0.127.0.7.1.1.4.1.5"), HashAlgorithm::Sha512);
    EXPECT_EQ(aa_ecdsa_hash_from_oid("1.2.840.10045.4.1"), HashAlgorithm::Sha1);
    EXPECT_EQ(aa_ecdsa_hash_from_oid("1.2.840.10045.4.3.3"), HashAlgorithm::Sha384);
    EXPECT_FALSE(aa_ecdsa_hash_from_oid("0.4.0.127.0.7.1.1.4.1.6"));
    EXPECT_FALSE(aa_ecdsa_hash_from_oid("0.4.0.127.0.7.1.1.4.1.33"));
    EXPECT_FALSE(aa_ecdsa_hash_from_oid(""));
}

TEST(ActiveAuthEcdsa, P384DefaultsToSha384WithoutOid) {
    auto key = ec_key("P-384");
    Bytes chal = challenge();
    Bytes sig = sign_active_auth_ecdsa(key, chal, HashAlgorithm::Sha384, EcdsaEncoding::Plain);
    EXPECT_EQ(sig.size(), 96u);
    auto r = verify_active_auth(spki(key), chal, sig);
    EXPECT_TRUE(r.ok) << r.reason;
    EXPECT_EQ(r.hash, HashAlgorithm::Sha384);
}

// ---- RSA ISO/IEC 9796-2 scheme 1 ----

class RsaRoundTrip : public ::testing::TestWithParam<HashAlgorithm> {};

TEST_P(RsaRoundTrip, VerifiesAndReportsHash) {
    Bytes chal = challenge();
    Bytes sig = sign_active_auth_rsa(rsa2048_key(), chal, GetParam());
    EXPECT_EQ(sig.size(), 256u);
    auto r = verify_active_auth(spki(rsa2048_key()), chal, sig);
    EXPECT_TRUE(r.ok) << r.reason;
    EXPECT_EQ(r.scheme, AaScheme::RsaIso9796_2);
    EXPECT_EQ(r.hash, GetParam());

    Bytes other = chal;
    other[7] ^= 0x80;
    auto bad = verify_active_auth(spki(rsa2048_key()), other, sig);
    EXPECT_FALSE(bad.ok);
    EXPECT_NE(bad.reason.find("does not match the challenge"), std::string::npos) << bad.reason;
}

INSTANTIATE_TEST_SUITE_P(Hashes, RsaRoundTrip,
                         ::testing::Values(HashAlgorithm::Sha1, HashAlgorithm::Sha224, HashAlgorithm::Sha256,
                                           HashAlgorithm::Sha384, HashAlgorithm::Sha512),
                         [](const auto& param_info) {
                             std::string name(crypto::hash_name(param_info.param));
                             name.erase(name.find('-'), 1);
                             return name;
                         });

TEST(ActiveAuthRsa, BlockLayoutIsExactlyWhatAChipProduces) {
    // Fixed M1 so the recovered block can be checked byte for byte.
    Bytes chal = from_hex("0102030405060708");
    Bytes m1(256 - 1 - 32 - 2, 0x5A);
    Bytes sig = sign_active_auth_rsa_with_nonce(rsa2048_key(), chal, HashAlgorithm::Sha256, m1);
    Bytes expected{0x6A};
    append(expected, m1);
    append(expected, crypto::sha256(concat({m1, chal})));
    append(expected, from_hex("34CC"));
    // Re-sign the expected block raw: deterministic RSA must give the same signature.
    EXPECT_EQ(raw_rsa_sign(rsa2048_key(), expected), sig);
    EXPECT_THROW(sign_active_auth_rsa_with_nonce(rsa2048_key(), chal, HashAlgorithm::Sha256, ByteView(m1).first(10)),
                 InvalidArgument);
}

TEST(ActiveAuthRsa, ShorterSignatureWithLeadingZerosVerifies) {
    // s < 2^2040 happens about once in 128..256 signatures; 3000 tries miss it with odds ~1e-5 at worst.
    bool found = false;
    for (int i = 0; i < 3000 && !found; ++i) {
        Bytes chal = challenge();
        Bytes sig = sign_active_auth_rsa(rsa2048_key(), chal, HashAlgorithm::Sha1);
        if (sig[0] != 0) continue;
        found = true;
        EXPECT_TRUE(verify_active_auth(spki(rsa2048_key()), chal, sig).ok);
        Bytes stripped(sig.begin() + 1, sig.end());
        auto r = verify_active_auth(spki(rsa2048_key()), chal, stripped);
        EXPECT_TRUE(r.ok) << r.reason;
    }
    EXPECT_TRUE(found);
}

TEST(ActiveAuthRsa, AcceptsNMinusS) {
    Bytes chal = challenge();
    Bytes sig = sign_active_auth_rsa(rsa2048_key(), chal, HashAlgorithm::Sha256);
    Bytes n = rsa_modulus(rsa2048_key());
    crypto::BignumPtr bn_n(BN_bin2bn(n.data(), static_cast<int>(n.size()), nullptr));
    crypto::BignumPtr bn_s(BN_bin2bn(sig.data(), static_cast<int>(sig.size()), nullptr));
    ASSERT_EQ(BN_sub(bn_s.get(), bn_n.get(), bn_s.get()), 1);
    Bytes complement(256);
    ASSERT_EQ(BN_bn2binpad(bn_s.get(), complement.data(), 256), 256);
    auto r = verify_active_auth(spki(rsa2048_key()), chal, complement);
    EXPECT_TRUE(r.ok) << r.reason;
    EXPECT_EQ(r.hash, HashAlgorithm::Sha256);
}

TEST(ActiveAuthRsa, RefusesFlippedBitWrongKeyAndBadLengths) {
    Bytes chal = challenge();
    Bytes sig = sign_active_auth_rsa(rsa2048_key(), chal, HashAlgorithm::Sha1);
    for (std::size_t i : {std::size_t{0}, std::size_t{100}, std::size_t{255}}) {
        Bytes bad = sig;
        bad[i] ^= 0x01;
        EXPECT_FALSE(verify_active_auth(spki(rsa2048_key()), chal, bad).ok) << i;
    }
    EXPECT_FALSE(verify_active_auth(spki(other_rsa2048_key()), chal, sig).ok);
    EXPECT_FALSE(verify_active_auth(spki(rsa2048_key()), chal, ByteView(sig).first(255)).ok);
    EXPECT_FALSE(verify_active_auth(spki(rsa2048_key()), chal, ByteView(sig).last(128)).ok);
    EXPECT_FALSE(verify_active_auth(spki(rsa2048_key()), chal, ByteView{}).ok);

    Bytes longer{0x00};
    append(longer, sig);
    auto r = verify_active_auth(spki(rsa2048_key()), chal, longer);
    EXPECT_FALSE(r.ok);
    EXPECT_NE(r.reason.find("longer than the modulus"), std::string::npos) << r.reason;

    Bytes n = rsa_modulus(rsa2048_key());
    r = verify_active_auth(spki(rsa2048_key()), chal, n);  // s = n is out of range
    EXPECT_FALSE(r.ok);
    EXPECT_NE(r.reason.find("between 1 and the modulus"), std::string::npos) << r.reason;
}

TEST(ActiveAuthRsa, RefusesEcdsaOidWithRsaKey) {
    Bytes chal = challenge();
    Bytes sig = sign_active_auth_rsa(rsa2048_key(), chal, HashAlgorithm::Sha1);
    auto r = verify_active_auth(spki(rsa2048_key()), chal, sig, kEcdsaPlainSha256);
    EXPECT_FALSE(r.ok);
    EXPECT_NE(r.reason.find("names ECDSA"), std::string::npos) << r.reason;
}

// Hand-made blocks: each breaks exactly one rule of the format.
struct TamperCase {
    const char* name;
    void (*tamper)(Bytes& block);
    const char* reason_part;
};

class RsaTamperedBlock : public ::testing::TestWithParam<TamperCase> {};

TEST_P(RsaTamperedBlock, IsRefusedWithReason) {
    Bytes chal = from_hex("1122334455667788");
    Bytes m1 = crypto::random_bytes(256 - 1 - 20 - 1);
    Bytes block = rsa_sha1_block(m1, chal);
    ASSERT_TRUE(verify_active_auth(spki(rsa2048_key()), chal, raw_rsa_sign(rsa2048_key(), block)).ok);
    GetParam().tamper(block);
    auto r = verify_active_auth(spki(rsa2048_key()), chal, raw_rsa_sign(rsa2048_key(), block));
    EXPECT_FALSE(r.ok);
    EXPECT_NE(r.reason.find(GetParam().reason_part), std::string::npos) << r.reason;
}

INSTANTIATE_TEST_SUITE_P(
    Blocks, RsaTamperedBlock,
    ::testing::Values(
        TamperCase{"HeaderFullRecovery", [](Bytes& b) { b[0] = 0x4A; }, "full message recovery"},
        TamperCase{"HeaderPadded", [](Bytes& b) { b[0] = 0x6B; }, "padded before M1"},
        TamperCase{"HeaderNot01", [](Bytes& b) { b[0] = 0x2A; }, "header bits 01"},
        // Not ending in C makes the verifier also try n - m, which ends in C one time in 16 and then
        // fails on another rule: only the refusal itself is certain.
        TamperCase{"TrailerNibbleWrong", [](Bytes& b) { b.back() = 0xBD; }, ""},
        TamperCase{"TrailerUnknownC", [](Bytes& b) { b.back() = 0xAC; }, "neither the BC nor the CC"},
        TamperCase{"TrailerUnknownHashId", [](Bytes& b) { b[254] = 0x31; b[255] = 0xCC; }, "unsupported hash"},
        // CC with the SHA-256 identifier, but the block holds a SHA-1 hash: the lengths disagree.
        TamperCase{"TrailerHashMismatch", [](Bytes& b) { b[254] = 0x34; b[255] = 0xCC; }, "does not match"},
        TamperCase{"HashByteChanged", [](Bytes& b) { b[240] ^= 0x01; }, "does not match the challenge"},
        TamperCase{"M1Changed", [](Bytes& b) { b[1] ^= 0x01; }, "does not match the challenge"}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

// ISO/IEC 9796-2 (edition 1) example with partial recovery and the implicit trailer, as published in
// the test vectors of the Bouncy Castle crypto library (ISO9796Test, "mod3"/"pub3"/"msg5"/"sig5"):
// a 640-bit modulus, e = 3, RIPEMD-160. Too small and the wrong hash for ICAO, but the block layout
// 6A || M1 || H(M1 || M2) || BC is exactly the one Active Authentication uses.
TEST(Iso9796_2, PublishedPartialRecoveryVector) {
    const Bytes modulus = from_hex(
        "ffffffff78f6c55506c59785e871211ee120b0b5dd644aa796d82413a47b24573f1be5745b5cd9950f6b389b52350d4e01e90009669a8720"
        "bf265a2865994190a661dea3c7828e2e7ca1b19651adc2d5");
    const Bytes exponent = from_hex("03");
    const Bytes signature = from_hex(
        "5cf9a01854dbacaec83aae8efc563d74538192e95466babacd361d7c86000fe42dcb4581e48e4feb862d04698da9203b1803b262105104d5"
        "10b365ee9c660857ba1c001aa57abfd1c8de92e47c275cae");
    Bytes message;
    for (int i = 0; i < 14; ++i) append(message, from_hex("fedcba9876543210"));  // 112 bytes

    Bytes block = iso9796_2_recover(modulus, exponent, signature);
    ASSERT_EQ(block.size(), 80u);
    EXPECT_EQ(block.front(), 0x6A);
    EXPECT_EQ(block.back(), 0xBC);
    Iso9796Block parsed = iso9796_2_parse_block(block);
    EXPECT_TRUE(parsed.implicit_trailer);
    // M1 fills the block: 80 - 1 - 20 - 1 = 58 bytes, the start of the message.
    EXPECT_EQ(parsed.m1, Bytes(message.begin(), message.begin() + 58));
    ASSERT_EQ(parsed.hash.size(), 20u);
    // The implicit hash here is RIPEMD-160 over the whole message (M1 || M2); OpenSSL 3.0.7 and later
    // have it in the default provider.
    if (EVP_MD* ripemd = EVP_MD_fetch(nullptr, "RIPEMD160", nullptr)) {
        Bytes digest(20);
        unsigned int len = 0;
        ASSERT_EQ(EVP_Digest(message.data(), message.size(), digest.data(), &len, ripemd, nullptr), 1);
        EVP_MD_free(ripemd);
        EXPECT_EQ(parsed.hash, digest);
    }

    // The same signature sent as n - s recovers the same block.
    crypto::BignumPtr n(BN_bin2bn(modulus.data(), static_cast<int>(modulus.size()), nullptr));
    crypto::BignumPtr s(BN_bin2bn(signature.data(), static_cast<int>(signature.size()), nullptr));
    ASSERT_EQ(BN_sub(s.get(), n.get(), s.get()), 1);
    Bytes complement(static_cast<std::size_t>(BN_num_bytes(s.get())));
    BN_bn2bin(s.get(), complement.data());
    EXPECT_EQ(iso9796_2_recover(modulus, exponent, complement), block);
}

TEST(Iso9796_2, RecoverRefusesUnusableKeysAndSignatures) {
    const Bytes n = rsa_modulus(rsa2048_key());
    const Bytes e = from_hex("010001");
    const Bytes one{0x01};
    EXPECT_THROW(iso9796_2_recover(n, from_hex("010000"), one), ParseError);  // even exponent
    EXPECT_THROW(iso9796_2_recover(n, one, one), ParseError);                 // e = 1
    EXPECT_THROW(iso9796_2_recover(n, Bytes(65, 0xFF), one), ParseError);     // exponent too long
    EXPECT_THROW(iso9796_2_recover(Bytes(1025, 0xFF), e, one), ParseError);   // modulus too long
    Bytes odd_bits = n;
    odd_bits[0] = 0x01;  // a 2041-bit modulus
    EXPECT_THROW(iso9796_2_recover(odd_bits, e, one), ParseError);
    EXPECT_THROW(iso9796_2_recover(n, e, Bytes{}), ParseError);
    EXPECT_THROW(iso9796_2_recover(n, e, Bytes(256, 0x00)), ParseError);  // zero
}

TEST(Iso9796_2, ParseBlockNamesTheHashFromTheTrailer) {
    Bytes block(128, 0x11);
    block[0] = 0x6A;
    block[126] = 0x36;
    block[127] = 0xCC;
    Iso9796Block parsed = iso9796_2_parse_block(block);
    EXPECT_EQ(parsed.hash_algorithm, HashAlgorithm::Sha384);
    EXPECT_FALSE(parsed.implicit_trailer);
    EXPECT_EQ(parsed.m1.size(), 128u - 1 - 48 - 2);
    EXPECT_EQ(parsed.hash.size(), 48u);
    for (auto [id, hash] : {std::pair{0x33, HashAlgorithm::Sha1}, std::pair{0x34, HashAlgorithm::Sha256},
                            std::pair{0x35, HashAlgorithm::Sha512}, std::pair{0x38, HashAlgorithm::Sha224}}) {
        block[126] = static_cast<std::uint8_t>(id);
        EXPECT_EQ(iso9796_2_parse_block(block).hash_algorithm, hash) << id;
    }
    EXPECT_THROW(iso9796_2_parse_block(ByteView(block).last(2)), ParseError);
    // SHA-512 (64 bytes) plus header and trailer do not fit in 66 bytes with room for M1.
    Bytes tiny(66, 0x11);
    tiny[0] = 0x6A;
    tiny[64] = 0x35;
    tiny[65] = 0xCC;
    EXPECT_THROW(iso9796_2_parse_block(tiny), ParseError);
}

// ---- keys and arguments ----

TEST(ActiveAuth, BadDg15GivesAVerdictNotACrash) {
    Bytes chal = challenge();
    Bytes sig(64, 0x01);
    Bytes good = spki(brainpool_key());
    const Bytes empty_sequence = from_hex("3000");
    const Bytes empty_sequence_in_dg15 = from_hex("6F023000");
    for (ByteView key : {ByteView{}, ByteView(good).first(good.size() - 1), ByteView(empty_sequence),
                         ByteView(empty_sequence_in_dg15)}) {
        auto r = verify_active_auth(key, chal, sig);
        EXPECT_FALSE(r.ok);
        EXPECT_FALSE(r.reason.empty());
    }
    Bytes trailing = good;
    trailing.push_back(0);
    EXPECT_FALSE(verify_active_auth(trailing, chal, sig).ok);
}

TEST(ActiveAuth, RefusesSmallRsaKey) {
    auto small = rsa_key(768);
    Bytes chal = challenge();
    auto r = verify_active_auth(spki(small), chal, Bytes(96, 0x01));
    EXPECT_FALSE(r.ok);
    EXPECT_NE(r.reason.find("1024"), std::string::npos) << r.reason;
    EXPECT_THROW(sign_active_auth_rsa(small, chal, HashAlgorithm::Sha1), InvalidArgument);
}

TEST(ActiveAuth, ChallengeMustBeEightBytes) {
    Bytes sig(64, 0x01);
    EXPECT_THROW(verify_active_auth(spki(p256_key()), Bytes(7), sig), InvalidArgument);
    EXPECT_THROW(verify_active_auth(spki(p256_key()), Bytes(9), sig), InvalidArgument);
    EXPECT_THROW(sign_active_auth_ecdsa(p256_key(), Bytes(16), HashAlgorithm::Sha256, EcdsaEncoding::Plain),
                 InvalidArgument);
}

TEST(ActiveAuth, SignersRefuseTheWrongKeyType) {
    Bytes chal = challenge();
    EXPECT_THROW(sign_active_auth_ecdsa(rsa2048_key(), chal, HashAlgorithm::Sha256, EcdsaEncoding::Der),
                 InvalidArgument);
    EXPECT_THROW(sign_active_auth_rsa(p256_key(), chal, HashAlgorithm::Sha256), InvalidArgument);
    EXPECT_THROW(sign_active_auth_rsa(crypto::PKeyPtr{}, chal, HashAlgorithm::Sha256), InvalidArgument);
}

}  // namespace
}  // namespace cccd::protocol
