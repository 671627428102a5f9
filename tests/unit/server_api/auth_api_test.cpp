// The authentication API over HTTPS (TLS 1.3, relying-party client certificates) against a SQLCipher
// registry holding a card issued as the issuance API does: challenge -> the chip signs the derived
// challenge -> verification -> an assertion that verifies with the JWKS fetched over HTTPS. And the
// refusals: no or unknown certificate (403), a replayed challenge (422 challenge_unknown), a party
// over its rate limit (429 with Retry-After). Every verification is in the audit log, without names,
// counted per relying party and outcome and each refusal per code; the server's log names the party.
#include <gtest/gtest.h>

#include <unistd.h>

#include <boost/json.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "auth/challenge_store.hpp"
#include "base/encoding.hpp"
#include "card/lds/dg15.hpp"
#include "card/lds/security_infos.hpp"
#include "card/pa/certificate.hpp"
#include "card/protocol/active_auth.hpp"
#include "crypto/hash.hpp"
#include "server/api/auth_api.hpp"
#include "server/audit/group_commit.hpp"
#include "server/http/server.hpp"
#include "server/http/tls.hpp"
#include "tests/fixtures/registry/issued_card.hpp"
#include "tests/fixtures/sample_card.hpp"
#include "tests/fixtures/test_pki.hpp"
#include "tests/support/sqlcipher_config.hpp"
#include "tests/unit/server_http/log_capture.hpp"
#include "tests/unit/server_http/test_support.hpp"

using namespace cccd;
using namespace cccd::server;
namespace json = boost::json;
namespace fs = std::filesystem;
using http::testing::ClientOptions;
using http::testing::TestClient;

namespace {

constexpr const char* kIssuer = "https://id.cccd.test";

using SampleWorld = fixtures::IssuedCardWorld;

// Keys and signing take a while: one card for every test.
SampleWorld& sample() {
    static SampleWorld c;
    return c;
}

// The in-process store, or one that cannot be reached (the server's own failure: 503, not a refusal).
class SwitchableStore final : public auth::ChallengeStore {
public:
    void put(const auth::Challenge& challenge) override {
        if (broken) throw auth::ChallengeStoreError("challenge store: unreachable (test)");
        inner_.put(challenge);
    }
    std::optional<auth::Challenge> take(std::string_view challenge_id) override {
        if (broken) throw auth::ChallengeStoreError("challenge store: unreachable (test)");
        return inner_.take(challenge_id);
    }
    std::atomic<bool> broken{false};

private:
    auth::InProcessChallengeStore inner_;
};

// The database as the audit log sees it: its writes can be made to fail (the disk is full).
class SwitchableWrites final : public Storage {
public:
    explicit SwitchableWrites(Storage& inner) : inner_(inner) {}
    StorageKind kind() const noexcept override { return inner_.kind(); }
    void import_citizens(std::span<const Citizen> citizens, std::size_t batch_size) override {
        inner_.import_citizens(citizens, batch_size);
    }
    std::atomic<bool> writes_fail{false};

protected:
    void run(Mode mode, const std::function<void(Transaction&)>& work) override {
        if (mode == Mode::ReadWrite && writes_fail) throw StorageError("storage: the disk is full (test)");
        if (mode == Mode::ReadWrite) inner_.transaction(work);
        else inner_.read(work);
    }

private:
    Storage& inner_;
};

struct Reply {
    unsigned status = 0;
    json::value body;
    std::string raw;
    std::string retry_after;
};

class AuthApi : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("cccd-auth-api-" + std::to_string(::getpid()) + "-" + std::to_string(++count_));
        fs::create_directories(dir_);
        StorageConfig config = cccd::testing::sqlcipher_config((dir_ / "cccd.db").string());
        storage_ = open_storage(config);
        card_number_ = issue_card();
        party_ = {"bank-01", "Ngân hàng Một", "name date_of_birth age_over_18",
                  lower_hex(crypto::sha256(pa::certificate_to_der(tls_.client_certificate.get()))), 6, true};
        storage_->transaction([&](Transaction& t) { t.put_relying_party(party_); });

