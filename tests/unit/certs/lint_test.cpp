// Every profile issued by the library lints clean, and every lint rule fails on a certificate that
// breaks it.
#include <gtest/gtest.h>

#include <openssl/x509v3.h>

#include "card/pa/certificate.hpp"
#include "certs/lint.hpp"
#include "tests/unit/certs/certs_test_support.hpp"

namespace cccd::certs {
namespace {

using test::Credential;

LintStatus status_of(const std::vector<LintFinding>& findings, const std::string& rule) {
    for (const auto& f : findings)
        if (f.rule == rule) return f.status;
    ADD_FAILURE() << "rule " << rule << " was not reported";
    return LintStatus::Pass;
}

std::string failures(const std::vector<LintFinding>& findings) {
    std::string out;
    for (const auto& f : findings)
        if (f.status == LintStatus::Fail) out += format_finding(f) + "\n";
    return out;
}

class LintTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        csca_ = new Credential(test::make_root(Profile::Csca, make_key_spec("ec", "brainpoolP384r1", 0)));
        ds_ = new Credential(test::make_issued(*csca_, Profile::DocumentSigner));
        service_ca_ = new Credential(test::make_root(Profile::ServiceCa, test::ec_p256(), "Service CA"));
    }
    static void TearDownTestSuite() {
        delete csca_;
        delete ds_;
        delete service_ca_;
    }
    // A DS broken by `change`, re-signed by the CSCA; the lint of `rule` must FAIL.
    static void expect_ds_rule_fails(const std::string& rule, const std::function<void(X509*)>& change) {
        auto broken = test::mutated(ds_->cert.get(), csca_->key.get(), change);
        auto findings = lint_certificate(broken.get(), Profile::DocumentSigner, csca_->cert.get());
        EXPECT_EQ(status_of(findings, rule), LintStatus::Fail) << rule;
        EXPECT_FALSE(lint_passed(findings));
    }
    static void expect_csca_rule_fails(const std::string& rule, const std::function<void(X509*)>& change) {
        auto broken = test::mutated(csca_->cert.get(), csca_->key.get(), change);
        auto findings = lint_certificate(broken.get(), Profile::Csca);
        EXPECT_EQ(status_of(findings, rule), LintStatus::Fail) << rule;
    }
    static Credential* csca_;
    static Credential* ds_;
    static Credential* service_ca_;
};
Credential* LintTest::csca_ = nullptr;
Credential* LintTest::ds_ = nullptr;
Credential* LintTest::service_ca_ = nullptr;

TEST_F(LintTest, EveryIssuedProfilePasses) {
    auto csca_findings = lint_certificate(csca_->cert.get(), Profile::Csca);
    EXPECT_TRUE(lint_passed(csca_findings)) << failures(csca_findings);
    auto ds_findings = lint_certificate(ds_->cert.get(), Profile::DocumentSigner, csca_->cert.get());
    EXPECT_TRUE(lint_passed(ds_findings)) << failures(ds_findings);
    EXPECT_EQ(status_of(ds_findings, "signature"), LintStatus::Pass);
    EXPECT_EQ(status_of(ds_findings, "document-type-list"), LintStatus::Pass);

    auto mls = test::make_issued(*csca_, Profile::MasterListSigner, test::ec_p256(), 3);
    auto f = lint_certificate(mls.cert.get(), Profile::MasterListSigner, csca_->cert.get());
    EXPECT_TRUE(lint_passed(f)) << failures(f);

    auto server = test::make_issued(*service_ca_, Profile::TlsServer, test::ec_p256(), 4);
    f = lint_certificate(server.cert.get(), Profile::TlsServer, service_ca_->cert.get());
    EXPECT_TRUE(lint_passed(f)) << failures(f);
    auto client = test::make_issued(*service_ca_, Profile::Client, test::ec_p256(), 5);
    f = lint_certificate(client.cert.get(), Profile::Client, service_ca_->cert.get());
    EXPECT_TRUE(lint_passed(f)) << failures(f);
    f = lint_certificate(service_ca_->cert.get(), Profile::ServiceCa);
    EXPECT_TRUE(lint_passed(f)) << failures(f);
}

TEST_F(LintTest, WrongProfileFails) {
    // A DS linted as a CSCA and a CSCA linted as a DS both fail.
    EXPECT_FALSE(lint_passed(lint_certificate(ds_->cert.get(), Profile::Csca)));
    EXPECT_FALSE(lint_passed(lint_certificate(csca_->cert.get(), Profile::DocumentSigner, csca_->cert.get())));
}

