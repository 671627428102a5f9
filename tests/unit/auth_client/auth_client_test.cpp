// AuthClient against an in-process HTTPS stub of the server's auth API (server/http's HttpsServer and
// Router, mutual TLS on 127.0.0.1, port 0). The stub derives the AA challenge for the relying party
// named by the client certificate, checks the card's signature from the in-process virtual chip and
// answers with an assertion from a real AssertionSigner, so the whole relying-party path is exercised:
// challenge, card presentation, verification, JWKS, local verification of the assertion.
#include "auth/client/auth_client.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <mutex>
#include <thread>

#include <boost/json.hpp>

#include "auth/challenge.hpp"
#include "auth/client/card_presentation.hpp"
#include "auth/errors.hpp"
#include "base/encoding.hpp"
#include "base/environment.hpp"
#include "card/lds/dg1.hpp"
#include "card/lds/lds_file.hpp"
#include "card/lds/security_infos.hpp"
#include "card/mrz/mrz.hpp"
#include "card/protocol/active_auth.hpp"
#include "server/http/server.hpp"
#include "tests/fixtures/sample_card.hpp"
#include "tests/unit/server_http/test_support.hpp"
#include "vcard/chip_channel.hpp"
#include "vcard/virtual_chip.hpp"

using namespace cccd;
using namespace cccd::auth;
using namespace cccd::auth::client;
namespace http = cccd::server::http;
namespace json = boost::json;
using http::testing::TestPki;

namespace {

constexpr const char* kIssuer = "https://eid.cccd.test";

crypto::PKeyPtr shared(const crypto::PKeyPtr& key) {
    EVP_PKEY_up_ref(key.get());
    return crypto::PKeyPtr(key.get());
}

// The sample card of the fixtures as a virtual chip, and a channel to it.
struct SampleChip {
    fixtures::TestPki pki = fixtures::make_test_pki();
    fixtures::SampleCitizen citizen = fixtures::sample_citizen();
    fixtures::SampleCard sample;
    std::string can;

    SampleChip() {
        Bytes jpeg = from_hex("FFD8FFC0000B08014000F0011100");
        jpeg.resize(4000, 0x5A);
        append(jpeg, from_hex("FFD9"));
        sample = fixtures::make_sample_card(citizen, jpeg, pki.ds);
        can = mrz::can_from_id_number(citizen.person.personal_id);
    }
    vcard::ChipContents contents() {
        vcard::ChipContents c;
        for (const auto& [name, bytes] : sample.files) c.files[lds::file_info(*lds::file_by_name(name)).fid] = bytes;
        c.can = can;
        c.mrz_information = mrz::mrz_information(mrz::parse_td1(lds::decode_dg1(sample.files.at("DG1")).mrz));
        c.active_auth_key = shared(sample.active_auth_key);
        c.chip_auth_key = shared(sample.chip_auth_key);
        return c;
    }
};

using vcard::ChipChannel;  // a reader without extended length

// The server side of the contract, reduced to what a relying party can observe.
class StubAuthServer {
public:
    // `server_pem`/`server_key_pem` (unencrypted) replace the PKI's server certificate when given.
    explicit StubAuthServer(const TestPki& pki, std::chrono::milliseconds idle_timeout = std::chrono::milliseconds(60000),
                            const std::filesystem::path& server_pem = {}, const std::filesystem::path& server_key_pem = {})
        : signer_(kIssuer, crypto::Ed25519KeyPair::generate(), SecretBytes(Bytes(32, 0x5a))) {
        http::Router router;
        router.add("POST", "/api/v1/auth/challenges", [this](const http::Request& r) { return challenge(r); });
        router.add("POST", "/api/v1/auth/verifications", [this](const http::Request& r) { return verification(r); });
        router.add("GET", "/.well-known/jwks.json",
                   [this](const http::Request&) { return http::Response::text(200, signer_.jwks().to_json(), "application/json"); });
        http::HttpsServerOptions options;
        options.listen_address = "127.0.0.1";
        options.listen_port = 0;
        options.threads = 2;
        if (server_pem.empty()) {
            options.tls.certificate_chain_file = pki.server_pem.string();
            options.tls.private_key = http::load_private_key_file(
                pki.server_key_pem, SecretBytes(Bytes(pki.server_key_passphrase.begin(), pki.server_key_passphrase.end())));
        } else {
            options.tls.certificate_chain_file = server_pem.string();
            options.tls.private_key = http::load_private_key_file(server_key_pem, SecretBytes());
        }
        options.tls.client_ca_file = pki.ca_pem.string();
        options.tls.require_client_certificate = true;
        options.limits.idle_timeout = idle_timeout;
        server_ = std::make_unique<http::HttpsServer>(std::move(options), std::move(router));
        server_->start();
    }
    ~StubAuthServer() { server_->stop(); }

