#include "card/protocol/active_auth.hpp"

#include <array>

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/rsa.h>

#include "base/error.hpp"
#include "card/tlv/tlv.hpp"
#include "crypto/ec.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"

namespace cccd::protocol {

namespace {

using crypto::EcdsaSigPtr;

constexpr std::uint8_t kPartialRecoveryHeader = 0x6A;  // 01 | more-data 1 | 0 | padding nibble A
constexpr std::uint8_t kImplicitTrailer = 0xBC;        // hash implied: SHA-1
constexpr std::uint8_t kExplicitTrailer = 0xCC;        // preceded by a hash identifier
constexpr int kMinRsaBits = 1024;
// Bounds on what a hostile DG15 may make us compute; no eMRTD comes near them.
constexpr int kMaxRsaBits = 8192;
constexpr int kMaxRsaExponentBits = 512;


// ISO/IEC 10118-3 dedicated hash-function identifiers, used by ISO/IEC 9796-2 as the byte before
// the CC trailer: 0x33 SHA-1, 0x34 SHA-256, 0x35 SHA-512, 0x36 SHA-384, 0x38 SHA-224
// (RIPEMD-160 0x31, RIPEMD-128 0x32 and WHIRLPOOL 0x37 are not used by eMRTDs and are refused).
struct HashIdentifier {
    crypto::HashAlgorithm hash;
    std::uint8_t id;
};
constexpr std::array<HashIdentifier, 5> kHashIdentifiers{{
    {crypto::HashAlgorithm::Sha1, 0x33},
    {crypto::HashAlgorithm::Sha256, 0x34},
    {crypto::HashAlgorithm::Sha512, 0x35},
    {crypto::HashAlgorithm::Sha384, 0x36},
    {crypto::HashAlgorithm::Sha224, 0x38},
}};

std::optional<crypto::HashAlgorithm> hash_of_identifier(std::uint8_t id) {
    for (const auto& h : kHashIdentifiers)
        if (h.id == id) return h.hash;
    return std::nullopt;
}

std::uint8_t identifier_of_hash(crypto::HashAlgorithm hash) {
    for (const auto& h : kHashIdentifiers)
        if (h.hash == hash) return h.id;
    throw InvalidArgument("hash algorithm has no ISO/IEC 10118-3 identifier");
}

void require_challenge(ByteView challenge) {
    if (challenge.size() != kAaChallengeSize)
        throw InvalidArgument("the Active Authentication challenge must be 8 bytes");
}

AaVerification fail(AaScheme scheme, std::optional<crypto::HashAlgorithm> hash, std::string reason) {
    crypto::clear_openssl_errors();
    return AaVerification{false, std::move(reason), scheme, hash};
}

// The key of DG15: SubjectPublicKeyInfo, or a whole DG15 (tag 6F) around it.
crypto::PKeyPtr parse_public_key(ByteView der) {
    ByteView spki = der;
    if (!der.empty() && der[0] == 0x6F) spki = tlv::read_single(der, 0x6F).value;
    tlv::read_single(spki, tlv::asn1::kSequence);  // exact DER framing before OpenSSL sees it
    const unsigned char* p = spki.data();
    crypto::PKeyPtr key(d2i_PUBKEY(nullptr, &p, static_cast<long>(spki.size())));
    if (!key || p != spki.data() + spki.size()) {
        crypto::clear_openssl_errors();
        throw ParseError("DG15 does not hold a valid SubjectPublicKeyInfo");
    }
    return key;
}

crypto::BignumPtr bn_param(const EVP_PKEY* key, const char* name) {
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &raw) != 1 || raw == nullptr) {
        crypto::clear_openssl_errors();
        throw ParseError("the public key lacks a required parameter");
    }
    return crypto::BignumPtr(raw);
}

std::size_t byte_length_of_bits(int bits) { return (static_cast<std::size_t>(bits) + 7) / 8; }

