// The station's offline queue and its delivery to the real issuance API over HTTPS (in process,
// SQLCipher): nothing is lost while the server is down, and each queued enrollment reaches the
// server exactly once, even when an answer is lost or another officer of the station resends it.
#include <gtest/gtest.h>

#include <regex>

#include "base/encoding.hpp"
#include "card/pa/certificate.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "db/sqlcipher.hpp"
#include "identity/record_json.hpp"
#include "identity/validity.hpp"
#include "server/api/issuance_api.hpp"
#include "server/http/server.hpp"
#include "server/http/tls.hpp"
#include "server/security/password.hpp"
#include "server/storage/sqlcipher_storage.hpp"
#include "station/core/delivery.hpp"
#include "station/core/issue_card.hpp"
#include "station/core/outcome.hpp"
#include "station/words/outcome_words.hpp"
#include "tests/fixtures/registry/issued_card.hpp"
#include "tests/fixtures/profile_records.hpp"
#include "tests/fixtures/sample_card.hpp"
#include "tests/support/memory_signing_key.hpp"
#include "tests/support/sqlcipher_config.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/server_http/test_support.hpp"
#include "vcard/chip_channel.hpp"
#include "vcard/virtual_chip.hpp"

namespace cccd::station {
namespace {

using namespace cccd::server;

Bytes jpeg(std::size_t size) {
    Bytes j = from_hex("FFD8FFC0000B08014000F0011100");
    j.resize(size, 0x5A);
    append(j, from_hex("FFD9"));
    return j;
}

template <typename Call>
std::string refusal_code(Call&& call) {
    try {
        call();
    } catch (const ServerRefusal& refusal) {
        return refusal.code();
    }
    return "no refusal";
}

class StationQueue : public ::testing::Test {
protected:
    void SetUp() override {
        StorageConfig c = cccd::testing::sqlcipher_config(dir_.file("server.db"));
        storage_ = open_storage(c);
        storage_->transaction([&](Transaction& t) {
            Citizen citizen = fixtures::citizen_record(citizen_, {});  // in the register, no card yet
            citizen.person.card_serial.reset();
            t.put_citizen(citizen);
            for (const auto& [officer, role] : {std::pair{"officer1", Role::EnrollmentOfficer}, std::pair{"officer2", Role::EnrollmentOfficer},
                                                std::pair{"chief1", Role::Supervisor}, std::pair{"chief2", Role::Supervisor}}) {
                t.put_officer({officer, "Lê Văn Tám", role, security::hash_password(SecretBytes(view(std::string("officer password")))), true});
            }
            t.put_station({"HCM-Q1-01", "Quận 1",
                           lower_hex(crypto::sha256(pa::certificate_to_der(tls_.client_certificate.get()))), true});
        });
        signer_.key = std::make_unique<testing::MemorySigningKey>(ds_pki_.ds.key.get());
        signer_.certificate = crypto::X509Ptr(X509_dup(ds_pki_.ds.cert.get()));
        trust_.add_certificates(ds_pki_.csca.cert_der(), "test CSCA");
        sessions_ = std::make_unique<security::SessionManager>(std::make_shared<security::InMemorySessionStore>());
        start_server();
    }
    void TearDown() override { stop_server(); }

    // On the same port each time: the station knows one address.
    void start_server() {
        http::Router router;
        api::add_issuance_routes(router, api::IssuanceContext{*storage_, *sessions_, &signer_, nullptr});
        server_ = std::make_unique<http::HttpsServer>(server_options(port_), std::move(router));
        server_->start();
        port_ = server_->port();
    }
    // The test PKI's server certificate; client certificates asked for, not required.
    http::HttpsServerOptions server_options(std::uint16_t port) const {
        http::HttpsServerOptions o;
        o.listen_port = port;
        o.threads = 2;
        o.tls.certificate_chain_file = tls_.server_pem.string();
        o.tls.private_key = http::load_private_key_file(tls_.server_key_pem, SecretBytes(view(tls_.server_key_passphrase)));
        o.tls.client_ca_file = tls_.ca_pem.string();
        o.tls.require_client_certificate = false;
        return o;
    }
    void stop_server() {
        if (server_) server_->stop();
        server_.reset();
    }