    std::uint16_t port() const { return server_->port(); }
    http::HttpsServer::Counters counters() const { return server_->counters(); }
    std::atomic<bool> rate_limit_challenges{false};

private:
    http::Response challenge(const http::Request& r) {
        if (rate_limit_challenges) return http::Response::error(429, "rate_limited", "too many requests for this relying party");
        const std::string rp = r.client_certificate->subject_common_name;
        Challenge c = make_challenge(rp, auth::system_clock()());
        {
            std::lock_guard lock(mutex_);
            challenges_[c.id] = c;
        }
        return http::Response::json(201, json::object{{"challenge_id", c.id},
                                                      {"nonce", base64_encode(c.nonce)},
                                                      {"aa_challenge", to_hex(derive_aa_challenge(c.nonce, rp))},
                                                      {"expires_in_seconds", 120}});
    }

    http::Response verification(const http::Request& r) {
        const std::string rp = r.client_certificate->subject_common_name;
        VerificationRequest request;
        try {
            request = parse_verification_request(r.body);
        } catch (const AuthFailure& e) {
            return http::Response::error(422, "input_invalid", e.what());
        }
        Challenge c;
        {
            std::lock_guard lock(mutex_);
            auto it = challenges_.find(request.challenge_id);
            if (it == challenges_.end()) return http::Response::error(422, "challenge_unknown", "no such challenge");
            c = it->second;
            challenges_.erase(it);  // single use, whatever follows
        }
        if (c.relying_party_id != rp) return http::Response::error(403, "challenge_wrong_party", "not your challenge");
        auto aa = protocol::verify_active_auth(request.dg15, derive_aa_challenge(c.nonce, rp), request.active_auth_signature);
        if (!aa.ok) return http::Response::error(422, "aa_signature_invalid", "the card's signature does not verify");
        AssertionContent content;
        content.relying_party_id = rp;
        content.personal_id = "001099012345";
        content.challenge_id = c.id;
        content.loa = "high";
        content.chip_authenticated = request.chip_auth_public_key.has_value();
        content.attributes["age_over_18"] = true;
        return http::Response::json(200, json::object{{"assertion", signer_.sign(content, auth::system_clock()())},
                                                      {"loa", "high"},
                                                      {"chip_authenticated", content.chip_authenticated}});
    }

    AssertionSigner signer_;
    std::mutex mutex_;
    std::map<std::string, Challenge> challenges_;
    std::unique_ptr<http::HttpsServer> server_;
};

ClientOptions options_for(const TestPki& pki, std::uint16_t port) {
    ClientOptions o;
    o.server = {"127.0.0.1", port};
    o.ca_file = pki.ca_pem;
    o.certificate_file = pki.client_pem;
    o.key_file = pki.client_key_pem;
    o.connect_timeout = std::chrono::milliseconds(5000);
    o.io_timeout = std::chrono::milliseconds(10000);
    return o;
}

}  // namespace

