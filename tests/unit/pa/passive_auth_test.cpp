// Passive Authentication end to end with the test PKI: one passing card, and one negative per check,
// each asserting that the RIGHT check fails and the others do not.
#include <gtest/gtest.h>

#include <algorithm>

#include "base/error.hpp"
#include "card/lds/sod.hpp"
#include "card/pa/certificate.hpp"
#include "card/pa/passive_auth.hpp"
#include "card/tlv/tlv.hpp"
#include "crypto/hash.hpp"
#include "tests/fixtures/test_pki.hpp"

namespace cccd::pa {
namespace {

namespace fx = cccd::fixtures;

const std::time_t kNow = utc_time(2026, 6, 1);

std::map<int, Bytes> sample_data_groups() {
    return {
        {1, from_hex("615B5F1F5849443C564E4D")},
        {2, from_hex("7503010203")},
        {13, from_hex("6D0830060201011301")},
        {14, from_hex("6E03310100")},
    };
}

Verdict verdict_of(const Report& r, std::string_view name) {
    const Check* c = r.find(name);
    EXPECT_NE(c, nullptr) << "no check named " << name;
    return c != nullptr ? c->verdict : Verdict::NotChecked;
}

std::string reason_of(const Report& r, std::string_view name) {
    const Check* c = r.find(name);
    return c != nullptr ? c->reason : "";
}

// The names of the checks that failed, for compact assertions.
std::vector<std::string> failures(const Report& r) {
    std::vector<std::string> out;
    for (const auto& c : r.checks) {
        if (c.verdict == Verdict::Fail) out.push_back(c.name);
    }
    return out;
}

class PassiveAuth : public ::testing::Test {
protected:
    void SetUp() override {
        pki_ = fx::make_test_pki();
        store_.add_certificate(pki_.csca.cert_ptr(), {"csca.pem", std::nullopt, true});
        files_ = sample_data_groups();
        sod_ = fx::sign_sod(files_, pki_.ds);
    }
    fx::TestPki pki_;
    TrustStore store_;
    std::map<int, Bytes> files_;
    Bytes sod_;
};

TEST_F(PassiveAuth, PassesOnACorrectCard) {
    auto r = verify(files_, sod_, store_, kNow);
    EXPECT_EQ(r.overall, Verdict::Pass);
    EXPECT_TRUE(failures(r).empty());
    EXPECT_EQ(verdict_of(r, kCheckSodStructure), Verdict::Pass);
    EXPECT_EQ(verdict_of(r, kCheckSodSignature), Verdict::Pass);
    EXPECT_EQ(verdict_of(r, kCheckDsTrusted), Verdict::Pass);
    EXPECT_NE(reason_of(r, kCheckDsTrusted).find("CN=CSCA CCCD Test"), std::string::npos);
    EXPECT_EQ(verdict_of(r, kCheckDsValidity), Verdict::Pass);
    EXPECT_EQ(verdict_of(r, kCheckDsNotRevoked), Verdict::NotChecked);  // no CRL given
    for (int dg : {1, 2, 13, 14}) EXPECT_EQ(verdict_of(r, data_group_check_name(dg)), Verdict::Pass) << dg;
    EXPECT_EQ(r.checks.size(), 9u);
    EXPECT_EQ(r.ds_subject, "CN=DS CCCD Test, O=CCCD Test PKI, C=VN");
    EXPECT_EQ(r.csca_subject, "CN=CSCA CCCD Test, O=CCCD Test PKI, C=VN");
}

TEST_F(PassiveAuth, ACurrentCrlWithoutTheDsPassesRevocation) {
    auto other = fx::make_document_signer(pki_.csca);
    store_.add_crls(fx::make_crl(pki_.csca, {other.cert_ptr()}, kNow - 86400, kNow + 86400 * 30), "csca.crl");
    auto r = verify(files_, sod_, store_, kNow);
    EXPECT_EQ(verdict_of(r, kCheckDsNotRevoked), Verdict::Pass);
    EXPECT_EQ(r.overall, Verdict::Pass);
}

TEST_F(PassiveAuth, ChangedDataGroupFailsOnlyItsHash) {
    files_[13].back() ^= 0x01;
    auto r = verify(files_, sod_, store_, kNow);
    EXPECT_EQ(r.overall, Verdict::Fail);
    EXPECT_EQ(failures(r), std::vector<std::string>{"DG13 hash"});
    EXPECT_NE(reason_of(r, "DG13 hash").find("SHA-256"), std::string::npos);
}

TEST_F(PassiveAuth, TamperedSignatureFailsTheSodSignature) {
    auto sod = lds::parse_sod(sod_);
    // Flip the last byte of the encoded signature inside the EF.SOD bytes.
    const Bytes& sig = sod.signed_data.signers[0].signature;
    auto it = std::search(sod_.begin(), sod_.end(), sig.begin(), sig.end());
    ASSERT_NE(it, sod_.end());
    *(it + static_cast<std::ptrdiff_t>(sig.size()) - 1) ^= 0x01;
    auto r = verify(files_, sod_, store_, kNow);
    EXPECT_EQ(failures(r), std::vector<std::string>{std::string(kCheckSodSignature)});
    EXPECT_NE(reason_of(r, kCheckSodSignature).find("does not verify"), std::string::npos);
}

TEST_F(PassiveAuth, ChangedSecurityObjectFailsTheMessageDigest) {
    // Change one stored hash inside the eContent: the data group then also mismatches, but the SOD
    // signature check must name the messageDigest.
    auto sod = lds::parse_sod(sod_);
    const Bytes& h = *sod.security_object.hash_of(2);
    auto it = std::search(sod_.begin(), sod_.end(), h.begin(), h.end());
    ASSERT_NE(it, sod_.end());
    *it ^= 0x01;
    auto r = verify(files_, sod_, store_, kNow);
    EXPECT_EQ(verdict_of(r, kCheckSodSignature), Verdict::Fail);
    EXPECT_NE(reason_of(r, kCheckSodSignature).find("messageDigest"), std::string::npos);
    EXPECT_EQ(verdict_of(r, "DG2 hash"), Verdict::Fail);
    EXPECT_EQ(verdict_of(r, kCheckDsTrusted), Verdict::Pass);
}

TEST_F(PassiveAuth, DsFromAnUntrustedCscaFailsTrust) {
    auto rogue = fx::make_test_pki();  // same names, other keys
    auto sod = fx::sign_sod(files_, rogue.ds);
    auto r = verify(files_, sod, store_, kNow);
    EXPECT_EQ(failures(r), std::vector<std::string>{std::string(kCheckDsTrusted)});
    EXPECT_EQ(verdict_of(r, kCheckSodSignature), Verdict::Pass);  // self-consistent, just not trusted
    EXPECT_NE(reason_of(r, kCheckDsTrusted).find("no CSCA"), std::string::npos) << reason_of(r, kCheckDsTrusted);
    EXPECT_TRUE(r.csca_subject.empty());

    // A rogue CSCA that copies the subject key identifier still fails on the signature.
    TrustStore empty;
    auto r2 = verify(files_, sod, empty, kNow);
    EXPECT_EQ(verdict_of(r2, kCheckDsTrusted), Verdict::Fail);
}

TEST_F(PassiveAuth, ExpiredDsFailsValidity) {
    auto spec = fx::ds_spec();
    spec.not_before = utc_time(2019, 1, 1);
    spec.not_after = utc_time(2024, 1, 1);
    auto ds = fx::make_document_signer(pki_.csca, spec);
    auto sod = fx::sign_sod(files_, ds);
    auto r = verify(files_, sod, store_, kNow);
    EXPECT_EQ(failures(r), std::vector<std::string>{std::string(kCheckDsValidity)});
    EXPECT_EQ(reason_of(r, kCheckDsValidity), "expired on 2024-01-01");
    // The same card checked at a time inside the validity passes.
    auto in_time = verify(files_, sod, store_, utc_time(2023, 6, 1));
    EXPECT_EQ(in_time.overall, Verdict::Pass) << (failures(in_time).empty() ? "" : failures(in_time)[0] + ": " + reason_of(in_time, failures(in_time)[0]));
    // And before notBefore it fails again (the CSCA, valid from 2020, is then not valid either).
    auto early = verify(files_, sod, store_, utc_time(2018, 6, 1));
    EXPECT_EQ(verdict_of(early, kCheckDsValidity), Verdict::Fail);
    EXPECT_EQ(reason_of(early, kCheckDsValidity), "not valid until 2019-01-01");
    EXPECT_NE(reason_of(early, kCheckDsTrusted).find("is not valid until 2020-01-01"), std::string::npos);
}

TEST_F(PassiveAuth, RevokedDsFailsRevocation) {
    auto crl = fx::make_crl(pki_.csca, {pki_.ds.cert_ptr()}, kNow - 86400, kNow + 86400 * 30);
    ASSERT_EQ(store_.add_crls(crl, "csca.crl"), 1u);
    auto r = verify(files_, sod_, store_, kNow);
    EXPECT_EQ(failures(r), std::vector<std::string>{std::string(kCheckDsNotRevoked)});
    EXPECT_NE(reason_of(r, kCheckDsNotRevoked).find("revoked on"), std::string::npos);
}

TEST_F(PassiveAuth, StaleCrlIsNotACheck) {
    store_.add_crls(fx::make_crl(pki_.csca, {}, utc_time(2025, 1, 1), utc_time(2025, 2, 1)), "old.crl");
    auto r = verify(files_, sod_, store_, kNow);
    EXPECT_EQ(verdict_of(r, kCheckDsNotRevoked), Verdict::NotChecked);
    EXPECT_NE(reason_of(r, kCheckDsNotRevoked).find("out of date"), std::string::npos);
}

// The SOD with SignedData's [0] certificates removed (the signature stays valid: certificates are
// not signed).
Bytes strip_certificates(ByteView sod) {
    auto outer = tlv::read_single(sod, 0x77);
    auto ci = tlv::read_single(outer.value, 0x30);
    tlv::Reader cr(ci.value);
    auto oid = cr.next();
    auto explicit_content = cr.next();
    auto sd = tlv::read_single(explicit_content.value, 0x30);
    Bytes body;
    tlv::Reader r(sd.value);
    while (!r.at_end()) {
        auto e = r.next();
        if (e.tag != 0xA0) append(body, e.raw);
    }
    auto content_info = tlv::encode_constructed(0x30, {oid.raw, tlv::encode(0xA0, tlv::encode(0x30, body))});
    return tlv::encode(0x77, content_info);
}

TEST_F(PassiveAuth, DsMissingFromTheSodFailsTrust) {
    auto stripped = strip_certificates(sod_);
    ASSERT_LT(stripped.size(), sod_.size());
    ASSERT_TRUE(lds::parse_sod(stripped).signed_data.certificates.empty());
    auto r = verify(files_, stripped, store_, kNow);
    EXPECT_EQ(failures(r), std::vector<std::string>{std::string(kCheckDsTrusted)});
    EXPECT_EQ(reason_of(r, kCheckDsTrusted), "the SOD embeds no Document Signer certificate");
    EXPECT_EQ(verdict_of(r, kCheckSodSignature), Verdict::NotChecked);
    EXPECT_EQ(verdict_of(r, kCheckDsValidity), Verdict::NotChecked);
    EXPECT_EQ(r.overall, Verdict::Fail);
    EXPECT_TRUE(r.ds_subject.empty());
}

TEST_F(PassiveAuth, ExtraDataGroupNotInSodFails) {
    files_[11] = from_hex("6B03010203");
    auto r = verify(files_, sod_, store_, kNow);
    EXPECT_EQ(failures(r), std::vector<std::string>{unlisted_data_group_check_name(11)});
    EXPECT_EQ(r.overall, Verdict::Fail);
}

TEST_F(PassiveAuth, DataGroupNotReadIsNotChecked) {
    files_.erase(2);
    auto r = verify(files_, sod_, store_, kNow);
    EXPECT_EQ(verdict_of(r, "DG2 hash"), Verdict::NotChecked);
    EXPECT_EQ(r.overall, Verdict::Pass);
}

TEST_F(PassiveAuth, MalformedSodFailsStructureWithoutThrowing) {
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{10}, sod_.size() / 2, sod_.size() - 1}) {
        Report r;
        ASSERT_NO_THROW(r = verify(files_, ByteView(sod_).first(n), store_, kNow));
        EXPECT_EQ(verdict_of(r, kCheckSodStructure), Verdict::Fail) << n;
        EXPECT_EQ(verdict_of(r, kCheckSodSignature), Verdict::NotChecked);
        EXPECT_EQ(r.overall, Verdict::Fail);
        EXPECT_FALSE(reason_of(r, kCheckSodStructure).empty());
    }
}