        registry_ = std::make_unique<cccd::server::api::StorageCardRegistry>(*storage_);
        parties_ = std::make_unique<api::StorageRelyingPartyDirectory>(*storage_);
        signer_ = std::make_unique<auth::AssertionSigner>(kIssuer, crypto::Ed25519KeyPair::generate(),
                                                          SecretBytes(Bytes(32, 0x17)));
        signer_->add_retired_public_key(crypto::Ed25519KeyPair::generate().public_key());
        challenges_ = std::make_unique<SwitchableStore>();
        pipeline_ = std::make_unique<auth::VerificationPipeline>(*challenges_, *registry_, *parties_, *signer_, nullptr);

        http::Router router;
        api::AuthContext context{*storage_, *pipeline_, *signer_};
        context.metrics = metrics_;
        audit_storage_ = std::make_unique<SwitchableWrites>(*storage_);
        context.audit_log = std::make_shared<AuditGroupCommit>(*audit_storage_);
        api::add_auth_routes(router, std::move(context));
        http::HttpsServerOptions o;
        o.listen_port = 0;
        o.threads = 2;
        o.tls.certificate_chain_file = tls_.server_pem.string();
        o.tls.private_key = http::load_private_key_file(tls_.server_key_pem, SecretBytes(view(tls_.server_key_passphrase)));
        o.tls.client_ca_file = tls_.ca_pem.string();
        o.tls.require_client_certificate = false;  // the JWKS is public
        o.limits.max_body_bytes = 256 * 1024;
        o.logger = std::make_shared<http::Logger>(http::LogFormat::Json, log_.sink());
        o.metrics = metrics_;
        server_ = std::make_unique<http::HttpsServer>(std::move(o), std::move(router));
        server_->start();
    }

    void TearDown() override {
        if (server_) server_->stop();
        server_.reset();
        pipeline_.reset();
        storage_.reset();
        fs::remove_all(dir_);
    }

    // The citizen and the card as the issuance API leaves them: SOD digest and chip keys pinned, issued.
    std::string issue_card() {
        const auto& s = sample();
        return storage_->transaction(
            [&](Transaction& t) { return fixtures::register_issued_card(t, s.citizen, s.card, s.jpeg, true, "nguyenvana"); });
    }

    Reply call(const std::string& method, const std::string& target, const std::string& body = {},
               bool with_certificate = true) {
        ClientOptions options;
        options.ca_file = tls_.ca_pem;
        if (with_certificate) {
            options.certificate_file = tls_.client_pem;
            options.key_file = tls_.client_key_pem;
        }
        TestClient client(options);
        EXPECT_FALSE(client.connect(server_->port()));
        auto response = client.request(method, target, body, "application/json", {});
        Reply r;
        if (!response) return r;
        r.status = response->result_int();
        r.raw = response->body();
        if (auto it = response->find("Retry-After"); it != response->end()) r.retry_after = std::string(it->value());
        if (!r.raw.empty()) {
            boost::system::error_code ec;
            r.body = json::parse(r.raw, ec);
        }
        return r;
    }

    static std::string error_code(const Reply& r) {
        if (!r.body.is_object() || !r.body.as_object().contains("error")) return "";
        return json::value_to<std::string>(r.body.at("error").at("code"));
    }

    // What an honest terminal posts after the card signed the challenge's aa_challenge.
    static std::string presentation(const Reply& challenge) {
        const auto& s = sample();
        const Bytes aa_challenge = from_hex(json::value_to<std::string>(challenge.body.at("aa_challenge")));
        const Bytes signature = protocol::sign_active_auth_ecdsa(s.card.active_auth_key, aa_challenge,
                                                                 crypto::HashAlgorithm::Sha256, protocol::EcdsaEncoding::Plain);
        json::object files;
        for (const char* name : {"EF.SOD", "DG1", "DG2", "DG13", "DG14", "DG15"}) {
            files[name] = base64_encode(s.card.files.at(name));
        }
        json::object body;
        body["challenge_id"] = challenge.body.at("challenge_id");
        body["document_number"] = s.citizen.person.personal_id.substr(3);
        body["files"] = std::move(files);
        body["active_auth_signature"] = base64_encode(signature);
        return json::serialize(body);
    }

    // The value of one series in /metrics ("cccd_auth_refusals_total{code=\"card_unknown\"}"); 0 when absent.
    double metric(const std::string& series) {
        const std::string text = metrics_->render();
        const auto at = text.find("\n" + series + " ");
        if (at == std::string::npos) return 0;
        return std::stod(text.substr(at + series.size() + 2));
    }

    std::vector<AuditEntry> audit_entries() {
        return storage_->read([](Transaction& t) {
            auto last = t.last_audit();
            return last ? t.audit_range(1, last->sequence) : std::vector<AuditEntry>{};
        });
    }

    fs::path dir_;
    static inline int count_ = 0;
    http::testing::TestPki tls_;
    std::unique_ptr<Storage> storage_;
    std::unique_ptr<SwitchableWrites> audit_storage_;
    RelyingPartyRecord party_;
    std::string card_number_;
    std::unique_ptr<cccd::server::api::StorageCardRegistry> registry_;
    std::unique_ptr<api::StorageRelyingPartyDirectory> parties_;
    std::unique_ptr<auth::AssertionSigner> signer_;
    std::unique_ptr<SwitchableStore> challenges_;
    std::unique_ptr<auth::VerificationPipeline> pipeline_;
    std::shared_ptr<http::Metrics> metrics_ = std::make_shared<http::Metrics>();
    http::testing::LogCapture log_;
    std::unique_ptr<http::HttpsServer> server_;
};

