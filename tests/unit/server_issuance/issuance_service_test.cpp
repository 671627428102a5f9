// The issuance core without HTTP: submit -> sign_sod -> activate on a real SQLCipher store with the
// test PKI, each refusal of sign_sod and activate with its own code (and nothing written), the
// approval rule (a second person, a supervisor), status changes and who may make them, the lookups,
// and the injected clock on every record the service stamps.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <set>

#include "card/lds/dg15.hpp"
#include "card/pa/certificate.hpp"
#include "card/pa/passive_auth.hpp"
#include "card/pa/trust_store.hpp"
#include "card/perso/card_files.hpp"
#include "card/protocol/active_auth.hpp"
#include "card/protocol/chip_auth.hpp"
#include "crypto/ec.hpp"
#include "crypto/hash.hpp"
#include "crypto/keys.hpp"
#include "server/issuance/service.hpp"
#include "identity/record_json.hpp"
#include "tests/fixtures/profile_records.hpp"
#include "tests/fixtures/registry/issued_card.hpp"
#include "tests/fixtures/sample_card.hpp"
#include "tests/fixtures/test_pki.hpp"
#include "tests/support/memory_signing_key.hpp"
#include "tests/support/sqlcipher_config.hpp"
#include "tests/support/temp_dir.hpp"

using namespace cccd;
using namespace cccd::server;
using namespace cccd::server::issuance;
using namespace std::chrono_literals;

namespace {

const std::string kId = "079303012345";

Bytes jpeg(std::size_t size, std::uint8_t fill = 0x5A) {
    Bytes j = from_hex("FFD8FFC0000B08014000F0011100");
    j.resize(size, fill);
    append(j, from_hex("FFD9"));
    return j;
}

Bytes ec_key_info(const crypto::EcGroup& group) {
    return protocol::encode_subject_public_key_info(crypto::generate_ec_key(group));
}

// A transaction that passes everything to the real one, but can hide the register's citizens or make
// every enrollment compare-and-set lose (another instance decided first).
class Interposed final : public Transaction {
public:
    explicit Interposed(Transaction& inner) : t_(inner) {}
    bool hide_citizens = false;
    bool lose_races = false;

    void put_citizen(const Citizen& c) override { t_.put_citizen(c); }
    std::optional<Citizen> get_citizen(std::string_view id) override {
        return hide_citizens ? std::nullopt : t_.get_citizen(id);
    }
    std::vector<Citizen> search_citizens_by_name(std::string_view q, std::size_t n) override { return t_.search_citizens_by_name(q, n); }
    std::uint64_t count_citizens() override { return t_.count_citizens(); }
    std::string allocate_card_number() override { return t_.allocate_card_number(); }
    void put_card(const Card& c) override { t_.put_card(c); }
    std::optional<Card> get_card(std::string_view n) override { return t_.get_card(n); }
    std::vector<Card> cards_of(std::string_view id) override { return t_.cards_of(id); }
    std::vector<Card> cards_by_document_number(std::string_view d) override { return t_.cards_by_document_number(d); }
    void update_card_status(std::string_view n, CardStatus e, CardStatus x, std::string_view at) override {
        t_.update_card_status(n, e, x, at);
    }
    void put_enrollment(const Enrollment& e) override { t_.put_enrollment(e); }
    std::optional<Enrollment> get_enrollment(std::string_view id) override { return t_.get_enrollment(id); }
    std::vector<Enrollment> enrollments_of(std::string_view id) override { return t_.enrollments_of(id); }
    std::vector<Enrollment> enrollments_with_status(EnrollmentStatus s, std::size_t n) override {
        return t_.enrollments_with_status(s, n);
    }
    void update_enrollment_status(std::string_view id, EnrollmentStatus e, EnrollmentStatus x) override {
        if (lose_races) throw StaleStateError("the enrollment's status changed");
        t_.update_enrollment_status(id, e, x);
    }
    void put_officer(const Officer& o) override { t_.put_officer(o); }
    std::optional<Officer> get_officer(std::string_view id) override { return t_.get_officer(id); }
    std::vector<Officer> list_officers() override { return t_.list_officers(); }
    void put_station(const Station& s) override { t_.put_station(s); }
    std::optional<Station> get_station(std::string_view id) override { return t_.get_station(id); }
    std::optional<Station> station_by_certificate(std::string_view h) override { return t_.station_by_certificate(h); }
    std::vector<Station> list_stations() override { return t_.list_stations(); }
    void put_relying_party(const RelyingPartyRecord& p) override { t_.put_relying_party(p); }
    std::optional<RelyingPartyRecord> get_relying_party(std::string_view id) override { return t_.get_relying_party(id); }
    std::optional<RelyingPartyRecord> relying_party_by_certificate(std::string_view h) override {
        return t_.relying_party_by_certificate(h);
    }
    std::vector<RelyingPartyRecord> list_relying_parties() override { return t_.list_relying_parties(); }
    void append_audit(const AuditEntry& e) override { t_.append_audit(e); }
    std::optional<AuditEntry> last_audit() override { return t_.last_audit(); }
    std::vector<AuditEntry> audit_range(std::uint64_t a, std::uint64_t b) override { return t_.audit_range(a, b); }
    void append_checkpoint(const AuditCheckpoint& c) override { t_.append_checkpoint(c); }
    std::optional<AuditCheckpoint> last_checkpoint() override { return t_.last_checkpoint(); }
    std::vector<AuditCheckpoint> checkpoints_from(std::uint64_t s) override { return t_.checkpoints_from(s); }
    std::optional<IdempotencyRecord> get_idempotency(std::string_view a, std::string_view k) override {
        return t_.get_idempotency(a, k);
    }
    void put_idempotency(const IdempotencyRecord& r) override { t_.put_idempotency(r); }
    std::uint64_t purge_idempotency_before(std::string_view at) override { return t_.purge_idempotency_before(at); }

private:
    Transaction& t_;
};

class IssuanceServiceTest : public ::testing::Test {
protected:
    // The test PKI: slow to make, shared.
    static const fixtures::TestPki& pki() {
        static const fixtures::TestPki shared = fixtures::make_test_pki();
        return shared;
    }