// Curve order length in bytes (EVP_PKEY_get_bits gives the order's bit length for EC keys).
std::size_t ec_order_bytes(const EVP_PKEY* key) {
    int bits = EVP_PKEY_get_bits(key);
    if (bits <= 0) throw ParseError("the EC public key has no usable curve order");
    return byte_length_of_bits(bits);
}

crypto::HashAlgorithm default_ecdsa_hash(std::size_t order_bytes) {
    if (order_bytes >= 64) return crypto::HashAlgorithm::Sha512;
    if (order_bytes >= 48) return crypto::HashAlgorithm::Sha384;
    if (order_bytes >= 32) return crypto::HashAlgorithm::Sha256;
    if (order_bytes >= 28) return crypto::HashAlgorithm::Sha224;
    return crypto::HashAlgorithm::Sha1;
}

// A DER ECDSA-Sig-Value that fills `sig` exactly and is canonical DER; nothing otherwise.
bool is_exact_der_ecdsa(ByteView sig) {
    if (sig.empty() || sig[0] != tlv::asn1::kSequence) return false;
    const unsigned char* p = sig.data();
    EcdsaSigPtr parsed(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size())));
    if (!parsed || p != sig.data() + sig.size()) {
        crypto::clear_openssl_errors();
        return false;
    }
    unsigned char* der = nullptr;
    int len = i2d_ECDSA_SIG(parsed.get(), &der);
    bool same = len > 0 && der != nullptr && static_cast<std::size_t>(len) == sig.size() &&
                constant_time_equal(ByteView(der, static_cast<std::size_t>(len)), sig);
    OPENSSL_free(der);
    crypto::clear_openssl_errors();
    return same;
}

bool ecdsa_verify_der(EVP_PKEY* key, crypto::HashAlgorithm hash, ByteView challenge, ByteView der) {
    crypto::MdCtxPtr ctx(EVP_MD_CTX_new());
    crypto::check(ctx != nullptr, "allocating a digest context");
    if (EVP_DigestVerifyInit(ctx.get(), nullptr, crypto::evp_md(hash), nullptr, key) != 1) {
        crypto::clear_openssl_errors();
        return false;
    }
    int rc = EVP_DigestVerify(ctx.get(), der.data(), der.size(), challenge.data(), challenge.size());
    crypto::clear_openssl_errors();
    return rc == 1;
}

AaVerification verify_ecdsa(EVP_PKEY* key, ByteView challenge, ByteView signature,
                            std::optional<std::string_view> oid) {
    std::size_t order_bytes = 0;
    try {
        order_bytes = ec_order_bytes(key);
    } catch (const Error& e) {
        return fail(AaScheme::Unknown, std::nullopt, e.what());
    }
    crypto::HashAlgorithm hash = default_ecdsa_hash(order_bytes);
    if (oid) {
        auto named = aa_ecdsa_hash_from_oid(*oid);
        if (!named)
            return fail(AaScheme::Unknown, std::nullopt,
                        "DG14 names a signature algorithm that is not ECDSA with SHA-1 or SHA-2: " +
                            std::string(*oid));
        hash = *named;
    }
    return verify_active_auth_ecdsa(*key, hash, challenge, signature);
}

}  // namespace

