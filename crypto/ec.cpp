#include "crypto/ec.hpp"

#include <openssl/core_names.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>

#include "base/error.hpp"

namespace cccd::crypto {

namespace {

BignumPtr to_bignum(ByteView bytes) {
    BignumPtr bn(BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), nullptr));
    check(bn != nullptr, "converting a scalar");
    return bn;
}

SecretBytes from_bignum(const BIGNUM* bn, std::size_t width) {
    Bytes out(width);
    check(BN_bn2binpad(bn, out.data(), static_cast<int>(width)) == static_cast<int>(width), "encoding a scalar");
    return SecretBytes(std::move(out));
}

int nid_of_parameter_id(std::uint64_t id) {
    switch (id) {
        case 8: return NID_X9_62_prime192v1;
        case 9: return NID_brainpoolP192r1;
        case 10: return NID_secp224r1;
        case 11: return NID_brainpoolP224r1;
        case 12: return NID_X9_62_prime256v1;
        case 13: return NID_brainpoolP256r1;
        case 14: return NID_brainpoolP320r1;
        case 15: return NID_secp384r1;
        case 16: return NID_brainpoolP384r1;
        case 17: return NID_brainpoolP512r1;
        case 18: return NID_secp521r1;
        default: throw InvalidArgument("standardized domain parameters " + std::to_string(id) + " are not an elliptic curve this system supports");
    }
}

}  // namespace

EcGroup::EcGroup(EcGroupPtr group, int nid) : group_(std::move(group)), nid_(nid) {
    field_size_ = static_cast<std::size_t>((EC_GROUP_get_degree(group_.get()) + 7) / 8);
    order_size_ = static_cast<std::size_t>(BN_num_bytes(EC_GROUP_get0_order(group_.get())));
}

EcGroup EcGroup::by_nid(int nid) {
    EcGroupPtr g(EC_GROUP_new_by_curve_name(nid));
    check(g != nullptr, "loading an elliptic curve");
    return EcGroup(std::move(g), nid);
}

EcGroup EcGroup::by_name(std::string_view name) {
    const std::string text(name);
    int nid = OBJ_sn2nid(text.c_str());
    if (nid == NID_undef) nid = EC_curve_nist2nid(text.c_str());
    EcGroupPtr g(nid == NID_undef ? nullptr : EC_GROUP_new_by_curve_name(nid));
    if (!g) {
        clear_openssl_errors();
        throw InvalidArgument("\"" + text + "\" is not an elliptic curve this system knows");
    }
    return EcGroup(std::move(g), nid);
}

EcGroup EcGroup::by_parameter_id(std::uint64_t id) { return by_nid(nid_of_parameter_id(id)); }

EcGroup EcGroup::of_key(const EVP_PKEY* key) {
    char name[64] = {0};
    std::size_t len = 0;
    if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC ||
        EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof name, &len) != 1) {
        clear_openssl_errors();
        throw ParseError("the key is not an elliptic-curve key on a named curve");
    }
    int nid = OBJ_txt2nid(name);
    if (nid == NID_undef) nid = EC_curve_nist2nid(name);
    if (nid == NID_undef) throw ParseError("the key's curve is unknown");
    return by_nid(nid);
}

std::string EcGroup::name() const { return OBJ_nid2sn(nid_); }

Bytes EcGroup::encode(const EC_POINT* point) const {
    if (EC_POINT_is_at_infinity(group_.get(), point) == 1) throw CryptoError("cannot encode the point at infinity");
    Bytes out(1 + 2 * field_size_);
    std::size_t n = EC_POINT_point2oct(group_.get(), point, POINT_CONVERSION_UNCOMPRESSED, out.data(), out.size(), nullptr);
    check(n == out.size(), "encoding a point");  // OpenSSL pads each coordinate to the field size
    return out;
}

EcPointPtr EcGroup::decode(ByteView encoded) const {
    if (encoded.size() != 1 + 2 * field_size_ || encoded[0] != 0x04) {
        throw ParseError("a public point must be uncompressed (04 || x || y) with " + std::to_string(field_size_) +
                         "-byte coordinates");
    }
    EcPointPtr p(EC_POINT_new(group_.get()));
    check(p != nullptr, "allocating a point");
    if (EC_POINT_oct2point(group_.get(), p.get(), encoded.data(), encoded.size(), nullptr) != 1 ||
        EC_POINT_is_on_curve(group_.get(), p.get(), nullptr) != 1 || EC_POINT_is_at_infinity(group_.get(), p.get()) == 1) {
        clear_openssl_errors();
        throw ParseError("the public point is not on the curve");
    }
    return p;
}