    void SetUp() override {
        StorageConfig config = cccd::testing::sqlcipher_config(dir_.file("cccd.db"));
        storage_ = open_storage(config);
        storage_->transaction([&](Transaction& t) {
            Citizen c = fixtures::citizen_record(citizen_, {});  // in the register, no card, no photo yet
            c.person.card_serial.reset();
            t.put_citizen(c);
        });
        signer_.key = std::make_unique<cccd::testing::MemorySigningKey>(pki().ds.key.get());
        signer_.certificate = crypto::X509Ptr(X509_dup(pki().ds.cert.get()));
        service_ = std::make_unique<IssuanceService>(*storage_, &signer_, [this] { return now_; });
    }

    identity::EnrollmentRecord record(const std::function<void(identity::EnrollmentRecord&)>& change = {}) {
        identity::EnrollmentRecord r = fixtures::enrollment_record(citizen_, photo_);
        r.person.card_serial.reset();
        if (change) change(r);
        return r;
    }

    template <typename Work>
    auto in_transaction(Work&& work) {
        return storage_->transaction([&](Transaction& t) { return work(t); });
    }

    SubmittedEnrollment submit(const Actor& actor, const identity::EnrollmentRecord& r) {
        return in_transaction([&](Transaction& t) { return service_->submit_enrollment(t, actor, r); });
    }
    SubmittedEnrollment submit() { return submit(officer_, record()); }

    // What a station sends: the files built from the enrolled record around the chip's new keys.
    SodRequest sod_request(const SubmittedEnrollment& submitted) {
        const perso::CardFiles files = perso::build_card_files(record_of(submitted.enrollment), aa_key_, ca_key_);
        return {submitted.card.card_number, files.data_groups, from_hex("0102030405060708")};
    }
    SignedSod sign(const SodRequest& request, const Actor& actor) {
        return in_transaction([&](Transaction& t) { return service_->sign_sod(t, actor, request); });
    }
    SignedSod sign(const SodRequest& request) { return sign(request, officer_); }

    // The read-back a station reports after a clean personalization.
    static std::map<std::string, std::string> passed_readback() {
        std::map<std::string, std::string> verdicts;
        for (const std::string_view check : kEssentialReadbackChecks) verdicts[std::string(check)] = "PASS";
        verdicts["DS certificate trusted"] = "PASS";
        verdicts["Data matches the record: DG14"] = "NOT_CHECKED";
        return verdicts;
    }
    Card activate(const Activation& activation) { return activated(activation).card; }
    Activated activated(const Activation& activation, IssuanceService* service = nullptr) {
        IssuanceService& by = service != nullptr ? *service : *service_;
        return in_transaction([&](Transaction& t) { return by.activate(t, officer_, activation); });
    }
    // Submit, sign and activate `r` through `service` (the fixture's by default).
    Activated issue(const identity::EnrollmentRecord& r, IssuanceService* service = nullptr) {
        IssuanceService& by = service != nullptr ? *service : *service_;
        const SubmittedEnrollment submitted = in_transaction([&](Transaction& t) { return by.submit_enrollment(t, officer_, r); });
        const SodRequest request = sod_request(submitted);
        const SignedSod signed_sod = in_transaction([&](Transaction& t) { return by.sign_sod(t, officer_, request); });
        return activated({submitted.card.card_number, signed_sod.card.sod_digest, passed_readback()}, &by);
    }

    Card card(const std::string& number) { return *storage_->read([&](Transaction& t) { return t.get_card(number); }); }
    Enrollment enrollment(const std::string& id) { return *storage_->read([&](Transaction& t) { return t.get_enrollment(id); }); }

    // The refusal `work` ends in (a test failure when it does not refuse).
    static IssuanceRefusal refusal_of(const std::function<void()>& work) {
        try {
            work();
        } catch (const IssuanceRefusal& refusal) {
            return refusal;
        }
        ADD_FAILURE() << "no refusal";
        return IssuanceRefusal(IssuanceError::ForbiddenRole, "none");
    }
    static void expect_refusal(IssuanceError code, const std::function<void()>& work) {
        const IssuanceRefusal refusal = refusal_of(work);
        EXPECT_EQ(to_string(refusal.code()), to_string(code)) << refusal.what();
    }

    cccd::testing::TempDir dir_{"cccd-issuance"};
    std::unique_ptr<Storage> storage_;
    DocumentSigner signer_;
    std::chrono::system_clock::time_point now_ = std::chrono::sys_days{std::chrono::year{2026} / 3 / 14} + 9h + 30min;
    std::unique_ptr<IssuanceService> service_;
    // The sample citizen renewing her card as a Căn cước (cc-2024) in 2025: this server issues no 2021
    // CCCD unless configured to (profile_not_issued), so every test issues the 2024 card.
    fixtures::SampleCitizen citizen_ = [] {
        fixtures::SampleCitizen c = fixtures::sample_citizen();
        c.person.date_of_issue = "10/03/2025";
        return c;
    }();
    Bytes photo_ = jpeg(9000);
    Bytes aa_key_ = ec_key_info(crypto::EcGroup::by_parameter_id(13));
    Bytes ca_key_ = ec_key_info(crypto::EcGroup::by_parameter_id(13));
    const Actor officer_{"officer1", "HCM-Q1-01", Role::EnrollmentOfficer};
    const Actor chief_{"chief", "HCM-Q1-01", Role::Supervisor};
    const Actor chief2_{"chief2", "HN-HK-02", Role::Administrator};
};

}  // namespace

// ---- the happy path ----

