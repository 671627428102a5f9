// The issuance API end to end over HTTPS (TLS 1.3, station client certificates) against SQLCipher and
// against a PostgreSQL the test starts: login, lookup, enrollment, SOD signing of rebuilt data groups
// while a virtual chip is personalized, activation after the verified read-back, status changes; and
// each refusal with its own error, writing nothing: wrong role, expired session, replayed idempotency
// key with another body, oversized and malformed bodies, unknown station. The audit chain verifies.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <set>
#include <thread>

#include "base/encoding.hpp"
#include "card/lds/sod.hpp"
#include "card/pa/certificate.hpp"
#include "card/perso/personalizer.hpp"
#include "card/protocol/active_auth.hpp"
#include "crypto/hash.hpp"
#include "crypto/keys.hpp"
#include "identity/record_json.hpp"
#include "server/api/issuance_api.hpp"
#include "server/http/server.hpp"
#include "server/http/tls.hpp"
#include "server/population/population_file.hpp"
#include "server/security/password.hpp"
#include "tests/fixtures/profile_records.hpp"
#include "tests/fixtures/registry/issued_card.hpp"
#include "tests/fixtures/sample_card.hpp"
#include "tests/support/memory_signing_key.hpp"
#include "tests/support/postgres_fixture.hpp"
#include "tests/support/sqlcipher_config.hpp"
#include "tests/unit/server_http/test_support.hpp"
#include "vcard/chip_channel.hpp"
#include "vcard/virtual_chip.hpp"

using namespace cccd;
using namespace cccd::server;
namespace json = boost::json;
namespace fs = std::filesystem;
using http::testing::ClientOptions;
using http::testing::TestClient;

