// The CSCA trust store: certificate files, CRLs, master lists made by the test PKI, and the real
// German master list with the Vietnamese CSCA (explicit EC parameters) inside.
#include <gtest/gtest.h>

#include <filesystem>

#include <openssl/x509_vfy.h>

#include "base/error.hpp"
#include "card/pa/certificate.hpp"
#include "card/pa/master_list.hpp"
#include "card/pa/trust_store.hpp"
#include "card/tlv/tlv.hpp"
#include "tests/fixtures/test_pki.hpp"

namespace cccd::pa {
namespace {

namespace fx = cccd::fixtures;

const std::time_t kNow = utc_time(2026, 6, 1);

std::filesystem::path temp_dir() {
    auto dir = std::filesystem::temp_directory_path() /
               ("cccd_pa_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir);
    return dir;
}

TEST(TrustStore, AddsCertificatesFromPemAndDerFilesOnce) {
    auto a = fx::make_csca();
    auto spec = fx::csca_spec();
    spec.common_name = "CSCA Other";
    spec.key = fx::KeyKind::Rsa2048;
    auto b = fx::make_csca(spec);
    auto dir = temp_dir();
    fx::write_certificate_der(dir / "a.cer", a.cert_ptr());
    fx::write_file(dir / "both.pem", view(a.cert_pem() + b.cert_pem()));

    TrustStore store;
    EXPECT_EQ(store.add_certificate_file(dir / "a.cer"), 1u);
    EXPECT_EQ(store.add_certificate_file(dir / "both.pem"), 1u);  // a is already there
    ASSERT_EQ(store.size(), 2u);
    EXPECT_EQ(store.anchors()[0].provenance.source, "a.cer");
    EXPECT_TRUE(store.anchors()[0].provenance.verified);
    EXPECT_FALSE(store.anchors()[0].provenance.master_list_signer.has_value());
    EXPECT_FALSE(store.anchors()[0].provenance.from_master_list);
    EXPECT_EQ(store.anchors()[1].subject, "CN=CSCA Other, O=CCCD Test PKI, C=VN");
    EXPECT_THROW(store.add_certificate_file(dir / "missing.cer"), ParseError);
    EXPECT_THROW(store.add_certificates(from_hex("3003020101"), "junk"), ParseError);
    std::filesystem::remove_all(dir);
}

TEST(TrustStore, FindsTheIssuingCscaByNameAndKeyIdentifier) {
    auto pki = fx::make_test_pki();
    // Same subject name, different key: the authority key identifier tells them apart.
    auto impostor = fx::make_csca();
    TrustStore store;
    store.add_certificate(impostor.cert_ptr(), {"impostor", std::nullopt, true});
    EXPECT_TRUE(store.candidate_issuers(pki.ds.cert_ptr()).empty());
    store.add_certificate(pki.csca.cert_ptr(), {"real", std::nullopt, true});
    auto found = store.candidate_issuers(pki.ds.cert_ptr());
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0]->provenance.source, "real");
    EXPECT_TRUE(signature_verifies(pki.ds.cert_ptr(), found[0]->certificate.get()));
    EXPECT_FALSE(signature_verifies(pki.ds.cert_ptr(), impostor.cert_ptr()));
}

TEST(TrustStore, KeepsOnlyCrlsIssuedByAnAnchor) {
    auto pki = fx::make_test_pki();
    auto stranger = fx::make_csca();
    TrustStore store;
    store.add_certificate(pki.csca.cert_ptr(), {"csca", std::nullopt, true});
    auto crl = fx::make_crl(pki.csca, {pki.ds.cert_ptr()}, kNow, kNow + 86400 * 30);
    auto foreign = fx::make_crl(stranger, {}, kNow, kNow + 86400 * 30);  // same name, other key
    EXPECT_EQ(store.add_crls(foreign, "foreign.crl"), 0u);
    EXPECT_EQ(store.add_crls(crl, "csca.crl"), 1u);
    auto crls = store.crls_for(store.anchors()[0]);
    ASSERT_EQ(crls.size(), 1u);
    EXPECT_EQ(crls[0]->source, "csca.crl");
    auto dir = temp_dir();
    fx::write_crl_pem(dir / "csca.pem", crl);
    EXPECT_EQ(store.add_crl_file(dir / "csca.pem"), 1u);
    EXPECT_THROW(store.add_crls(from_hex("300100"), "junk"), ParseError);
    std::filesystem::remove_all(dir);
}

// ---- master lists made by the test PKI ----

struct MasterListSetup {
    fx::Credential root;  // the CSCA of the state that publishes the list
    fx::Credential signer;
    fx::Credential listed_a;
    fx::Credential listed_b;
    Bytes list;
};

MasterListSetup make_master_list_setup() {
    MasterListSetup s;
    auto root_spec = fx::csca_spec();
    root_spec.common_name = "CSCA Publisher";
    root_spec.country = "DE";
    s.root = fx::make_csca(root_spec);
    s.signer = fx::make_master_list_signer(s.root);
    auto a = fx::csca_spec();
    a.key = fx::KeyKind::P256;
    s.listed_a = fx::make_csca(a);
    auto b = fx::csca_spec();
    b.common_name = "CSCA Explicit";
    b.explicit_ec_parameters = true;
    s.listed_b = fx::make_csca(b);
    s.list = fx::make_master_list({s.listed_a.cert_ptr(), s.listed_b.cert_ptr()}, s.signer);
    return s;
}

TEST(MasterList, ParsesAndVerifiesAFixtureList) {
    auto s = make_master_list_setup();
    auto list = parse_master_list(s.list);
    EXPECT_EQ(list.version, 0);
    EXPECT_EQ(list.certificates.size(), 2u);
    auto v = verify_master_list(list, {s.root.cert_ptr()}, kNow);
    EXPECT_TRUE(v.verified) << v.reason;
    EXPECT_EQ(v.signer_subject, "CN=Master List Signer CCCD Test, O=CCCD Test PKI, C=VN");

    auto other = fx::make_csca();
    auto wrong_root = verify_master_list(list, {other.cert_ptr()}, kNow);
    EXPECT_FALSE(wrong_root.verified);
    EXPECT_NE(wrong_root.reason.find("not among the trusted"), std::string::npos) << wrong_root.reason;

    auto expired = verify_master_list(list, {s.root.cert_ptr()}, utc_time(2041, 1, 1));
    EXPECT_FALSE(expired.verified);
    EXPECT_NE(expired.reason.find("not valid on the verification date"), std::string::npos) << expired.reason;
}

TEST(MasterList, TamperedContentFailsTheDigestCheck) {
    auto s = make_master_list_setup();
    auto list = parse_master_list(s.list);
    list.signed_data.content.back() ^= 0x01;  // a bit of the last certificate's signature
    auto v = verify_master_list(list, {s.root.cert_ptr()}, kNow);
    EXPECT_FALSE(v.verified);
    EXPECT_NE(v.reason.find("messageDigest"), std::string::npos) << v.reason;
}

TEST(MasterList, ImportKeepsProvenance) {
    auto s = make_master_list_setup();
    TrustStore store;
    auto result = store.add_master_list(s.list, "test.ml", {s.root.cert_ptr()}, kNow);
    EXPECT_TRUE(result.verified);
    EXPECT_EQ(result.added, 2u);
    EXPECT_EQ(result.duplicates, 0u);
    ASSERT_EQ(store.size(), 2u);
    for (const auto& a : store.anchors()) {
        EXPECT_EQ(a.provenance.source, "test.ml");
        EXPECT_TRUE(a.provenance.from_master_list);
        EXPECT_TRUE(a.provenance.verified);
        EXPECT_EQ(a.provenance.master_list_signer, "CN=Master List Signer CCCD Test, O=CCCD Test PKI, C=VN");
    }
    auto again = store.add_master_list(s.list, "again.ml", {s.root.cert_ptr()}, kNow);
    EXPECT_EQ(again.added, 0u);
    EXPECT_EQ(again.duplicates, 2u);

    auto other = fx::make_csca();
    TrustStore strict;
    EXPECT_THROW(strict.add_master_list(s.list, "test.ml", {other.cert_ptr()}, kNow), CryptoError);
    EXPECT_EQ(strict.size(), 0u);

    TrustStore loose;
    auto unverified = loose.add_master_list(s.list, "test.ml", {}, kNow);
    EXPECT_FALSE(unverified.verified);
    EXPECT_EQ(loose.size(), 2u);
    EXPECT_FALSE(loose.anchors()[0].provenance.verified);
    EXPECT_TRUE(loose.anchors()[0].provenance.from_master_list);
}

TEST(MasterList, RefusesSodAndGarbage) {
    auto pki = fx::make_test_pki();
    auto sod = fx::sign_sod({{1, from_hex("6100")}}, pki.ds);
    EXPECT_THROW(parse_master_list(ByteView(sod).subspan(4)), ParseError);  // an SOD's CMS
    EXPECT_THROW(parse_master_list(from_hex("3000")), ParseError);
    auto s = make_master_list_setup();
    for (std::size_t n = 0; n < s.list.size(); n += 97)
        EXPECT_THROW(parse_master_list(ByteView(s.list).first(n)), ParseError) << n;
}

// ---- the real German master list ----

const std::filesystem::path kCscaDir = std::filesystem::path(CCCD_SHARED_DIR) / "data" / "csca";

TEST(GermanMasterList, ImportsAll588CertificatesWithAVerifiedSignature) {
    auto root = certificates_from_bytes(read_file(kCscaDir / "DE_csca-germany_2024.cer"));
    ASSERT_EQ(root.size(), 1u);
    TrustStore store;
    auto result = store.add_master_list_file(kCscaDir / "DE_masterlist_2026-05-28.ml", {root[0].get()}, kNow);
    EXPECT_TRUE(result.verified) << result.reason;
    EXPECT_EQ(result.unreadable, 0u);
    EXPECT_EQ(result.added + result.duplicates, 588u);
    EXPECT_EQ(result.added, 588u);
    EXPECT_EQ(store.size(), 588u);
    EXPECT_EQ(store.anchors()[0].provenance.master_list_signer,
              "CN=CSCA Master List Signer, serialNumber=0039, OU=bsi, O=bund, C=DE");

    auto vn = store.find_by_subject("CN=CSCA ePassport Vietnam");
    ASSERT_EQ(vn.size(), 1u);
    X509* csca = vn[0]->certificate.get();
    EXPECT_EQ(vn[0]->subject, "CN=CSCA ePassport Vietnam, O=Vietnam Government Information Security Commission, C=VN");
    EXPECT_EQ(describe_key(csca), "ECDSA brainpoolP512r1, explicit parameters (512 bits)");
    EXPECT_EQ(date_to_string(X509_get0_notBefore(csca)), "2022-06-29");
    EXPECT_EQ(date_to_string(X509_get0_notAfter(csca)), "2037-10-01");
    // Its explicit-parameter key verifies its own (ecdsa-with-SHA512) signature...
    EXPECT_TRUE(signature_verifies(csca, csca));
    // ...and does not verify someone else's.
    auto de = store.find_by_subject("CN=csca-germany");
    ASSERT_FALSE(de.empty());
    EXPECT_FALSE(signature_verifies(de[0]->certificate.get(), csca));
}

TEST(ExplicitParameters, OpenSslStrictChainVerificationRefusesAnExplicitParameterCsca) {
    // Documents why trust_store.cpp checks the short chain by hand: the same DS that our check accepts
    // (see passive_auth_test.cpp) is refused by X509_verify_cert in strict mode.
    auto spec = fixtures::csca_spec();
    spec.explicit_ec_parameters = true;
    auto csca = fixtures::make_csca(spec);
    auto ds = fixtures::make_document_signer(csca);
    // As a reader would have them: decoded from DER (OpenSSL flags keys decoded from explicit parameters).
    auto csca_read = certificate_from_der(csca.cert_der());
    auto ds_read = certificate_from_der(ds.cert_der());
    crypto::X509StorePtr store(X509_STORE_new());
    ASSERT_EQ(X509_STORE_add_cert(store.get(), csca_read.get()), 1);
    crypto::X509StoreCtxPtr ctx(X509_STORE_CTX_new());
    ASSERT_EQ(X509_STORE_CTX_init(ctx.get(), store.get(), ds_read.get(), nullptr), 1);
    X509_STORE_CTX_set_time(ctx.get(), 0, kNow);
    X509_STORE_CTX_set_flags(ctx.get(), X509_V_FLAG_X509_STRICT);
    EXPECT_NE(X509_verify_cert(ctx.get()), 1);
    EXPECT_EQ(X509_STORE_CTX_get_error(ctx.get()), X509_V_ERR_EC_KEY_EXPLICIT_PARAMS);
    // The signature itself is fine.
    EXPECT_TRUE(signature_verifies(ds_read.get(), csca_read.get()));
}

// Certificates are checked by the trust chain's own verify_signature (signature.hpp), not by X509_verify:
// on every CSCA of a real master list (ECDSA with SHA-1 to SHA-512, RSASSA-PSS, PKCS #1 v1.5) it must
// agree with OpenSSL's own check of the self-signature.
TEST(GermanMasterList, OurCertificateSignatureCheckAgreesWithOpenSslOnEveryCsca) {
    const MasterList list = parse_master_list(read_file(kCscaDir / "DE_masterlist_2026-05-28.ml"));
    std::size_t verified = 0;
    for (const auto& der : list.certificates) {
        crypto::X509Ptr cert = certificate_from_der(der);
        EVP_PKEY* key = X509_get0_pubkey(cert.get());
        ASSERT_NE(key, nullptr);
        const bool openssl = X509_verify(cert.get(), key) == 1;
        EXPECT_EQ(signature_verifies(cert.get(), cert.get()), openssl) << X509_NAME_oneline(X509_get_subject_name(cert.get()), nullptr, 0);
        verified += openssl ? 1 : 0;
    }
    EXPECT_EQ(verified, 375u);  // the self-signed CSCAs; the rest are link certificates
}

// RFC 5280 4.1.1.2: the algorithm outside the signed part must be the one inside it. A certificate whose
// outer AlgorithmIdentifier gained parameters (ecdsa-with-SHA256 with a NULL, which the ECDSA check itself
// would ignore) is refused although its signature still verifies over the signed part.
TEST(CertificateSignature, AnOuterAlgorithmThatDiffersFromTheSignedOneIsRefused) {
    auto csca = fixtures::make_csca();
    auto ds = fixtures::make_document_signer(csca);
    const Bytes der = ds.cert_der();
    tlv::Reader parts(tlv::read_single(der, tlv::asn1::kSequence).value);
    const tlv::Element tbs = parts.next();
    const tlv::Element algorithm = parts.next();
    const tlv::Element signature = parts.next();
    tlv::Reader algorithm_fields(algorithm.value);
    const ByteView oid = algorithm_fields.expect(tlv::asn1::kOid).raw;
    Bytes with_null(oid.begin(), oid.end());
    ASSERT_TRUE(algorithm_fields.at_end());  // ecdsa-with-SHA256 has no parameters
    append(with_null, Bytes{0x05, 0x00});
    Bytes body(tbs.raw.begin(), tbs.raw.end());
    append(body, tlv::encode(tlv::asn1::kSequence, with_null));
    append(body, signature.raw);
    auto tampered = certificate_from_der(tlv::encode(tlv::asn1::kSequence, body));
    EXPECT_TRUE(signature_verifies(certificate_from_der(der).get(), csca.cert_ptr()));
    EXPECT_FALSE(signature_verifies(tampered.get(), csca.cert_ptr()));
}

TEST(GermanMasterList, FailsAgainstTheWrongRoot) {
    auto other = fixtures::make_csca();
    TrustStore store;
    EXPECT_THROW(store.add_master_list_file(kCscaDir / "DE_masterlist_2026-05-28.ml", {other.cert_ptr()}, kNow),
                 CryptoError);
    EXPECT_EQ(store.size(), 0u);
}

}  // namespace
}  // namespace cccd::pa