TEST_F(IssuanceServiceTest, SubmitSignActivateIssuesTheCardAndOnlyThenTheRegisterTakesTheRecord) {
    const Citizen before = *storage_->get_citizen(kId);
    const auto moved = record([](identity::EnrollmentRecord& r) { r.person.place_of_residence = "Số 9 Lý Thường Kiệt, Hà Nội"; });

    const SubmittedEnrollment submitted = submit(officer_, moved);
    EXPECT_TRUE(submitted.approval_required_for.empty());  // an address and a first photo: no identity change
    EXPECT_EQ(submitted.enrollment.status, EnrollmentStatus::Personalizing);
    EXPECT_EQ(submitted.card.status, CardStatus::Personalizing);
    EXPECT_EQ(submitted.card.document_number, "303012345");
    EXPECT_EQ(submitted.card.date_of_issue, "2025-03-10");  // DG13's 10/03/2025
    EXPECT_EQ(submitted.card.date_of_expiry, "2028-05-14");
    EXPECT_EQ(submitted.card.card_profile, "cc-2024");
    EXPECT_EQ(record_of(submitted.enrollment).card_profile, "cc-2024") << "the stored record names its profile";
    EXPECT_EQ(submitted.card.station_id, "HCM-Q1-01");
    EXPECT_EQ(submitted.card.officer_id, "officer1");
    EXPECT_EQ(submitted.card.updated_at, "2026-03-14T09:30:00Z");  // the injected clock
    EXPECT_EQ(submitted.enrollment.created_at, "2026-03-14T09:30:00Z");
    EXPECT_EQ(record_of(submitted.enrollment).person.card_serial, submitted.card.card_number);
    EXPECT_EQ(submitted.audit_detail, "card " + submitted.card.card_number + " (cc-2024)");
    EXPECT_EQ(card(submitted.card.card_number), submitted.card);
    EXPECT_EQ(enrollment(submitted.enrollment.id), submitted.enrollment);

    now_ += 5min;
    const SodRequest request = sod_request(submitted);
    const SignedSod signed_sod = sign(request);
    EXPECT_EQ(signed_sod.card.sod_digest, crypto::sha256(signed_sod.ef_sod));
    EXPECT_EQ(signed_sod.audit_detail, "SOD " + to_hex(ByteView(signed_sod.card.sod_digest).first(8)));
    // The SOD passes Passive Authentication over the data groups the station sent, under the test CSCA.
    pa::TrustStore trust;
    trust.add_certificates(pki().csca.cert_der(), "test CSCA");
    const pa::Report report = pa::verify(request.data_groups, signed_sod.ef_sod, trust,
                                         std::chrono::system_clock::to_time_t(now_));
    EXPECT_TRUE(report.passed());
    const Card pinned = card(submitted.card.card_number);
    EXPECT_EQ(pinned, signed_sod.card);
    EXPECT_EQ(pinned.active_auth_public_key, aa_key_);
    // As DG14 carries it: the curve spelled out (protocol::chip_auth::encode_chip_key).
    EXPECT_EQ(pinned.chip_auth_public_key, protocol::chip_auth::encode_chip_key(ca_key_));
    EXPECT_EQ(pinned.chip_serial, request.chip_serial);
    EXPECT_EQ(pinned.ds_certificate, pa::certificate_to_der(pki().ds.cert.get()));
    EXPECT_EQ(pinned.updated_at, "2026-03-14T09:35:00Z");
    EXPECT_EQ(*storage_->get_citizen(kId), before) << "signed, not activated: the register is untouched";

    now_ += 5min;
    const Card issued = activate({submitted.card.card_number, signed_sod.card.sod_digest, passed_readback()});
    EXPECT_EQ(issued.status, CardStatus::Issued);
    EXPECT_EQ(card(submitted.card.card_number), issued);
    EXPECT_EQ(issued.updated_at, "2026-03-14T09:40:00Z");
    EXPECT_EQ(enrollment(submitted.enrollment.id).status, EnrollmentStatus::Completed);
    const Citizen after = *storage_->get_citizen(kId);
    EXPECT_EQ(after.person.place_of_residence, "Số 9 Lý Thường Kiệt, Hà Nội");
    EXPECT_EQ(after.photo_jpeg, photo_);
    EXPECT_EQ(after.updated_at, "2026-03-14T09:40:00Z");

    const CitizenFile file = service_->lookup_citizen(officer_, kId);
    ASSERT_EQ(file.cards.size(), 1u);
    EXPECT_EQ(file.cards[0], issued);
    EXPECT_EQ(service_->lookup_card(officer_, issued.card_number), issued);
    EXPECT_EQ(service_->search_citizens(officer_, "tran thi my", 5).size(), 1u);
}

// ---- submit_enrollment ----

TEST_F(IssuanceServiceTest, SubmitRefusesABrokenRecordAnUnknownAndADeceasedCitizenAndWritesNothing) {
    expect_refusal(IssuanceError::RecordInvalid, [&] { submit(officer_, record([](auto& r) { r.date_of_birth = "2003-02-30"; })); });
    expect_refusal(IssuanceError::RecordInvalid, [&] { service_->check_record(record([](auto& r) { r.person.full_name = "TRẦN\u0007THỊ"; })); });
    expect_refusal(IssuanceError::CitizenUnknown, [&] {
        // A valid ID number of a woman born in 2003 in Hà Nội, not in the register.
        submit(officer_, record([](auto& r) { r.person.personal_id = "001303012345"; }));
    });
    storage_->transaction([&](Transaction& t) {
        Citizen c = *t.get_citizen(kId);
        c.status = CitizenStatus::Deceased;
        t.put_citizen(c);
    });
    expect_refusal(IssuanceError::CitizenNotLiving, [&] { submit(); });
    EXPECT_TRUE(storage_->read([&](Transaction& t) { return t.cards_of(kId); }).empty());
}

