// CRLs, master lists through card/pa, link certificates, encrypted key files and SigningKey.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "base/environment.hpp"
#include "base/error.hpp"
#include "card/lds/sod.hpp"
#include "card/pa/certificate.hpp"
#include "card/pa/cms_verify.hpp"
#include "card/pa/trust_store.hpp"
#include "card/tlv/tlv.hpp"
#include "certs/lint.hpp"
#include "certs/master_lists.hpp"
#include "certs/signing_key.hpp"
#include "tests/unit/certs/certs_test_support.hpp"

namespace cccd::certs {
namespace {

using test::Credential;

// Sets an environment variable for one scope; a secret taken from it is forgotten at the end too.
struct ScopedEnv {
    std::string name;
    ScopedEnv(const char* n, const char* value) : name(n) { ::setenv(n, value, 1); }
    ~ScopedEnv() {
        ::unsetenv(name.c_str());
        forget_secret_from_environment(name);
    }
};

bool signed_data_verifies(ByteView content_info, std::string_view content_type) {
    auto sd = lds::parse_signed_data(content_info);
    auto cert = pa::find_signer_certificate(sd.signers.at(0), sd.certificates);
    return cert && pa::verify_signer_info(sd.signers.at(0), content_type, sd.content, X509_get0_pubkey(cert.get())).ok;
}

TEST(Crl, ListsRevokedSerialsAndIsAcceptedByTheTrustStore) {
    auto csca = test::make_root(Profile::Csca);
    auto ds = test::make_issued(csca, Profile::DocumentSigner, test::ec_p256(), 77);
    auto t = test::fixed_now();
    auto der = issue_crl(Issuer{csca.cert.get(), csca.key.get()}, 5, t, add_days(t, 90),
                         {{77, t, "keyCompromise"}});
    auto crls = pa::crls_from_bytes(der);
    ASSERT_EQ(crls.size(), 1u);
    X509_CRL* crl = crls.front().get();
    EXPECT_EQ(X509_CRL_get_version(crl), 1);  // v2
    X509_REVOKED* entry = nullptr;
    EXPECT_EQ(X509_CRL_get0_by_cert(crl, &entry, ds.cert.get()), 1);
    int critical = 0;
    auto* number = static_cast<ASN1_INTEGER*>(X509_CRL_get_ext_d2i(crl, NID_crl_number, &critical, nullptr));
    ASSERT_NE(number, nullptr);
    EXPECT_EQ(ASN1_INTEGER_get(number), 5);
    ASN1_INTEGER_free(number);
    EXPECT_GE(X509_CRL_get_ext_by_NID(crl, NID_authority_key_identifier, -1), 0);
    EXPECT_EQ(X509_CRL_verify(crl, X509_get0_pubkey(csca.cert.get())), 1);

    pa::TrustStore store;
    store.add_certificate(csca.cert.get(), {"test", std::nullopt, true, false});
    EXPECT_EQ(store.add_crls(der, "crl"), 1u);
    // A CRL signed by another key is refused by the trust store.
    auto other = test::make_root(Profile::Csca);
    auto forged = issue_crl(Issuer{csca.cert.get(), other.key.get()}, 6, t, add_days(t, 90), {});
    EXPECT_EQ(store.add_crls(forged, "forged"), 0u);
}

TEST(Crl, RejectsUnknownReasonAndBackwardsDates) {
    auto csca = test::make_root(Profile::Csca);
    auto t = test::fixed_now();
    EXPECT_THROW(issue_crl(Issuer{csca.cert.get(), csca.key.get()}, 1, t, add_days(t, 1), {{2, t, "lostIt"}}), InvalidArgument);
    EXPECT_THROW(issue_crl(Issuer{csca.cert.get(), csca.key.get()}, 1, t, t - 1, {}), InvalidArgument);
}

TEST(MasterList, RoundTripThroughCardPa) {
    auto csca = test::make_root(Profile::Csca, make_key_spec("ec", "brainpoolP384r1", 0));
    auto second = test::make_root(Profile::Csca, test::ec_p256(), "CSCA Second");
    auto mls = test::make_issued(csca, Profile::MasterListSigner, test::ec_p256(), 3);
    auto der = export_master_list({csca.cert.get(), second.cert.get()}, mls.key.get(), mls.cert.get());

    auto parsed = pa::parse_master_list(der);
    EXPECT_EQ(parsed.version, 0);
    EXPECT_EQ(parsed.certificates.size(), 2u);

    auto t = add_days(test::fixed_now(), 10);
    auto imported = import_master_list(der, {csca.cert.get()}, t);
    ASSERT_TRUE(imported.verification.verified) << imported.verification.reason;
    ASSERT_EQ(imported.certificates.size(), 2u);
    bool found_first = false;
    for (const auto& c : imported.certificates) found_first |= X509_cmp(c.get(), csca.cert.get()) == 0;
    EXPECT_TRUE(found_first);

    // card/pa's trust store imports it too.
    pa::TrustStore store;
    auto result = store.add_master_list(der, "ml", {csca.cert.get()}, t);
    EXPECT_TRUE(result.verified);
    EXPECT_EQ(result.added, 2u);

    // Not signed under the given root: refused.
    auto refused = import_master_list(der, {second.cert.get()}, t);
    EXPECT_FALSE(refused.verification.verified);
    EXPECT_TRUE(refused.certificates.empty());
}

TEST(LinkCertificate, ChainsTheNewCscaToTheOldOne) {
    auto old_csca = test::make_root(Profile::Csca, test::ec_p256(), "CSCA Test", 1);
    auto new_key = generate_key(test::ec_p256());
    CertificateRequest r;
    r.profile = Profile::Link;
    r.subject.common_name = "CSCA Test";  // same name: the link is self-issued
    r.subject.organization = "CCCD Test";
    r.serial = 2;
    r.validity = {test::fixed_now(), add_years(test::fixed_now(), 15)};
    r.private_key_usage = Validity{r.validity.not_before, add_years(test::fixed_now(), 5)};
    auto link = issue_certificate(r, new_key.get(), Issuer{old_csca.cert.get(), old_csca.key.get()});

    auto findings = lint_certificate(link.get(), Profile::Link, old_csca.cert.get());
    for (const auto& f : findings) EXPECT_NE(f.status, LintStatus::Fail) << format_finding(f);
    EXPECT_EQ(X509_verify(link.get(), X509_get0_pubkey(old_csca.cert.get())), 1);
    EXPECT_TRUE(same_public_key(X509_get0_pubkey(link.get()), new_key.get()));

    // A DS issued under the new key chains, through the link certificate, to the old CSCA alone.
    Credential new_csca;
    new_csca.key = std::move(new_key);
    CertificateRequest self = r;
    self.profile = Profile::Csca;
    self.serial = 3;
    new_csca.cert = issue_certificate(self, new_csca.key.get(), Issuer{nullptr, new_csca.key.get()});
    auto ds = test::make_issued(new_csca, Profile::DocumentSigner, test::ec_p256(), 4);

    crypto::X509StorePtr store(X509_STORE_new());
    X509_STORE_add_cert(store.get(), old_csca.cert.get());
    STACK_OF(X509)* untrusted = sk_X509_new_null();
    sk_X509_push(untrusted, link.get());
    crypto::X509StoreCtxPtr ctx(X509_STORE_CTX_new());
    X509_STORE_CTX_init(ctx.get(), store.get(), ds.cert.get(), untrusted);
    X509_STORE_CTX_set_time(ctx.get(), 0, add_years(test::fixed_now(), 1));
    int ok = X509_verify_cert(ctx.get());
    EXPECT_EQ(ok, 1) << X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
    sk_X509_free(untrusted);

    // Validity beyond the old CSCA is refused.
    r.validity.not_after = add_years(test::fixed_now(), 60);
    r.private_key_usage.reset();
    EXPECT_THROW(issue_certificate(r, new_csca.key.get(), Issuer{old_csca.cert.get(), old_csca.key.get()}), InvalidArgument);
}

TEST(Profiles, RefuseRequestsThatBreakThem) {
    auto csca = test::make_root(Profile::Csca);
    auto key = generate_key(test::ec_p256());
    CertificateRequest r;
    r.profile = Profile::DocumentSigner;
    r.subject.common_name = "DS";
    r.serial = 5;
    r.validity = default_validity(Profile::DocumentSigner, test::fixed_now());
    EXPECT_THROW(issue_certificate(r, key.get(), Issuer{nullptr, key.get()}), InvalidArgument);  // DS needs an issuer
    r.subject.country = "FR";
    EXPECT_THROW(issue_certificate(r, key.get(), Issuer{csca.cert.get(), csca.key.get()}), InvalidArgument);
    r.subject.country = "vn";
    EXPECT_THROW(issue_certificate(r, key.get(), Issuer{csca.cert.get(), csca.key.get()}), InvalidArgument);
    r.subject.country = "VN";
    r.document_types = {"IDX"};
    EXPECT_THROW(issue_certificate(r, key.get(), Issuer{csca.cert.get(), csca.key.get()}), InvalidArgument);
    r.document_types = {"ID", "AC"};
    auto ds = issue_certificate(r, key.get(), Issuer{csca.cert.get(), csca.key.get()});
    EXPECT_TRUE(lint_passed(lint_certificate(ds.get(), Profile::DocumentSigner, csca.cert.get())));

    CertificateRequest server;
    server.profile = Profile::TlsServer;
    server.subject.common_name = "localhost";
    server.serial = 6;
    server.validity = default_validity(Profile::TlsServer, test::fixed_now());
    auto service = test::make_root(Profile::ServiceCa);
    EXPECT_THROW(issue_certificate(server, key.get(), Issuer{service.cert.get(), service.key.get()}), InvalidArgument);
}

TEST(Profiles, IcaoValidityPeriods) {
    auto t = test::fixed_now();
    KeyUsagePeriods periods;  // 5 years, 90 days, 10 years
    auto csca = default_validity(Profile::Csca, t, periods);
    auto csca_pkup = *default_private_key_usage(Profile::Csca, t, periods);
    auto ds = default_validity(Profile::DocumentSigner, t, periods);
    auto ds_pkup = *default_private_key_usage(Profile::DocumentSigner, t, periods);
    EXPECT_EQ(csca_pkup.not_after, add_years(t, 5));
    EXPECT_EQ(ds_pkup.not_after, add_days(t, 90));
    EXPECT_EQ(ds.not_after, add_years(add_days(t, 90), 10));
    // A DS issued on the CSCA key's last day still lies inside the CSCA's validity.
    auto last_ds = default_validity(Profile::DocumentSigner, csca_pkup.not_after, periods);
    EXPECT_LE(last_ds.not_after, csca.not_after);
}

// How a PKCS#8 key file is encrypted, as its EncryptedPrivateKeyInfo says.
struct KeyFileEncryption {
    int scheme = NID_undef;  // NID_pbes2
    int kdf = NID_undef;     // NID_id_pbkdf2
    int prf = NID_undef;     // NID_hmacWithSHA256 (absent in the file means HMAC-SHA1)
    long iterations = 0;
    int cipher = NID_undef;  // NID_aes_256_cbc
};

KeyFileEncryption encryption_of(const std::filesystem::path& path) {
    KeyFileEncryption e;
    crypto::BioPtr bio(BIO_new_file(path.c_str(), "r"));
    std::unique_ptr<X509_SIG, decltype(&X509_SIG_free)> sig(PEM_read_bio_PKCS8(bio.get(), nullptr, nullptr, nullptr),
                                                            X509_SIG_free);
    if (!sig) return e;
    const X509_ALGOR* algorithm = nullptr;
    X509_SIG_get0(sig.get(), &algorithm, nullptr);
    const ASN1_OBJECT* scheme = nullptr;
    int parameter_type = 0;
    const void* parameter = nullptr;
    X509_ALGOR_get0(&scheme, &parameter_type, &parameter, algorithm);
    e.scheme = OBJ_obj2nid(scheme);
    if (e.scheme != NID_pbes2 || parameter_type != V_ASN1_SEQUENCE) return e;
    std::unique_ptr<PBE2PARAM, decltype(&PBE2PARAM_free)> pbe2(
        static_cast<PBE2PARAM*>(ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBE2PARAM), algorithm->parameter)), PBE2PARAM_free);
    if (!pbe2) return e;
    e.kdf = OBJ_obj2nid(pbe2->keyfunc->algorithm);
    e.cipher = OBJ_obj2nid(pbe2->encryption->algorithm);
    if (e.kdf != NID_id_pbkdf2) return e;
    std::unique_ptr<PBKDF2PARAM, decltype(&PBKDF2PARAM_free)> kdf(
        static_cast<PBKDF2PARAM*>(ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBKDF2PARAM), pbe2->keyfunc->parameter)),
        PBKDF2PARAM_free);
    if (!kdf) return e;
    e.iterations = ASN1_INTEGER_get(kdf->iter);
    e.prf = kdf->prf == nullptr ? NID_hmacWithSHA1 : OBJ_obj2nid(kdf->prf->algorithm);
    return e;
}