TEST(AuthClient, ACardPresentationEndsInAnAssertionThatVerifiesWithTheFetchedJwks) {
    TestPki pki;
    StubAuthServer server(pki);
    AuthClient client(options_for(pki, server.port()));
    const std::string rp = certificate_common_name(pki.client_pem);
    EXPECT_EQ(rp, "HCM-Q1-01");

    ChallengeOffer offer = client.request_challenge();
    EXPECT_TRUE(is_valid_challenge_id(offer.challenge_id));
    EXPECT_EQ(offer.aa_challenge, derive_aa_challenge(offer.nonce, rp));
    EXPECT_EQ(offer.expires_in, std::chrono::seconds(120));

    SampleChip card;
    vcard::VirtualChip chip(card.contents());
    ChipChannel channel(chip);
    CardPresentation presentation = present_card(channel, offer, card.can);
    EXPECT_EQ(presentation.read.access_protocol, "PACE-CAN");
    EXPECT_EQ(presentation.request.challenge_id, offer.challenge_id);
    EXPECT_EQ(presentation.request.document_number.size(), 9u);
    EXPECT_TRUE(presentation.request.chip_auth_public_key.has_value());

    VerificationOutcome outcome = client.verify(presentation.request);
    ASSERT_TRUE(outcome.accepted()) << outcome.error_code << ": " << outcome.error_message;
    EXPECT_EQ(outcome.http_status, 200u);
    EXPECT_EQ(outcome.loa, "high");
    EXPECT_TRUE(outcome.chip_authenticated);

    Jwks keys = client.fetch_jwks();
    ASSERT_EQ(keys.keys.size(), 1u);
    VerifiedAssertion verified = verify_assertion(*outcome.assertion, keys, rp, auth::system_clock()(), kIssuer);
    EXPECT_EQ(verified.claims.at("challenge_id").as_string(), offer.challenge_id);
    EXPECT_EQ(verified.claims.at("aud").as_string(), rp);
    // Another relying party cannot use it.
    EXPECT_THROW(verify_assertion(*outcome.assertion, keys, "bank-02", auth::system_clock()(), kIssuer), AssertionError);
}

TEST(AuthClient, TheServersRefusalIsSurfacedWithItsCodeWordsAndStatus) {
    TestPki pki;
    StubAuthServer server(pki);
    AuthClient client(options_for(pki, server.port()));
    ChallengeOffer offer = client.request_challenge();
    SampleChip card;
    vcard::VirtualChip chip(card.contents());
    ChipChannel channel(chip);
    CardPresentation presentation = present_card(channel, offer, card.can);

    VerificationRequest tampered = presentation.request;
    tampered.active_auth_signature.back() ^= 0x01;
    VerificationOutcome refused = client.verify(tampered);
    EXPECT_FALSE(refused.accepted());
    EXPECT_EQ(refused.http_status, 422u);
    EXPECT_EQ(refused.error_code, "aa_signature_invalid");
    EXPECT_EQ(refused.error_message, "the card's signature does not verify");
    // The id the server logged the call under, to quote in a report: the one the client sent.
    EXPECT_EQ(refused.request_id.size(), 22u) << refused.request_id;

    // The challenge was used by the refused attempt: the genuine request now finds nothing.
    VerificationOutcome replay = client.verify(presentation.request);
    EXPECT_EQ(replay.error_code, "challenge_unknown");
    EXPECT_NE(replay.request_id, refused.request_id);

    // A refused challenge request is a RefusedError with the server's code.
    server.rate_limit_challenges = true;
    try {
        (void)client.request_challenge();
        FAIL() << "the 429 was not reported";
    } catch (const RefusedError& e) {
        EXPECT_EQ(e.http_status(), 429u);
        EXPECT_EQ(e.code(), "rate_limited");
        EXPECT_EQ(e.server_message(), "too many requests for this relying party");
        EXPECT_NE(std::string(e.what()).find("[request id "), std::string::npos) << e.what();
    }
}

TEST(AuthClient, AServerCertificateFromAnUnknownCaIsRefused) {
    TestPki pki;
    TestPki other;  // a CA the server's certificate does not chain to
    StubAuthServer server(pki);
    ClientOptions o = options_for(pki, server.port());
    o.ca_file = other.ca_pem;
    AuthClient client(o);
    try {
        (void)client.request_challenge();
        FAIL() << "the handshake succeeded with an untrusted server certificate";
    } catch (const ClientError& e) {
        EXPECT_NE(std::string(e.what()).find("not trusted"), std::string::npos) << e.what();
    }
    EXPECT_EQ(client.connections_opened(), 0u);
    EXPECT_EQ(server.counters().requests_handled, 0u);
}