// ---- sign_sod: one test per refusal ----

TEST_F(IssuanceServiceTest, SignSodWithoutADocumentSignerIsRefused) {
    const SubmittedEnrollment submitted = submit();
    IssuanceService unsigned_service(*storage_, nullptr, [this] { return now_; });
    expect_refusal(IssuanceError::SignerUnavailable, [&] { unsigned_service.check_signer(); });
    expect_refusal(IssuanceError::SignerUnavailable, [&] {
        in_transaction([&](Transaction& t) { return unsigned_service.sign_sod(t, officer_, sod_request(submitted)); });
    });
}

TEST_F(IssuanceServiceTest, SignSodForAnUnknownCardIsRefused) {
    SodRequest request = sod_request(submit());
    request.card_number = "0000000000000000";
    expect_refusal(IssuanceError::CardUnknown, [&] { sign(request); });
}

TEST_F(IssuanceServiceTest, SignSodForACardNoLongerBeingPersonalizedIsRefused) {
    const SubmittedEnrollment submitted = submit();
    const SignedSod signed_sod = sign(sod_request(submitted));
    activate({submitted.card.card_number, signed_sod.card.sod_digest, passed_readback()});
    const IssuanceRefusal refusal = refusal_of([&] { sign(sod_request(submitted)); });
    EXPECT_EQ(refusal.code(), IssuanceError::CardNotPersonalizing);
    EXPECT_STREQ(refusal.what(), "this card is issued, not being personalized");
    EXPECT_EQ(card(submitted.card.card_number).sod_digest, signed_sod.card.sod_digest) << "nothing signed again";
}

TEST_F(IssuanceServiceTest, SignSodForACardWithoutAnEnrollmentIsRefused) {
    const SubmittedEnrollment submitted = submit();
    SodRequest request = sod_request(submitted);
    request.card_number = storage_->transaction([&](Transaction& t) {
        Card orphan = submitted.card;
        orphan.card_number = t.allocate_card_number();
        t.put_card(orphan);
        return orphan.card_number;
    });
    expect_refusal(IssuanceError::EnrollmentMissing, [&] { sign(request); });
}

TEST_F(IssuanceServiceTest, SignSodBeforeTheApprovalOfAnIdentityChangeIsRefused) {
    const SubmittedEnrollment renamed = submit(officer_, record([](auto& r) { r.person.full_name = "TRẦN THỊ MỸ DUYÊN ANH"; }));
    EXPECT_EQ(renamed.enrollment.status, EnrollmentStatus::AwaitingApproval);
    expect_refusal(IssuanceError::ApprovalRequired, [&] { sign(sod_request(renamed)); });
    EXPECT_TRUE(card(renamed.card.card_number).sod_digest.empty());
}

TEST_F(IssuanceServiceTest, SignSodForAnEnrollmentNoLongerBeingPersonalizedIsRefused) {
    const SubmittedEnrollment submitted = submit();
    storage_->transaction([&](Transaction& t) {
        t.update_enrollment_status(submitted.enrollment.id, EnrollmentStatus::Personalizing, EnrollmentStatus::Completed);
    });
    const IssuanceRefusal refusal = refusal_of([&] { sign(sod_request(submitted)); });
    EXPECT_EQ(refusal.code(), IssuanceError::EnrollmentNotPersonalizing);
    EXPECT_STREQ(refusal.what(), "this card's enrollment is completed");
}

TEST_F(IssuanceServiceTest, SignSodWithUnreadableChipKeysIsRefused) {
    const SubmittedEnrollment submitted = submit();
    SodRequest garbled = sod_request(submitted);
    garbled.data_groups[15] = from_hex("6F03010203");
    expect_refusal(IssuanceError::ChipKeysUnreadable, [&] { sign(garbled); });
    SodRequest without_ca = sod_request(submitted);
    without_ca.data_groups[14] = from_hex("6E00");
    expect_refusal(IssuanceError::ChipKeysUnreadable, [&] { sign(without_ca); });
    EXPECT_TRUE(card(submitted.card.card_number).sod_digest.empty());
}

TEST_F(IssuanceServiceTest, SignSodWithAChipKeyOutsideThePolicyIsRefused) {
    const SubmittedEnrollment submitted = submit();
    aa_key_ = ec_key_info(crypto::EcGroup::by_name("P-256"));  // the chip made its AA key on the wrong curve
    const IssuanceRefusal refusal = refusal_of([&] { sign(sod_request(submitted)); });
    EXPECT_EQ(refusal.code(), IssuanceError::ChipKeyRejected);
    EXPECT_NE(std::string(refusal.what()).find("Active Authentication key"), std::string::npos) << refusal.what();
    EXPECT_TRUE(card(submitted.card.card_number).sod_digest.empty());
}

TEST_F(IssuanceServiceTest, SignSodOfDataGroupsOtherThanTheEnrolledRecordsIsRefused) {
    const SubmittedEnrollment submitted = submit();
    identity::EnrollmentRecord forged = record_of(submitted.enrollment);
    forged.person.place_of_residence = "Số 1 Phố Huế, Hà Nội";  // not what was enrolled
    SodRequest request = sod_request(submitted);
    request.data_groups = perso::build_card_files(forged, aa_key_, ca_key_).data_groups;
    const IssuanceRefusal refusal = refusal_of([&] { sign(request); });
    EXPECT_EQ(refusal.code(), IssuanceError::DataGroupMismatch);
    EXPECT_STREQ(refusal.what(), "DG13 is not the one the enrolled record gives: nothing was signed");
    // A data group left out is not one the record gives either.
    SodRequest missing = sod_request(submitted);
    missing.data_groups.erase(2);
    EXPECT_EQ(refusal_of([&] { sign(missing); }).code(), IssuanceError::DataGroupMismatch);
    EXPECT_TRUE(card(submitted.card.card_number).sod_digest.empty());
}