TEST_F(AuthApi, ChallengeSignVerifyAndTheAssertionVerifiesWithTheServedJwks) {
    const Reply challenge = call("POST", "/api/v1/auth/challenges");
    ASSERT_EQ(challenge.status, 201u) << challenge.raw;
    const Bytes nonce = base64_decode(json::value_to<std::string>(challenge.body.at("nonce")));
    EXPECT_EQ(nonce.size(), 32u);
    EXPECT_EQ(json::value_to<std::string>(challenge.body.at("aa_challenge")), to_hex(auth::derive_aa_challenge(nonce, "bank-01")));
    EXPECT_EQ(challenge.body.at("expires_in_seconds").to_number<std::int64_t>(), 120);

    const std::string body = presentation(challenge);
    const Reply verified = call("POST", "/api/v1/auth/verifications", body);
    ASSERT_EQ(verified.status, 200u) << verified.raw;
    EXPECT_EQ(verified.body.at("loa").as_string(), "high");
    EXPECT_FALSE(verified.body.at("chip_authenticated").as_bool());

    // The JWKS is public: no client certificate.
    const Reply jwks = call("GET", "/.well-known/jwks.json", {}, false);
    ASSERT_EQ(jwks.status, 200u) << jwks.raw;
    const auth::Jwks keys = auth::Jwks::parse(jwks.raw);
    EXPECT_EQ(keys.keys.size(), 2u);  // current and retired
    const auto assertion = auth::verify_assertion(json::value_to<std::string>(verified.body.at("assertion")), keys,
                                                  "bank-01", auth::system_clock()(), kIssuer);
    EXPECT_EQ(assertion.claims.at("name").as_string(), sample().citizen.person.full_name);
    EXPECT_EQ(assertion.claims.at("challenge_id"), challenge.body.at("challenge_id"));
    EXPECT_FALSE(assertion.claims.contains("personal_id"));  // not in bank-01's scopes

    // The same presentation again: the challenge is spent.
    const Reply replay = call("POST", "/api/v1/auth/verifications", body);
    EXPECT_EQ(replay.status, 422u) << replay.raw;
    EXPECT_EQ(error_code(replay), "challenge_unknown");

    // Both verifications audited as the relying party, about the card, without the holder's name.
    std::vector<AuditEntry> verifications;
    for (const auto& e : audit_entries()) {
        if (e.action == "auth.verify") verifications.push_back(e);
        for (const auto* field : {&e.actor, &e.subject, &e.outcome, &e.detail}) {
            EXPECT_EQ(field->find(sample().citizen.person.full_name), std::string::npos) << *field;
        }
    }
    ASSERT_EQ(verifications.size(), 2u);
    EXPECT_EQ(verifications[0].actor, "rp:bank-01");
    EXPECT_EQ(verifications[0].subject, card_number_);
    EXPECT_EQ(verifications[0].outcome, "ok");
    EXPECT_EQ(verifications[1].actor, "rp:bank-01");
    EXPECT_EQ(verifications[1].outcome, "challenge_unknown");

    // Counted per party and outcome, the refusal by its code.
    EXPECT_EQ(metric(R"(cccd_auth_verifications_total{relying_party="bank-01",outcome="ok"})"), 1);
    EXPECT_EQ(metric(R"(cccd_auth_verifications_total{relying_party="bank-01",outcome="refused"})"), 1);
    EXPECT_EQ(metric(R"(cccd_auth_refusals_total{code="challenge_unknown"})"), 1);

    // The server's log names the party on its calls and nobody on the JWKS; nothing of the card or holder.
    const auto lines = log_.requests(4);
    ASSERT_EQ(lines.size(), 4u) << log_.text();
    const char* routes[] = {"/api/v1/auth/challenges", "/api/v1/auth/verifications", "/.well-known/jwks.json",
                            "/api/v1/auth/verifications"};
    for (std::size_t i = 0; i < lines.size(); ++i) {
        EXPECT_EQ(lines[i].at("route").as_string(), routes[i]);
        if (i == 2) EXPECT_TRUE(lines[i].at("actor").is_null());
        else EXPECT_EQ(lines[i].at("actor").as_string(), "rp:bank-01");
    }
    const std::string text = log_.text();
    for (const std::string& secret : {sample().citizen.person.full_name, sample().citizen.person.personal_id,
                                      sample().citizen.person.personal_id.substr(3), card_number_,
                                      json::value_to<std::string>(verified.body.at("assertion")).substr(0, 40),
                                      json::value_to<std::string>(challenge.body.at("nonce"))})
        EXPECT_EQ(text.find(secret), std::string::npos) << "in the log: " << secret;
}