TEST(KeyFile, IsWrittenWithPbkdf2HmacSha256OfAtLeast600000IterationsAndAes256) {
    test::TempDir dir;
    auto key = generate_key(test::ec_p256());
    auto path = std::filesystem::path(dir.path()) / "k.pem";
    Bytes pass{'c', 'o', 'r', 'r', 'e', 'c', 't', ' ', 'h', 'o', 'r', 's', 'e', 0};
    write_encrypted_key_file(path, key.get(), SecretBytes(pass));
    const KeyFileEncryption e = encryption_of(path);
    EXPECT_EQ(e.scheme, NID_pbes2);
    EXPECT_EQ(e.kdf, NID_id_pbkdf2);
    EXPECT_EQ(e.prf, NID_hmacWithSHA256);
    EXPECT_GE(e.iterations, 600000);
    EXPECT_EQ(e.cipher, NID_aes_256_cbc);
    EXPECT_EQ(EVP_PKEY_eq(read_encrypted_key_file(path, SecretBytes(pass)).get(), key.get()), 1);
}

TEST(KeyFile, AFileOfOpenSslsDefault2048IterationsStillOpens) {
    test::TempDir dir;
    auto key = generate_key(test::ec_p256());
    auto path = std::filesystem::path(dir.path()) / "old.pem";
    const std::string pass = "correct horse";
    {
        crypto::BioPtr bio(BIO_new_file(path.c_str(), "w"));
        ASSERT_EQ(PEM_write_bio_PKCS8PrivateKey(bio.get(), key.get(), EVP_aes_256_cbc(), nullptr, 0, nullptr,
                                                const_cast<char*>(pass.c_str())),
                  1);
    }
    ASSERT_EQ(encryption_of(path).iterations, 2048);  // what the files written before look like
    Bytes terminated(pass.begin(), pass.end());
    terminated.push_back(0);
    EXPECT_EQ(EVP_PKEY_eq(read_encrypted_key_file(path, SecretBytes(terminated)).get(), key.get()), 1);
}