Bytes EcGroup::generator() const { return encode(EC_GROUP_get0_generator(group_.get())); }

namespace {

// k * P, or k * G when `point` is null.
EcPointPtr scalar_multiple(const EC_GROUP* group, ByteView scalar, const EC_POINT* point) {
    BignumPtr k = to_bignum(scalar);
    EcPointPtr r(EC_POINT_new(group));
    check(r != nullptr, "allocating a point");
    const bool ok = point == nullptr ? EC_POINT_mul(group, r.get(), k.get(), nullptr, nullptr, nullptr) == 1
                                     : EC_POINT_mul(group, r.get(), nullptr, point, k.get(), nullptr) == 1;
    check(ok, "multiplying a point");
    if (EC_POINT_is_at_infinity(group, r.get()) == 1) throw CryptoError("a scalar multiplication gave the point at infinity");
    return r;
}

}  // namespace

EcPointPtr EcGroup::multiply(ByteView scalar, ByteView point) const {
    const EcPointPtr p = decode(point);
    return scalar_multiple(group_.get(), scalar, p.get());
}

EcPointPtr EcGroup::multiply_generator(ByteView scalar) const { return scalar_multiple(group_.get(), scalar, nullptr); }

EcPointPtr EcGroup::add(const EC_POINT* a, const EC_POINT* b) const {
    EcPointPtr r(EC_POINT_new(group_.get()));
    check(r != nullptr && EC_POINT_add(group_.get(), r.get(), a, b, nullptr) == 1, "adding points");
    if (EC_POINT_is_at_infinity(group_.get(), r.get()) == 1) throw CryptoError("a point addition gave the point at infinity");
    return r;
}

SecretBytes EcGroup::random_scalar() const {
    BignumPtr k(BN_new());
    const BIGNUM* n = EC_GROUP_get0_order(group_.get());
    do {
        check(k != nullptr && BN_priv_rand_range(k.get(), n) == 1, "drawing a random scalar");
    } while (BN_is_zero(k.get()));
    return from_bignum(k.get(), order_size_);
}

EcKeyPair key_pair_from_scalar(const EcGroup& group, ByteView scalar, ByteView generator) {
    EcPointPtr pub = generator.empty() ? group.multiply_generator(scalar) : group.multiply(scalar, generator);
    return {SecretBytes(scalar), group.encode(pub.get())};
}

EcKeyPair generate_key_pair(const EcGroup& group, ByteView generator) {
    SecretBytes k = group.random_scalar();
    EcPointPtr pub = generator.empty() ? group.multiply_generator(k.view()) : group.multiply(k.view(), generator);
    return {std::move(k), group.encode(pub.get())};
}

SecretBytes ecdh_shared_secret(const EcGroup& group, ByteView private_scalar, ByteView peer_point) {
    EcPointPtr shared = group.multiply(private_scalar, peer_point);
    Bytes encoded = group.encode(shared.get());
    SecretBytes x(ByteView(encoded).subspan(1, group.field_size()));
    secure_wipe(encoded);
    return x;
}

SecretBytes shared_point(const EcGroup& group, ByteView private_scalar, ByteView peer_point) {
    EcPointPtr shared = group.multiply(private_scalar, peer_point);
    return SecretBytes(group.encode(shared.get()));
}

Bytes mapped_generator(const EcGroup& group, ByteView nonce, ByteView shared_point_h) {
    EcPointPtr h = group.decode(shared_point_h);
    EcPointPtr sg = group.multiply_generator(nonce);
    // s*G + H is infinity only when H = -s*G; add() refuses that rather than map to nothing.
    EcPointPtr mapped = group.add(sg.get(), h.get());
    return group.encode(mapped.get());
}

Bytes generic_mapping(const EcGroup& group, ByteView nonce, ByteView private_scalar, ByteView peer_mapping_point) {
    SecretBytes h = shared_point(group, private_scalar, peer_mapping_point);
    return mapped_generator(group, nonce, h.view());
}

SecretBytes private_scalar_of(const EVP_PKEY* key, const EcGroup& group) {
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, &raw) != 1 || raw == nullptr) {
        clear_openssl_errors();
        throw InvalidArgument("the key has no elliptic-curve private part");
    }
    BignumPtr k(raw);
    return from_bignum(k.get(), group.order_size());
}