TEST_F(LintTest, VersionRule) {
    expect_ds_rule_fails("version-v3", [](X509* c) { X509_set_version(c, 0); });
}

TEST_F(LintTest, SerialRule) {
    expect_ds_rule_fails("serial-number", [](X509* c) {
        ASN1_INTEGER* zero = ASN1_INTEGER_new();
        ASN1_INTEGER_set(zero, 0);
        X509_set_serialNumber(c, zero);
        ASN1_INTEGER_free(zero);
    });
}

TEST_F(LintTest, CountryRules) {
    expect_ds_rule_fails("country-in-subject", [](X509* c) {
        X509_NAME* name = X509_NAME_new();
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("No Country"), -1, -1, 0);
        X509_set_subject_name(c, name);
        X509_NAME_free(name);
    });
    expect_ds_rule_fails("country-matches-issuer", [](X509* c) {
        X509_NAME* name = X509_NAME_new();
        X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("FR"), -1, -1, 0);
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("DS"), -1, -1, 0);
        X509_set_subject_name(c, name);
        X509_NAME_free(name);
    });
}

TEST_F(LintTest, ValidityRules) {
    expect_ds_rule_fails("validity-order", [](X509* c) {
        ASN1_TIME_set(X509_getm_notAfter(c), test::fixed_now() - 86400);
    });
    expect_ds_rule_fails("validity-maximum", [](X509* c) {
        ASN1_TIME_set(X509_getm_notAfter(c), add_years(test::fixed_now(), 40));
    });
    expect_ds_rule_fails("validity-within-issuer", [](X509* c) {
        ASN1_TIME_set(X509_getm_notBefore(c), test::fixed_now() - 86400);
    });
}

TEST_F(LintTest, KeyStrengthRule) {
    // A CSCA with a 2048-bit RSA key: ICAO wants at least 3072 bits for a CSCA.
    auto weak = test::make_root(Profile::Csca, make_key_spec("rsa", "", 2048));
    EXPECT_EQ(status_of(lint_certificate(weak.cert.get(), Profile::Csca), "key-algorithm-strength"), LintStatus::Fail);
    // The same key size is allowed for a DS.
    auto ds = test::make_issued(*csca_, Profile::DocumentSigner, make_key_spec("rsa", "", 2048), 9);
    EXPECT_EQ(status_of(lint_certificate(ds.cert.get(), Profile::DocumentSigner, csca_->cert.get()), "key-algorithm-strength"),
              LintStatus::Pass);
}

TEST_F(LintTest, BasicConstraintsRule) {
    expect_csca_rule_fails("basic-constraints", [](X509* c) { test::delete_extension(c, NID_basic_constraints); });
    expect_csca_rule_fails("basic-constraints",
                           [](X509* c) { test::set_extension(c, NID_basic_constraints, "critical,CA:TRUE,pathlen:3"); });
    expect_ds_rule_fails("basic-constraints", [](X509* c) { test::set_extension(c, NID_basic_constraints, "critical,CA:TRUE"); });
}

TEST_F(LintTest, KeyUsageRules) {
    expect_ds_rule_fails("key-usage-critical", [](X509* c) { test::set_extension(c, NID_key_usage, "digitalSignature"); });
    expect_ds_rule_fails("key-usage-values",
                         [](X509* c) { test::set_extension(c, NID_key_usage, "critical,digitalSignature,keyCertSign"); });
    expect_csca_rule_fails("key-usage-values", [](X509* c) { test::set_extension(c, NID_key_usage, "critical,keyCertSign"); });
}

TEST_F(LintTest, ExtendedKeyUsageRule) {
    expect_ds_rule_fails("extended-key-usage", [](X509* c) { test::set_extension(c, NID_ext_key_usage, "serverAuth"); });
    auto server = test::make_issued(*service_ca_, Profile::TlsServer, test::ec_p256(), 11);
    auto broken = test::mutated(server.cert.get(), service_ca_->key.get(),
                                [](X509* c) { test::set_extension(c, NID_ext_key_usage, "clientAuth"); });
    EXPECT_EQ(status_of(lint_certificate(broken.get(), Profile::TlsServer, service_ca_->cert.get()), "extended-key-usage"),
              LintStatus::Fail);
}