// ---- activate: one test per refusal ----

TEST_F(IssuanceServiceTest, ActivationAfterAFailedOrIncompleteReadBackIsRefused) {
    const SubmittedEnrollment submitted = submit();
    const SignedSod signed_sod = sign(sod_request(submitted));
    auto failed = passed_readback();
    failed["DS certificate trusted"] = "FAIL";
    EXPECT_STREQ(refusal_of([&] { activate({submitted.card.card_number, signed_sod.card.sod_digest, failed}); }).what(),
                 "the read-back failed: DS certificate trusted");
    for (const std::string_view essential : kEssentialReadbackChecks) {
        auto incomplete = passed_readback();
        incomplete[std::string(essential)] = "NOT_CHECKED";
        const IssuanceRefusal refusal = refusal_of([&] { activate({submitted.card.card_number, signed_sod.card.sod_digest, incomplete}); });
        EXPECT_EQ(refusal.code(), IssuanceError::ReadbackNotVerified);
        EXPECT_EQ(refusal.what(), "the read-back did not pass: " + std::string(essential));
        incomplete.erase(std::string(essential));
        expect_refusal(IssuanceError::ReadbackNotVerified, [&] { service_->check_readback(incomplete); });
    }
    EXPECT_EQ(card(submitted.card.card_number).status, CardStatus::Personalizing);
}

TEST_F(IssuanceServiceTest, ActivationOfAnUnknownCardIsRefused) {
    expect_refusal(IssuanceError::CardUnknown, [&] { activate({"0000000000000000", Bytes(32, 1), passed_readback()}); });
}

TEST_F(IssuanceServiceTest, ActivationOfACardNotBeingPersonalizedIsRefused) {
    const SubmittedEnrollment submitted = submit();
    const SignedSod signed_sod = sign(sod_request(submitted));
    const Activation activation{submitted.card.card_number, signed_sod.card.sod_digest, passed_readback()};
    activate(activation);
    expect_refusal(IssuanceError::CardNotPersonalizing, [&] { activate(activation); });
}

TEST_F(IssuanceServiceTest, ActivationOfACardWhoseSodWasNeverSignedIsRefused) {
    const SubmittedEnrollment submitted = submit();
    expect_refusal(IssuanceError::SodNotSigned, [&] { activate({submitted.card.card_number, Bytes(32, 1), passed_readback()}); });
}

TEST_F(IssuanceServiceTest, ActivationWithAnotherSodThanTheSignedOneIsRefused) {
    const SubmittedEnrollment submitted = submit();
    const SignedSod signed_sod = sign(sod_request(submitted));
    Bytes other = signed_sod.card.sod_digest;
    other[0] ^= 0x01;
    expect_refusal(IssuanceError::SodDigestMismatch, [&] { activate({submitted.card.card_number, other, passed_readback()}); });
    EXPECT_EQ(card(submitted.card.card_number).status, CardStatus::Personalizing);
}

TEST_F(IssuanceServiceTest, ActivationOfACardWithoutAnEnrollmentIsRefused) {
    const SubmittedEnrollment submitted = submit();
    const SignedSod signed_sod = sign(sod_request(submitted));
    const std::string orphan = storage_->transaction([&](Transaction& t) {
        Card c = signed_sod.card;
        c.card_number = t.allocate_card_number();
        t.put_card(c);
        return c.card_number;
    });
    expect_refusal(IssuanceError::EnrollmentMissing, [&] { activate({orphan, signed_sod.card.sod_digest, passed_readback()}); });
}

TEST_F(IssuanceServiceTest, ActivationOfACardWhoseEnrollmentIsNoLongerBeingPersonalizedIsRefused) {
    const SubmittedEnrollment submitted = submit();
    const SignedSod signed_sod = sign(sod_request(submitted));
    storage_->transaction([&](Transaction& t) {
        t.update_enrollment_status(submitted.enrollment.id, EnrollmentStatus::Personalizing, EnrollmentStatus::Rejected);
    });
    expect_refusal(IssuanceError::EnrollmentNotPersonalizing,
                   [&] { activate({submitted.card.card_number, signed_sod.card.sod_digest, passed_readback()}); });
    EXPECT_EQ(card(submitted.card.card_number).status, CardStatus::Personalizing);
}

TEST_F(IssuanceServiceTest, ActivationForACitizenWhoLeftTheRegisterIsRefusedAndItsFirstWritesRolledBack) {
    const SubmittedEnrollment submitted = submit();
    const SignedSod signed_sod = sign(sod_request(submitted));
    expect_refusal(IssuanceError::CitizenGone, [&] {
        storage_->transaction([&](Transaction& t) {
            Interposed gone(t);
            gone.hide_citizens = true;
            return service_->activate(gone, officer_, {submitted.card.card_number, signed_sod.card.sod_digest, passed_readback()});
        });
    });
    // The card was set issued and the enrollment completed before the register was read: both undone.
    EXPECT_EQ(card(submitted.card.card_number).status, CardStatus::Personalizing);
    EXPECT_EQ(enrollment(submitted.enrollment.id).status, EnrollmentStatus::Personalizing);
}

// ---- approvals: a second person ----

