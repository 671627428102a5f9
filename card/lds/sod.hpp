#pragma once
// EF.SOD (ICAO 9303 Part 10 and 11): tag 77 around a CMS ContentInfo whose SignedData carries the
// LDSSecurityObject (the hash of every data group) signed by the Document Signer (DS).
//
// Parsing walks the DER with card/tlv and never trusts a length; anything malformed is a ParseError.
// It only decodes: whether the signature holds and the DS is trusted is Passive Authentication
// (card/pa). Building signs through OpenSSL's CMS code, so what we issue is what any reader expects.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.hpp"
#include "card/tlv/tlv.hpp"
#include "crypto/hash.hpp"
#include "crypto/openssl.hpp"

namespace cccd::lds {

inline constexpr std::string_view kLdsSecurityObjectOid = "2.23.136.1.1.1";  // id-icao-mrtd-security-ldsSecurityObject
inline constexpr std::string_view kSignedDataOid = "1.2.840.113549.1.7.2";
inline constexpr std::uint32_t kSodTag = 0x77;

// AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }.
struct AlgorithmIdentifier {
    std::string oid;         // dotted
    Bytes parameters;        // the parameters' full DER (e.g. 05 00), empty when absent
    friend bool operator==(const AlgorithmIdentifier&, const AlgorithmIdentifier&) = default;
};
// An AlgorithmIdentifier as read from its DER SEQUENCE (`e`, parsed by tlv): ParseError otherwise.
AlgorithmIdentifier read_algorithm(const tlv::Element& e);


struct DataGroupHash {
    int number = 0;  // 1..16
    Bytes hash;
    friend bool operator==(const DataGroupHash&, const DataGroupHash&) = default;
};

// LDSVersionInfo ::= SEQUENCE { ldsVersion PrintableString, unicodeVersion PrintableString }.
struct LdsVersionInfo {
    std::string lds_version;      // "0108"
    std::string unicode_version;  // "040000"
    friend bool operator==(const LdsVersionInfo&, const LdsVersionInfo&) = default;
};

// LDSSecurityObject ::= SEQUENCE { version, hashAlgorithm, dataGroupHashValues, ldsVersionInfo OPTIONAL }.
struct LdsSecurityObject {
    int version = 0;  // 0, or 1 when ldsVersionInfo is present
    AlgorithmIdentifier hash_algorithm;
    std::vector<DataGroupHash> data_group_hashes;  // in the order encoded
    std::optional<LdsVersionInfo> version_info;

    // The hash algorithm if it is one we know (SHA-1, SHA-2).
    std::optional<crypto::HashAlgorithm> known_hash() const;
    // The hash stored for a data group, or nullptr.
    const Bytes* hash_of(int data_group) const;
    friend bool operator==(const LdsSecurityObject&, const LdsSecurityObject&) = default;
};

Bytes encode_lds_security_object(const LdsSecurityObject& lso);
LdsSecurityObject decode_lds_security_object(ByteView der);

// Hashes every data group (number -> file bytes) into a version 0 LDSSecurityObject.
LdsSecurityObject make_lds_security_object(const std::vector<std::pair<int, Bytes>>& data_groups,
                                           crypto::HashAlgorithm hash = crypto::HashAlgorithm::Sha256);

// ---- CMS SignedData (RFC 5652), as used by EF.SOD and CSCA master lists ----

struct SignerInfo {
    int version = 0;
    // SignerIdentifier: issuerAndSerialNumber (version 1) or subjectKeyIdentifier (version 3).
    Bytes issuer_name;          // DER Name, empty when identified by key identifier
    Bytes serial_number;        // INTEGER content bytes
    Bytes subject_key_identifier;
    AlgorithmIdentifier digest_algorithm;
    Bytes signed_attributes;    // the full [0] element as encoded (tag A0), empty when absent
    AlgorithmIdentifier signature_algorithm;
    Bytes signature;
    // Decoded signed attributes (only the ones CMS verification needs).
    std::optional<std::string> content_type;  // dotted OID from the contentType attribute
    std::optional<Bytes> message_digest;
    std::optional<std::string> signing_time;  // ISO 8601 "2026-05-28T06:28:45Z"

    // The DER that the signature covers: the signed attributes re-tagged as SET OF (31).
    Bytes signed_attributes_for_signature() const;
};

struct SignedData {
    int version = 0;
    std::vector<AlgorithmIdentifier> digest_algorithms;
    std::string content_type;      // eContentType, dotted
    Bytes content;                 // eContent (the OCTET STRING's value)
    std::vector<Bytes> certificates;  // DER of each embedded certificate
    std::vector<Bytes> crls;          // DER of each embedded CRL
    std::vector<SignerInfo> signers;
};

// A ContentInfo holding SignedData with encapsulated content; ParseError otherwise.
SignedData parse_signed_data(ByteView content_info);

// Signs `content` as CMS SignedData with eContentType `content_type_oid`, signed attributes
// (contentType, messageDigest, signingTime) and the signer certificate embedded. Returns the
// ContentInfo DER. The key may be ECDSA or RSA (PKCS#1 v1.5).
Bytes sign_signed_data(std::string_view content_type_oid, ByteView content, EVP_PKEY* signer_key, X509* signer_cert,
                       crypto::HashAlgorithm digest = crypto::HashAlgorithm::Sha256);

// ---- EF.SOD ----

struct Sod {
    SignedData signed_data;
    LdsSecurityObject security_object;
};

// Parses EF.SOD (77 { ContentInfo }); the eContentType must be the LDSSecurityObject's OID.
Sod parse_sod(ByteView ef_sod);

// Signs the LDSSecurityObject with the DS key and certificate and wraps it in tag 77.
Bytes build_sod(const LdsSecurityObject& lso, EVP_PKEY* ds_key, X509* ds_cert,
                crypto::HashAlgorithm signature_digest = crypto::HashAlgorithm::Sha256);

}  // namespace cccd::lds
