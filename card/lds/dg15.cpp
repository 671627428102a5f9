#include "card/lds/dg15.hpp"

#include <openssl/core_names.h>
#include <openssl/x509.h>

#include "base/error.hpp"
#include "card/lds/reading.hpp"
#include "card/lds/security_infos.hpp"
#include "crypto/openssl.hpp"

namespace cccd::lds {

namespace {

constexpr std::string_view kWhat = "DG15";
constexpr tlv::Tag kDg15Tag = 0x6F;

// SubjectPublicKeyInfo ::= SEQUENCE { algorithm SEQUENCE { OID, params ANY OPTIONAL }, BIT STRING };
// returns the algorithm OID.
std::string check_spki_shape(ByteView spki, std::string_view what) {
    auto seq = tlv::read_single(spki);
    if (seq.tag != tlv::asn1::kSequence) detail::fail(what, "the public key is not a SEQUENCE");
    tlv::Reader r(seq.value);
    auto algorithm = r.expect(tlv::asn1::kSequence);
    (void)r.expect(tlv::asn1::kBitString);
    if (!r.at_end()) detail::fail(what, "unexpected data after the public key bits");
    tlv::Reader a(algorithm.value);
    auto oid = a.expect(tlv::asn1::kOid);
    return tlv::asn1::decode_oid_value(oid.value);
}

}  // namespace

Bytes encode(const Dg15& dg15) {
    try {
        (void)check_spki_shape(dg15.public_key_info, kWhat);
    } catch (const ParseError&) {
        throw InvalidArgument("DG15: the public key is not a SubjectPublicKeyInfo");
    }
    return tlv::encode(kDg15Tag, dg15.public_key_info);
}

Dg15 decode_dg15(ByteView bytes) {
    auto outer = detail::read_one(bytes, kDg15Tag, kWhat);
    if (outer.value.empty()) detail::fail(kWhat, "the public key is missing");
    (void)check_spki_shape(outer.value, kWhat);
    return Dg15{Bytes(outer.value.begin(), outer.value.end())};
}

std::string PublicKeyDescription::summary() const {
    std::string s = type;
    if (curve) s += " " + *curve;
    else if (type == "EC" && explicit_parameters) s += " (explicit curve parameters)";
    if (type == "EC") return s + " (" + std::to_string(bits) + " bits)";
    return s + " " + std::to_string(bits) + " bits";
}

PublicKeyDescription describe_public_key(ByteView spki) {
    constexpr std::string_view what = "public key";
    PublicKeyDescription d;
    d.algorithm_oid = check_spki_shape(spki, what);
    const unsigned char* p = spki.data();
    crypto::PKeyPtr key(d2i_PUBKEY(nullptr, &p, static_cast<long>(spki.size())));
    if (!key || p != spki.data() + spki.size()) {
        crypto::clear_openssl_errors();
        detail::fail(what, "OpenSSL cannot load the key (" + std::string(oid_name(d.algorithm_oid).empty() ? d.algorithm_oid : oid_name(d.algorithm_oid)) + ")");
    }
    d.bits = EVP_PKEY_get_bits(key.get());
    switch (EVP_PKEY_get_base_id(key.get())) {
        case EVP_PKEY_EC: {
            d.type = "EC";
            char name[80] = {};
            std::size_t len = 0;
            if (EVP_PKEY_get_group_name(key.get(), name, sizeof name, &len) == 1 && len > 0) d.curve = std::string(name, len);
            int from_explicit = 0;
            if (EVP_PKEY_get_int_param(key.get(), OSSL_PKEY_PARAM_EC_DECODED_FROM_EXPLICIT_PARAMS, &from_explicit) == 1) {
                d.explicit_parameters = from_explicit != 0;
            }
            break;
        }
        case EVP_PKEY_RSA: d.type = "RSA"; break;
        case EVP_PKEY_DH:
        case EVP_PKEY_DHX: d.type = "DH"; break;
        default: d.type = "other"; break;
    }
    crypto::clear_openssl_errors();
    return d;
}

}  // namespace cccd::lds
