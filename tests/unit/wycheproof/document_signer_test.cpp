// Wycheproof's signature vectors of the kinds Document Signers use, through the SOD's own check
// (pa::verify_signer_info, a SignerInfo without signed attributes, so the signature covers the message):
// ECDSA on brainpoolP384r1, RSASSA-PSS and RSASSA-PKCS1-v1_5 with 2048-bit keys.
#include <gtest/gtest.h>

#include <algorithm>

#include "card/lds/sod.hpp"
#include "card/pa/cms_verify.hpp"
#include "card/tlv/tlv.hpp"
#include "crypto/ec.hpp"
#include "tests/unit/wycheproof/wycheproof.hpp"

namespace cccd::wycheproof {
namespace {

constexpr std::string_view kSha256 = "2.16.840.1.101.3.4.2.1";
constexpr std::string_view kSha384 = "2.16.840.1.101.3.4.2.2";

bool has_flag(const Case& c, std::string_view flag) { return std::find(c.flags.begin(), c.flags.end(), flag) != c.flags.end(); }

void document_signer(const std::string& file, std::string_view digest_oid, std::string_view signature_oid,
                     const Bytes& signature_parameters = {}) {
    Tally tally(file);
    for (const Group& group : load(file)) {
        const crypto::PKeyPtr key = crypto::parse_public_key(group.hex("publicKeyDer"));
        for (const Case& c : group.cases) {
            lds::SignerInfo signer;
            signer.version = 1;
            signer.digest_algorithm.oid = std::string(digest_oid);
            signer.signature_algorithm.oid = std::string(signature_oid);
            signer.signature_algorithm.parameters = signature_parameters;
            signer.signature = c.hex("sig");
            const pa::SignerCheck check = pa::verify_signer_info(signer, lds::kLdsSecurityObjectOid, c.hex("msg"), key.get());
            // Decided: PKCS #1 v1.5 DigestInfo without the NULL parameters (Wycheproof: acceptable) is
            // refused; RFC 8017 9.2 writes the NULL, and every Document Signer of the real SODs does.
            if (has_flag(c, "MissingNull")) {
                EXPECT_FALSE(check.ok) << c.id;
            }
            tally.record(c, check.ok);
        }
    }
    EXPECT_GT(tally.total(), 0);
    EXPECT_EQ(tally.acceptable_accepted(), 0);
}

TEST(Wycheproof, DocumentSignerEcdsaOnBrainpoolP384r1) {
    document_signer("ecdsa_brainpoolP384r1_sha384_test.json", kSha384, "1.2.840.10045.4.3.3");  // ecdsa-with-SHA384
}

TEST(Wycheproof, DocumentSignerRsaPssSha256) {
    // RSASSA-PSS-params: SHA-256, MGF1 with SHA-256, a 32-byte salt (RFC 4055).
    const Bytes sha256 = tlv::encode_constructed(tlv::asn1::kSequence, {tlv::asn1::encode_oid(kSha256), from_hex("0500")});
    const Bytes params = tlv::encode_constructed(
        tlv::asn1::kSequence,
        {tlv::encode(0xA0, sha256),
         tlv::encode(0xA1, tlv::encode_constructed(tlv::asn1::kSequence, {tlv::asn1::encode_oid("1.2.840.113549.1.1.8"), sha256})),
         tlv::encode(0xA2, tlv::asn1::encode_integer(32))});
    document_signer("rsa_pss_2048_sha256_mgf1_32_test.json", kSha256, "1.2.840.113549.1.1.10", params);
}

TEST(Wycheproof, DocumentSignerRsaPkcs1Sha256) {
    document_signer("rsa_signature_2048_sha256_test.json", kSha256, "1.2.840.113549.1.1.11");  // sha256WithRSAEncryption
}

}  // namespace
}  // namespace cccd::wycheproof