TEST_F(IssuanceServiceTest, AnIdentityChangeNeedsASupervisorOtherThanTheOfficerWhoSubmittedIt) {
    storage_->transaction([&](Transaction& t) {
        Citizen c = *t.get_citizen(kId);
        c.photo_jpeg = jpeg(7000, 0x11);  // a registered face: a new photo is a change
        t.put_citizen(c);
    });
    const auto renamed = record([](auto& r) { r.person.full_name = "TRẦN THỊ MỸ DUYÊN ANH"; });
    const SubmittedEnrollment by_officer = submit(officer_, renamed);
    EXPECT_EQ(by_officer.enrollment.status, EnrollmentStatus::AwaitingApproval);
    EXPECT_EQ(by_officer.approval_required_for, (std::vector<std::string>{"full_name", "photo"}));
    EXPECT_EQ(by_officer.audit_detail, "card " + by_officer.card.card_number + " (cc-2024); awaiting approval of full_name, photo");
    const SubmittedEnrollment by_chief = submit(chief_, renamed);

    // An enrollment officer may neither list nor decide.
    expect_refusal(IssuanceError::ForbiddenRole, [&] { service_->pending_approvals(officer_); });
    expect_refusal(IssuanceError::ForbiddenRole,
                   [&] { in_transaction([&](Transaction& t) { return service_->approve(t, officer_, by_officer.enrollment.id); }); });
    // The submitting supervisor may not decide on their own enrollment: the refusal names the citizen.
    const IssuanceRefusal own = refusal_of(
        [&] { in_transaction([&](Transaction& t) { return service_->approve(t, chief_, by_chief.enrollment.id); }); });
    EXPECT_EQ(own.code(), IssuanceError::SecondPersonRequired);
    EXPECT_EQ(own.subject(), kId);

    const auto pending = service_->pending_approvals(chief_);
    ASSERT_EQ(pending.size(), 2u);
    for (const auto& p : pending) {
        EXPECT_EQ(p.changes, (std::vector<std::string>{"full_name", "photo"}));
        EXPECT_EQ(p.submitted.person.full_name, "TRẦN THỊ MỸ DUYÊN ANH");
        ASSERT_TRUE(p.registered.has_value());
        EXPECT_EQ(p.registered->person.full_name, citizen_.person.full_name);
        EXPECT_EQ(p.submitted_by_actor, p.enrollment.id == by_chief.enrollment.id);
    }

    // Another supervisor approves one; an administrator rejects the other, whose card is revoked.
    const Decision approved =
        in_transaction([&](Transaction& t) { return service_->approve(t, chief_, by_officer.enrollment.id); });
    EXPECT_EQ(approved.enrollment.status, EnrollmentStatus::Personalizing);
    EXPECT_EQ(approved.audit_detail, "card " + by_officer.card.card_number +
                                         "; approved: full_name, photo; submitted by officer:officer1@station:HCM-Q1-01");
    const Decision rejected = in_transaction([&](Transaction& t) { return service_->reject(t, chief2_, by_chief.enrollment.id); });
    EXPECT_EQ(rejected.enrollment.status, EnrollmentStatus::Rejected);
    EXPECT_EQ(card(by_chief.card.card_number).status, CardStatus::Revoked);
    EXPECT_EQ(card(by_chief.card.card_number).updated_at, "2026-03-14T09:30:00Z");
    EXPECT_TRUE(service_->pending_approvals(chief2_).empty());

    // Decided once: not again; an unknown id is unknown.
    const IssuanceRefusal twice = refusal_of(
        [&] { in_transaction([&](Transaction& t) { return service_->reject(t, chief2_, by_officer.enrollment.id); }); });
    EXPECT_EQ(twice.code(), IssuanceError::EnrollmentNotAwaitingApproval);
    EXPECT_EQ(twice.subject(), kId);
    expect_refusal(IssuanceError::EnrollmentUnknown,
                   [&] { in_transaction([&](Transaction& t) { return service_->approve(t, chief_, "E0000000000000000"); }); });

    // The approved one is signed and activated: only then does the register take the new name.
    EXPECT_EQ(storage_->get_citizen(kId)->person.full_name, citizen_.person.full_name);
    const SignedSod signed_sod = sign(sod_request(by_officer));
    activate({by_officer.card.card_number, signed_sod.card.sod_digest, passed_readback()});
    EXPECT_EQ(storage_->get_citizen(kId)->person.full_name, "TRẦN THỊ MỸ DUYÊN ANH");
}

TEST_F(IssuanceServiceTest, ADecisionThatLosesARaceIsRefusedWithItsSubject) {
    const SubmittedEnrollment renamed = submit(officer_, record([](auto& r) { r.person.full_name = "TRẦN MỸ DUYÊN"; }));
    ASSERT_EQ(renamed.enrollment.status, EnrollmentStatus::AwaitingApproval);
    const IssuanceRefusal refusal = refusal_of([&] {
        storage_->transaction([&](Transaction& t) {
            Interposed raced(t);
            raced.lose_races = true;
            return service_->approve(raced, chief_, renamed.enrollment.id);
        });
    });
    EXPECT_EQ(refusal.code(), IssuanceError::DecidedMeanwhile);
    EXPECT_EQ(refusal.subject(), kId);
    EXPECT_EQ(enrollment(renamed.enrollment.id).status, EnrollmentStatus::AwaitingApproval);
}

// ---- status changes ----

TEST_F(IssuanceServiceTest, StatusChangesFollowTheCardsLifecycleAndTheRoles) {
    const SubmittedEnrollment submitted = submit();
    const std::string number = submitted.card.card_number;
    const auto change = [&](const Actor& actor, StatusChange c) {
        return in_transaction([&](Transaction& t) { return service_->change_status(t, actor, number, c); });
    };
    // Not yet issued: nothing to suspend or lose.
    EXPECT_STREQ(refusal_of([&] { change(chief_, StatusChange::Suspend); }).what(), "a card that is personalizing cannot become suspended");
    const SignedSod signed_sod = sign(sod_request(submitted));
    activate({number, signed_sod.card.sod_digest, passed_readback()});

    expect_refusal(IssuanceError::ForbiddenRole, [&] { change(officer_, StatusChange::Suspend); });
    expect_refusal(IssuanceError::ForbiddenRole, [&] { change(officer_, StatusChange::Revoke); });
    now_ += 1h;
    const Card suspended = change(chief_, StatusChange::Suspend);
    EXPECT_EQ(suspended.status, CardStatus::Suspended);
    EXPECT_EQ(card(number).updated_at, "2026-03-14T10:30:00Z");
    EXPECT_EQ(change(officer_, StatusChange::ReportLost).status, CardStatus::Lost);  // any officer may report a loss
    expect_refusal(IssuanceError::StatusChangeNotAllowed, [&] { change(chief_, StatusChange::Suspend); });
    EXPECT_EQ(change(chief2_, StatusChange::Revoke).status, CardStatus::Revoked);
    for (const StatusChange c : {StatusChange::Suspend, StatusChange::Revoke, StatusChange::ReportLost})
        expect_refusal(IssuanceError::StatusChangeNotAllowed, [&] { change(chief_, c); });
    EXPECT_EQ(card(number).status, CardStatus::Revoked);
    expect_refusal(IssuanceError::CardUnknown, [&] {
        in_transaction([&](Transaction& t) { return service_->change_status(t, chief_, "0000000000000000", StatusChange::Revoke); });
    });
}