TEST_F(PassiveAuth, TrustReasonNamesTheMasterListAndWhetherItWasVerified) {
    auto root = fx::make_csca();
    auto signer = fx::make_master_list_signer(root);
    auto list = fx::make_master_list({pki_.csca.cert_ptr()}, signer);
    TrustStore verified;
    verified.add_master_list(list, "vn.ml", {root.cert_ptr()}, kNow);
    auto r = verify(files_, sod_, verified, kNow);
    EXPECT_EQ(r.overall, Verdict::Pass);
    EXPECT_NE(reason_of(r, kCheckDsTrusted).find("from master list vn.ml signed by CN=Master List Signer CCCD Test"),
              std::string::npos)
        << reason_of(r, kCheckDsTrusted);
    EXPECT_NE(reason_of(r, kCheckDsTrusted).find(", verified"), std::string::npos);

    TrustStore unverified;
    unverified.add_master_list(list, "vn.ml", {}, kNow);
    auto r2 = verify(files_, sod_, unverified, kNow);
    EXPECT_EQ(verdict_of(r2, kCheckDsTrusted), Verdict::Pass);
    EXPECT_NE(reason_of(r2, kCheckDsTrusted).find("NOT verified"), std::string::npos);
}

TEST_F(PassiveAuth, SodWithUnknownHashAlgorithmFailsEveryDataGroup) {
    auto lso = lds::make_lds_security_object({{1, files_[1]}});
    lso.hash_algorithm.oid = "1.2.3.4";
    auto sod = lds::build_sod(lso, pki_.ds.key_ptr(), pki_.ds.cert_ptr());
    auto r = verify({{1, files_[1]}}, sod, store_, kNow);
    EXPECT_EQ(verdict_of(r, kCheckSodSignature), Verdict::Pass);
    EXPECT_EQ(verdict_of(r, "DG1 hash"), Verdict::Fail);
    EXPECT_NE(reason_of(r, "DG1 hash").find("unknown hash algorithm 1.2.3.4"), std::string::npos);
}