TEST_F(LintTest, KeyIdentifierRules) {
    expect_ds_rule_fails("subject-key-identifier", [](X509* c) { test::delete_extension(c, NID_subject_key_identifier); });
    expect_ds_rule_fails("authority-key-identifier", [](X509* c) { test::delete_extension(c, NID_authority_key_identifier); });
    // The DS checked against another CSCA: neither key identifier nor signature match.
    auto other = test::make_root(Profile::Csca, test::ec_p256(), "CSCA Test");
    auto f = lint_certificate(ds_->cert.get(), Profile::DocumentSigner, other.cert.get());
    EXPECT_EQ(status_of(f, "authority-key-identifier-matches"), LintStatus::Fail);
    EXPECT_EQ(status_of(f, "signature"), LintStatus::Fail);
}

TEST_F(LintTest, PrivateKeyUsagePeriodRule) {
    expect_csca_rule_fails("private-key-usage-period", [](X509* c) { test::delete_extension(c, NID_private_key_usage_period); });
    // Absent on a DS is only a warning.
    auto ds = test::mutated(ds_->cert.get(), csca_->key.get(),
                            [](X509* c) { test::delete_extension(c, NID_private_key_usage_period); });
    EXPECT_EQ(status_of(lint_certificate(ds.get(), Profile::DocumentSigner, csca_->cert.get()), "private-key-usage-period"),
              LintStatus::Warn);
}

TEST_F(LintTest, DocumentTypeListRule) {
    expect_ds_rule_fails("document-type-list", [](X509* c) {
        ASN1_OBJECT* obj = OBJ_txt2obj("2.23.136.1.1.6.2", 1);
        int index = X509_get_ext_by_OBJ(c, obj, -1);
        X509_EXTENSION_free(X509_delete_ext(c, index));
        ASN1_OCTET_STRING* garbage = ASN1_OCTET_STRING_new();
        const unsigned char bytes[] = {0x30, 0x03, 0x02, 0x01, 0x05};  // version 5, no list
        ASN1_OCTET_STRING_set(garbage, bytes, sizeof bytes);
        X509_EXTENSION* ext = X509_EXTENSION_create_by_OBJ(nullptr, obj, 0, garbage);
        X509_add_ext(c, ext, -1);
        X509_EXTENSION_free(ext);
        ASN1_OCTET_STRING_free(garbage);
        ASN1_OBJECT_free(obj);
    });
}

TEST_F(LintTest, SubjectAltNameRule) {
    auto server = test::make_issued(*service_ca_, Profile::TlsServer, test::ec_p256(), 12);
    auto broken = test::mutated(server.cert.get(), service_ca_->key.get(),
                                [](X509* c) { test::delete_extension(c, NID_subject_alt_name); });
    EXPECT_EQ(status_of(lint_certificate(broken.get(), Profile::TlsServer, service_ca_->cert.get()), "subject-alt-name"),
              LintStatus::Fail);
}

TEST_F(LintTest, UnknownCriticalExtensionRule) {
    expect_ds_rule_fails("no-unknown-critical-extensions", [](X509* c) {
        ASN1_OBJECT* obj = OBJ_txt2obj("1.3.6.1.4.1.99999.1", 1);
        ASN1_OCTET_STRING* value = ASN1_OCTET_STRING_new();
        const unsigned char null_der[] = {0x05, 0x00};
        ASN1_OCTET_STRING_set(value, null_der, sizeof null_der);
        X509_EXTENSION* ext = X509_EXTENSION_create_by_OBJ(nullptr, obj, 1, value);
        X509_add_ext(c, ext, -1);
        X509_EXTENSION_free(ext);
        ASN1_OCTET_STRING_free(value);
        ASN1_OBJECT_free(obj);
    });
}

TEST_F(LintTest, SignatureRules) {
    auto stranger = generate_key(test::ec_p256());
    auto forged = test::mutated(ds_->cert.get(), stranger.get(), [](X509*) {});
    EXPECT_EQ(status_of(lint_certificate(forged.get(), Profile::DocumentSigner, csca_->cert.get()), "signature"),
              LintStatus::Fail);
    auto not_self_signed = test::mutated(csca_->cert.get(), stranger.get(), [](X509*) {});
    EXPECT_EQ(status_of(lint_certificate(not_self_signed.get(), Profile::Csca), "self-signed"), LintStatus::Fail);
    // A self-signed CSCA is not a link certificate.
    EXPECT_EQ(status_of(lint_certificate(csca_->cert.get(), Profile::Link, csca_->cert.get()), "link-signed-by-other-key"),
              LintStatus::Fail);
}

TEST_F(LintTest, MissingIssuerIsAWarningNotAPass) {
    auto f = lint_certificate(ds_->cert.get(), Profile::DocumentSigner);
    EXPECT_EQ(status_of(f, "signature"), LintStatus::Warn);
}

}  // namespace
}  // namespace cccd::certs