    net::HttpsClientOptions client_options() const {
        net::HttpsClientOptions o;
        o.server = {"127.0.0.1", port_};
        o.ca_file = tls_.ca_pem;
        o.certificate_file = tls_.client_pem;
        o.key_file = tls_.client_key_pem;
        o.connect_timeout = std::chrono::milliseconds(2000);
        o.io_timeout = std::chrono::milliseconds(5000);
        return o;
    }

    // The sample citizen renewing her card as a Căn cước: the server no longer issues the 2021 CCCD.
    identity::EnrollmentRecord record() const {
        identity::EnrollmentRecord r = fixtures::renewal_2024_record(photo_);
        r.person.card_serial.reset();
        return r;
    }

    std::string registered_name() { return storage_->get_citizen(citizen_.person.personal_id)->person.full_name; }

    std::vector<Card> cards_of_citizen() {
        return storage_->read([&](Transaction& t) { return t.cards_of(citizen_.person.personal_id); });
    }

    testing::TempDir dir_{"cccd-station"};
    http::testing::TestPki tls_;
    fixtures::SampleCitizen citizen_ = fixtures::sample_citizen();
    Bytes photo_ = jpeg(6000);
    SecretBytes queue_key_ = SecretBytes(crypto::random_bytes(32));
    fixtures::TestPki ds_pki_ = fixtures::make_test_pki();
    api::DocumentSigner signer_;
    pa::TrustStore trust_;
    std::unique_ptr<Storage> storage_;
    std::unique_ptr<security::SessionManager> sessions_;
    std::unique_ptr<http::HttpsServer> server_;
    std::uint16_t port_ = 0;
};

TEST_F(StationQueue, AQueuedEnrollmentSurvivesClosingTheStationAndTheWrongKeyIsRefused) {
    std::int64_t id = 0;
    {
        EnrollmentQueue queue(dir_.file("queue.db"), queue_key_);
        const QueuedEnrollment e = queue.enqueue(record());
        id = e.id;
        EXPECT_EQ(e.state, QueueState::Waiting);
        EXPECT_EQ(e.personal_id, citizen_.person.personal_id);
        EXPECT_GE(e.idempotency_key.size(), 16u);
    }
    EnrollmentQueue reopened(dir_.file("queue.db"), queue_key_);
    const auto waiting = reopened.waiting();
    ASSERT_EQ(waiting.size(), 1u);
    EXPECT_EQ(waiting[0].id, id);
    EXPECT_THROW(EnrollmentQueue(dir_.file("queue.db"), SecretBytes(crypto::random_bytes(32))), WrongKeyError);
}

TEST_F(StationQueue, AQueueFileFromBeforeApprovalsOpensWithItsEntriesAndKeepsTheirApprovalState) {
    {
        // The queue as the station made it before enrollments could await approval.
        auto db = db::open_sqlcipher(dir_.file("queue.db"), queue_key_);
        db->begin(false);
        db->execute_script(R"sql(
CREATE TABLE enrollment_queue (
    id INTEGER PRIMARY KEY AUTOINCREMENT, idempotency_key TEXT NOT NULL UNIQUE, personal_id TEXT NOT NULL,
    body TEXT NOT NULL, queued_at TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('waiting', 'delivered', 'refused')), attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '', card_number TEXT NOT NULL DEFAULT '', enrollment_id TEXT NOT NULL DEFAULT '');
INSERT INTO enrollment_queue (idempotency_key, personal_id, body, queued_at, state)
    VALUES ('enr-old', '079303012345', '{}', '2026-11-23T08:00:00Z', 'waiting');
)sql");
        db->commit();
    }
    EnrollmentQueue queue(dir_.file("queue.db"), queue_key_);
    const auto waiting = queue.waiting();
    ASSERT_EQ(waiting.size(), 1u);
    EXPECT_EQ(waiting[0].idempotency_key, "enr-old");
    EXPECT_TRUE(waiting[0].awaiting_approval_of.empty());
    queue.mark_delivered(waiting[0].id, "E0123456789abcdef", "0000000000000001", {"full_name", "photo"});
    EXPECT_EQ(queue.find(waiting[0].id)->awaiting_approval_of, (std::vector<std::string>{"full_name", "photo"}));
    queue.note_awaiting_approval(waiting[0].id, {});
    EXPECT_TRUE(queue.find(waiting[0].id)->awaiting_approval_of.empty());
    EnrollmentQueue again(dir_.file("queue.db"), queue_key_);  // opened twice: the column is added once
    EXPECT_EQ(again.all().size(), 1u);
}

TEST_F(StationQueue, AnInvalidRecordIsRefusedInWordsAndNotQueued) {
    EnrollmentQueue queue(dir_.file("queue.db"), queue_key_);
    identity::EnrollmentRecord bad = record();
    bad.person.full_name.clear();
    EXPECT_THROW(queue.enqueue(bad), InvalidArgument);
    EXPECT_TRUE(queue.all().empty());
}

// The card profile's rules, in identity's words, before anything is queued: a child under 6 has no
// photo and needs a legal representative; the expiry is the validity rule's.
TEST_F(StationQueue, ARecordThatDoesNotFitItsCardProfileIsRefusedInWordsAndNotQueued) {
    EnrollmentQueue queue(dir_.file("queue.db"), queue_key_);
    identity::EnrollmentRecord wrong_expiry = record();
    wrong_expiry.date_of_expiry = "2099-01-01";
    try {
        queue.enqueue(wrong_expiry);
        ADD_FAILURE() << "queued";
    } catch (const InvalidArgument& e) {
        EXPECT_NE(std::string(e.what()).find("Ngày hết hạn phải là"), std::string::npos) << e.what();
    }
    identity::EnrollmentRecord child = record();
    child.date_of_birth = "2023-02-10";
    child.person.date_of_birth = "10/02/2023";
    child.person.date_of_issue = "10/03/2025";
    child.date_of_expiry = "2037-02-10";
    child.person.date_of_expiry = "10/02/2037";
    try {
        queue.enqueue(child);
        ADD_FAILURE() << "queued";
    } catch (const InvalidArgument& e) {
        EXPECT_NE(std::string(e.what()).find("Thiếu người đại diện hợp pháp"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("không có ảnh chân dung"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(queue.all().empty());
}

TEST_F(StationQueue, WhileTheServerIsDownTheEnrollmentWaitsAndReachesItExactlyOnceAfterwards) {
    EnrollmentQueue queue(dir_.file("queue.db"), queue_key_);
    IssuanceClient client(client_options());
    client.login("officer1", "officer password");
    const QueuedEnrollment queued = queue.enqueue(record());

    stop_server();  // the network goes: the enrollment was already made
    DeliveryReport down = deliver_waiting(queue, client);
    EXPECT_EQ(down.delivered, 0);
    EXPECT_EQ(down.still_waiting, 1);
    ASSERT_TRUE(down.stopped);
    EXPECT_FALSE(down.stopped->detail.empty());
    EXPECT_EQ(queue.find(queued.id)->attempts, 1);
    EXPECT_TRUE(cards_of_citizen().empty());

    start_server();  // back (its sessions were kept: same session store)
    DeliveryReport up = deliver_waiting(queue, client);
    EXPECT_EQ(up.delivered, 1);
    EXPECT_EQ(up.still_waiting, 0);
    const auto delivered = queue.find(queued.id);
    ASSERT_EQ(delivered->state, QueueState::Delivered);
    const auto cards = cards_of_citizen();
    ASSERT_EQ(cards.size(), 1u);
    EXPECT_EQ(cards[0].card_number, delivered->card_number);
    EXPECT_EQ(cards[0].status, CardStatus::Personalizing);

    // Nothing is sent twice: another round has nothing to do.
    EXPECT_EQ(deliver_waiting(queue, client).delivered, 0);
    EXPECT_EQ(cards_of_citizen().size(), 1u);
}

TEST_F(StationQueue, AnAnswerLostOnTheWayIsAnsweredAgainWithTheSameCardEvenForAnotherOfficer) {
    EnrollmentQueue queue(dir_.file("queue.db"), queue_key_);
    const QueuedEnrollment queued = queue.enqueue(record());
    {
        // The first attempt reached the server, but the station never saw the answer.
        IssuanceClient first(client_options());
        first.login("officer1", "officer password");
        (void)first.submit_enrollment(queued.body, queued.idempotency_key);
    }
    ASSERT_EQ(cards_of_citizen().size(), 1u);
    const std::string card_number = cards_of_citizen()[0].card_number;

    IssuanceClient next_shift(client_options());
    next_shift.login("officer2", "officer password");
    const DeliveryReport report = deliver_waiting(queue, next_shift);
    EXPECT_EQ(report.delivered, 1);
    EXPECT_EQ(queue.find(queued.id)->card_number, card_number);
    EXPECT_EQ(cards_of_citizen().size(), 1u) << "the retry must not create a second card";
}

// Support finds a station's request in the server's log by its id: the station sends an id of its own
// with every request (the server adopts it), and a refusal carries the id the server logged it under.
TEST_F(StationQueue, EveryRequestCarriesAnIdOfItsOwnAndARefusalNamesTheIdTheServerLoggedItUnder) {
    // A server that answers with the X-Request-Id it was sent, as it arrived.
    http::Router router;
    router.add("GET", "/echo", [](const http::Request& r) {
        const auto sent = r.headers.find("x-request-id");
        return http::Response::text(200, sent == r.headers.end() ? std::string() : sent->second);
    });
    http::HttpsServer echo(server_options(0), std::move(router));
    echo.start();
    net::HttpsClientOptions options = client_options();
    options.server.port = echo.port();
    net::HttpsClient https(options);
    const net::HttpAnswer first = https.send("GET", "/echo");
    const net::HttpAnswer second = https.send("GET", "/echo");
    EXPECT_EQ(first.body, first.request_id);  // the id it reports is the id it sent
    EXPECT_TRUE(std::regex_match(first.request_id, std::regex("[A-Za-z0-9_-]{22}"))) << first.request_id;
    EXPECT_EQ(second.body, second.request_id);
    EXPECT_NE(first.request_id, second.request_id);
    const net::HttpAnswer given = https.send("GET", "/echo", {}, {{"X-Request-Id", "support-case-0042-retry-1"}});
    EXPECT_EQ(given.body, "support-case-0042-retry-1");
    EXPECT_EQ(given.request_id, "support-case-0042-retry-1");
    echo.stop();

    // A refusal of the issuance server: the id reaches what the station reports.
    IssuanceClient client(client_options());
    try {
        client.login("officer1", "a wrong password");
        FAIL() << "a wrong password was accepted";
    } catch (const ServerRefusal&) {
        const OperationFailure failure = failure_of(Operation::Login, std::current_exception());
        EXPECT_EQ(failure.code, Failure::WrongCredentials);
        EXPECT_TRUE(std::regex_match(failure.request_id, std::regex("[A-Za-z0-9_-]{22}"))) << failure.request_id;
    }
}

TEST_F(StationQueue, AnExpiredSessionStopsTheRoundAndARefusedRecordIsSetAside) {
    EnrollmentQueue queue(dir_.file("queue.db"), queue_key_);
    IssuanceClient client(client_options());
    // Not logged in: the server answers 401 and the entry keeps waiting for a login.
    const QueuedEnrollment first = queue.enqueue(record());
    DeliveryReport report = deliver_waiting(queue, client);
    EXPECT_TRUE(report.needs_login());
    EXPECT_EQ(queue.find(first.id)->state, QueueState::Waiting);

    // A citizen the register does not have: refused (404), set aside, and the round goes on.
    identity::EnrollmentRecord stranger = record();
    stranger.person.personal_id = "079303099999";
    const QueuedEnrollment unknown = queue.enqueue(stranger);
    client.login("officer1", "officer password");
    report = deliver_waiting(queue, client);
    EXPECT_EQ(report.delivered, 1);
    EXPECT_EQ(report.refused, 1);
    EXPECT_EQ(queue.find(unknown.id)->state, QueueState::Refused);
    EXPECT_NE(queue.find(unknown.id)->last_error.find("not_found"), std::string::npos);
    EXPECT_EQ(queue.find(first.id)->state, QueueState::Delivered);
}

TEST_F(StationQueue, TheOfficerFindsTheCitizenInTheRegisterByIdOrByNameWithoutDiacritics) {
    IssuanceClient client(client_options());
    EXPECT_THROW(client.find_citizen(citizen_.person.personal_id), ServerRefusal);  // not logged in: 401
    client.login("officer1", "officer password");
    const auto found = client.find_citizen(citizen_.person.personal_id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->record.person.full_name, citizen_.person.full_name);
    EXPECT_EQ(found->record.date_of_birth, citizen_.date_of_birth);
    EXPECT_EQ(found->status, "active");
    EXPECT_FALSE(client.find_citizen("079303099999").has_value());

    const auto by_name = client.search_citizens("tran thi my");
    ASSERT_EQ(by_name.size(), 1u);
    EXPECT_EQ(by_name[0].record.person.personal_id, citizen_.person.personal_id);
    EXPECT_TRUE(client.search_citizens("Nguyễn Văn Không Có").empty());
}

TEST_F(StationQueue, ADeliveredEnrollmentIsPersonalizedWithTheServersSodAndActivated) {
    EnrollmentQueue queue(dir_.file("queue.db"), queue_key_);
    IssuanceClient client(client_options());
    client.login("officer1", "officer password");
    const QueuedEnrollment queued = queue.enqueue(record());
    EXPECT_THROW(server_record_of(queued), InvalidArgument);  // not delivered yet
    ASSERT_EQ(deliver_waiting(queue, client).delivered, 1);
    const QueuedEnrollment delivered = *queue.find(queued.id);

    const Bytes transport_key = from_hex("000102030405060708090A0B0C0D0E0F");
    vcard::VirtualChip chip(vcard::make_blank_chip(transport_key));
    vcard::ChipChannel channel(chip, /*extended_length=*/true);
    IssueOptions options;
    options.transport_key = cccd::perso::fixed_transport_key(SecretBytes(ByteView(transport_key)));
    options.trust = &trust_;
    std::vector<std::string> steps;
    options.on_step = [&](const perso::PersonalizationStep& step) { steps.push_back(step.name); };
    const IssueOutcome outcome = issue_card(channel, client, delivered, options);
    EXPECT_TRUE(outcome.issued());
    EXPECT_EQ(outcome.status, "issued");
    EXPECT_FALSE(steps.empty());

    const auto cards = cards_of_citizen();
    ASSERT_EQ(cards.size(), 1u);
    EXPECT_EQ(cards[0].status, CardStatus::Issued);
    EXPECT_EQ(cards[0].chip_serial, outcome.personalization.chip_serial);
    EXPECT_EQ(cards[0].sod_digest, crypto::sha256(outcome.personalization.sod));
}

TEST_F(StationQueue, AnIdentityChangeIsIssuedOnTheSameCardOnlyAfterAnotherOfficerApprovesIt) {
    const std::string old_name = registered_name();
    const std::string new_name = "TRẦN THỊ MỸ DUYÊN ANH";
    EnrollmentQueue queue(dir_.file("queue.db"), queue_key_);
    IssuanceClient officer(client_options());
    officer.login("officer1", "officer password");
    identity::EnrollmentRecord renamed = record();
    renamed.person.full_name = new_name;
    const QueuedEnrollment queued = queue.enqueue(renamed);

    // Delivered (the server has it; nothing to resend), waiting for a supervisor's approval.
    const DeliveryReport report = deliver_waiting(queue, officer);
    EXPECT_EQ(report.delivered, 1);
    EXPECT_EQ(report.awaiting_approval, 1);
    EXPECT_EQ(report.still_waiting, 0);
    const QueuedEnrollment delivered = *queue.find(queued.id);
    ASSERT_EQ(delivered.state, QueueState::Delivered);
    EXPECT_EQ(delivered.awaiting_approval_of, std::vector<std::string>{"full_name"});

    // Issuing stops at the SOD step, in the officer's words; the card stays blank and unlocked.
    const Bytes transport_key = from_hex("000102030405060708090A0B0C0D0E0F");
    vcard::VirtualChip chip(vcard::make_blank_chip(transport_key));
    vcard::ChipChannel channel(chip, /*extended_length=*/true);
    IssueOptions options;
    options.transport_key = cccd::perso::fixed_transport_key(SecretBytes(ByteView(transport_key)));
    options.trust = &trust_;
    std::string refused_in_words;
    try {
        (void)issue_card(channel, officer, delivered, options);
        ADD_FAILURE() << "the card was issued without the approval";
    } catch (const AwaitingApprovalError& e) {
        EXPECT_EQ(e.code(), "approval_required");
        refused_in_words = utf8(OutcomeWords::refusal(failure_of(Operation::Issue, std::current_exception())));
    }
    EXPECT_EQ(refused_in_words,
              "Hồ sơ thay đổi thông tin nhân thân (họ tên): chờ lãnh đạo phê duyệt trước khi cá nhân hoá thẻ");
    EXPECT_NE(chip.life_cycle(), perso::LifeCycle::Locked);
    ASSERT_EQ(cards_of_citizen().size(), 1u);
    EXPECT_EQ(cards_of_citizen()[0].status, CardStatus::Personalizing);
    EXPECT_EQ(registered_name(), old_name);

    // The enrollment officer has no approval queue and cannot decide.
    EXPECT_EQ(refusal_code([&] { (void)officer.list_approvals(); }), "forbidden_role");
    EXPECT_EQ(refusal_code([&] { (void)officer.approve_enrollment(delivered.enrollment_id, "approve-by-officer"); }), "forbidden_role");

    // A supervisor sees the register's value beside the submitted one, and approves.
    IssuanceClient supervisor(client_options());
    supervisor.login("chief1", "officer password");
    const auto pending = supervisor.list_approvals();
    ASSERT_EQ(pending.size(), 1u);
    EXPECT_EQ(pending[0].enrollment_id, delivered.enrollment_id);
    EXPECT_EQ(pending[0].card_number, delivered.card_number);
    EXPECT_EQ(pending[0].personal_id, citizen_.person.personal_id);
    EXPECT_EQ(pending[0].officer_id, "officer1");
    EXPECT_EQ(pending[0].station_id, "HCM-Q1-01");
    EXPECT_FALSE(pending[0].created_at.empty());
    EXPECT_FALSE(pending[0].submitted_by_you);
    ASSERT_EQ(pending[0].changes.size(), 1u);
    EXPECT_EQ(pending[0].changes[0].field, "full_name");
    EXPECT_EQ(pending[0].changes[0].registered, old_name);
    EXPECT_EQ(pending[0].changes[0].submitted, new_name);
    const ApprovalDecision approved = supervisor.approve_enrollment(delivered.enrollment_id, "approve-1");
    EXPECT_EQ(approved.status, "personalizing");
    EXPECT_EQ(approved.card_number, delivered.card_number);
    // The answer lost and the same request sent again: the same answer, not a conflict.
    EXPECT_EQ(supervisor.approve_enrollment(delivered.enrollment_id, "approve-1").status, "personalizing");
    EXPECT_TRUE(supervisor.list_approvals().empty());
    EXPECT_EQ(registered_name(), old_name) << "approved, but no card activated yet";

    // The same card, the same queue entry: issued; the register takes the new name on activation.
    const IssueOutcome outcome = issue_card(channel, officer, delivered, options);
    EXPECT_TRUE(outcome.issued());
    EXPECT_EQ(outcome.card_number, delivered.card_number);
    EXPECT_EQ(chip.life_cycle(), perso::LifeCycle::Locked);
    ASSERT_EQ(cards_of_citizen().size(), 1u);
    EXPECT_EQ(cards_of_citizen()[0].status, CardStatus::Issued);
    EXPECT_EQ(registered_name(), new_name);
    queue.note_awaiting_approval(delivered.id, {});
    EXPECT_TRUE(queue.find(delivered.id)->awaiting_approval_of.empty());
}

TEST_F(StationQueue, TheSubmitterCannotDecideOnTheirOwnChangeAndARejectedChangeIsNeverIssued) {
    EnrollmentQueue queue(dir_.file("queue.db"), queue_key_);
    IssuanceClient chief(client_options());
    chief.login("chief1", "officer password");
    identity::EnrollmentRecord renamed = record();
    renamed.person.full_name = "TRẦN THỊ MỸ DUYÊN ANH";
    renamed.date_of_birth = citizen_.date_of_birth.substr(0, 4) + "-01-02";
    // A new date of birth moves the expiry with it (the validity rule; the queue refuses any other).
    const identity::CardValidity validity = identity::card_validity(
        identity::profile_of(renamed).generation, renamed.date_of_birth, identity::iso_date(renamed.person.date_of_issue));
    renamed.date_of_expiry = identity::record_expiry(validity);
    renamed.person.date_of_expiry = identity::printed_expiry(validity);
    const QueuedEnrollment queued = queue.enqueue(renamed);
    ASSERT_EQ(deliver_waiting(queue, chief).awaiting_approval, 1);
    const QueuedEnrollment delivered = *queue.find(queued.id);
    EXPECT_EQ(delivered.awaiting_approval_of, (std::vector<std::string>{"full_name", "date_of_birth"}));

    const auto pending = chief.list_approvals();
    ASSERT_EQ(pending.size(), 1u);
    EXPECT_TRUE(pending[0].submitted_by_you);
    try {
        (void)chief.approve_enrollment(delivered.enrollment_id, "approve-own");
        ADD_FAILURE() << "the submitter approved their own change";
    } catch (const ServerRefusal& e) {
        EXPECT_EQ(e.code(), "second_person_required");
        EXPECT_EQ(e.http_status(), 403u);
        EXPECT_EQ(utf8(OutcomeWords::refusal(failure_of(Operation::Decide, std::current_exception()))),
                  "Cán bộ đã gửi hồ sơ không được tự phê duyệt: cần một lãnh đạo khác phê duyệt");
    }

    IssuanceClient other(client_options());
    other.login("chief2", "officer password");
    EXPECT_FALSE(other.list_approvals().at(0).submitted_by_you);
    const ApprovalDecision rejected = other.reject_enrollment(delivered.enrollment_id, "giấy tờ không khớp", "reject-1");
    EXPECT_EQ(rejected.status, "rejected");
    EXPECT_EQ(refusal_code([&] { (void)other.approve_enrollment(delivered.enrollment_id, "approve-late"); }), "conflict");
    ASSERT_EQ(cards_of_citizen().size(), 1u);
    EXPECT_EQ(cards_of_citizen()[0].status, CardStatus::Revoked);

    // Its card is never signed.
    const Bytes transport_key = from_hex("000102030405060708090A0B0C0D0E0F");
    vcard::VirtualChip chip(vcard::make_blank_chip(transport_key));
    vcard::ChipChannel channel(chip, /*extended_length=*/true);
    IssueOptions options;
    options.transport_key = cccd::perso::fixed_transport_key(SecretBytes(ByteView(transport_key)));
    options.trust = &trust_;
    EXPECT_EQ(refusal_code([&] { (void)issue_card(channel, chief, delivered, options); }), "conflict");
    EXPECT_NE(chip.life_cycle(), perso::LifeCycle::Locked);
}

TEST(DecisionKey, TheSameDecisionGetsTheSameKeyAndAnyOtherANewOne) {
    const std::string key = decision_idempotency_key("approve", "E0123456789abcdef", "chief1");
    EXPECT_EQ(key, decision_idempotency_key("approve", "E0123456789abcdef", "chief1"));
    EXPECT_TRUE(std::regex_match(key, std::regex("^[A-Za-z0-9_-]{1,128}$"))) << key;  // the server's rule
    EXPECT_NE(key, decision_idempotency_key("approve", "E0123456789abcdef", "chief2"));
    EXPECT_NE(key, decision_idempotency_key("approve", "E0123456789abcdee", "chief1"));
    EXPECT_NE(decision_idempotency_key("reject", "E0123456789abcdef", "chief1", "a"),
              decision_idempotency_key("reject", "E0123456789abcdef", "chief1", "b"));
}

}  // namespace
}  // namespace cccd::station