TEST_F(AuthApi, TheLeanFormOfAPinnedCardIsVerifiedAndAuditedTheSameWay) {
    const Reply challenge = call("POST", "/api/v1/auth/challenges");
    ASSERT_EQ(challenge.status, 201u) << challenge.raw;
    json::object lean = json::parse(presentation(challenge)).as_object();
    lean["files"] = json::object{{"DG15", lean.at("files").at("DG15")}};
    const Reply verified = call("POST", "/api/v1/auth/verifications", json::serialize(lean));
    ASSERT_EQ(verified.status, 200u) << verified.raw;
    EXPECT_EQ(verified.body.at("loa").as_string(), "high");
    const auto assertion = auth::verify_assertion(json::value_to<std::string>(verified.body.at("assertion")),
                                                  auth::Jwks::parse(call("GET", "/.well-known/jwks.json", {}, false).raw),
                                                  "bank-01", auth::system_clock()(), kIssuer);
    EXPECT_EQ(assertion.claims.at("name").as_string(), sample().citizen.person.full_name);
    const auto entries = audit_entries();
    ASSERT_FALSE(entries.empty());
    EXPECT_EQ(entries.back().action, "auth.verify");
    EXPECT_EQ(entries.back().subject, card_number_);
    EXPECT_EQ(entries.back().outcome, "ok");

    // A lean form with another key gets the answer an unregistered card gets.
    const Reply second = call("POST", "/api/v1/auth/challenges");
    json::object foreign = json::parse(presentation(second)).as_object();
    Bytes other_key = sample().card.files.at("DG15");
    other_key.back() ^= 0x01;
    foreign["files"] = json::object{{"DG15", base64_encode(other_key)}};
    const Reply refused = call("POST", "/api/v1/auth/verifications", json::serialize(foreign));
    EXPECT_EQ(refused.status, 422u) << refused.raw;
    EXPECT_EQ(error_code(refused), "card_unknown");
}

TEST_F(AuthApi, NoAssertionLeavesWhenItsAuditEntryCannotBeWritten) {
    const Reply challenge = call("POST", "/api/v1/auth/challenges");
    ASSERT_EQ(challenge.status, 201u) << challenge.raw;
    audit_storage_->writes_fail = true;
    const Reply refused = call("POST", "/api/v1/auth/verifications", presentation(challenge));
    EXPECT_EQ(refused.status, 503u) << refused.raw;
    EXPECT_EQ(error_code(refused), "service_unavailable");
    EXPECT_EQ(refused.raw.find("assertion"), std::string::npos);
    EXPECT_EQ(refused.retry_after, "1");
    // Once the database writes again, a new presentation is answered with its assertion.
    audit_storage_->writes_fail = false;
    const Reply again = call("POST", "/api/v1/auth/challenges");
    const Reply accepted = call("POST", "/api/v1/auth/verifications", presentation(again));
    EXPECT_EQ(accepted.status, 200u) << accepted.raw;
}