AaVerification verify_active_auth_ecdsa(EVP_PKEY& key_ref, crypto::HashAlgorithm hash, ByteView challenge,
                                        ByteView signature) {
    EVP_PKEY* key = &key_ref;
    std::size_t order_bytes = 0;
    try {
        order_bytes = ec_order_bytes(key);
    } catch (const Error& e) {
        return fail(AaScheme::Unknown, std::nullopt, e.what());
    }
    if (signature.empty()) return fail(AaScheme::Unknown, hash, "the chip returned an empty signature");

    const bool der = is_exact_der_ecdsa(signature);
    const bool plain = signature.size() == 2 * order_bytes;
    if (!der && !plain)
        return fail(AaScheme::Unknown, hash,
                    "the ECDSA signature is neither DER nor plain r||s of " + std::to_string(2 * order_bytes) +
                        " bytes (it has " + std::to_string(signature.size()) + ")");
    if (der && ecdsa_verify_der(key, hash, challenge, signature))
        return {true, "ECDSA signature (DER) verified", AaScheme::EcdsaDer, hash};
    // A plain signature that happens to look like DER still gets its plain reading.
    if (plain && ecdsa_verify_der(key, hash, challenge, crypto::ecdsa_plain_to_der(signature)))
        return {true, "ECDSA signature (plain r||s) verified", AaScheme::EcdsaPlain, hash};
    return fail(plain ? AaScheme::EcdsaPlain : AaScheme::EcdsaDer, hash,
                "the ECDSA signature does not match the challenge and the DG15 key with " +
                    std::string(crypto::hash_name(hash)));
}

namespace {

Bytes bn_to_bytes(const BIGNUM* bn) {
    Bytes out(static_cast<std::size_t>(BN_num_bytes(bn)));
    BN_bn2bin(bn, out.data());
    return out;
}

AaVerification verify_rsa(EVP_PKEY* key, ByteView challenge, ByteView signature,
                          std::optional<std::string_view> oid) {
    constexpr AaScheme scheme = AaScheme::RsaIso9796_2;
    if (oid && aa_ecdsa_hash_from_oid(*oid))
        return fail(scheme, std::nullopt, "DG14 names ECDSA but the DG15 key is RSA");
    Iso9796Block parsed;
    try {
        crypto::BignumPtr n = bn_param(key, OSSL_PKEY_PARAM_RSA_N);
        crypto::BignumPtr e = bn_param(key, OSSL_PKEY_PARAM_RSA_E);
        if (BN_num_bits(n.get()) < kMinRsaBits)
            return fail(scheme, std::nullopt, "the RSA key is shorter than 1024 bits");
        parsed = iso9796_2_parse_block(iso9796_2_recover(bn_to_bytes(n.get()), bn_to_bytes(e.get()), signature));
    } catch (const Error& ex) {
        return fail(scheme, std::nullopt, ex.what());
    }
    Bytes expected = crypto::digest(parsed.hash_algorithm, concat({parsed.m1, challenge}));
    if (!constant_time_equal(expected, parsed.hash))
        return fail(scheme, parsed.hash_algorithm, "the hash in the RSA signature does not match the challenge");
    return {true, "RSA ISO/IEC 9796-2 signature verified", scheme, parsed.hash_algorithm};
}

void require_key_type(const crypto::PKeyPtr& key, int type, const char* what) {
    if (!key) throw InvalidArgument("no private key given");
    if (EVP_PKEY_get_base_id(key.get()) != type) throw InvalidArgument(what);
}

}  // namespace

