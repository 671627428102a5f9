#pragma once
// Elliptic-curve arithmetic for PACE and Chip Authentication: curves by standardized domain parameter
// id (BSI TR-03110 / ICAO 9303 Part 11 §9.5.1), fixed-width uncompressed points (04 || x || y, each
// coordinate left-padded to the field size), validation of every point received, ECDH, and the point
// operations of the PACE Generic Mapping. Private scalars are SecretBytes of the order's byte length.
#include <cstdint>
#include <string>
#include <string_view>

#include "base/bytes.hpp"
#include "crypto/openssl.hpp"

namespace cccd::crypto {

class EcGroup {
public:
    // 8..18 of TR-03110 (12 = NIST P-256, 13 = brainpoolP256r1, ...); InvalidArgument otherwise.
    static EcGroup by_parameter_id(std::uint64_t id);
    static EcGroup by_nid(int nid);
    // OpenSSL's short names ("brainpoolP256r1", "prime256v1", "secp384r1") and the NIST ones
    // ("P-256"); InvalidArgument for anything else.
    static EcGroup by_name(std::string_view name);
    // The curve of a public key (SubjectPublicKeyInfo DER or EVP_PKEY); named curves only.
    static EcGroup of_key(const EVP_PKEY* key);

    int nid() const noexcept { return nid_; }
    std::string name() const;
    std::size_t field_size() const noexcept { return field_size_; }  // bytes per coordinate
    std::size_t order_size() const noexcept { return order_size_; }  // bytes of a private scalar
    const EC_GROUP* get() const noexcept { return group_.get(); }

    // 04 || x || y; the point at infinity cannot be encoded.
    Bytes encode(const EC_POINT* point) const;
    // Decodes an uncompressed point and checks it lies on the curve and is not infinity.
    // ParseError otherwise (the bytes come from the other side).
    EcPointPtr decode(ByteView encoded) const;
    Bytes generator() const;

    // k * P for an encoded point P, validated first (decode): an empty or invalid one is a ParseError,
    // never read as the generator, so a key agreement cannot be handed our own public key.
    EcPointPtr multiply(ByteView scalar, ByteView point) const;
    // k * G, the standard generator.
    EcPointPtr multiply_generator(ByteView scalar) const;
    // a + b
    EcPointPtr add(const EC_POINT* a, const EC_POINT* b) const;
    // A uniformly random scalar in [1, n-1].
    SecretBytes random_scalar() const;

private:
    EcGroup(EcGroupPtr group, int nid);
    EcGroupPtr group_;
    int nid_ = 0;
    std::size_t field_size_ = 0;
    std::size_t order_size_ = 0;
};

struct EcKeyPair {
    SecretBytes private_scalar;
    Bytes public_point;  // encoded, on the generator used to make it
};

// A fresh key pair on `generator` (encoded; empty = the curve's standard generator).
EcKeyPair generate_key_pair(const EcGroup& group, ByteView generator = {});
// The key pair of a given scalar (test vectors, keys held elsewhere).
EcKeyPair key_pair_from_scalar(const EcGroup& group, ByteView scalar, ByteView generator = {});

// The x-coordinate of private * peer, fixed width; the peer point is validated first.
SecretBytes ecdh_shared_secret(const EcGroup& group, ByteView private_scalar, ByteView peer_point);

// The whole point private * peer (encoded), the peer point validated first: H of the Generic Mapping.
SecretBytes shared_point(const EcGroup& group, ByteView private_scalar, ByteView peer_point);
// G~ = s * G + H for an encoded H (validated). Returns G~ encoded.
Bytes mapped_generator(const EcGroup& group, ByteView nonce, ByteView shared_point_h);
// PACE Generic Mapping in one call: G~ = s * G + H, with H = private * peer_mapping_point.
Bytes generic_mapping(const EcGroup& group, ByteView nonce, ByteView private_scalar, ByteView peer_mapping_point);

// The EC private scalar and the encoded public point of an EVP_PKEY (e.g. the chip's CA key).
SecretBytes private_scalar_of(const EVP_PKEY* key, const EcGroup& group);
Bytes public_point_of(const EVP_PKEY* key);
// An ECDSA signature as plain r || s (BSI TR-03111: two equal halves) re-encoded as the DER
// ECDSA-Sig-Value OpenSSL verifies. ParseError for an empty, odd or oversized input.
Bytes ecdsa_plain_to_der(ByteView plain);

// Parses a SubjectPublicKeyInfo DER (DG14 / DG15): ParseError when malformed.
PKeyPtr parse_public_key(ByteView spki_der);

// The SubjectPublicKeyInfo DER of a public point on `group` with the curve spelled out rather than
// named (ICAO 9303-11 §9.5.2, BSI TR-03110 Part 3 §A.2.1.2): id-ecPublicKey with ECParameters
// { version 1, fieldID { prime-field, p }, curve { a, b } without a seed, base G uncompressed, order n,
// cofactor h }, then the uncompressed point. OpenSSL writes it; the result is exact DER and the same
// bytes for the same key whatever form it was read from. The point is validated first (ParseError).
Bytes encode_public_key_explicit(const EcGroup& group, ByteView point);

}  // namespace cccd::crypto
