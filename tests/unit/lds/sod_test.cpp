// EF.SOD and LDSSecurityObject: exact DER, round trips, signing with OpenSSL CMS and bounded parsing.
#include <gtest/gtest.h>

#include <openssl/x509v3.h>

#include "base/error.hpp"
#include "card/lds/sod.hpp"
#include "crypto/hash.hpp"

namespace cccd::lds {
namespace {

// A hand-built LDSSecurityObject v0: SHA-256 (no parameters), DG1 = 32 x 11, DG2 = 32 x 22.
std::string lso_v0_hex() {
    return "3060"
           "020100"
           "300B0609608648016503040201"
           "304E"
           "3025020101" "0420" + std::string(64, '1') +
           "3025020102" "0420" + std::string(64, '2');
}

// The same as v1 with LDSVersionInfo "0108" / "040000" and SHA-256 given with NULL parameters.
std::string lso_v1_hex() {
    return "3072"
           "020101"
           "300D06096086480165030402010500"
           "304E"
           "3025020101" "0420" + std::string(64, '1') +
           "3025020102" "0420" + std::string(64, '2') +
           "300E" "130430313038" "1306303430303030";
}

TEST(LdsSecurityObject, DecodesHandBuiltV0) {
    auto der = from_hex(lso_v0_hex());
    auto lso = decode_lds_security_object(der);
    EXPECT_EQ(lso.version, 0);
    EXPECT_EQ(lso.hash_algorithm.oid, "2.16.840.1.101.3.4.2.1");
    EXPECT_TRUE(lso.hash_algorithm.parameters.empty());
    EXPECT_EQ(lso.known_hash(), crypto::HashAlgorithm::Sha256);
    ASSERT_EQ(lso.data_group_hashes.size(), 2u);
    EXPECT_EQ(lso.data_group_hashes[0].number, 1);
    EXPECT_EQ(lso.data_group_hashes[0].hash, Bytes(32, 0x11));
    EXPECT_EQ(lso.data_group_hashes[1].number, 2);
    ASSERT_NE(lso.hash_of(2), nullptr);
    EXPECT_EQ(*lso.hash_of(2), Bytes(32, 0x22));
    EXPECT_EQ(lso.hash_of(3), nullptr);
    EXPECT_FALSE(lso.version_info.has_value());
    EXPECT_EQ(encode_lds_security_object(lso), der);
}

TEST(LdsSecurityObject, V1WithVersionInfoAndNullParametersRoundTripsExactly) {
    auto der = from_hex(lso_v1_hex());
    auto lso = decode_lds_security_object(der);
    EXPECT_EQ(lso.version, 1);
    EXPECT_EQ(lso.hash_algorithm.parameters, from_hex("0500"));
    ASSERT_TRUE(lso.version_info.has_value());
    EXPECT_EQ(lso.version_info->lds_version, "0108");
    EXPECT_EQ(lso.version_info->unicode_version, "040000");
    EXPECT_EQ(encode_lds_security_object(lso), der);
}

TEST(LdsSecurityObject, EncodesFromFieldsToTheHandBuiltBytes) {
    LdsSecurityObject lso;
    lso.hash_algorithm.oid = "2.16.840.1.101.3.4.2.1";
    lso.data_group_hashes = {{1, Bytes(32, 0x11)}, {2, Bytes(32, 0x22)}};
    EXPECT_EQ(to_hex(encode_lds_security_object(lso)), lso_v0_hex());
}

TEST(LdsSecurityObject, MakeHashesEachDataGroupSortedByNumber) {
    Bytes dg1 = from_hex("615B5F1F");
    Bytes dg13 = from_hex("6D03300100");
    auto lso = make_lds_security_object({{13, dg13}, {1, dg1}});
    ASSERT_EQ(lso.data_group_hashes.size(), 2u);
    EXPECT_EQ(lso.data_group_hashes[0].number, 1);
    EXPECT_EQ(lso.data_group_hashes[0].hash, crypto::sha256(dg1));
    EXPECT_EQ(lso.data_group_hashes[1].number, 13);
    EXPECT_EQ(lso.data_group_hashes[1].hash, crypto::sha256(dg13));
    EXPECT_EQ(decode_lds_security_object(encode_lds_security_object(lso)), lso);
    EXPECT_THROW(make_lds_security_object({{17, dg1}}), InvalidArgument);
}

TEST(LdsSecurityObject, RefusesMalformedInput) {
    auto good = lso_v0_hex();
    // Every truncation of the DER is malformed.
    auto der = from_hex(good);
    for (std::size_t n = 0; n < der.size(); ++n)
        EXPECT_THROW(decode_lds_security_object(ByteView(der).first(n)), ParseError) << n;
    // Trailing byte after the SEQUENCE.
    EXPECT_THROW(decode_lds_security_object(from_hex(good + "00")), ParseError);
    // DG number 17, DG number 0, DG listed twice.
    auto dg17 = good;
    dg17.replace(good.find("3025020102"), 10, "3025020111");
    EXPECT_THROW(decode_lds_security_object(from_hex(dg17)), ParseError);
    auto dg0 = good;
    dg0.replace(good.find("3025020101"), 10, "3025020100");
    EXPECT_THROW(decode_lds_security_object(from_hex(dg0)), ParseError);
    auto twice = good;
    twice.replace(good.find("3025020102"), 10, "3025020101");
    EXPECT_THROW(decode_lds_security_object(from_hex(twice)), ParseError);
    // Version 2 and a version with a non-minimal INTEGER.
    EXPECT_THROW(decode_lds_security_object(from_hex("3061" "02020000" + good.substr(10))), ParseError);
    auto v2 = good;
    v2.replace(4, 6, "020102");
    EXPECT_THROW(decode_lds_security_object(from_hex(v2)), ParseError);
    // A hash that is not an OCTET STRING.
    auto wrong_tag = good;
    wrong_tag.replace(good.find("0420"), 4, "0320");
    EXPECT_THROW(decode_lds_security_object(from_hex(wrong_tag)), ParseError);
}

// ---- signing and parsing EF.SOD ----

using Asn1IntegerPtr = std::unique_ptr<ASN1_INTEGER, crypto::Deleter<ASN1_INTEGER_free>>;

struct Signer {
    crypto::PKeyPtr key;
    crypto::X509Ptr cert;
};

// A minimal self-signed P-256 signer; the full ICAO profiles live in tests/fixtures (a layer above).
Signer make_signer() {
    Signer s;
    s.key.reset(EVP_EC_gen("prime256v1"));
    EXPECT_TRUE(s.key);
    s.cert.reset(X509_new());
    X509_set_version(s.cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(s.cert.get()), 4242);
    X509_NAME* name = X509_get_subject_name(s.cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("SOD test signer"), -1,
                               -1, 0);
    X509_set_issuer_name(s.cert.get(), name);
    X509_gmtime_adj(X509_getm_notBefore(s.cert.get()), 0);
    X509_gmtime_adj(X509_getm_notAfter(s.cert.get()), 3600);
    X509_set_pubkey(s.cert.get(), s.key.get());
    EXPECT_GT(X509_sign(s.cert.get(), s.key.get(), EVP_sha256()), 0);
    return s;
}

Bytes der_of(X509* cert) {
    unsigned char* p = nullptr;
    int len = i2d_X509(cert, &p);
    Bytes out(p, p + len);
    OPENSSL_free(p);
    return out;
}

TEST(Sod, BuildThenParseGivesBackTheSecurityObjectAndSigner) {
    auto signer = make_signer();
    auto lso = decode_lds_security_object(from_hex(lso_v0_hex()));
    auto sod = build_sod(lso, signer.key.get(), signer.cert.get());
    ASSERT_GT(sod.size(), 200u);
    EXPECT_EQ(sod[0], 0x77);

    auto parsed = parse_sod(sod);
    EXPECT_EQ(parsed.security_object, lso);
    EXPECT_EQ(parsed.signed_data.content, from_hex(lso_v0_hex()));  // the exact eContent
    EXPECT_EQ(parsed.signed_data.content_type, kLdsSecurityObjectOid);
    EXPECT_EQ(parsed.signed_data.version, 3);  // eContentType other than id-data
    ASSERT_EQ(parsed.signed_data.certificates.size(), 1u);
    EXPECT_EQ(parsed.signed_data.certificates[0], der_of(signer.cert.get()));
    ASSERT_EQ(parsed.signed_data.signers.size(), 1u);
    const auto& si = parsed.signed_data.signers[0];
    EXPECT_EQ(si.digest_algorithm.oid, "2.16.840.1.101.3.4.2.1");
    EXPECT_EQ(si.signature_algorithm.oid, "1.2.840.10045.4.3.2");  // ecdsa-with-SHA256
    EXPECT_EQ(si.content_type, std::string(kLdsSecurityObjectOid));
    ASSERT_TRUE(si.message_digest.has_value());
    EXPECT_EQ(*si.message_digest, crypto::sha256(parsed.signed_data.content));
    ASSERT_TRUE(si.signing_time.has_value());
    EXPECT_EQ(si.signing_time->size(), 20u);
    EXPECT_EQ(si.signing_time->back(), 'Z');
    EXPECT_FALSE(si.issuer_name.empty());
    EXPECT_EQ(si.serial_number, from_hex("1092"));  // 4242
    EXPECT_FALSE(si.signature.empty());
    auto attrs = si.signed_attributes_for_signature();
    ASSERT_FALSE(attrs.empty());
    EXPECT_EQ(attrs[0], 0x31);
    EXPECT_EQ(si.signed_attributes[0], 0xA0);
}

TEST(Sod, Sha512SignatureDigestIsRecorded) {
    auto signer = make_signer();
    auto lso = make_lds_security_object({{1, from_hex("6100")}}, crypto::HashAlgorithm::Sha384);
    auto parsed = parse_sod(build_sod(lso, signer.key.get(), signer.cert.get(), crypto::HashAlgorithm::Sha512));
    EXPECT_EQ(parsed.security_object.known_hash(), crypto::HashAlgorithm::Sha384);
    EXPECT_EQ(parsed.signed_data.signers[0].digest_algorithm.oid, "2.16.840.1.101.3.4.2.3");
    EXPECT_EQ(parsed.signed_data.signers[0].signature_algorithm.oid, "1.2.840.10045.4.3.4");
}

TEST(Sod, RefusesOtherContentAndMalformedWrapping) {
    auto signer = make_signer();
    auto lso_der = from_hex(lso_v0_hex());
    // A master list OID as eContentType is not an SOD.
    auto other = sign_signed_data("2.23.136.1.1.2", lso_der, signer.key.get(), signer.cert.get());
    EXPECT_NO_THROW(parse_signed_data(other));
    Bytes wrapped = concat({from_hex("7782"), be_bytes(other.size(), 2), other});
    EXPECT_THROW(parse_sod(wrapped), ParseError);
    // The CMS without the 77 wrapper, and a wrong wrapper tag.
    auto sod = build_sod(decode_lds_security_object(lso_der), signer.key.get(), signer.cert.get());
    EXPECT_THROW(parse_sod(ByteView(sod).subspan(4)), ParseError);
    Bytes wrong = sod;
    wrong[0] = 0x78;
    EXPECT_THROW(parse_sod(wrong), ParseError);
    // Truncated anywhere.
    for (std::size_t n = 0; n < sod.size(); n += 7) EXPECT_THROW(parse_sod(ByteView(sod).first(n)), ParseError) << n;
    // A trailing byte.
    Bytes longer = sod;
    longer.push_back(0);
    EXPECT_THROW(parse_sod(longer), ParseError);
}

TEST(Sod, RefusesNonCmsContent) {
    EXPECT_THROW(parse_sod(from_hex("7700")), ParseError);
    EXPECT_THROW(parse_sod(from_hex("77033001FF")), ParseError);
    // ContentInfo whose content type is id-data, not SignedData.
    EXPECT_THROW(parse_signed_data(from_hex("300B06092A864886F70D010701")), ParseError);
}

}  // namespace
}  // namespace cccd::lds