Bytes iso9796_2_recover(ByteView modulus, ByteView public_exponent, ByteView signature) {
    // Sizes first, so nothing unbounded reaches the big-number code.
    if (modulus.size() > byte_length_of_bits(kMaxRsaBits)) throw ParseError("the RSA key is longer than 8192 bits");
    if (public_exponent.size() > byte_length_of_bits(kMaxRsaBits))
        throw ParseError("the RSA public exponent is unusable (even, 1 or too long)");
    crypto::BignumPtr n(BN_bin2bn(modulus.data(), static_cast<int>(modulus.size()), nullptr));
    crypto::BignumPtr e(BN_bin2bn(public_exponent.data(), static_cast<int>(public_exponent.size()), nullptr));
    crypto::check(n && e, "reading the RSA key");
    const int bits = BN_num_bits(n.get());
    if (bits > kMaxRsaBits) throw ParseError("the RSA key is longer than 8192 bits");
    // With k a multiple of 8 the block's 01 header bits start the first byte; eMRTD keys are
    // 1024, 1536, 2048 or 3072 bits.
    if (bits < 64 || bits % 8 != 0) throw ParseError("the RSA modulus is not a whole number of bytes");
    if (!BN_is_odd(n.get())) throw ParseError("the RSA modulus is even");
    if (!BN_is_odd(e.get()) || BN_is_one(e.get()) || BN_num_bits(e.get()) > kMaxRsaExponentBits)
        throw ParseError("the RSA public exponent is unusable (even, 1 or too long)");
    const std::size_t k = byte_length_of_bits(bits);

    if (signature.empty()) throw ParseError("the chip returned an empty signature");
    if (signature.size() > k) throw ParseError("the RSA signature is longer than the modulus");
    crypto::BignumPtr s(BN_bin2bn(signature.data(), static_cast<int>(signature.size()), nullptr));
    crypto::BnCtxPtr bn_ctx(BN_CTX_new());
    crypto::BignumPtr m(BN_new());
    crypto::check(s && bn_ctx && m, "allocating big numbers");
    if (BN_is_zero(s.get()) || BN_cmp(s.get(), n.get()) >= 0)
        throw ParseError("the RSA signature is not a number between 1 and the modulus");
    crypto::check(BN_mod_exp(m.get(), s.get(), e.get(), n.get(), bn_ctx.get()) == 1, "RSA public operation");

    Bytes block(k);
    const int k_int = static_cast<int>(k);
    crypto::check(BN_bn2binpad(m.get(), block.data(), k_int) == k_int, "encoding the recovered block");
    // ISO/IEC 9796-2: the block always ends in the nibble C; if not, the signer sent n - s and
    // (with e odd) we recovered n - F.
    if ((block.back() & 0x0F) != 0x0C) {
        crypto::check(BN_sub(m.get(), n.get(), m.get()) == 1, "RSA n - m");
        crypto::check(BN_bn2binpad(m.get(), block.data(), k_int) == k_int, "encoding the recovered block");
        if ((block.back() & 0x0F) != 0x0C)
            throw ParseError("the recovered block has no ISO/IEC 9796-2 trailer (wrong key or corrupted signature)");
    }
    return block;
}

Iso9796Block iso9796_2_parse_block(ByteView block) {
    const std::size_t k = block.size();
    if (k < 3) throw ParseError("the ISO/IEC 9796-2 block is too short");
    Iso9796Block out;
    std::size_t trailer_size = 1;
    if (block.back() == kExplicitTrailer) {
        auto named = hash_of_identifier(block[k - 2]);
        if (!named)
            throw ParseError("the trailer names an unsupported hash (identifier " + to_hex(block.subspan(k - 2, 1)) +
                             ")");
        out.hash_algorithm = *named;
        out.implicit_trailer = false;
        trailer_size = 2;
    } else if (block.back() == kImplicitTrailer) {
        out.hash_algorithm = crypto::HashAlgorithm::Sha1;
        out.implicit_trailer = true;
    } else {
        throw ParseError("the recovered block ends in " + to_hex(block.last(1)) + ", neither the BC nor the CC trailer");
    }

    if (block[0] != kPartialRecoveryHeader) {
        if ((block[0] & 0xC0) != 0x40)
            throw ParseError("the recovered block does not start with the ISO/IEC 9796-2 header bits 01");
        if ((block[0] & 0x20) == 0)
            throw ParseError(
                "the recovered block claims full message recovery; Active Authentication uses partial recovery (6A)");
        throw ParseError("the recovered block is padded before M1 (header " + to_hex(block.first(1)) +
                         "); an eMRTD fills the block and starts it with 6A");
    }

    const std::size_t hash_size = crypto::digest_size(out.hash_algorithm);
    if (k < 1 + hash_size + trailer_size + 1) throw ParseError("the RSA modulus is too short for this hash");
    const std::size_t m1_size = k - 1 - hash_size - trailer_size;
    const ByteView m1 = block.subspan(1, m1_size);
    const ByteView hash = block.subspan(1 + m1_size, hash_size);
    out.m1.assign(m1.begin(), m1.end());
    out.hash.assign(hash.begin(), hash.end());
    return out;
}