namespace {

const Bytes kTransportKey = from_hex("000102030405060708090A0B0C0D0E0F");

Bytes jpeg(std::size_t size) {
    Bytes j = from_hex("FFD8FFC0000B08014000F0011100");
    j.resize(size, 0x5A);
    append(j, from_hex("FFD9"));
    return j;
}

struct Reply {
    unsigned status = 0;
    json::value body;
    std::string raw;
    bool replayed = false;
};

class Backend {
public:
    virtual ~Backend() = default;
    virtual std::unique_ptr<Storage> open() = 0;
};

class SqlCipherBackend : public Backend {
public:
    SqlCipherBackend() : dir_(fs::temp_directory_path() / ("cccd-api-" + std::to_string(::getpid()) + "-" + std::to_string(++count_))) {
        fs::create_directories(dir_);
    }
    ~SqlCipherBackend() override { fs::remove_all(dir_); }
    std::unique_ptr<Storage> open() override {
        StorageConfig c = cccd::testing::sqlcipher_config((dir_ / "cccd.db").string());
        return open_storage(c);
    }

private:
    fs::path dir_;
    static inline int count_ = 0;
};

class PostgresBackend : public Backend {
public:
    PostgresBackend() : conninfo_(test::PostgresServer::shared().create_database()) {}
    std::unique_ptr<Storage> open() override {
        StorageConfig c;
        c.kind = StorageKind::Postgres;
        c.location = conninfo_;
        return open_storage(c);
    }

private:
    std::string conninfo_;
};

class IssuanceApi : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        if (GetParam() == "postgres") backend_ = std::make_unique<PostgresBackend>();
        else backend_ = std::make_unique<SqlCipherBackend>();
        storage_ = backend_->open();
        // The sample citizen renewing her card as a Căn cước in 2025 (this server issues no 2021 CCCD
        // unless configured to: profile_not_issued).
        citizen_ = fixtures::sample_citizen();
        citizen_.person.date_of_issue = "10/03/2025";
        storage_->transaction([&](Transaction& t) {
            Citizen c = fixtures::citizen_record(citizen_, {});  // in the register, no card yet
            c.person.card_serial.reset();
            t.put_citizen(c);
            t.put_officer({"officer1", "Lê Văn Tám", Role::EnrollmentOfficer,
                           security::hash_password(SecretBytes(view(std::string("officer one password")))), true});
            t.put_officer({"chief", "Phạm Thị Hoa", Role::Supervisor,
                           security::hash_password(SecretBytes(view(std::string("supervisor password")))), true});
            t.put_station({"HCM-Q1-01", "Quận 1", lower_hex(crypto::sha256(pa::certificate_to_der(tls_.client_certificate.get()))), true});
        });
        signer_.key = std::make_unique<cccd::testing::MemorySigningKey>(ds_pki_.ds.key.get());
        signer_.certificate = crypto::X509Ptr(X509_dup(ds_pki_.ds.cert.get()));
        audit_key_ = crypto::Ed25519KeyPair::generate();
        checkpointer_ = std::make_unique<AuditCheckpointer>(*storage_, audit_key_, 5, std::chrono::seconds(3600));
        anonymous_ = std::make_shared<AnonymousRefusals>(*storage_);
        start_server(security::SessionPolicy{});
        trust_.add_certificates(ds_pki_.csca.cert_der(), "test CSCA");
    }
    void TearDown() override {
        if (server_) server_->stop();
    }

    void start_server(security::SessionPolicy policy) {
        if (server_) server_->stop();
        sessions_ = std::make_unique<security::SessionManager>(std::make_shared<security::InMemorySessionStore>(), policy);
        server_ = make_server(*sessions_);
    }

    // A server over the shared storage with its own sessions: another instance behind the same database.
    std::unique_ptr<http::HttpsServer> make_server(security::SessionManager& sessions, issuance::IssuanceOptions options = {}) {
        http::Router router;
        api::IssuanceContext context{*storage_, sessions, &signer_, checkpointer_.get()};
        context.issuance_options = options;
        context.login_throttle = throttle_;
        context.password_verifier = verifier_;
        context.anonymous_refusals = anonymous_;
        api::add_issuance_routes(router, std::move(context));
        http::HttpsServerOptions o;
        o.listen_port = 0;
        o.threads = 4;
        o.tls.certificate_chain_file = tls_.server_pem.string();
        o.tls.private_key = http::load_private_key_file(tls_.server_key_pem, SecretBytes(view(tls_.server_key_passphrase)));
        o.tls.client_ca_file = tls_.ca_pem.string();
        o.tls.require_client_certificate = false;
        o.limits.max_body_bytes = 256 * 1024;
        auto server = std::make_unique<http::HttpsServer>(std::move(o), std::move(router));
        server->start();
        return server;
    }

    Reply call(const std::string& method, const std::string& target, const std::string& body = {},
               const std::string& key = {}, bool with_certificate = true, const std::string& token_override = "") {
        ClientOptions options;
        options.ca_file = tls_.ca_pem;
        if (with_certificate) {
            options.certificate_file = tls_.client_pem;
            options.key_file = tls_.client_key_pem;
        }
        TestClient client(options);
        EXPECT_FALSE(client.connect((target_ != nullptr ? target_ : server_.get())->port()));
        std::vector<std::pair<std::string, std::string>> headers;
        std::string token = token_override.empty() ? token_ : token_override;
        if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
        if (!key.empty()) headers.emplace_back("Idempotency-Key", key);
        auto response = client.request(method, target, body, "application/json", headers);
        Reply r;
        if (!response) return r;
        r.status = response->result_int();
        r.raw = response->body();
        if (!r.raw.empty()) {
            boost::system::error_code ec;
            r.body = json::parse(r.raw, ec);
        }
        r.replayed = response->find("Idempotent-Replay") != response->end();
        return r;
    }

    std::string error_code(const Reply& r) {
        if (!r.body.is_object() || !r.body.as_object().contains("error")) return "";
        return json::value_to<std::string>(r.body.at("error").at("code"));
    }

    void login(const std::string& officer, const std::string& password) {
        token_.clear();
        json::object o{{"officer_id", officer}, {"password", password}};
        Reply r = call("POST", "/api/v1/sessions", json::serialize(o));
        ASSERT_EQ(r.status, 201u) << r.raw;
        token_ = json::value_to<std::string>(r.body.at("token"));
    }

    std::string enrollment_body() {
        identity::EnrollmentRecord record = fixtures::enrollment_record(citizen_, photo_);
        record.person.card_serial.reset();
        json::object o;
        o["record"] = json::parse(identity::to_json(record));
        o["photo_jpeg"] = base64_encode(photo_);
        return json::serialize(o);
    }

    std::vector<AuditEntry> audit_entries() {
        return storage_->read([](Transaction& t) {
            auto last = t.last_audit();
            return last ? t.audit_range(1, last->sequence) : std::vector<AuditEntry>{};
        });
    }

    // The enrollment body with the record changed by `change`.
    std::string enrollment_body_with(const std::function<void(identity::EnrollmentRecord&)>& change, const Bytes& photo) {
        identity::EnrollmentRecord record = fixtures::enrollment_record(citizen_, photo);
        record.person.card_serial.reset();
        change(record);
        json::object o;
        o["record"] = json::parse(identity::to_json(record));
        o["photo_jpeg"] = base64_encode(photo);
        return json::serialize(o);
    }

    // Personalizes a chip for `enrolled` and activates the card; the activation's reply.
    Reply personalize_and_activate(const json::value& enrolled, const std::string& key) {
        vcard::VirtualChip chip(vcard::make_blank_chip(kTransportKey));
        perso::PersonalizationResult result = personalize(enrolled, chip);
        EXPECT_TRUE(result.issued);
        json::array checks;
        for (const auto& c : result.checks) checks.push_back({{"check", c.name}, {"verdict", std::string(pa::verdict_name(c.verdict))}});
        json::object activation{{"sod_digest", to_hex(crypto::sha256(result.sod))}, {"checks", checks}};
        const std::string card_number = json::value_to<std::string>(enrolled.at("card_number"));
        return call("POST", "/api/v1/cards/" + card_number + "/activate", json::serialize(activation), key);
    }

    std::size_t cards_of_citizen() {
        return storage_->read([&](Transaction& t) { return t.cards_of(citizen_.person.personal_id); }).size();
    }

    // Personalizes a blank virtual chip for the enrolled card: the SOD comes from the server.
    perso::PersonalizationResult personalize(const json::value& enrolled, vcard::VirtualChip& chip) {
        identity::EnrollmentRecord record = identity::parse_enrollment_record(json::serialize(enrolled.at("record")));
        if (identity::profile_of(record).enrollment.photo) record.photo_jpeg = photo_;
        std::string card_number = json::value_to<std::string>(enrolled.at("card_number"));
        vcard::ChipChannel channel(chip, /*extended_length=*/true);
        perso::PersonalizationOptions options;
        options.transport_key = cccd::perso::fixed_transport_key(SecretBytes(ByteView(kTransportKey)));
        options.trust = &trust_;
        options.sign_sod = [&](const perso::CardFiles& files) {
            json::object groups;
            for (const auto& [n, bytes] : files.data_groups) groups["DG" + std::to_string(n)] = base64_encode(bytes);
            json::object body{{"data_groups", groups}, {"chip_serial", to_hex(chip.contents().chip_serial)}};
            Reply r = call("POST", "/api/v1/cards/" + card_number + "/sod", json::serialize(body), "sod-" + card_number);
            if (r.status != 200) throw Error("SOD signing refused: " + r.raw);
            return base64_decode(json::value_to<std::string>(r.body.at("ef_sod")));
        };
        return perso::personalize(channel, record, options);
    }

    std::unique_ptr<Backend> backend_;
    std::unique_ptr<Storage> storage_;
    http::testing::TestPki tls_;
    fixtures::TestPki ds_pki_ = fixtures::make_test_pki();
    api::DocumentSigner signer_;
    crypto::Ed25519KeyPair audit_key_ = crypto::Ed25519KeyPair::generate();
    std::unique_ptr<AuditCheckpointer> checkpointer_;
    std::unique_ptr<security::SessionManager> sessions_;
    std::chrono::steady_clock::time_point throttle_now_ = std::chrono::steady_clock::time_point{} + std::chrono::hours(1000);
    std::shared_ptr<security::LoginThrottle> throttle_ =
        std::make_shared<security::LoginThrottle>(security::LoginThrottlePolicy{}, [this] { return throttle_now_; });
    std::function<bool(std::string_view, const SecretBytes&)> verifier_;  // null: Argon2id as served
    std::shared_ptr<AnonymousRefusals> anonymous_;                         // set in SetUp
    std::unique_ptr<http::HttpsServer> server_;
    http::HttpsServer* target_ = nullptr;  // where call() goes; null: server_
    fixtures::SampleCitizen citizen_;
    Bytes photo_ = jpeg(9000);
    pa::TrustStore trust_;
    std::string token_;
};

}  // namespace