// A server certificate from a trusted CA, valid for serverAuth, but for another name than the one
// the client connects to, is refused; the same CA with the right name is accepted.
TEST(AuthClient, TheServerCertificateMustNameTheHostConnectedTo) {
    TestPki pki;
    auto ca_key = http::testing::new_ec_key();
    auto ca = http::testing::make_certificate(ca_key.get(), "Names CA", "", nullptr, nullptr, true, false);
    auto make_server = [&](const char* names, const std::string& stem) {
        auto key = http::testing::new_ec_key();
        crypto::X509Ptr cert(X509_new());
        X509_set_version(cert.get(), 2);
        ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 7000);
        X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
        X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600L * 24);
        X509_set_pubkey(cert.get(), key.get());
        X509_NAME_add_entry_by_txt(X509_get_subject_name(cert.get()), "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>("auth server"), -1, -1, 0);
        X509_set_issuer_name(cert.get(), X509_get_subject_name(ca.get()));
        http::testing::add_extension(cert.get(), ca.get(), NID_basic_constraints, "critical,CA:FALSE");
        http::testing::add_extension(cert.get(), ca.get(), NID_key_usage, "critical,digitalSignature");
        http::testing::add_extension(cert.get(), ca.get(), NID_ext_key_usage, "serverAuth");
        http::testing::add_extension(cert.get(), ca.get(), NID_subject_alt_name, names);
        EXPECT_GT(X509_sign(cert.get(), ca_key.get(), EVP_sha256()), 0);
        http::testing::write_certificate(pki.dir / (stem + ".pem"), cert.get());
        http::testing::write_key(pki.dir / (stem + ".key.pem"), key.get());
    };
    http::testing::write_certificate(pki.dir / "names-ca.pem", ca.get());
    make_server("IP:127.0.0.2,DNS:auth.cccd.test", "elsewhere");
    make_server("IP:127.0.0.1", "here");

    {
        StubAuthServer server(pki, std::chrono::milliseconds(60000), pki.dir / "elsewhere.pem", pki.dir / "elsewhere.key.pem");
        ClientOptions o = options_for(pki, server.port());
        o.ca_file = pki.dir / "names-ca.pem";
        AuthClient client(o);
        try {
            (void)client.request_challenge();
            FAIL() << "a certificate for another host was accepted";
        } catch (const ClientError& e) {
            EXPECT_NE(std::string(e.what()).find("IP address mismatch"), std::string::npos) << e.what();
        }
    }
    StubAuthServer server(pki, std::chrono::milliseconds(60000), pki.dir / "here.pem", pki.dir / "here.key.pem");
    ClientOptions o = options_for(pki, server.port());
    o.ca_file = pki.dir / "names-ca.pem";
    AuthClient client(o);
    EXPECT_TRUE(is_valid_challenge_id(client.request_challenge().challenge_id));
}

TEST(AuthClient, ThreeCallsShareOneKeepAliveConnection) {
    TestPki pki;
    StubAuthServer server(pki);
    AuthClient client(options_for(pki, server.port()));
    (void)client.request_challenge();
    (void)client.fetch_jwks();
    (void)client.request_challenge();
    EXPECT_EQ(client.connections_opened(), 1u);
    EXPECT_EQ(server.counters().connections_accepted, 1u);
    EXPECT_EQ(server.counters().requests_handled, 3u);
}

TEST(AuthClient, AKeepAliveConnectionClosedByTheServerIsReopenedOnce) {
    TestPki pki;
    StubAuthServer server(pki, std::chrono::milliseconds(200));
    AuthClient client(options_for(pki, server.port()));
    (void)client.request_challenge();
    std::this_thread::sleep_for(std::chrono::milliseconds(800));  // the server drops the idle connection
    ChallengeOffer offer = client.request_challenge();
    EXPECT_TRUE(is_valid_challenge_id(offer.challenge_id));
    EXPECT_EQ(client.connections_opened(), 2u);
}