std::string_view aa_scheme_name(AaScheme scheme) noexcept {
    switch (scheme) {
        case AaScheme::Unknown: return "unknown";
        case AaScheme::EcdsaPlain: return "ECDSA (plain r||s)";
        case AaScheme::EcdsaDer: return "ECDSA (DER)";
        case AaScheme::RsaIso9796_2: return "RSA ISO/IEC 9796-2 scheme 1";
    }
    return "unknown";
}

std::optional<crypto::HashAlgorithm> aa_ecdsa_hash_from_oid(std::string_view oid) noexcept {
    // BSI TR-03111 ecdsa-plain-SHA1/224/256/384/512.
    if (auto h = crypto::ecdsa_plain_hash_from_oid(oid)) return h;
    // ANSI X9.62 / RFC 5758.
    if (oid == "1.2.840.10045.4.1") return crypto::HashAlgorithm::Sha1;
    if (oid == "1.2.840.10045.4.3.1") return crypto::HashAlgorithm::Sha224;
    if (oid == "1.2.840.10045.4.3.2") return crypto::HashAlgorithm::Sha256;
    if (oid == "1.2.840.10045.4.3.3") return crypto::HashAlgorithm::Sha384;
    if (oid == "1.2.840.10045.4.3.4") return crypto::HashAlgorithm::Sha512;
    return std::nullopt;
}

AaVerification verify_active_auth(ByteView subject_public_key_info, ByteView challenge, ByteView signature,
                                  std::optional<std::string_view> signature_algorithm_oid) {
    require_challenge(challenge);
    crypto::PKeyPtr key;
    try {
        key = parse_public_key(subject_public_key_info);
    } catch (const Error& e) {
        return fail(AaScheme::Unknown, std::nullopt, e.what());
    }
    return verify_active_auth(*key, challenge, signature, signature_algorithm_oid);
}

crypto::PKeyPtr parse_active_auth_key(ByteView subject_public_key_info) { return parse_public_key(subject_public_key_info); }

AaVerification verify_active_auth(EVP_PKEY& key, ByteView challenge, ByteView signature,
                                  std::optional<std::string_view> signature_algorithm_oid) {
    require_challenge(challenge);
    switch (EVP_PKEY_get_base_id(&key)) {
        case EVP_PKEY_EC: return verify_ecdsa(&key, challenge, signature, signature_algorithm_oid);
        case EVP_PKEY_RSA: return verify_rsa(&key, challenge, signature, signature_algorithm_oid);
        default: return fail(AaScheme::Unknown, std::nullopt, "the DG15 key is neither RSA nor EC");
    }
}

Bytes sign_active_auth_ecdsa(const crypto::PKeyPtr& private_key, ByteView challenge, crypto::HashAlgorithm hash,
                             EcdsaEncoding encoding) {
    require_challenge(challenge);
    require_key_type(private_key, EVP_PKEY_EC, "ECDSA signing needs an EC private key");
    crypto::MdCtxPtr ctx(EVP_MD_CTX_new());
    crypto::check(ctx != nullptr, "allocating a digest context");
    crypto::check(EVP_DigestSignInit(ctx.get(), nullptr, crypto::evp_md(hash), nullptr, private_key.get()) == 1,
                  "starting an ECDSA signature");
    std::size_t len = 0;
    crypto::check(EVP_DigestSign(ctx.get(), nullptr, &len, challenge.data(), challenge.size()) == 1,
                  "sizing an ECDSA signature");
    Bytes der(len);
    crypto::check(EVP_DigestSign(ctx.get(), der.data(), &len, challenge.data(), challenge.size()) == 1,
                  "computing an ECDSA signature");
    der.resize(len);
    if (encoding == EcdsaEncoding::Der) return der;

    const unsigned char* p = der.data();
    EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
    crypto::check(sig != nullptr, "decoding our own ECDSA signature");
    const std::size_t half = ec_order_bytes(private_key.get());
    Bytes plain(2 * half);
    const int half_int = static_cast<int>(half);
    crypto::check(BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), plain.data(), half_int) == half_int &&
                      BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), plain.data() + half, half_int) == half_int,
                  "encoding a plain ECDSA signature");
    return plain;
}