TEST_P(IssuanceApi, TheWholeIssuanceFlowOverHttps) {
    login("officer1", "officer one password");
    Reply found = call("GET", "/api/v1/citizens/079303012345");
    ASSERT_EQ(found.status, 200u) << found.raw;
    EXPECT_EQ(json::value_to<std::string>(found.body.at("record").at("full_name")), "TRẦN THỊ MỸ DUYÊN");
    Reply search = call("GET", "/api/v1/citizens?name=tran%20thi%20my");
    ASSERT_EQ(search.status, 200u) << search.raw;
    EXPECT_EQ(search.body.at("citizens").as_array().size(), 1u);

    Reply enrolled = call("POST", "/api/v1/enrollments", enrollment_body(), "enroll-1");
    ASSERT_EQ(enrolled.status, 201u) << enrolled.raw;
    std::string card_number = json::value_to<std::string>(enrolled.body.at("card_number"));
    EXPECT_EQ(json::value_to<std::string>(enrolled.body.at("document_number")), "303012345");
    EXPECT_EQ(json::value_to<std::string>(enrolled.body.at("record").at("card_serial")), card_number);

    // A network error made the station retry: the same answer, no second card.
    Reply again = call("POST", "/api/v1/enrollments", enrollment_body(), "enroll-1");
    EXPECT_EQ(again.status, 201u);
    EXPECT_TRUE(again.replayed);
    EXPECT_EQ(again.raw, enrolled.raw);
    EXPECT_EQ(cards_of_citizen(), 1u);

    vcard::VirtualChip chip(vcard::make_blank_chip(kTransportKey));
    perso::PersonalizationResult result = personalize(enrolled.body, chip);
    ASSERT_TRUE(result.issued);

    json::array checks;
    for (const auto& c : result.checks) checks.push_back({{"check", c.name}, {"verdict", std::string(pa::verdict_name(c.verdict))}});
    json::object activation{{"sod_digest", to_hex(crypto::sha256(result.sod))}, {"checks", checks}};
    Reply activated = call("POST", "/api/v1/cards/" + card_number + "/activate", json::serialize(activation), "activate-1");
    ASSERT_EQ(activated.status, 200u) << activated.raw;
    EXPECT_EQ(json::value_to<std::string>(activated.body.at("status")), "issued");

    Card card = *storage_->read([&](Transaction& t) { return t.get_card(card_number); });
    EXPECT_EQ(card.status, CardStatus::Issued);
    EXPECT_EQ(card.sod_digest, crypto::sha256(result.sod));
    EXPECT_EQ(card.active_auth_public_key, result.active_auth_public_key);
    EXPECT_EQ(card.chip_serial, chip.contents().chip_serial);

    // An officer may not suspend; a supervisor may; a lost report from suspended works; revoke is final.
    Reply refused = call("POST", "/api/v1/cards/" + card_number + "/suspend", "", "suspend-1");
    EXPECT_EQ(refused.status, 403u);
    EXPECT_EQ(error_code(refused), "forbidden_role");
    login("chief", "supervisor password");
    EXPECT_EQ(call("POST", "/api/v1/cards/" + card_number + "/suspend", "", "suspend-2").status, 200u);
    EXPECT_EQ(call("POST", "/api/v1/cards/" + card_number + "/report-lost", "", "lost-1").status, 200u);
    EXPECT_EQ(call("POST", "/api/v1/cards/" + card_number + "/revoke", "", "revoke-1").status, 200u);
    Reply late = call("POST", "/api/v1/cards/" + card_number + "/suspend", "", "suspend-3");
    EXPECT_EQ(late.status, 409u);
    EXPECT_EQ(error_code(late), "conflict");

    // Every call is in the chain, refusals included, and the chain and its checkpoints verify.
    crypto::PublicKeySet keys;
    crypto::add_public_key(keys, audit_key_.public_key());
    checkpointer_->checkpoint_now();
    AuditVerification audit = verify_audit(*storage_, keys);
    EXPECT_TRUE(audit.ok) << audit.problem;
    EXPECT_GE(audit.entries, 10u);
    EXPECT_EQ(audit.covered_up_to, audit.entries);
    auto entries = storage_->read([&](Transaction& t) { return t.audit_range(1, audit.entries); });
    bool refusal_logged = false;
    for (const auto& e : entries) {
        refusal_logged = refusal_logged || (e.action == "card.suspend" && e.outcome == "forbidden_role");
        EXPECT_EQ(e.detail.find("TRẦN"), std::string::npos) << "a name in the audit log";
    }
    EXPECT_TRUE(refusal_logged);
}

