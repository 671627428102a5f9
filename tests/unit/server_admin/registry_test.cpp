// Officers, stations and the secrets the admin tool reads.
#include "server/admin/registry.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <memory>

#include "certs/keys.hpp"
#include "certs/profiles.hpp"
#include "server/admin/installation.hpp"
#include "server/admin/secrets.hpp"
#include "server/audit/audit_log.hpp"
#include "tests/unit/server_admin/admin_test_support.hpp"

namespace cccd::server::admin::test {
namespace {

class AdminRegistry : public ::testing::Test {
protected:
    void SetUp() override {
        init_installation(config, security::password_from(kPassphrase), kActor, kFastKdf);
        storage = open_configured_storage(config);
    }
    std::uint64_t audit_entries() {
        auto last = storage->read([](Transaction& t) { return t.last_audit(); });
        return last ? last->sequence : 0;
    }
    AuditEntry last_entry() { return *storage->read([](Transaction& t) { return t.last_audit(); }); }

    TempDir dir;
    http::ServerConfig config = installation_config(dir);
    std::unique_ptr<Storage> storage;
};

const SecretBytes kGoodPassword = security::password_from("Sông Hồng chảy qua 3 tỉnh");

TEST_F(AdminRegistry, AnAddedOfficersPasswordVerifiesAndTheAdditionIsAudited) {
    add_officer(*storage, {"nguyenvana", "Nguyễn Văn A", Role::Supervisor}, kGoodPassword, kActor, kFastPassword);
    const auto stored = storage->read([](Transaction& t) { return t.get_officer("nguyenvana"); });
    ASSERT_TRUE(stored.has_value());
    EXPECT_TRUE(security::verify_password(stored->password_hash, kGoodPassword));
    EXPECT_FALSE(security::verify_password(stored->password_hash, security::password_from("Sông Hồng chảy qua 3 tỉnH")));
    EXPECT_EQ(stored->role, Role::Supervisor);
    EXPECT_TRUE(stored->active);
    const AuditEntry entry = last_entry();
    EXPECT_EQ(entry.action, "officer.add");
    EXPECT_EQ(entry.subject, "nguyenvana");
    EXPECT_EQ(entry.actor, kActor);
    EXPECT_EQ(entry.detail, "role=supervisor");
    EXPECT_EQ(entry.detail.find("argon2"), std::string::npos);
}

TEST_F(AdminRegistry, ADuplicateOfficerIsRefusedAndNothingIsWritten) {
    add_officer(*storage, {"nguyenvana", "Nguyễn Văn A", Role::EnrollmentOfficer}, kGoodPassword, kActor, kFastPassword);
    const auto before = storage->read([](Transaction& t) { return t.get_officer("nguyenvana"); });
    const std::uint64_t entries = audit_entries();
    EXPECT_THROW(add_officer(*storage, {"nguyenvana", "Someone Else", Role::Administrator},
                             security::password_from("another fine password 42"), kActor, kFastPassword),
                 AdminRefusal);
    EXPECT_EQ(storage->read([](Transaction& t) { return t.get_officer("nguyenvana"); }), before);
    EXPECT_EQ(audit_entries(), entries);
}

TEST_F(AdminRegistry, WeakPasswordsAndBadIdsAreRefusedBeforeAnythingIsWritten) {
    const std::uint64_t entries = audit_entries();
    for (const std::string weak : {"short", "elevenchars", "aaaaaaaaaaaaaaaa", "password1234!", "Qwertyuiop12345", "xx-tranthib-xx"}) {
        EXPECT_THROW(add_officer(*storage, {"tranthib", "Trần Thị B", Role::EnrollmentOfficer}, security::password_from(weak),
                                 kActor, kFastPassword),
                     AdminRefusal)
            << weak;
    }
    EXPECT_THROW(add_officer(*storage, {"Tran Thi B", "Trần Thị B", Role::EnrollmentOfficer}, kGoodPassword, kActor, kFastPassword),
                 AdminRefusal);
    EXPECT_THROW(add_officer(*storage, {"tranthib", "", Role::EnrollmentOfficer}, kGoodPassword, kActor, kFastPassword),
                 AdminRefusal);
    EXPECT_TRUE(list_officers(*storage).empty());
    EXPECT_EQ(audit_entries(), entries);
    // 12 characters (not bytes) is the floor: 12 Vietnamese letters pass, 11 do not.
    EXPECT_TRUE(password_weaknesses(security::password_from("ăâđêôơưáàảãạ"), "x").empty());
    EXPECT_FALSE(password_weaknesses(security::password_from("ăâđêôơưáàảã"), "x").empty());
}

TEST_F(AdminRegistry, TheOfficerListCarriesNoPasswordHash) {
    add_officer(*storage, {"b.officer", "Lê Văn C", Role::EnrollmentOfficer}, kGoodPassword, kActor, kFastPassword);
    add_officer(*storage, {"a.officer", "Phạm Thị D", Role::Administrator}, kGoodPassword, kActor, kFastPassword);
    const auto list = list_officers(*storage);
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0], (OfficerSummary{"a.officer", "Phạm Thị D", Role::Administrator, true}));
    EXPECT_EQ(list[1], (OfficerSummary{"b.officer", "Lê Văn C", Role::EnrollmentOfficer, true}));
    for (const auto& o : list) {
        EXPECT_EQ(o.id.find("$argon2"), std::string::npos);
        EXPECT_EQ(o.full_name.find("$argon2"), std::string::npos);
    }
}