TEST_F(AuthApi, OnlyARegisteredActiveCertificateIsARelyingParty) {
    Reply r = call("POST", "/api/v1/auth/challenges", {}, false);
    EXPECT_EQ(r.status, 403u) << r.raw;
    EXPECT_EQ(error_code(r), "relying_party_unknown");

    // A party id in the body means nothing: only the certificate counts.
    RelyingPartyRecord moved = party_;
    moved.certificate_sha256 = std::string(64, 'e');
    storage_->transaction([&](Transaction& t) { t.put_relying_party(moved); });
    r = call("POST", "/api/v1/auth/challenges", R"({"relying_party_id":"bank-01"})");
    EXPECT_EQ(r.status, 403u) << r.raw;
    EXPECT_EQ(error_code(r), "relying_party_unknown");
    r = call("POST", "/api/v1/auth/verifications", "{}");
    EXPECT_EQ(r.status, 403u) << r.raw;
    EXPECT_EQ(error_code(r), "relying_party_unknown");

    // Deactivated: unknown at once.
    RelyingPartyRecord inactive = party_;
    inactive.active = false;
    storage_->transaction([&](Transaction& t) { t.put_relying_party(inactive); });
    r = call("POST", "/api/v1/auth/challenges");
    EXPECT_EQ(r.status, 403u) << r.raw;

    const auto entries = audit_entries();
    ASSERT_FALSE(entries.empty());
    EXPECT_EQ(entries.back().action, "auth.verify");
    EXPECT_EQ(entries.back().outcome, "relying_party_unknown");
    EXPECT_EQ(entries.back().actor.rfind("certificate:", 0), 0u) << entries.back().actor;
    EXPECT_EQ(metric(R"(cccd_auth_refusals_total{code="relying_party_unknown"})"), 4);
    const auto lines = log_.requests(4);
    ASSERT_GE(lines.size(), 4u);
    for (std::size_t i = 0; i < 4; ++i) EXPECT_TRUE(lines[i].at("actor").is_null()) << "a party nobody authenticated";

    // A malformed body from a known party is a refusal too, not a server error.
    storage_->transaction([&](Transaction& t) { t.put_relying_party(party_); });
    r = call("POST", "/api/v1/auth/verifications", R"({"challenge_id": 5})");
    EXPECT_EQ(r.status, 422u) << r.raw;
    EXPECT_EQ(error_code(r), "input_invalid");
}

TEST_F(AuthApi, AnUnregisteredDocumentNumberAndAForeignSodGetTheSameAnswer) {
    // A caller must not learn from the answer whether a 9-digit document number has a card.
    Reply challenge = call("POST", "/api/v1/auth/challenges");
    ASSERT_EQ(challenge.status, 201u) << challenge.raw;
    json::value unregistered = json::parse(presentation(challenge));
    unregistered.as_object()["document_number"] = "999999999";
    const Reply no_card = call("POST", "/api/v1/auth/verifications", json::serialize(unregistered));

    challenge = call("POST", "/api/v1/auth/challenges");
    ASSERT_EQ(challenge.status, 201u) << challenge.raw;
    json::value foreign = json::parse(presentation(challenge));
    Bytes other_sod = sample().card.files.at("EF.SOD");
    other_sod.back() ^= 0x01;  // not the SOD pinned for this card
    foreign.at("files").as_object()["EF.SOD"] = base64_encode(other_sod);
    const Reply wrong_sod = call("POST", "/api/v1/auth/verifications", json::serialize(foreign));

    EXPECT_EQ(no_card.status, 422u) << no_card.raw;
    EXPECT_EQ(error_code(no_card), "card_unknown");
    EXPECT_EQ(wrong_sod.status, no_card.status);
    // The same answer but for each request's own id.
    auto without_request_id = [](json::value body) {
        body.at("error").as_object().erase("request_id");
        return json::serialize(body);
    };
    EXPECT_EQ(without_request_id(wrong_sod.body), without_request_id(no_card.body));
    // The audit log still tells the two apart.
    const auto entries = audit_entries();
    ASSERT_GE(entries.size(), 2u);
    EXPECT_EQ(entries[entries.size() - 2].outcome, "card_unknown");
    EXPECT_EQ(entries.back().outcome, "sod_mismatch");
    // So do the operator's counts (behind the scraper's token), per precise code.
    EXPECT_EQ(metric(R"(cccd_auth_refusals_total{code="card_unknown"})"), 1);
    EXPECT_EQ(metric(R"(cccd_auth_refusals_total{code="sod_mismatch"})"), 1);
    EXPECT_EQ(metric(R"(cccd_auth_verifications_total{relying_party="bank-01",outcome="refused"})"), 2);
}