TEST_P(IssuanceApi, TheServerSignsOnlyTheDataGroupsOfItsOwnRecord) {
    login("officer1", "officer one password");
    Reply enrolled = call("POST", "/api/v1/enrollments", enrollment_body(), "enroll-2");
    ASSERT_EQ(enrolled.status, 201u) << enrolled.raw;
    std::string card_number = json::value_to<std::string>(enrolled.body.at("card_number"));
    identity::EnrollmentRecord record = identity::parse_enrollment_record(json::serialize(enrolled.body.at("record")));
    record.photo_jpeg = photo_;
    record.person.place_of_residence = "Số 1 Phố Huế, Hà Nội";  // not what was enrolled
    auto aa = protocol::encode_subject_public_key_info(crypto::generate_ec_key(crypto::EcGroup::by_parameter_id(13)));
    auto ca = protocol::encode_subject_public_key_info(crypto::generate_ec_key(crypto::EcGroup::by_parameter_id(13)));
    perso::CardFiles forged = perso::build_card_files(record, aa, ca);
    json::object groups;
    for (int n : {1, 2, 13, 14, 15}) groups["DG" + std::to_string(n)] = base64_encode(forged.data_groups.at(n));
    Reply r = call("POST", "/api/v1/cards/" + card_number + "/sod",
                   json::serialize(json::object{{"data_groups", groups}, {"chip_serial", "0102"}}), "sod-forged");
    EXPECT_EQ(r.status, 422u) << r.raw;
    EXPECT_EQ(error_code(r), "sod_mismatch");
    EXPECT_NE(r.raw.find("DG13"), std::string::npos) << r.raw;
    EXPECT_TRUE(storage_->read([&](Transaction& t) { return t.get_card(card_number); })->sod_digest.empty());
}

TEST_P(IssuanceApi, EachRefusalHasItsOwnErrorAndWritesNothing) {
    // Wrong password; unknown officer: one message for both.
    token_.clear();
    Reply wrong = call("POST", "/api/v1/sessions", R"({"officer_id": "officer1", "password": "guess"})");
    EXPECT_EQ(wrong.status, 401u);
    EXPECT_EQ(error_code(wrong), "unauthenticated");
    // A client without a station certificate.
    Reply stranger = call("POST", "/api/v1/sessions", R"({"officer_id": "officer1", "password": "officer one password"})",
                          "", false);
    EXPECT_EQ(stranger.status, 403u);
    EXPECT_EQ(error_code(stranger), "station_unknown");
    // No session; a made-up token.
    EXPECT_EQ(error_code(call("GET", "/api/v1/citizens/079303012345")), "unauthenticated");
    EXPECT_EQ(error_code(call("GET", "/api/v1/citizens/079303012345", "", "", true, "bm90IGEgdG9rZW4")), "session_expired");

    login("officer1", "officer one password");
    // No idempotency key; malformed JSON; unknown field; oversized body.
    EXPECT_EQ(error_code(call("POST", "/api/v1/enrollments", enrollment_body())), "idempotency_key_missing");
    Reply malformed = call("POST", "/api/v1/enrollments", "{\"record\": ", "bad-json");
    EXPECT_EQ(malformed.status / 100, 4u);
    EXPECT_FALSE(error_code(malformed).empty()) << malformed.raw;
    Reply unknown = call("POST", "/api/v1/enrollments", R"({"record": {}, "photo_jpeg": "", "extra": 1})", "unknown-field");
    EXPECT_EQ(unknown.status / 100, 4u) << unknown.raw;
    Reply huge = call("POST", "/api/v1/enrollments", std::string(300 * 1024, ' '), "huge");
    EXPECT_EQ(huge.status, 413u);
    EXPECT_EQ(error_code(huge), "payload_too_large");
    // An ID number that disagrees with the person.
    std::string body = enrollment_body();
    body.replace(body.find("079303012345"), 12, "079203012345");  // century/sex digit says male, 2000s
    Reply disagree = call("POST", "/api/v1/enrollments", body, "disagree");
    EXPECT_EQ(disagree.status, 422u) << disagree.raw;
    EXPECT_EQ(cards_of_citizen(), 0u);

    // The same key with another body.
    ASSERT_EQ(call("POST", "/api/v1/enrollments", enrollment_body(), "enroll-3").status, 201u);
    std::string other = enrollment_body();
    other.replace(other.find("Kinh"), 4, "Tày");
    Reply reused = call("POST", "/api/v1/enrollments", other, "enroll-3");
    EXPECT_EQ(reused.status, 422u);
    EXPECT_EQ(error_code(reused), "idempotency_key_reused");
    EXPECT_EQ(cards_of_citizen(), 1u);
    EXPECT_EQ(storage_->get_citizen("079303012345")->person.ethnicity, "Kinh");

    // An expired session.
    start_server(security::SessionPolicy{std::chrono::seconds(1), std::chrono::seconds(1)});
    login("officer1", "officer one password");
    std::this_thread::sleep_for(std::chrono::milliseconds(2100));
    Reply expired = call("GET", "/api/v1/citizens/079303012345");
    EXPECT_EQ(expired.status, 401u);
    EXPECT_EQ(error_code(expired), "session_expired");
}


// ---- issue 12: officers and sessions ----

TEST_P(IssuanceApi, ADisabledOfficersTokenIsRefusedAtOnceOnEveryInstance) {
    // Instance B: the same database, its own sessions (another process behind the load balancer).
    security::SessionManager sessions_b(std::make_shared<security::InMemorySessionStore>());
    auto server_b = make_server(sessions_b);
    login("officer1", "officer one password");
    const std::string token_a = token_;
    target_ = server_b.get();
    login("officer1", "officer one password");
    const std::string token_b = token_;
    ASSERT_EQ(call("GET", "/api/v1/citizens/079303012345").status, 200u);

    // The administrator disables the officer (what `admin officer disable` writes).
    storage_->transaction([&](Transaction& t) {
        auto officer = *t.get_officer("officer1");
        officer.active = false;
        t.put_officer(officer);
    });
    Reply on_b = call("POST", "/api/v1/enrollments", enrollment_body(), "after-disable-b");
    EXPECT_EQ(on_b.status, 401u) << on_b.raw;
    EXPECT_EQ(error_code(on_b), "session_expired");
    target_ = nullptr;
    Reply on_a = call("POST", "/api/v1/enrollments", enrollment_body(), "after-disable-a", true, token_a);
    EXPECT_EQ(on_a.status, 401u) << on_a.raw;
    EXPECT_EQ(cards_of_citizen(), 0u);
    server_b->stop();
}