TEST(KeyFile, RoundTripWrongPassphraseAndUnencryptedFile) {
    test::TempDir dir;
    auto key = generate_key(test::ec_p256());
    auto path = std::filesystem::path(dir.path()) / "k.pem";
    Bytes pass{'c', 'o', 'r', 'r', 'e', 'c', 't', ' ', 'h', 'o', 'r', 's', 'e', 0};
    write_encrypted_key_file(path, key.get(), SecretBytes(pass));
    EXPECT_EQ(std::filesystem::status(path).permissions() & std::filesystem::perms::all,
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    auto text = std::string(std::istreambuf_iterator<char>(*std::make_unique<std::ifstream>(path)), {});
    EXPECT_NE(text.find("BEGIN ENCRYPTED PRIVATE KEY"), std::string::npos);

    auto back = read_encrypted_key_file(path, SecretBytes(pass));
    EXPECT_EQ(EVP_PKEY_eq(back.get(), key.get()), 1);

    Bytes wrong{'w', 'r', 'o', 'n', 'g', ' ', 'p', 'a', 's', 's', 'w', 'o', 'r', 'd', 0};
    try {
        read_encrypted_key_file(path, SecretBytes(wrong));
        FAIL() << "a wrong passphrase must not decrypt";
    } catch (const CryptoError& e) {
        EXPECT_NE(std::string(e.what()).find("wrong passphrase"), std::string::npos) << e.what();
    }
    // Never overwrites, never accepts a short passphrase.
    EXPECT_THROW(write_encrypted_key_file(path, key.get(), SecretBytes(pass)), InvalidArgument);
    Bytes short_pass{'s', 'h', 'o', 'r', 't', 0};
    EXPECT_THROW(write_encrypted_key_file(std::filesystem::path(dir.path()) / "k2.pem", key.get(), SecretBytes(short_pass)), InvalidArgument);

    // An unencrypted key file is refused with a clear reason.
    auto plain = std::filesystem::path(dir.path()) / "plain.pem";
    {
        crypto::BioPtr bio(BIO_new_file(plain.c_str(), "w"));
        PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    }
    try {
        read_encrypted_key_file(plain, SecretBytes(pass));
        FAIL() << "an unencrypted key must be refused";
    } catch (const CryptoError& e) {
        EXPECT_NE(std::string(e.what()).find("not encrypted"), std::string::npos) << e.what();
    }
}

TEST(SigningKeyTest, FromAnEncryptedFileSignsAnSod) {
    test::TempDir dir;
    ScopedEnv pass("CCCD_KEY_PASSPHRASE", "correct horse battery");
    auto path = (std::filesystem::path(dir.path()) / "ds.key.pem").string();
    auto made = generate_file_key(path, make_key_spec("ec", "brainpoolP384r1", 0));
    auto csca = test::make_root(Profile::Csca);
    CertificateRequest r;
    r.profile = Profile::DocumentSigner;
    r.subject.common_name = "DS";
    r.serial = 2;
    r.validity = default_validity(Profile::DocumentSigner, test::fixed_now());
    auto cert = issue_certificate(r, made->key(), Issuer{csca.cert.get(), csca.key.get()});

    auto key = open_signing_key(path);
    EXPECT_NE(key->describe().find("key file"), std::string::npos);
    EXPECT_EQ(key->describe().find("correct horse"), std::string::npos);
    auto lso = lds::make_lds_security_object({{1, Bytes{1, 2, 3}}, {2, Bytes{4, 5}}});
    auto sod = lds::build_sod(lso, key->key(), cert.get());
    auto parsed = lds::parse_sod(sod);
    EXPECT_EQ(parsed.security_object, lso);
    auto inner = tlv::read_single(sod, lds::kSodTag);
    EXPECT_TRUE(signed_data_verifies(inner.value, lds::kLdsSecurityObjectOid));
}

TEST(SigningKeyTest, ThePassphraseLeavesTheEnvironmentAndStillOpensASecondKey) {
    test::TempDir dir;
    const auto first = (std::filesystem::path(dir.path()) / "first.pem").string();
    const auto second = (std::filesystem::path(dir.path()) / "second.pem").string();
    ScopedEnv pass("CCCD_KEY_PASSPHRASE", "correct horse battery");
    generate_file_key(first, test::ec_p256());
    EXPECT_EQ(std::getenv("CCCD_KEY_PASSPHRASE"), nullptr) << "a child process would inherit the passphrase";
    generate_file_key(second, test::ec_p256());  // the same passphrase, read a second time
    EXPECT_NE(open_signing_key(first), nullptr);
}

TEST(SigningKeyTest, MissingOrWrongPassphraseIsAClearError) {
    test::TempDir dir;
    auto path = (std::filesystem::path(dir.path()) / "k.pem").string();
    {
        ScopedEnv pass("CCCD_KEY_PASSPHRASE", "correct horse battery");
        generate_file_key(path, test::ec_p256());
    }
    ::unsetenv("CCCD_KEY_PASSPHRASE_FILE");
    try {
        open_signing_key(path);
        FAIL();
    } catch (const CryptoError& e) {
        EXPECT_NE(std::string(e.what()).find("CCCD_KEY_PASSPHRASE"), std::string::npos) << e.what();
    }
    // The passphrase from a file named by CCCD_KEY_PASSPHRASE_FILE (trailing newline ignored).
    auto pass_file = std::filesystem::path(dir.path()) / "pass";
    std::ofstream(pass_file) << "wrong passphrase!\n";
    ScopedEnv file("CCCD_KEY_PASSPHRASE_FILE", pass_file.c_str());
    EXPECT_THROW(open_signing_key(path), CryptoError);
    std::ofstream(pass_file) << "correct horse battery\n";
    EXPECT_NO_THROW(open_signing_key(path));
}

TEST(Pkcs11UriTest, ParsesTokenObjectAndQuery) {
    auto uri = parse_pkcs11_uri("pkcs11:token=cccd;object=ds%2D2026;type=private?pin-source=file:/run/pin&module-path=/opt/hsm.so");
    EXPECT_EQ(uri.token, "cccd");
    EXPECT_EQ(uri.object, "ds-2026");
    EXPECT_EQ(uri.pin_source, "file:/run/pin");
    EXPECT_EQ(uri.module_path, "/opt/hsm.so");
    EXPECT_EQ(pkcs11_module_for(uri), "/opt/hsm.so");
    EXPECT_EQ(uri.to_string(), "pkcs11:token=cccd;object=ds-2026");
    auto with_pin = parse_pkcs11_uri("pkcs11:token=a;object=b?pin-value=1234");
    EXPECT_TRUE(with_pin.has_pin_value);
    EXPECT_EQ(with_pin.to_string().find("1234"), std::string::npos);
    EXPECT_THROW(parse_pkcs11_uri("pkcs11:object=b"), InvalidArgument);
    EXPECT_THROW(parse_pkcs11_uri("pkcs11:token=a"), InvalidArgument);
    EXPECT_THROW(parse_pkcs11_uri("pkcs11:token=a;object=b;colour=red"), InvalidArgument);
    EXPECT_THROW(parse_pkcs11_uri("pkcs11:token=a;object=b%2"), InvalidArgument);
    EXPECT_FALSE(is_pkcs11_uri("/etc/ds.key.pem"));
}

// The token half of SigningKey over SoftHSM2 in a private token directory; skipped without SoftHSM2.
TEST(SigningKeyTest, TokenKeyGeneratedInSoftHsmSignsAnSod) {
    if (!std::filesystem::exists(kSoftHsm2Module) || std::system("command -v softhsm2-util >/dev/null 2>&1") != 0)
        GTEST_SKIP() << "SoftHSM2 is not installed (scripts/setup.sh installs it)";
    test::TempDir dir;
    std::filesystem::create_directories(std::filesystem::path(dir.path()) / "tokens");
    auto conf = std::filesystem::path(dir.path()) / "softhsm2.conf";
    std::ofstream(conf) << "directories.tokendir = " << (std::filesystem::path(dir.path()) / "tokens").string() << "\nobjectstore.backend = file\nlog.level = ERROR\n";
    ScopedEnv softhsm("SOFTHSM2_CONF", conf.c_str());
    ASSERT_EQ(std::system("softhsm2-util --init-token --free --label unit --pin 1234 --so-pin 5678 >/dev/null"), 0);

    ScopedEnv pin("CCCD_PKCS11_PIN", "1234");
    auto csca = test::make_root(Profile::Csca);
    crypto::X509Ptr cert;
    {
        auto made = generate_token_key("pkcs11:token=unit;object=ds", make_key_spec("ec", "brainpoolP384r1", 0));
        auto pub = public_key_of(made->key());
        CertificateRequest r;
        r.profile = Profile::DocumentSigner;
        r.subject.common_name = "DS token";
        r.serial = 2;
        r.validity = default_validity(Profile::DocumentSigner, test::fixed_now());
        cert = issue_certificate(r, pub.get(), Issuer{csca.cert.get(), csca.key.get()});
    }
    auto key = open_signing_key("pkcs11:token=unit;object=ds");
    EXPECT_NE(key->describe().find("PKCS#11 token 'unit'"), std::string::npos);
    auto lso = lds::make_lds_security_object({{1, Bytes{1, 2, 3}}});
    auto sod = lds::build_sod(lso, key->key(), cert.get());
    auto inner = tlv::read_single(sod, lds::kSodTag);
    EXPECT_TRUE(signed_data_verifies(inner.value, lds::kLdsSecurityObjectOid));

    // The same label cannot be generated twice; a wrong PIN is refused in words.
    EXPECT_THROW(generate_token_key("pkcs11:token=unit;object=ds", test::ec_p256()), InvalidArgument);
    try {
        open_signing_key("pkcs11:token=unit;object=ds?pin-value=9999");
        FAIL() << "a wrong PIN must not log in";
    } catch (const CryptoError& e) {
        EXPECT_NE(std::string(e.what()).find("PIN is wrong"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace cccd::certs
