// The station's offline queue and its delivery to the real issuance API over HTTPS (in process,
// SQLCipher): nothing is lost while the server is down, and each queued enrollment reaches the
// server exactly once, even when an answer is lost or another officer of the station resends it.
#include <gtest/gtest.h>

#include "card/crypto/hash.hpp"
#include "card/crypto/random.hpp"
#include "card/pa/certificate.hpp"
#include "server/api/issuance_api.hpp"
#include "server/http/server.hpp"
#include "server/http/tls.hpp"
#include "server/security/password.hpp"
#include "server/security/sodium.hpp"
#include "hardware/vcard/virtual_chip.hpp"
#include "station/core/delivery.hpp"
#include "station/core/issue_card.hpp"
#include "tests/fixtures/registry/issued_card.hpp"
#include "tests/fixtures/sample_card.hpp"
#include "tests/support/memory_signing_key.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/server_http/test_support.hpp"

namespace cccd::station {
namespace {

using namespace cccd::server;

Bytes jpeg(std::size_t size) {
    Bytes j = from_hex("FFD8FFC0000B08014000F0011100");
    j.resize(size, 0x5A);
    append(j, from_hex("FFD9"));
    return j;
}

class StationQueue : public ::testing::Test {
protected:
    void SetUp() override {
        StorageConfig c;
        c.kind = StorageKind::SqlCipher;
        c.location = dir_.file("server.db");
        c.key = SecretBytes(Bytes(32, 0x42));
        storage_ = open_storage(c);
        storage_->transaction([&](Transaction& t) {
            Citizen citizen = fixtures::citizen_record(citizen_, {});  // in the register, no card yet
            citizen.person.card_serial.reset();
            t.put_citizen(citizen);
            for (const char* officer : {"officer1", "officer2"}) {
                t.put_officer({officer, "Lê Văn Tám", Role::EnrollmentOfficer,
                               security::hash_password(SecretBytes(view(std::string("officer password")))), true});
            }
            t.put_station({"HCM-Q1-01", "Quận 1",
                           security::lower_hex(crypto::sha256(pa::certificate_to_der(tls_.client_certificate.get()))), true});
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
        http::HttpsServerOptions o;
        o.listen_port = port_;
        o.threads = 2;
        o.tls.certificate_chain_file = tls_.server_pem.string();
        o.tls.private_key = http::load_private_key_file(tls_.server_key_pem, SecretBytes(view(tls_.server_key_passphrase)));
        o.tls.client_ca_file = tls_.ca_pem.string();
        o.tls.require_client_certificate = false;
        server_ = std::make_unique<http::HttpsServer>(std::move(o), std::move(router));
        server_->start();
        port_ = server_->port();
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

    perso::EnrollmentRecord record() const {
        perso::EnrollmentRecord r = fixtures::enrollment_record(citizen_, photo_);
        r.person.card_serial.reset();
        return r;
    }

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

TEST_F(StationQueue, AnInvalidRecordIsRefusedInWordsAndNotQueued) {
    EnrollmentQueue queue(dir_.file("queue.db"), queue_key_);
    perso::EnrollmentRecord bad = record();
    bad.person.full_name.clear();
    EXPECT_THROW(queue.enqueue(bad), InvalidArgument);
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
    EXPECT_FALSE(down.stopped_because.empty());
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

TEST_F(StationQueue, AnExpiredSessionStopsTheRoundAndARefusedRecordIsSetAside) {
    EnrollmentQueue queue(dir_.file("queue.db"), queue_key_);
    IssuanceClient client(client_options());
    // Not logged in: the server answers 401 and the entry keeps waiting for a login.
    const QueuedEnrollment first = queue.enqueue(record());
    DeliveryReport report = deliver_waiting(queue, client);
    EXPECT_TRUE(report.needs_login);
    EXPECT_EQ(queue.find(first.id)->state, QueueState::Waiting);

    // A citizen the register does not have: refused (404), set aside, and the round goes on.
    perso::EnrollmentRecord stranger = record();
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
    struct Channel : session::CardChannel {
        vcard::VirtualChip& chip;
        explicit Channel(vcard::VirtualChip& c) : chip(c) {}
        Bytes transmit(ByteView c) override { return chip.process(c); }
        bool extended_length() const override { return true; }
    } channel(chip);
    IssueOptions options;
    options.transport_key = SecretBytes(ByteView(transport_key));
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

}  // namespace
}  // namespace cccd::station