TEST_P(IssuanceApi, ARoleChangeOrANewPasswordEndsTheOfficersSessions) {
    login("chief", "supervisor password");
    ASSERT_EQ(call("GET", "/api/v1/citizens/079303012345").status, 200u);
    storage_->transaction([&](Transaction& t) {
        auto officer = *t.get_officer("chief");
        officer.role = Role::EnrollmentOfficer;  // `admin officer role`
        t.put_officer(officer);
    });
    EXPECT_EQ(error_code(call("GET", "/api/v1/citizens/079303012345")), "session_expired");

    login("officer1", "officer one password");
    ASSERT_EQ(call("GET", "/api/v1/citizens/079303012345").status, 200u);
    storage_->transaction([&](Transaction& t) {
        auto officer = *t.get_officer("officer1");
        officer.password_hash = security::hash_password(SecretBytes(view(std::string("a brand new password"))));
        t.put_officer(officer);
    });
    EXPECT_EQ(error_code(call("GET", "/api/v1/citizens/079303012345")), "session_expired");
    login("officer1", "a brand new password");
    EXPECT_EQ(call("GET", "/api/v1/citizens/079303012345").status, 200u);
}

TEST_P(IssuanceApi, WrongPasswordsAreThrottledAndTheRightOneWaitsToo) {
    token_.clear();
    const std::string wrong = R"({"officer_id": "officer1", "password": "not the password"})";
    std::vector<unsigned> statuses;
    for (int i = 0; i < 30; ++i) statuses.push_back(call("POST", "/api/v1/sessions", wrong).status);
    EXPECT_EQ(std::count(statuses.begin(), statuses.begin() + 5, 401u), 5);
    EXPECT_EQ(std::count(statuses.begin() + 5, statuses.end(), 429u), 25);
    Reply right = call("POST", "/api/v1/sessions", R"({"officer_id": "officer1", "password": "officer one password"})");
    EXPECT_EQ(right.status, 429u) << right.raw;
    EXPECT_EQ(error_code(right), "too_many_failed_logins");
    bool locked_entry = false;
    for (const auto& e : audit_entries())
        locked_entry = locked_entry || (e.action == "session.login" && e.detail.find("locked") != std::string::npos);
    EXPECT_TRUE(locked_entry) << "the lock is in the audit log";

    throttle_now_ += std::chrono::minutes(16);
    login("officer1", "officer one password");  // the lock has run out
}

TEST_P(IssuanceApi, AnUnknownOfficerCostsOneArgon2idCheckLikeAWrongPassword) {
    // Every login checks exactly one Argon2id hash with the parameters real hashes use, whether the ID
    // exists, is disabled or the password is wrong: the time taken does not tell them apart.
    std::vector<std::string> checked;
    verifier_ = [&](std::string_view encoded, const SecretBytes& password) {
        checked.emplace_back(encoded.substr(0, encoded.find('$', encoded.find("p=")) ));
        return security::verify_password(encoded, password);
    };
    storage_->transaction([&](Transaction& t) {
        t.put_officer({"retired", "Đỗ Văn Hưu", Role::EnrollmentOfficer,
                       security::hash_password(SecretBytes(view(std::string("retired officer pw")))), false});
    });
    start_server(security::SessionPolicy{});
    token_.clear();
    const auto attempt = [&](const std::string& id, const std::string& password) {
        checked.clear();
        json::object o{{"officer_id", id}, {"password", password}};
        const Reply r = call("POST", "/api/v1/sessions", json::serialize(o));
        EXPECT_EQ(r.status, 401u) << id;
        EXPECT_EQ(r.raw.find(id), std::string::npos);
        return checked;
    };
    const auto wrong_password = attempt("officer1", "guess guess guess");
    const auto unknown = attempt("nobody", "guess guess guess");
    const auto disabled = attempt("retired", "retired officer pw");
    ASSERT_EQ(wrong_password.size(), 1u);
    EXPECT_EQ(unknown, wrong_password);
    EXPECT_EQ(disabled, wrong_password);
}

TEST_P(IssuanceApi, AFailedLoginWritesNoTypedTextIntoTheAuditLog) {
    token_.clear();
    using namespace std::string_literals;
    for (const std::string& typed : {"Mật khẩu cán bộ 2026!"s, "a\u0000b\u001b[31mc\u0007"s, "officer1"s}) {
        json::object o{{"officer_id", typed}, {"password", "wrong wrong wrong"}};
        EXPECT_EQ(call("POST", "/api/v1/sessions", json::serialize(o)).status, 401u);
    }
    std::vector<std::string> subjects;
    for (const auto& e : audit_entries()) {
        if (e.action != "session.login") continue;
        subjects.push_back(e.subject);
        for (const std::string* field : {&e.actor, &e.subject, &e.detail}) {
            EXPECT_EQ(field->find("Mật khẩu"), std::string::npos) << *field;
            for (char c : *field) EXPECT_GE(static_cast<unsigned char>(c), 0x20u) << "a control character in the audit log";
        }
    }
    ASSERT_EQ(subjects.size(), 3u);
    EXPECT_EQ(subjects[0].rfind("officer-attempt:", 0), 0u) << subjects[0];
    EXPECT_EQ(subjects[1].rfind("officer-attempt:", 0), 0u) << subjects[1];
    EXPECT_NE(subjects[0], subjects[1]);
    EXPECT_EQ(subjects[2], "officer:officer1");
}

// ---- issue 12: separation of duties for the register ----