TEST_F(AdminRegistry, DisablingAndResettingAnOfficer) {
    add_officer(*storage, {"nguyenvana", "Nguyễn Văn A", Role::EnrollmentOfficer}, kGoodPassword, kActor, kFastPassword);
    EXPECT_TRUE(disable_officer(*storage, "nguyenvana", kActor));
    EXPECT_EQ(last_entry().action, "officer.disable");
    const std::uint64_t entries = audit_entries();
    EXPECT_FALSE(disable_officer(*storage, "nguyenvana", kActor));  // already: nothing written
    EXPECT_EQ(audit_entries(), entries);
    EXPECT_FALSE(list_officers(*storage).front().active);
    EXPECT_THROW(disable_officer(*storage, "nobody", kActor), AdminRefusal);

    const SecretBytes next = security::password_from("Vịnh Hạ Long 1994 di sản");
    reset_officer_password(*storage, "nguyenvana", next, kActor, kFastPassword);
    const auto stored = storage->read([](Transaction& t) { return t.get_officer("nguyenvana"); });
    EXPECT_TRUE(security::verify_password(stored->password_hash, next));
    EXPECT_FALSE(security::verify_password(stored->password_hash, kGoodPassword));
    EXPECT_FALSE(stored->active);  // a reset does not enable
    EXPECT_EQ(last_entry().action, "officer.password-reset");
    EXPECT_THROW(reset_officer_password(*storage, "nobody", next, kActor, kFastPassword), AdminRefusal);
    EXPECT_THROW(reset_officer_password(*storage, "nguyenvana", security::password_from("too short"), kActor, kFastPassword),
                 AdminRefusal);
}