TEST(PassiveAuthKeys, RsaAndP256AndExplicitParameterCscasWork) {
    const std::time_t now = utc_time(2026, 6, 1);
    auto files = sample_data_groups();
    for (auto [csca_key, ds_key] : {std::pair{fx::KeyKind::Rsa2048, fx::KeyKind::Rsa2048},
                                    std::pair{fx::KeyKind::P256, fx::KeyKind::P256},
                                    std::pair{fx::KeyKind::BrainpoolP384r1, fx::KeyKind::Rsa2048}}) {
        auto pki = fx::make_test_pki(csca_key, ds_key);
        TrustStore store;
        store.add_certificate(pki.csca.cert_ptr(), {"csca", std::nullopt, true});
        auto r = verify(files, fx::sign_sod(files, pki.ds), store, now);
        EXPECT_EQ(r.overall, Verdict::Pass) << failures(r).size();
    }
    // A CSCA with explicit EC parameters, like the Vietnamese one: OpenSSL's chain verification
    // would refuse it, our hand-checked chain accepts it.
    auto spec = fx::csca_spec();
    spec.explicit_ec_parameters = true;
    auto csca = fx::make_csca(spec);
    EXPECT_EQ(describe_key(csca.cert_ptr()), "ECDSA brainpoolP384r1, explicit parameters (384 bits)");
    auto ds = fx::make_document_signer(csca);
    TrustStore store;
    store.add_certificate(csca.cert_ptr(), {"explicit", std::nullopt, true});
    auto r = verify(files, fx::sign_sod(files, ds, crypto::HashAlgorithm::Sha384), store, now);
    EXPECT_EQ(r.overall, Verdict::Pass);
    EXPECT_EQ(verdict_of(r, kCheckDsTrusted), Verdict::Pass);
    EXPECT_NE(reason_of(r, kCheckSodStructure).find("SHA-384"), std::string::npos);
}

}  // namespace
}  // namespace cccd::pa