Bytes public_point_of(const EVP_PKEY* key) {
    std::size_t len = 0;
    if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, nullptr, 0, &len) != 1) {
        clear_openssl_errors();
        throw ParseError("the key has no elliptic-curve public point");
    }
    Bytes out(len);
    check(EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, out.data(), out.size(), &len) == 1,
          "reading a public point");
    out.resize(len);
    return out;
}

Bytes ecdsa_plain_to_der(ByteView plain) {
    // 264 bytes: two 132-byte halves, the largest curve order supported (P-521).
    if (plain.empty() || plain.size() % 2 != 0 || plain.size() > 264) {
        throw ParseError("a plain ECDSA signature must be two equal halves r || s");
    }
    const auto half = static_cast<int>(plain.size() / 2);
    BignumPtr r(BN_bin2bn(plain.data(), half, nullptr));
    BignumPtr s(BN_bin2bn(plain.data() + half, half, nullptr));
    EcdsaSigPtr sig(ECDSA_SIG_new());
    check(r && s && sig, "allocating an ECDSA signature");
    check(ECDSA_SIG_set0(sig.get(), r.get(), s.get()) == 1, "building an ECDSA signature");
    (void)r.release();  // owned by sig now
    (void)s.release();
    unsigned char* der = nullptr;
    int len = i2d_ECDSA_SIG(sig.get(), &der);
    check(len > 0 && der != nullptr, "encoding an ECDSA signature");
    Bytes out(der, der + len);
    OPENSSL_free(der);
    return out;
}

PKeyPtr parse_public_key(ByteView spki_der) {
    const unsigned char* p = spki_der.data();
    PKeyPtr key(d2i_PUBKEY(nullptr, &p, static_cast<long>(spki_der.size())));
    if (!key || p != spki_der.data() + spki_der.size()) {
        clear_openssl_errors();
        throw ParseError("not a valid SubjectPublicKeyInfo");
    }
    return key;
}

Bytes encode_public_key_explicit(const EcGroup& group, ByteView point) {
    (void)group.decode(point);  // uncompressed, on the curve, not infinity
    BnCtxPtr bn_ctx(BN_CTX_new());
    BignumPtr p(BN_new());
    BignumPtr a(BN_new());
    BignumPtr b(BN_new());
    check(bn_ctx && p && a && b, "allocating curve parameters");
    check(EC_GROUP_get_curve(group.get(), p.get(), a.get(), b.get(), bn_ctx.get()) == 1, "reading the curve parameters");
    const Bytes generator = group.generator();

    // Every parameter but the seed, which is no domain parameter: OpenSSL recognises the curve, keeps
    // the explicit encoding asked for, and leaves out the seed the input did not carry.
    using ParamBuildPtr = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD_free>>;
    using ParamsPtr = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM_free>>;
    ParamBuildPtr build(OSSL_PARAM_BLD_new());
    check(build != nullptr, "allocating key parameters");
    OSSL_PARAM_BLD* bld = build.get();
    check(OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_EC_FIELD_TYPE, SN_X9_62_prime_field, 0) == 1 &&
              OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_EC_P, p.get()) == 1 &&
              OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_EC_A, a.get()) == 1 &&
              OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_EC_B, b.get()) == 1 &&
              OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_EC_GENERATOR, generator.data(), generator.size()) == 1 &&
              OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_EC_ORDER, EC_GROUP_get0_order(group.get())) == 1 &&
              OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_EC_COFACTOR, EC_GROUP_get0_cofactor(group.get())) == 1 &&
              OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_EC_ENCODING, OSSL_PKEY_EC_ENCODING_EXPLICIT, 0) == 1 &&
              OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT,
                                              OSSL_PKEY_EC_POINT_CONVERSION_FORMAT_UNCOMPRESSED, 0) == 1 &&
              OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) == 1,
          "describing an explicit-parameter key");
    ParamsPtr params(OSSL_PARAM_BLD_to_param(bld));
    check(params != nullptr, "describing an explicit-parameter key");
    PKeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    check(ctx != nullptr && EVP_PKEY_fromdata_init(ctx.get()) == 1, "preparing an elliptic-curve key");
    EVP_PKEY* raw = nullptr;
    check(EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) == 1 && raw != nullptr,
          "building an explicit-parameter key");
    PKeyPtr key(raw);

    unsigned char* der = nullptr;
    const int len = i2d_PUBKEY(key.get(), &der);
    check(len > 0 && der != nullptr, "encoding a SubjectPublicKeyInfo");
    Bytes out(der, der + len);
    OPENSSL_free(der);
    return out;
}

}  // namespace cccd::crypto