// A self-signed Ed25519 certificate written as PEM and DER; returns OpenSSL's own SHA-256 of it.
std::string write_certificate(const std::string& pem_path, const std::string& der_path, const char* common_name) {
    std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> context(EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr),
                                                                         EVP_PKEY_CTX_free);
    EVP_PKEY* raw_key = nullptr;
    EVP_PKEY_keygen_init(context.get());
    EVP_PKEY_keygen(context.get(), &raw_key);
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(raw_key, EVP_PKEY_free);
    std::unique_ptr<X509, decltype(&X509_free)> certificate(X509_new(), X509_free);
    X509_set_version(certificate.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(certificate.get()), 7);
    X509_gmtime_adj(X509_getm_notBefore(certificate.get()), 0);
    X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 3600);
    X509_NAME* name = X509_get_subject_name(certificate.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(common_name), -1, -1, 0);
    X509_set_issuer_name(certificate.get(), name);
    X509_set_pubkey(certificate.get(), key.get());
    X509_sign(certificate.get(), key.get(), nullptr);

    FILE* pem = std::fopen(pem_path.c_str(), "w");
    PEM_write_X509(pem, certificate.get());
    std::fclose(pem);
    FILE* der = std::fopen(der_path.c_str(), "wb");
    i2d_X509_fp(der, certificate.get());
    std::fclose(der);

    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    X509_digest(certificate.get(), EVP_sha256(), digest, &length);
    std::string hex;
    char two[3];
    for (unsigned int i = 0; i < length; ++i) {
        std::snprintf(two, sizeof two, "%02x", digest[i]);
        hex += two;
    }
    return hex;
}

TEST_F(AdminRegistry, TheStationFingerprintIsOpenSslsSha256OfTheDerInLowerCase) {
    const std::string expected = write_certificate(dir.file("station.pem"), dir.file("station.der"), "HCM-Q1-01");
    ASSERT_EQ(expected.size(), 64u);
    EXPECT_EQ(certificate_sha256_hex(dir.file("station.pem")), expected);
    EXPECT_EQ(certificate_sha256_hex(dir.file("station.der")), expected);
    std::ofstream(dir.file("not-a-certificate.pem")) << "hello\n";
    EXPECT_THROW(certificate_sha256_hex(dir.file("not-a-certificate.pem")), ParseError);
}

// ---- what station add and rp add accept: a TLS client certificate from the role's CA, valid now ----

constexpr std::time_t kDay = 86400;

struct TestCredential {
    crypto::PKeyPtr key;
    crypto::X509Ptr cert;
};

certs::Validity around_now(std::time_t from, std::time_t to) {
    const std::time_t now = std::time(nullptr);
    return {now + from, now + to};
}

TestCredential make_test_ca(certs::Profile profile, const std::string& name) {
    TestCredential ca;
    ca.key = certs::generate_key(certs::make_key_spec("ec", "prime256v1", 0));
    certs::CertificateRequest r;
    r.profile = profile;
    r.subject = {"VN", "CCCD Test", "", name, ""};
    r.serial = 1;
    r.validity = around_now(-3 * 365 * kDay, 10 * 365 * kDay);
    ca.cert = certs::issue_certificate(r, ca.key.get(), certs::Issuer{nullptr, ca.key.get()});
    return ca;
}

// A certificate of `profile` from `ca`, written as PEM to `path`.
void write_issued(const std::string& path, const TestCredential& ca, certs::Profile profile, const std::string& ou,
                  certs::Validity validity, std::uint64_t serial) {
    const auto key = certs::generate_key(certs::make_key_spec("ec", "prime256v1", 0));
    certs::CertificateRequest r;
    r.profile = profile;
    r.subject = {"VN", "CCCD Test", ou, "client " + std::to_string(serial), ""};
    r.serial = serial;
    r.validity = validity;
    if (profile == certs::Profile::TlsServer) r.dns_names = {"localhost"};
    const auto cert = certs::issue_certificate(r, key.get(), certs::Issuer{ca.cert.get(), ca.key.get()});
    std::ofstream(path) << certs::certificate_to_pem(cert.get());
}