TEST(AuthClient, AnEncryptedClientKeyOpensWithThePassphraseFromTheEnvironment) {
    TestPki pki;
    StubAuthServer server(pki);
    const std::string passphrase = "rp key passphrase 7c1e";
    {
        crypto::BioPtr in(BIO_new_file(pki.client_key_pem.c_str(), "r"));
        crypto::PKeyPtr key(PEM_read_bio_PrivateKey(in.get(), nullptr, nullptr, nullptr));
        ASSERT_TRUE(key);
        http::testing::write_key(pki.dir / "rp.key.enc.pem", key.get(), passphrase);
    }
    ClientOptions o = options_for(pki, server.port());
    o.key_file = pki.dir / "rp.key.enc.pem";

    ::unsetenv(kKeyPassphraseEnvironment);
    forget_secret_from_environment(kKeyPassphraseEnvironment);
    try {
        AuthClient without(o);
        FAIL() << "an encrypted key opened without a passphrase";
    } catch (const ClientError& e) {
        EXPECT_NE(std::string(e.what()).find(kKeyPassphraseEnvironment), std::string::npos) << e.what();
    }

    ::setenv(kKeyPassphraseEnvironment, "not the passphrase", 1);
    try {
        AuthClient wrong(o);
        FAIL() << "an encrypted key opened with a wrong passphrase";
    } catch (const ClientError& e) {
        EXPECT_NE(std::string(e.what()).find("wrong passphrase"), std::string::npos) << e.what();
        EXPECT_EQ(std::string(e.what()).find("not the passphrase"), std::string::npos);
    }

    ::setenv(kKeyPassphraseEnvironment, passphrase.c_str(), 1);
    AuthClient client(o);
    EXPECT_EQ(std::getenv(kKeyPassphraseEnvironment), nullptr) << "the passphrase stays for child processes";
    AuthClient again(o);  // the passphrase is kept in the process for a second client
    forget_secret_from_environment(kKeyPassphraseEnvironment);
    EXPECT_TRUE(is_valid_challenge_id(client.request_challenge().challenge_id));
}

TEST(AuthClient, TheVerificationJsonIsWhatTheServerParses) {
    VerificationRequest r;
    r.challenge_id = "AAAAAAAAAAAAAAAAAAAAAA";
    r.document_number = "099012345";
    r.ef_sod = Bytes(100, 1);
    r.dg1 = Bytes(90, 2);
    r.dg14 = Bytes(50, 3);
    r.dg15 = Bytes(60, 4);
    r.dg13 = Bytes(20, 5);
    r.active_auth_signature = Bytes(64, 6);
    r.chip_auth_public_key = Bytes(91, 7);
    VerificationRequest back = parse_verification_request(verification_request_json(r));
    EXPECT_EQ(back.challenge_id, r.challenge_id);
    EXPECT_EQ(back.document_number, r.document_number);
    EXPECT_EQ(back.ef_sod, r.ef_sod);
    EXPECT_EQ(back.dg1, r.dg1);
    EXPECT_FALSE(back.dg2.has_value());
    EXPECT_EQ(back.dg13, r.dg13);
    EXPECT_EQ(back.dg14, r.dg14);
    EXPECT_EQ(back.dg15, r.dg15);
    EXPECT_EQ(back.active_auth_signature, r.active_auth_signature);
    EXPECT_EQ(back.chip_auth_public_key, r.chip_auth_public_key);
}

TEST(AuthClient, ServerUrls) {
    auto a = parse_server_url("https://127.0.0.1:8443");
    EXPECT_EQ(a.host, "127.0.0.1");
    EXPECT_EQ(a.port, 8443);
    auto b = parse_server_url("https://[::1]:9443/");
    EXPECT_EQ(b.host, "::1");
    EXPECT_EQ(b.port, 9443);
    auto c = parse_server_url("https://auth.cccd.test");
    EXPECT_EQ(c.host, "auth.cccd.test");
    EXPECT_EQ(c.port, 443);
    for (const char* bad : {"http://127.0.0.1:8443", "https://", "https://127.0.0.1:", "https://127.0.0.1:99999",
                            "https://127.0.0.1:84x3", "https://127.0.0.1/api", "https://user@127.0.0.1", "https://[::1"}) {
        EXPECT_THROW((void)parse_server_url(bad), InvalidArgument) << bad;
    }
}