TEST_P(IssuanceApi, AnEnrollmentLeavesTheRegisterAloneUntilItsCardIsActivated) {
    const Citizen before = *storage_->get_citizen("079303012345");
    login("officer1", "officer one password");
    const std::string body = enrollment_body_with(
        [](identity::EnrollmentRecord& r) { r.person.place_of_residence = "Số 9 Lý Thường Kiệt, Hoàn Kiếm, Hà Nội"; }, photo_);
    Reply enrolled = call("POST", "/api/v1/enrollments", body, "moved-1");
    ASSERT_EQ(enrolled.status, 201u) << enrolled.raw;
    EXPECT_EQ(json::value_to<std::string>(enrolled.body.at("status")), "personalizing");  // no identity change
    // Submitted, even SOD signed, but not activated: the register is what it was (an abandoned
    // enrollment changes nothing that relying parties are told).
    EXPECT_EQ(*storage_->get_citizen("079303012345"), before);

    ASSERT_EQ(personalize_and_activate(enrolled.body, "moved-activate").status, 200u);
    const Citizen after = *storage_->get_citizen("079303012345");
    EXPECT_EQ(after.person.place_of_residence, "Số 9 Lý Thường Kiệt, Hoàn Kiếm, Hà Nội");
    EXPECT_EQ(after.photo_jpeg, photo_);
}

TEST_P(IssuanceApi, AnIdentityChangeIsAppliedOnlyAfterASecondPersonApproves) {
    storage_->transaction([&](Transaction& t) {
        t.put_officer({"chief2", "Vũ Thị Lan", Role::Supervisor,
                       security::hash_password(SecretBytes(view(std::string("second supervisor pw")))), true});
    });
    const std::string old_name = storage_->get_citizen("079303012345")->person.full_name;
    login("officer1", "officer one password");
    const std::string renamed = enrollment_body_with([](identity::EnrollmentRecord& r) { r.person.full_name = "TRẦN THỊ MỸ DUYÊN ANH"; }, photo_);
    Reply enrolled = call("POST", "/api/v1/enrollments", renamed, "rename-1");
    ASSERT_EQ(enrolled.status, 201u) << enrolled.raw;
    EXPECT_EQ(json::value_to<std::string>(enrolled.body.at("status")), "awaiting_approval");
    EXPECT_EQ(enrolled.body.at("approval_required_for").as_array().size(), 1u);
    const std::string enrollment_id = json::value_to<std::string>(enrolled.body.at("enrollment_id"));
    const std::string card_number = json::value_to<std::string>(enrolled.body.at("card_number"));

    // Nothing is signed before the approval, and the submitting officer cannot approve.
    json::object groups;
    for (int n : {1, 2, 13, 14, 15}) groups["DG" + std::to_string(n)] = "AAAA";
    Reply unsigned_sod = call("POST", "/api/v1/cards/" + card_number + "/sod",
                              json::serialize(json::object{{"data_groups", groups}, {"chip_serial", "0102"}}), "sod-early");
    EXPECT_EQ(unsigned_sod.status, 409u) << unsigned_sod.raw;
    EXPECT_EQ(error_code(unsigned_sod), "approval_required");
    Reply self = call("POST", "/api/v1/enrollments/" + enrollment_id + "/approve", "", "approve-self");
    EXPECT_EQ(self.status, 403u) << self.raw;
    EXPECT_EQ(error_code(self), "forbidden_role");

    // A supervisor who submitted an enrollment cannot approve it either: a second person must.
    login("chief", "supervisor password");
    Reply own = call("POST", "/api/v1/enrollments", renamed, "rename-by-chief");
    ASSERT_EQ(own.status, 201u) << own.raw;
    Reply own_approval = call("POST", "/api/v1/enrollments/" + json::value_to<std::string>(own.body.at("enrollment_id")) + "/approve",
                              "", "approve-own");
    EXPECT_EQ(own_approval.status, 403u) << own_approval.raw;
    EXPECT_EQ(error_code(own_approval), "second_person_required");

    Reply pending = call("GET", "/api/v1/approvals");
    ASSERT_EQ(pending.status, 200u) << pending.raw;
    ASSERT_EQ(pending.body.at("approvals").as_array().size(), 2u);
    const auto& first = pending.body.at("approvals").as_array()[0].as_object();
    const auto& change = first.at("changes").as_array().at(0).as_object();
    EXPECT_EQ(change.at("field").as_string(), "full_name");
    EXPECT_EQ(change.at("registered").as_string(), old_name);
    EXPECT_EQ(change.at("submitted").as_string(), "TRẦN THỊ MỸ DUYÊN ANH");
    EXPECT_EQ(storage_->get_citizen("079303012345")->person.full_name, old_name);

    Reply approved = call("POST", "/api/v1/enrollments/" + enrollment_id + "/approve", "", "approve-1");
    ASSERT_EQ(approved.status, 200u) << approved.raw;
    EXPECT_EQ(storage_->get_citizen("079303012345")->person.full_name, old_name) << "approved, not yet activated";
    login("chief2", "second supervisor pw");
    EXPECT_EQ(call("POST", "/api/v1/enrollments/" + json::value_to<std::string>(own.body.at("enrollment_id")) + "/reject",
                   R"({"reason": "giấy tờ không khớp"})", "reject-1").status, 200u);
    EXPECT_EQ(storage_->read([&](Transaction& t) { return t.get_card(json::value_to<std::string>(own.body.at("card_number"))); })->status,
              CardStatus::Revoked);

    login("officer1", "officer one password");
    ASSERT_EQ(personalize_and_activate(enrolled.body, "rename-activate").status, 200u);
    EXPECT_EQ(storage_->get_citizen("079303012345")->person.full_name, "TRẦN THỊ MỸ DUYÊN ANH");
    EXPECT_EQ(storage_->read([&](Transaction& t) { return t.get_card(card_number); })->status, CardStatus::Issued);

    bool approval_audited = false;
    for (const auto& e : audit_entries())
        approval_audited = approval_audited || (e.action == "enrollment.approve" && e.outcome == "ok" &&
                                                e.actor == "officer:chief@station:HCM-Q1-01" &&
                                                e.detail.find("officer:officer1") != std::string::npos);
    EXPECT_TRUE(approval_audited);
}