class ClientCertificateChecks : public AdminRegistry {
protected:
    void SetUp() override {
        AdminRegistry::SetUp();
        std::ofstream(dir.file("service-ca.pem")) << certs::certificate_to_pem(service_ca.cert.get());
        std::ofstream(dir.file("rp-ca.pem")) << certs::certificate_to_pem(rp_ca.cert.get());
        config.station_ca = dir.file("service-ca.pem");
        config.relying_party_ca = dir.file("rp-ca.pem");
        const auto valid = around_now(-kDay, 365 * kDay);
        write_issued(dir.file("station.pem"), service_ca, certs::Profile::Client, "station", valid, 2);
        write_issued(dir.file("officer.pem"), service_ca, certs::Profile::Client, "officer", valid, 3);
        write_issued(dir.file("server.pem"), service_ca, certs::Profile::TlsServer, "", valid, 4);
        write_issued(dir.file("expired.pem"), service_ca, certs::Profile::Client, "station",
                     around_now(-400 * kDay, -30 * kDay), 5);
        write_issued(dir.file("rp.pem"), rp_ca, certs::Profile::Client, "rp", valid, 2);
        write_issued(dir.file("foreign.pem"), other_ca, certs::Profile::Client, "station", valid, 2);
    }

    // The refusal's text, or "accepted".
    std::string refusal(const std::string& file, ClientRole role) {
        try {
            checked_client_certificate_sha256(config, dir.file(file), role);
            return "accepted";
        } catch (const AdminRefusal& e) {
            return e.what();
        }
    }

    TestCredential service_ca = make_test_ca(certs::Profile::ServiceCa, "CCCD Service CA");
    TestCredential rp_ca = make_test_ca(certs::Profile::RpCa, "CCCD Relying Party CA");
    TestCredential other_ca = make_test_ca(certs::Profile::ServiceCa, "Some Other CA");
};

bool says(const std::string& text, const std::string& words) { return text.find(words) != std::string::npos; }

TEST_F(ClientCertificateChecks, StationAddTakesOnlyAValidClientCertificateFromTheServiceCa) {
    const std::string fingerprint = checked_client_certificate_sha256(config, dir.file("station.pem"), ClientRole::Station);
    EXPECT_EQ(fingerprint, certificate_sha256_hex(dir.file("station.pem")));
    add_station(*storage, {"HCM-Q1-01", "UBND Quận 1", fingerprint}, kActor);

    EXPECT_PRED2(says, refusal("rp.pem", ClientRole::Station), "this certificate was issued by another CA than the stations' CA (service CA, station_ca ");
    EXPECT_PRED2(says, refusal("rp.pem", ClientRole::Station), "it is a relying party's certificate (OU=rp)");
    EXPECT_PRED2(says, refusal("foreign.pem", ClientRole::Station), "issued by another CA than the stations' CA");
    EXPECT_PRED2(says, refusal("foreign.pem", ClientRole::Station), "Some Other CA");
    EXPECT_PRED2(says, refusal("expired.pem", ClientRole::Station), "the certificate expired on ");
    EXPECT_PRED2(says, refusal("server.pem", ClientRole::Station), "is not a TLS client certificate");
    EXPECT_PRED2(says, refusal("service-ca.pem", ClientRole::Station), "is not a TLS client certificate: it is a CA certificate");
    EXPECT_PRED2(says, refusal("officer.pem", ClientRole::Station), "this is an officer's certificate (OU=officer), not a station's");

    config.station_ca.clear();
    EXPECT_PRED2(says, refusal("station.pem", ClientRole::Station), "set 'station_ca'");
}

TEST_F(ClientCertificateChecks, RpAddTakesOnlyAValidClientCertificateFromTheRelyingPartyCa) {
    EXPECT_EQ(checked_client_certificate_sha256(config, dir.file("rp.pem"), ClientRole::RelyingParty),
              certificate_sha256_hex(dir.file("rp.pem")));
    EXPECT_PRED2(says, refusal("station.pem", ClientRole::RelyingParty), "this certificate was issued by another CA than the relying parties' CA (relying-party CA, relying_party_ca ");
    EXPECT_PRED2(says, refusal("station.pem", ClientRole::RelyingParty), "it is a station's certificate (OU=station)");
    EXPECT_PRED2(says, refusal("foreign.pem", ClientRole::RelyingParty), "issued by another CA");
    EXPECT_PRED2(says, refusal("rp-ca.pem", ClientRole::RelyingParty), "it is a CA certificate");
    config.relying_party_ca.clear();
    EXPECT_PRED2(says, refusal("rp.pem", ClientRole::RelyingParty), "set 'relying_party_ca'");
}