Bytes sign_active_auth_rsa_with_nonce(const crypto::PKeyPtr& private_key, ByteView challenge,
                                      crypto::HashAlgorithm hash, ByteView m1) {
    require_challenge(challenge);
    require_key_type(private_key, EVP_PKEY_RSA, "ISO/IEC 9796-2 signing needs an RSA private key");
    const int bits = EVP_PKEY_get_bits(private_key.get());
    if (bits < kMinRsaBits || bits % 8 != 0)
        throw InvalidArgument("the RSA key must be at least 1024 bits and a whole number of bytes");
    const std::size_t k = byte_length_of_bits(bits);
    const std::size_t hash_size = crypto::digest_size(hash);
    const std::size_t trailer_size = hash == crypto::HashAlgorithm::Sha1 ? 1 : 2;
    if (m1.size() != k - 1 - hash_size - trailer_size)
        throw InvalidArgument("M1 must fill the ISO/IEC 9796-2 block exactly");

    Bytes block;
    block.reserve(k);
    block.push_back(kPartialRecoveryHeader);
    append(block, m1);
    append(block, crypto::digest(hash, concat({m1, challenge})));
    if (trailer_size == 1) {
        block.push_back(kImplicitTrailer);
    } else {
        block.push_back(identifier_of_hash(hash));
        block.push_back(kExplicitTrailer);
    }

    // Raw private-key operation: the block is already the ISO/IEC 9796-2 representative.
    crypto::PKeyCtxPtr ctx(EVP_PKEY_CTX_new(private_key.get(), nullptr));
    crypto::check(ctx != nullptr, "allocating an RSA context");
    crypto::check(EVP_PKEY_sign_init(ctx.get()) == 1, "starting an RSA signature");
    crypto::check(EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_NO_PADDING) == 1, "choosing raw RSA");
    std::size_t len = 0;
    crypto::check(EVP_PKEY_sign(ctx.get(), nullptr, &len, block.data(), block.size()) == 1, "sizing an RSA signature");
    Bytes signature(len);
    crypto::check(EVP_PKEY_sign(ctx.get(), signature.data(), &len, block.data(), block.size()) == 1,
                  "computing an RSA signature");
    signature.resize(len);
    if (signature.size() < k) signature.insert(signature.begin(), k - signature.size(), 0x00);
    return signature;
}

Bytes sign_active_auth_rsa(const crypto::PKeyPtr& private_key, ByteView challenge, crypto::HashAlgorithm hash) {
    require_challenge(challenge);
    require_key_type(private_key, EVP_PKEY_RSA, "ISO/IEC 9796-2 signing needs an RSA private key");
    const int bits = EVP_PKEY_get_bits(private_key.get());
    if (bits < kMinRsaBits || bits % 8 != 0)
        throw InvalidArgument("the RSA key must be at least 1024 bits and a whole number of bytes");
    const std::size_t k = byte_length_of_bits(bits);
    const std::size_t trailer_size = hash == crypto::HashAlgorithm::Sha1 ? 1 : 2;
    Bytes m1 = crypto::random_bytes(k - 1 - crypto::digest_size(hash) - trailer_size);
    return sign_active_auth_rsa_with_nonce(private_key, challenge, hash, m1);
}

Bytes encode_subject_public_key_info(const crypto::PKeyPtr& key) {
    if (!key) throw InvalidArgument("no key given");
    unsigned char* der = nullptr;
    int len = i2d_PUBKEY(key.get(), &der);
    crypto::check(len > 0 && der != nullptr, "encoding a SubjectPublicKeyInfo");
    Bytes out(der, der + len);
    OPENSSL_free(der);
    return out;
}

}  // namespace cccd::protocol