TEST_P(IssuanceApi, ANewPhotoOfARegisteredFaceNeedsApprovalTheFirstPhotoDoesNot) {
    Bytes registered_photo = jpeg(7000);
    registered_photo[20] = 0x11;
    storage_->transaction([&](Transaction& t) {
        Citizen c = *t.get_citizen("079303012345");
        c.photo_jpeg = registered_photo;
        t.put_citizen(c);
    });
    login("officer1", "officer one password");
    Reply enrolled = call("POST", "/api/v1/enrollments", enrollment_body(), "photo-1");
    ASSERT_EQ(enrolled.status, 201u) << enrolled.raw;
    EXPECT_EQ(json::value_to<std::string>(enrolled.body.at("status")), "awaiting_approval");
    EXPECT_EQ(enrolled.body.at("approval_required_for").as_array().at(0).as_string(), "photo");
}

// ---- issue 12: what the register accepts ----

TEST_P(IssuanceApi, ImpossibleDatesAndHostileNamesAreRefusedAndNothingIsWritten) {
    login("officer1", "officer one password");
    Reply february = call("POST", "/api/v1/enrollments",
                          enrollment_body_with([](identity::EnrollmentRecord& r) { r.date_of_birth = "2003-02-30"; }, photo_), "feb-30");
    EXPECT_EQ(february.status, 422u) << february.raw;
    EXPECT_EQ(error_code(february), "validation_failed");
    for (const char* name : {"TRẦN THỊ \u202EMỸ", "TRẦN\u001b[2J THỊ", "TRẦN\u0007THỊ"}) {
        Reply hostile = call("POST", "/api/v1/enrollments",
                             enrollment_body_with([&](identity::EnrollmentRecord& r) { r.person.full_name = name; }, photo_),
                             "hostile-" + std::to_string(std::string(name).size()));
        EXPECT_EQ(hostile.status, 422u) << hostile.raw;
    }
    EXPECT_EQ(cards_of_citizen(), 0u);
}

TEST_P(IssuanceApi, TheCitizenSearchHasOneRuleAndOneMessageEach) {
    login("officer1", "officer one password");
    std::set<std::string> limit_messages;
    for (const char* limit : {"0", "-1", "51", "abc", "1e1", ""}) {
        Reply r = call("GET", std::string("/api/v1/citizens?name=tran&limit=") + limit);
        EXPECT_EQ(r.status, 400u) << limit << " " << r.raw;
        limit_messages.insert(json::value_to<std::string>(r.body.at("error").at("message")));
    }
    EXPECT_EQ(limit_messages, std::set<std::string>{"limit must be a whole number from 1 to 50"});
    for (const char* limit : {"1", "50"}) EXPECT_EQ(call("GET", std::string("/api/v1/citizens?name=tran&limit=") + limit).status, 200u);
    Reply long_name = call("GET", "/api/v1/citizens?name=" + std::string(101, 'a'));
    EXPECT_EQ(long_name.status, 400u);
    EXPECT_NE(long_name.raw.find("longer than 100 characters"), std::string::npos) << long_name.raw;
    Reply short_name = call("GET", "/api/v1/citizens?name=a");
    EXPECT_NE(short_name.raw.find("at least 2 letters"), std::string::npos) << short_name.raw;
}

// ---- issue 12: anonymous traffic ----

TEST_P(IssuanceApi, AThousandAnonymousRequestsAddABoundedNumberOfAuditEntries) {
    const std::size_t before = audit_entries().size();
    ClientOptions anonymous;
    anonymous.ca_file = tls_.ca_pem;
    std::size_t answered = 0;
    auto client = std::make_unique<TestClient>(anonymous);
    ASSERT_FALSE(client->connect(server_->port()));
    for (int i = 0; i < 1000; ++i) {
        auto response = i % 2 == 0 ? client->request("POST", "/api/v1/sessions", R"({"officer_id":"x","password":"y"})")
                                   : client->request("GET", "/api/v1/citizens/079303012345");
        if (!response) {  // the server may close a connection: open another
            client = std::make_unique<TestClient>(anonymous);
            ASSERT_FALSE(client->connect(server_->port()));
            continue;
        }
        ++answered;
        EXPECT_GE(response->result_int(), 400u);
    }
    EXPECT_GT(answered, 900u);
    // Meanwhile a station enrolls as usual.
    login("officer1", "officer one password");
    EXPECT_EQ(call("POST", "/api/v1/enrollments", enrollment_body(), "amid-the-flood").status, 201u);
    anonymous_->flush();
    std::size_t anonymous_entries = 0;
    for (const auto& e : audit_entries()) anonymous_entries += e.action == "refusals.anonymous" ? 1u : 0u;
    EXPECT_GE(anonymous_entries, 1u);
    EXPECT_LE(anonymous_entries, 2u);  // one per peer per minute (the minute may turn once)
    EXPECT_LE(audit_entries().size() - before, 2u + 3u);  // + the login, the enrollment and the flush's entries
}

namespace {

// A challenge store whose readiness the test decides.
class SwitchableChallengeStore final : public auth::ChallengeStore {
public:
    void put(const auth::Challenge&) override {}
    std::optional<auth::Challenge> take(std::string_view) override { return std::nullopt; }
    bool ping() override { return answers; }
    bool answers = true;
};

}  // namespace