TEST_F(AdminRegistry, StationsAreAddedFoundByCertificateAndDisabled) {
    const std::string first = write_certificate(dir.file("a.pem"), dir.file("a.der"), "HCM-Q1-01");
    const std::string second = write_certificate(dir.file("b.pem"), dir.file("b.der"), "HN-BD-02");
    add_station(*storage, {"HCM-Q1-01", "UBND Quận 1, TP. Hồ Chí Minh", first}, kActor);
    EXPECT_EQ(last_entry().action, "station.add");
    EXPECT_EQ(last_entry().subject, "HCM-Q1-01");
    const auto found = storage->read([&](Transaction& t) { return t.station_by_certificate(first); });
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->id, "HCM-Q1-01");
    EXPECT_EQ(found->certificate_sha256, first);

    const std::uint64_t entries = audit_entries();
    EXPECT_THROW(add_station(*storage, {"HN-BD-02", "Ba Đình", first}, kActor), AdminRefusal);      // same certificate
    EXPECT_THROW(add_station(*storage, {"HCM-Q1-01", "again", second}, kActor), AdminRefusal);      // same id
    EXPECT_THROW(add_station(*storage, {"HN BD 02", "Ba Đình", second}, kActor), AdminRefusal);     // id
    EXPECT_THROW(add_station(*storage, {"HN-BD-02", "Ba Đình", "abc"}, kActor), AdminRefusal);      // fingerprint
    EXPECT_EQ(audit_entries(), entries);
    // Upper-case hex is accepted and stored lower case.
    std::string upper = second;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    add_station(*storage, {"HN-BD-02", "Ba Đình, Hà Nội", upper}, kActor);
    EXPECT_EQ(list_stations(*storage).at(1).certificate_sha256, second);

    EXPECT_TRUE(disable_station(*storage, "HN-BD-02", kActor));
    EXPECT_FALSE(disable_station(*storage, "HN-BD-02", kActor));
    EXPECT_FALSE(list_stations(*storage).at(1).active);
    EXPECT_TRUE(list_stations(*storage).at(0).active);
    EXPECT_THROW(disable_station(*storage, "nowhere", kActor), AdminRefusal);
}