// ---- who may do what, and the lookups ----

TEST_F(IssuanceServiceTest, OnlySupervisorsAndAdministratorsSuspendRevokeAndDecide) {
    for (const Operation op : {Operation::Lookup, Operation::SubmitEnrollment, Operation::SignSod, Operation::Activate,
                               Operation::ReportLost}) {
        for (const Role role : {Role::EnrollmentOfficer, Role::Supervisor, Role::Administrator}) EXPECT_TRUE(permitted(role, op));
    }
    for (const Operation op : {Operation::Suspend, Operation::Revoke, Operation::ListApprovals, Operation::Approve, Operation::Reject}) {
        EXPECT_FALSE(permitted(Role::EnrollmentOfficer, op));
        EXPECT_TRUE(permitted(Role::Supervisor, op));
        EXPECT_TRUE(permitted(Role::Administrator, op));
    }
    EXPECT_STREQ(refusal_of([&] { service_->authorize(officer_, Operation::Revoke); }).what(),
                 "only a supervisor or an administrator may do this");
}

TEST_F(IssuanceServiceTest, LookupsOfUnknownRecordsAreRefused) {
    expect_refusal(IssuanceError::CitizenUnknown, [&] { service_->lookup_citizen(officer_, "001303012345"); });
    expect_refusal(IssuanceError::CardUnknown, [&] { service_->lookup_card(officer_, "0000000000000000"); });
    EXPECT_TRUE(service_->lookup_citizen(officer_, kId).cards.empty());
    EXPECT_TRUE(service_->search_citizens(officer_, "nguyen", 5).empty());
}

TEST(IssuanceRefusals, EachCodeHasItsOwnName) {
    std::set<std::string_view> names;
    for (int e = 0; e <= static_cast<int>(IssuanceError::DecidedMeanwhile); ++e) names.insert(to_string(static_cast<IssuanceError>(e)));
    EXPECT_EQ(names.size(), static_cast<std::size_t>(IssuanceError::DecidedMeanwhile) + 1);
    EXPECT_FALSE(names.contains("unknown"));
}

// ---- card profiles and renewal (issue 17) ----

TEST_F(IssuanceServiceTest, TheTwentyTwentyOneCardIsNoLongerIssuedUnlessTheServerIsConfiguredFor) {
    // The sample citizen's own 2021 record: issued 01/07/2021, a CCCD.
    identity::EnrollmentRecord old = fixtures::enrollment_record(fixtures::sample_citizen(), photo_);
    old.person.card_serial.reset();
    const IssuanceRefusal refusal = refusal_of([&] { submit(officer_, old); });
    EXPECT_EQ(refusal.code(), IssuanceError::ProfileNotIssued);
    EXPECT_STREQ(refusal.what(), "Thẻ Căn cước công dân (mẫu 2021) không còn được cấp từ ngày 01/07/2024: cấp thẻ Căn cước");
    expect_refusal(IssuanceError::ProfileNotIssued, [&] { service_->check_record(old); });
    EXPECT_EQ(to_string(IssuanceError::ProfileNotIssued), "profile_not_issued");
    EXPECT_TRUE(storage_->read([&](Transaction& t) { return t.cards_of(kId); }).empty());
    // A record that also breaks a rule is record_invalid first.
    identity::EnrollmentRecord broken = old;
    broken.date_of_expiry = "2030-05-14";
    expect_refusal(IssuanceError::RecordInvalid, [&] { submit(officer_, broken); });

    IssuanceService legacy(*storage_, &signer_, [this] { return now_; }, IssuanceOptions{.legacy_cccd_2021 = true});
    const Activated issued = issue(old, &legacy);
    EXPECT_EQ(issued.card.card_profile, "cccd-2021");
    EXPECT_EQ(issued.card.date_of_issue, "2021-07-01");
    EXPECT_EQ(issued.card.status, CardStatus::Issued);
}