TEST_P(IssuanceApi, ReadyOnlyWhenTheChallengeStoreAnswersToo) {
    SwitchableChallengeStore challenges;
    http::Router router;
    api::add_issuance_routes(router, api::IssuanceContext{*storage_, *sessions_, &signer_, nullptr, &challenges});
    auto readyz = [&] {
        http::Request request;
        request.method = "GET";
        request.target = request.path = "/readyz";
        return router.route(request);
    };
    EXPECT_EQ(readyz().status, 200u);
    challenges.answers = false;
    const http::Response refused = readyz();
    EXPECT_EQ(refused.status, 503u);
    EXPECT_NE(refused.body.find("challenge store"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, IssuanceApi, ::testing::Values("sqlcipher", "postgres"),
                         [](const ::testing::TestParamInfo<std::string>& backend) { return backend.param; });

// ---- card profiles and renewal (issue 17) ----

namespace {

std::string body_of(const identity::EnrollmentRecord& record, const Bytes& photo) {
    json::object o;
    o["record"] = json::parse(identity::to_json(record));
    if (!photo.empty()) o["photo_jpeg"] = base64_encode(photo);
    return json::serialize(o);
}

}  // namespace

// The 2021 CCCD is no longer issued: 422 profile_not_issued, audited, nothing written; a server
// configured with issuance_legacy_cccd_2021 issues it (for a demonstration of renewal).
TEST_P(IssuanceApi, TheTwentyTwentyOneCardIsRefusedUnlessTheServerIsConfiguredForIt) {
    login("officer1", "officer one password");
    identity::EnrollmentRecord old = fixtures::enrollment_record(fixtures::sample_citizen(), photo_);
    old.person.card_serial.reset();
    const Reply refused = call("POST", "/api/v1/enrollments", body_of(old, photo_), "enroll-2021");
    EXPECT_EQ(refused.status, 422u) << refused.raw;
    EXPECT_EQ(error_code(refused), "profile_not_issued");
    EXPECT_EQ(cards_of_citizen(), 0u);
    EXPECT_EQ(audit_entries().back().outcome, "profile_not_issued");

    auto legacy = make_server(*sessions_, issuance::IssuanceOptions{.legacy_cccd_2021 = true});
    target_ = legacy.get();
    const Reply enrolled = call("POST", "/api/v1/enrollments", body_of(old, photo_), "enroll-2021");
    ASSERT_EQ(enrolled.status, 201u) << enrolled.raw;
    EXPECT_EQ(json::value_to<std::string>(enrolled.body.at("record").at("card_profile")), "cccd-2021");
    const std::string number = json::value_to<std::string>(enrolled.body.at("card_number"));
    const Reply card = call("GET", "/api/v1/cards/" + number);
    EXPECT_EQ(json::value_to<std::string>(card.body.at("card_profile")), "cccd-2021");
    legacy->stop();
    target_ = nullptr;
}

// A child under 6: enrolled without a photo (none sent), her representative kept with the enrollment,
// her card signed without DG2 and activated.
TEST_P(IssuanceApi, AChildUnderSixIsEnrolledWithoutAPhotoAndHerCardIssuedWithoutDg2) {
    const identity::EnrollmentRecord child = fixtures::child_under_6_record();
    storage_->transaction([&](Transaction& t) { t.put_citizen(identity::citizen_of(child)); });
    login("officer1", "officer one password");
    const Reply with_photo = call("POST", "/api/v1/enrollments", body_of(child, photo_), "child-photo");
    EXPECT_EQ(with_photo.status, 422u) << with_photo.raw;
    EXPECT_EQ(error_code(with_photo), "validation_failed");
    EXPECT_EQ(json::value_to<std::string>(with_photo.body.at("error").at("message")),
              "Thẻ Căn cước (dưới 6 tuổi) không có ảnh chân dung");

    const Reply enrolled = call("POST", "/api/v1/enrollments", body_of(child, {}), "child-1");
    ASSERT_EQ(enrolled.status, 201u) << enrolled.raw;
    EXPECT_EQ(json::value_to<std::string>(enrolled.body.at("record").at("card_profile")), "cc-2024-u6");
    EXPECT_EQ(json::value_to<std::string>(enrolled.body.at("record").at("representative").at("relationship")), "Mẹ");
    const Reply activated = personalize_and_activate(enrolled.body, "child-activate");
    ASSERT_EQ(activated.status, 200u) << activated.raw;
    EXPECT_EQ(json::value_to<std::string>(activated.body.at("card_profile")), "cc-2024-u6");
    EXPECT_EQ(json::value_to<std::string>(activated.body.at("status")), "issued");
    const std::string number = json::value_to<std::string>(enrolled.body.at("card_number"));
    const Card card = *storage_->read([&](Transaction& t) { return t.get_card(number); });
    EXPECT_EQ(card.card_profile, "cc-2024-u6");
}

// Renewal of the 2021 CCCD into a Căn cước: activating the new card answers which cards it replaced,
// the old one is replaced in the registry, and the audit entry of the activation names it.
TEST_P(IssuanceApi, ActivatingARenewalReplacesTheOldCard) {
    login("officer1", "officer one password");
    identity::EnrollmentRecord old = fixtures::enrollment_record(fixtures::sample_citizen(), photo_);
    old.person.card_serial.reset();
    auto legacy = make_server(*sessions_, issuance::IssuanceOptions{.legacy_cccd_2021 = true});
    target_ = legacy.get();
    const Reply first = call("POST", "/api/v1/enrollments", body_of(old, photo_), "renew-old");
    ASSERT_EQ(first.status, 201u) << first.raw;
    const Reply first_activated = personalize_and_activate(first.body, "renew-old-activate");
    ASSERT_EQ(first_activated.status, 200u) << first_activated.raw;
    EXPECT_TRUE(first_activated.body.at("replaced_cards").as_array().empty());
    legacy->stop();
    target_ = nullptr;
    const std::string old_number = json::value_to<std::string>(first.body.at("card_number"));

    const Reply renewal = call("POST", "/api/v1/enrollments", enrollment_body(), "renew-new");
    ASSERT_EQ(renewal.status, 201u) << renewal.raw;
    EXPECT_EQ(json::value_to<std::string>(renewal.body.at("record").at("card_profile")), "cc-2024");
    const Reply activated = personalize_and_activate(renewal.body, "renew-new-activate");
    ASSERT_EQ(activated.status, 200u) << activated.raw;
    EXPECT_EQ(activated.body.at("replaced_cards"), json::value(json::array{json::value(old_number)}));
    const Reply old_card = call("GET", "/api/v1/cards/" + old_number);
    EXPECT_EQ(json::value_to<std::string>(old_card.body.at("status")), "replaced");
    const auto entries = audit_entries();
    bool named = false;
    for (const auto& e : entries) named = named || (e.action == "card.activate" && e.detail == "replaced card " + old_number);
    EXPECT_TRUE(named);
}