TEST_F(AdminRegistry, RelyingPartiesAreAddedWithCheckedScopesFoundByCertificateAndDisabled) {
    const std::string bank = write_certificate(dir.file("bank.pem"), dir.file("bank.der"), "bank-01");
    const std::string telco = write_certificate(dir.file("telco.pem"), dir.file("telco.der"), "telco-02");
    const std::string station = write_certificate(dir.file("st.pem"), dir.file("st.der"), "HCM-Q1-01");
    add_station(*storage, {"HCM-Q1-01", "UBND Quận 1", station}, kActor);

    add_relying_party(*storage, {"bank-01", "Ngân hàng Một", "date_of_birth  name age_over_18", bank, 600}, kActor);
    EXPECT_EQ(last_entry().action, "relying_party.add");
    EXPECT_EQ(last_entry().subject, "bank-01");
    const auto found = storage->read([&](Transaction& t) { return t.relying_party_by_certificate(bank); });
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->id, "bank-01");
    EXPECT_EQ(found->scopes, "age_over_18 date_of_birth name");  // sorted, single spaces
    EXPECT_EQ(found->rate_limit_per_minute, 600u);
    EXPECT_TRUE(found->active);

    const std::uint64_t entries = audit_entries();
    EXPECT_THROW(add_relying_party(*storage, {"telco-02", "Nhà mạng", "name", bank, 60}, kActor), AdminRefusal);      // same certificate
    EXPECT_THROW(add_relying_party(*storage, {"telco-02", "Nhà mạng", "name", station, 60}, kActor), AdminRefusal);   // a station's
    EXPECT_THROW(add_relying_party(*storage, {"bank-01", "again", "name", telco, 60}, kActor), AdminRefusal);         // same id
    EXPECT_THROW(add_relying_party(*storage, {"telco-02", "Nhà mạng", "name iris_scan", telco, 60}, kActor), AdminRefusal);  // scope
    EXPECT_THROW(add_relying_party(*storage, {"telco-02", "Nhà mạng", "   ", telco, 60}, kActor), AdminRefusal);      // no scope
    EXPECT_THROW(add_relying_party(*storage, {"telco 02", "Nhà mạng", "name", telco, 60}, kActor), AdminRefusal);     // id
    EXPECT_THROW(add_relying_party(*storage, {"telco-02", "Nhà mạng", "name", telco, 0}, kActor), AdminRefusal);      // rate
    EXPECT_THROW(add_relying_party(*storage, {"telco-02", "", "name", telco, 60}, kActor), AdminRefusal);             // name
    EXPECT_EQ(audit_entries(), entries);
    try {
        add_relying_party(*storage, {"telco-02", "Nhà mạng", "name iris_scan", telco, 60}, kActor);
    } catch (const AdminRefusal& e) {
        EXPECT_NE(std::string(e.what()).find("iris_scan"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("age_over_18"), std::string::npos) << "the known scopes are listed";
    }

    EXPECT_TRUE(disable_relying_party(*storage, "bank-01", kActor));
    EXPECT_FALSE(disable_relying_party(*storage, "bank-01", kActor));
    EXPECT_EQ(last_entry().action, "relying_party.disable");
    ASSERT_EQ(list_relying_parties(*storage).size(), 1u);
    EXPECT_FALSE(list_relying_parties(*storage).front().active);
    EXPECT_THROW(disable_relying_party(*storage, "nobody", kActor), AdminRefusal);
}

TEST(AdminSecrets, FromTheVariableElseTheFirstLineOfTheNamedFile) {
    TempDir dir;
    ::unsetenv("CCCD_TEST_SECRET");
    ::unsetenv("CCCD_TEST_SECRET_FILE");
    EXPECT_FALSE(secret_from_environment("CCCD_TEST_SECRET", "CCCD_TEST_SECRET_FILE").has_value());
    std::ofstream(dir.file("secret")) << "from the file\r\nsecond line\n";
    ::setenv("CCCD_TEST_SECRET_FILE", dir.file("secret").c_str(), 1);
    EXPECT_EQ(secret_from_environment("CCCD_TEST_SECRET", "CCCD_TEST_SECRET_FILE"), security::password_from("from the file"));
    ::setenv("CCCD_TEST_SECRET", "from the variable", 1);
    EXPECT_EQ(secret_from_environment("CCCD_TEST_SECRET", "CCCD_TEST_SECRET_FILE"), security::password_from("from the variable"));
    EXPECT_EQ(std::getenv("CCCD_TEST_SECRET"), nullptr) << "the secret stays in the environment for child processes";
    EXPECT_EQ(secret_from_environment("CCCD_TEST_SECRET", "CCCD_TEST_SECRET_FILE"), security::password_from("from the variable"));
    forget_secret_from_environment("CCCD_TEST_SECRET");
    ::setenv("CCCD_TEST_SECRET_FILE", dir.file("missing").c_str(), 1);
    EXPECT_THROW(secret_from_environment("CCCD_TEST_SECRET", "CCCD_TEST_SECRET_FILE"), ParseError);
    ::unsetenv("CCCD_TEST_SECRET_FILE");

    std::istringstream typed("typed secret\nrest\n");
    EXPECT_EQ(read_secret_line(typed, "?"), security::password_from("typed secret"));
    std::istringstream empty;
    EXPECT_THROW(read_secret_line(empty, "?"), ParseError);
    EXPECT_EQ(admin_actor().rfind("admin:", 0), 0u);
}

}  // namespace
}  // namespace cccd::server::admin::test