TEST_F(IssuanceServiceTest, AChildsCardWithoutAPhotoIsEnrolledSignedWithoutDg2AndIssued) {
    const identity::EnrollmentRecord child = fixtures::child_under_6_record();
    storage_->transaction([&](Transaction& t) { t.put_citizen(identity::citizen_of(child)); });
    // The profile's rules are record_invalid, in the officer's words.
    identity::EnrollmentRecord with_photo = child;
    with_photo.photo_jpeg = photo_;
    EXPECT_STREQ(refusal_of([&] { submit(officer_, with_photo); }).what(), "Thẻ Căn cước (dưới 6 tuổi) không có ảnh chân dung");
    identity::EnrollmentRecord alone = child;
    alone.representative.reset();
    EXPECT_STREQ(refusal_of([&] { submit(officer_, alone); }).what(), "Thiếu người đại diện hợp pháp (số định danh, họ tên, quan hệ)");

    const SubmittedEnrollment submitted = submit(officer_, child);
    EXPECT_EQ(submitted.card.card_profile, "cc-2024-u6");
    EXPECT_EQ(submitted.enrollment.status, EnrollmentStatus::Personalizing);
    const identity::EnrollmentRecord stored = record_of(submitted.enrollment);
    EXPECT_EQ(stored.representative, child.representative) << "the representative stays with the enrollment";
    EXPECT_NE(submitted.enrollment.record_json.find("\"representative\""), std::string::npos);
    EXPECT_TRUE(stored.photo_jpeg.empty());

    // The station sends no DG2; one sent anyway is not on a card of this profile.
    const SodRequest request = sod_request(submitted);
    ASSERT_FALSE(request.data_groups.contains(2));
    SodRequest with_dg2 = request;
    with_dg2.data_groups[2] = perso::build_card_files(record(), aa_key_, ca_key_).data_groups.at(2);
    const IssuanceRefusal refusal = refusal_of([&] { sign(with_dg2); });
    EXPECT_EQ(refusal.code(), IssuanceError::DataGroupMismatch);
    EXPECT_STREQ(refusal.what(), "DG2 is not on a card of the enrolled record's profile: nothing was signed");
    const SignedSod signed_sod = sign(request);
    EXPECT_EQ(lds::parse_sod(signed_sod.ef_sod).security_object.hash_of(2), nullptr);
    const Card issued = activate({submitted.card.card_number, signed_sod.card.sod_digest, passed_readback()});
    EXPECT_EQ(issued.status, CardStatus::Issued);
    EXPECT_EQ(issued.card_profile, "cc-2024-u6");
    EXPECT_TRUE(storage_->get_citizen(child.person.personal_id)->photo_jpeg.empty());
}

// Renewal: activating a citizen's new card makes every other card of theirs that is issued or suspended
// replaced, in the same transaction, and the audit detail names them; a lost or revoked card stays so.
TEST_F(IssuanceServiceTest, ActivatingANewCardReplacesTheHoldersIssuedAndSuspendedCards) {
    IssuanceService legacy(*storage_, &signer_, [this] { return now_; }, IssuanceOptions{.legacy_cccd_2021 = true});
    identity::EnrollmentRecord old = fixtures::enrollment_record(fixtures::sample_citizen(), photo_);
    old.person.card_serial.reset();
    const Activated first = issue(old, &legacy);
    EXPECT_TRUE(first.replaced_cards.empty());
    EXPECT_EQ(first.audit_detail, "");
    const Activated second = issue(old, &legacy);  // a second 2021 card (a lost card replaced, say)
    EXPECT_EQ(second.replaced_cards, std::vector<std::string>{first.card.card_number});
    EXPECT_EQ(second.audit_detail, "replaced card " + first.card.card_number);
    EXPECT_EQ(card(first.card.card_number).status, CardStatus::Replaced);
    in_transaction([&](Transaction& t) { return service_->change_status(t, chief_, second.card.card_number, StatusChange::Suspend); });
    // A lost card of hers stays lost.
    const std::string lost = storage_->transaction([&](Transaction& t) {
        Card c = *t.get_card(second.card.card_number);
        c.card_number = t.allocate_card_number();
        c.status = CardStatus::Lost;
        t.put_card(c);
        return c.card_number;
    });

    // The renewal into a Căn cước, with a cancelled ID number the register takes on activation.
    now_ += 1h;
    const Activated renewed = issue(record([](identity::EnrollmentRecord& r) { r.person.cancelled_ids = {"079303099999"}; }));
    EXPECT_EQ(renewed.card.card_profile, "cc-2024");
    EXPECT_EQ(renewed.replaced_cards, std::vector<std::string>{second.card.card_number});
    EXPECT_EQ(renewed.audit_detail, "replaced card " + second.card.card_number);
    const Card replaced = card(second.card.card_number);
    EXPECT_EQ(replaced.status, CardStatus::Replaced);
    EXPECT_EQ(replaced.updated_at, "2026-03-14T10:30:00Z");
    EXPECT_EQ(replaced.card_profile, "cccd-2021");
    EXPECT_EQ(card(lost).status, CardStatus::Lost);
    EXPECT_EQ(card(renewed.card.card_number).status, CardStatus::Issued);
    EXPECT_EQ(storage_->get_citizen(kId)->person.cancelled_ids, std::vector<std::string>{"079303099999"});
    // A replaced card stays replaced: no status change applies to it.
    for (const StatusChange change : {StatusChange::Suspend, StatusChange::Revoke, StatusChange::ReportLost}) {
        expect_refusal(IssuanceError::StatusChangeNotAllowed, [&] {
            in_transaction([&](Transaction& t) { return service_->change_status(t, chief_, first.card.card_number, change); });
        });
    }
}

// The activation is all or nothing: when the register refuses it (the citizen left), the old card is
// not left replaced.
TEST_F(IssuanceServiceTest, AFailedActivationReplacesNothing) {
    IssuanceService legacy(*storage_, &signer_, [this] { return now_; }, IssuanceOptions{.legacy_cccd_2021 = true});
    identity::EnrollmentRecord old = fixtures::enrollment_record(fixtures::sample_citizen(), photo_);
    old.person.card_serial.reset();
    const Activated first = issue(old, &legacy);
    const SubmittedEnrollment submitted = submit();
    const SignedSod signed_sod = sign(sod_request(submitted));
    expect_refusal(IssuanceError::CitizenGone, [&] {
        storage_->transaction([&](Transaction& inner) {
            Interposed gone(inner);
            gone.hide_citizens = true;
            return service_->activate(gone, officer_, {submitted.card.card_number, signed_sod.card.sod_digest, passed_readback()});
        });
    });
    EXPECT_EQ(card(first.card.card_number).status, CardStatus::Issued);
    EXPECT_EQ(card(submitted.card.card_number).status, CardStatus::Personalizing);
}