// A card replaced by a renewal (its holder's newer card was activated) is refused with its own code,
// 422 as every card status, and audited with it.
TEST_F(AuthApi, AReplacedCardIsRefusedWithCardReplaced) {
    storage_->transaction([&](Transaction& t) {
        t.update_card_status(card_number_, CardStatus::Issued, CardStatus::Replaced, "2026-03-14T09:30:00Z");
    });
    const Reply challenge = call("POST", "/api/v1/auth/challenges");
    ASSERT_EQ(challenge.status, 201u) << challenge.raw;
    const Reply refused = call("POST", "/api/v1/auth/verifications", presentation(challenge));
    EXPECT_EQ(refused.status, 422u) << refused.raw;
    EXPECT_EQ(error_code(refused), "card_replaced");
    EXPECT_FALSE(refused.body.as_object().contains("assertion"));
    const auto entries = audit_entries();
    ASSERT_FALSE(entries.empty());
    EXPECT_EQ(entries.back().outcome, "card_replaced");
    EXPECT_EQ(metric(R"(cccd_auth_refusals_total{code="card_replaced"})"), 1);
}

TEST_F(AuthApi, APartyOverItsRateLimitGets429WithRetryAfter) {
    for (unsigned i = 0; i < party_.rate_limit_per_minute; ++i) {
        const Reply r = call("POST", "/api/v1/auth/challenges");
        ASSERT_EQ(r.status, 201u) << i << " " << r.raw;
    }
    Reply r = call("POST", "/api/v1/auth/challenges");
    EXPECT_EQ(r.status, 429u) << r.raw;
    EXPECT_EQ(error_code(r), "too_many_requests");
    EXPECT_FALSE(r.retry_after.empty());
    EXPECT_GE(std::stoi(r.retry_after), 1);
    // The limit is the party's, across both routes.
    r = call("POST", "/api/v1/auth/verifications", "{}");
    EXPECT_EQ(r.status, 429u) << r.raw;
    EXPECT_EQ(audit_entries().back().outcome, "too_many_requests");
    EXPECT_EQ(metric(R"(cccd_auth_refusals_total{code="too_many_requests"})"), 2);
    EXPECT_EQ(metric(R"(cccd_auth_verifications_total{relying_party="bank-01",outcome="refused"})"), 1);
    // The JWKS is not limited.
    EXPECT_EQ(call("GET", "/.well-known/jwks.json").status, 200u);
}

TEST_F(AuthApi, AnUnreachableChallengeStoreIs503NotARefusal) {
    const Reply challenge = call("POST", "/api/v1/auth/challenges");
    ASSERT_EQ(challenge.status, 201u) << challenge.raw;
    challenges_->broken = true;
    Reply r = call("POST", "/api/v1/auth/challenges");
    EXPECT_EQ(r.status, 503u) << r.raw;
    EXPECT_EQ(error_code(r), "service_unavailable");
    EXPECT_FALSE(r.retry_after.empty());
    r = call("POST", "/api/v1/auth/verifications", presentation(challenge));
    EXPECT_EQ(r.status, 503u) << r.raw;
    EXPECT_EQ(error_code(r), "service_unavailable");
    EXPECT_EQ(metric(R"(cccd_store_errors_total{store="challenge_store"})"), 2);
    EXPECT_EQ(metric(R"(cccd_auth_verifications_total{relying_party="bank-01",outcome="unavailable"})"), 1);
    EXPECT_EQ(metric(R"(cccd_auth_refusals_total{code="challenge_unknown"})"), 0) << "a failure is not a refusal";
    // Once it answers again, the challenge is still there: nothing was spent by the failure.
    challenges_->broken = false;
    r = call("POST", "/api/v1/auth/verifications", presentation(challenge));
    EXPECT_EQ(r.status, 200u) << r.raw;
}

}  // namespace
