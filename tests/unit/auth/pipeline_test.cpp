// The attack corpus of the verification pipeline: real cards from the test PKI, a real registry
// (SQLCipher in a temporary directory) filled as the issuance API does, real AA signatures by the
// chip's key. The valid presentation is accepted; every attack is refused with its own code.
#include <gtest/gtest.h>

#include <unistd.h>

#include <boost/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "auth/pipeline.hpp"
#include "base/encoding.hpp"
#include "card/lds/dg15.hpp"
#include "card/lds/security_infos.hpp"
#include "card/protocol/active_auth.hpp"
#include "card/protocol/chip_auth.hpp"
#include "crypto/hash.hpp"
#include "server/api/auth_api.hpp"
#include "server/storage/storage.hpp"
#include "tests/fixtures/profile_records.hpp"
#include "tests/fixtures/registry/issued_card.hpp"
#include "tests/fixtures/sample_card.hpp"
#include "tests/fixtures/test_pki.hpp"

namespace cccd::auth {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
namespace json = boost::json;
using server::Card;
using server::CardStatus;
using server::Citizen;

fixtures::SampleCitizen citizen_with(std::string personal_id, std::string full_name, std::string serial) {
    fixtures::SampleCitizen c = fixtures::sample_citizen();
    c.person.personal_id = std::move(personal_id);
    c.person.full_name = std::move(full_name);
    c.person.card_serial = std::move(serial);
    return c;
}

// What every test shares: the PKI, a rogue DS, and three cards (keys and signing take a while).
struct World {
    fixtures::TestPki pki = fixtures::make_test_pki();
    fixtures::TestPki rogue = fixtures::make_test_pki();
    Bytes jpeg = fixtures::sample_face_jpeg();
    fixtures::SampleCitizen alice = fixtures::sample_citizen();  // 079303012345, card pinned
    fixtures::SampleCitizen bich = citizen_with("079303067890", "NGUYỄN THỊ BÍCH", "0000000000000043");
    fixtures::SampleCitizen cuc = citizen_with("079303011111", "LÊ THỊ CÚC", "0000000000000044");  // not pinned
    fixtures::SampleCard alice_card = fixtures::make_sample_card(alice, jpeg, pki.ds);
    // Bich's photo differs from Alice's by a trailing byte, so even DG2 is another card's.
    fixtures::SampleCard bich_card = fixtures::make_sample_card(bich, concat({jpeg, Bytes{0x00}}), pki.ds);
    fixtures::SampleCard cuc_card = fixtures::make_sample_card(cuc, jpeg, pki.ds);
};

World& world() {
    static World w;
    return w;
}

std::string document_number_of(const fixtures::SampleCitizen& c) { return c.person.personal_id.substr(3); }

class Pipeline : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("cccd-auth-" + std::to_string(::getpid()) + "-" + std::to_string(++count_));
        fs::create_directories(dir_);
        server::StorageConfig config;
        config.kind = server::StorageKind::SqlCipher;
        config.location = (dir_ / "cccd.db").string();
        config.key = SecretBytes(Bytes(32, 0x42));
        storage_ = server::open_storage(config);
        registry_ = std::make_unique<server::api::StorageCardRegistry>(*storage_);

        alice_number_ = issue(world().alice, world().alice_card, true);
        bich_number_ = issue(world().bich, world().bich_card, true);
        cuc_number_ = issue(world().cuc, world().cuc_card, false);

        parties_.put({"bank-01", "Ngân hàng Một", {"name", "date_of_birth", "age_over_18"}, 60, true});
        parties_.put({"telco-02", "Nhà mạng Hai", {"personal_id", "address", "sex", "nationality", "photo"}, 60, true});
        parties_.put({"old-03", "Retired partner", {"name"}, 60, false});
        trust_.add_certificates(world().pki.csca.cert_der(), "test CSCA");

        signer_ = std::make_unique<AssertionSigner>("https://eid.cccd.test", crypto::Ed25519KeyPair::generate(),
                                                    SecretBytes(Bytes(32, 0x17)));
        store_ = std::make_unique<InProcessChallengeStore>(clock_);
        pipeline_ = std::make_unique<VerificationPipeline>(*store_, *registry_, parties_, *signer_, &trust_, clock_);
    }

    void TearDown() override {
        pipeline_.reset();
        registry_.reset();
        storage_.reset();
        fs::remove_all(dir_);
    }

    // Registers the citizen and the card as the issuance API does: the SOD's digest and the chip's
    // keys pinned, status issued. `pin` false: a card the registry holds without a pinned SOD.
    std::string issue(const fixtures::SampleCitizen& sample, const fixtures::SampleCard& files, bool pin) {
        return storage_->transaction([&](server::Transaction& t) {
            return fixtures::register_issued_card(t, sample, files, world().jpeg, pin, "nguyenvana");
        });
    }

    void set_status(const std::string& card_number, CardStatus status) {
        storage_->transaction([&](server::Transaction& t) {
            t.update_card_status(card_number, CardStatus::Issued, status, "2026-11-23T09:00:00Z");
        });
    }

    // What an honest terminal sends after reading `card` and having it sign the derived challenge.
    static VerificationRequest present(const Challenge& challenge, const fixtures::SampleCard& card,
                                       const std::string& document_number, std::string_view signing_rp) {
        VerificationRequest r;
        r.challenge_id = challenge.id;
        r.document_number = document_number;
        r.ef_sod = card.files.at("EF.SOD");
        r.dg1 = card.files.at("DG1");
        r.dg2 = card.files.at("DG2");
        r.dg13 = card.files.at("DG13");
        r.dg14 = card.files.at("DG14");
        r.dg15 = card.files.at("DG15");
        r.active_auth_signature = protocol::sign_active_auth_ecdsa(
            card.active_auth_key, derive_aa_challenge(challenge.nonce, signing_rp), crypto::HashAlgorithm::Sha256,
            protocol::EcdsaEncoding::Plain);
        return r;
    }

    VerificationRequest alice_presents(const Challenge& challenge, std::string_view rp = "bank-01") const {
        return present(challenge, world().alice_card, document_number_of(world().alice), rp);
    }

    static std::string to_json(const VerificationRequest& r) { return verification_request_json(r); }

    // The refusal code, asserting there is no assertion with it.
    static std::string code_of(const VerificationResult& result) {
        if (result.ok()) return "accepted";
        EXPECT_TRUE(result.assertion.empty());
        return std::string(to_string(*result.error));
    }

    std::string verify(const VerificationRequest& r, std::string_view rp = "bank-01") {
        return code_of(pipeline_->verify(rp, r));
    }

    json::object claims_of(const VerificationResult& result, std::string_view rp) const {
        return verify_assertion(result.assertion, signer_->jwks(), rp, now_, "https://eid.cccd.test").claims;
    }

    Instant now_ = parse_instant("2026-11-23T10:00:00Z");
    Clock clock_ = [this] { return now_; };
    fs::path dir_;
    static inline int count_ = 0;
    std::unique_ptr<server::Storage> storage_;
    std::unique_ptr<server::api::StorageCardRegistry> registry_;
    InMemoryRelyingPartyDirectory parties_;
    pa::TrustStore trust_;
    std::unique_ptr<AssertionSigner> signer_;
    std::unique_ptr<InProcessChallengeStore> store_;
    std::unique_ptr<VerificationPipeline> pipeline_;
    std::string alice_number_, bich_number_, cuc_number_;
};

// ---- the valid case ----

TEST_F(Pipeline, ValidPresentationIsAcceptedWithExactlyTheScopedAttributes) {
    const Challenge challenge = pipeline_->issue_challenge("bank-01");
    const VerificationResult result = pipeline_->verify("bank-01", alice_presents(challenge));
    ASSERT_TRUE(result.ok()) << result.reason;
    EXPECT_EQ(result.card_number, alice_number_);
    EXPECT_EQ(result.loa, "high");
    const json::object claims = claims_of(result, "bank-01");
    std::set<std::string> names;
    for (const auto& c : claims) names.insert(std::string(c.key()));
    EXPECT_EQ(names, (std::set<std::string>{"iss", "sub", "aud", "iat", "exp", "jti", "challenge_id", "loa", "ca",
                                            "name", "date_of_birth", "age_over_18"}));
    EXPECT_EQ(claims.at("name").as_string(), "TRẦN THỊ MỸ DUYÊN");
    EXPECT_EQ(claims.at("date_of_birth").as_string(), "2003-05-14");
    EXPECT_TRUE(claims.at("age_over_18").as_bool());
    EXPECT_EQ(claims.at("challenge_id").as_string(), challenge.id);
    EXPECT_EQ(claims.at("loa").as_string(), "high");
    EXPECT_FALSE(claims.at("ca").as_bool());
    EXPECT_EQ(claims.at("sub").as_string(), signer_->pairwise_subject("bank-01", "079303012345"));
}

TEST_F(Pipeline, AttributesComeFromTheRegistryNotFromTheCard) {
    // The register changed the address after the card was made: the assertion says what the register says.
    storage_->transaction([&](server::Transaction& t) {
        Citizen c = *t.get_citizen("079303012345");
        c.person.place_of_residence = "Số 1 Đường Mới, Quận 3";
        t.put_citizen(c);
    });
    const Challenge challenge = pipeline_->issue_challenge("telco-02");
    const VerificationResult result = pipeline_->verify("telco-02", alice_presents(challenge, "telco-02"));
    ASSERT_TRUE(result.ok()) << result.reason;
    const json::object claims = claims_of(result, "telco-02");
    EXPECT_EQ(claims.at("address").as_string(), "Số 1 Đường Mới, Quận 3");
    EXPECT_EQ(claims.at("personal_id").as_string(), "079303012345");
    EXPECT_EQ(claims.at("sex").as_string(), "F");
    EXPECT_EQ(claims.at("nationality").as_string(), "Việt Nam");
    EXPECT_EQ(base64_decode(claims.at("photo").as_string()), world().jpeg);
    EXPECT_FALSE(claims.contains("name"));
    EXPECT_FALSE(claims.contains("date_of_birth"));
    // Another relying party, another subject for the same person.
    EXPECT_NE(claims.at("sub").as_string(), signer_->pairwise_subject("bank-01", "079303012345"));
}

TEST_F(Pipeline, ValidJsonBodyIsAcceptedToo) {
    const Challenge challenge = pipeline_->issue_challenge("bank-01");
    const VerificationResult result = pipeline_->verify_json("bank-01", to_json(alice_presents(challenge)));
    EXPECT_TRUE(result.ok()) << result.reason;
}

TEST_F(Pipeline, ReportedChipAuthenticationWithTheRegisteredKeyIsMarked) {
    const Challenge challenge = pipeline_->issue_challenge("bank-01");
    VerificationRequest r = alice_presents(challenge);
    r.chip_auth_public_key = protocol::encode_subject_public_key_info(world().alice_card.chip_auth_key);
    const VerificationResult result = pipeline_->verify("bank-01", r);
    ASSERT_TRUE(result.ok()) << result.reason;
    EXPECT_TRUE(result.chip_authenticated);
    EXPECT_TRUE(claims_of(result, "bank-01").at("ca").as_bool());
}

// The card's DG14 (and so the registry) spells the curve out; a terminal that reports the key as DG14
// carries it, or re-encoded with the curve named, reports the same key.
TEST_F(Pipeline, ReportedChipAuthenticationKeyIsComparedAsAKeyNotAsBytes) {
    const Bytes dg14_key = lds::decode_dg14(world().alice_card.files.at("DG14"))
                               .security_infos.all<lds::ChipAuthenticationPublicKeyInfo>()
                               .front()
                               .public_key_info;
    const Bytes named = protocol::encode_subject_public_key_info(world().alice_card.chip_auth_key);
    ASSERT_NE(dg14_key, named) << "DG14 carries explicit domain parameters";
    for (const Bytes& reported : {dg14_key, named}) {
        const Challenge challenge = pipeline_->issue_challenge("bank-01");
        VerificationRequest r = alice_presents(challenge);
        r.chip_auth_public_key = reported;
        const VerificationResult result = pipeline_->verify("bank-01", r);
        ASSERT_TRUE(result.ok()) << result.reason;
        EXPECT_TRUE(result.chip_authenticated);
    }
    const Challenge challenge = pipeline_->issue_challenge("bank-01");
    VerificationRequest r = alice_presents(challenge);
    r.chip_auth_public_key = protocol::chip_auth::encode_chip_key(
        protocol::encode_subject_public_key_info(world().bich_card.chip_auth_key));
    EXPECT_EQ(verify(r), "chip_auth_mismatch");
}

TEST_F(Pipeline, UnpinnedCardPassesOnFullPassiveAuthenticationAtALowerLevel) {
    const Challenge challenge = pipeline_->issue_challenge("bank-01");
    const VerificationResult result = pipeline_->verify(
        "bank-01", present(challenge, world().cuc_card, document_number_of(world().cuc), "bank-01"));
    ASSERT_TRUE(result.ok()) << result.reason;
    EXPECT_EQ(result.card_number, cuc_number_);
    EXPECT_EQ(result.loa, "substantial");
    EXPECT_EQ(claims_of(result, "bank-01").at("name").as_string(), "LÊ THỊ CÚC");
}

TEST_F(Pipeline, UnpinnedCardIsFoundAmongHoldersSharingItsDocumentNumber) {
    // 001303011111 (Hà Nội) and 079303011111 (Hồ Chí Minh City) share the MRZ document number
    // 303011111; the MRZ's ID number tells their cards apart.
    const std::string other = issue(citizen_with("001303011111", "PHẠM THỊ DUNG", "0000000000000045"), world().cuc_card, false);
    const Challenge challenge = pipeline_->issue_challenge("bank-01");
    const VerificationResult result = pipeline_->verify(
        "bank-01", present(challenge, world().cuc_card, document_number_of(world().cuc), "bank-01"));
    ASSERT_TRUE(result.ok()) << result.reason;
    EXPECT_EQ(result.card_number, cuc_number_);
    EXPECT_NE(result.card_number, other);
    EXPECT_EQ(claims_of(result, "bank-01").at("name").as_string(), "LÊ THỊ CÚC");
}

// ---- the lean form: a pinned card, its DG15 and its signature ----

TEST_F(Pipeline, LeanPresentationOfAPinnedCardIsAcceptedAtTheHighLevel) {
    const Challenge challenge = pipeline_->issue_challenge("bank-01");
    const VerificationResult result = pipeline_->verify_json("bank-01", to_json(lean_form(alice_presents(challenge))));
    ASSERT_TRUE(result.ok()) << result.reason;
    EXPECT_EQ(result.card_number, alice_number_);
    EXPECT_EQ(result.loa, "high");
    const json::object claims = claims_of(result, "bank-01");
    EXPECT_EQ(claims.at("name").as_string(), "TRẦN THỊ MỸ DUYÊN");
    EXPECT_EQ(claims.at("sub").as_string(), signer_->pairwise_subject("bank-01", "079303012345"));
}

TEST_F(Pipeline, LeanPresentationPicksTheCardByItsKeyAmongHoldersSharingTheDocumentNumber) {
    // 001303012345 (Hà Nội) shares Alice's MRZ document number 303012345; its pinned card holds Bich's chip keys.
    const std::string other = issue(citizen_with("001303012345", "ĐỖ VĂN EM", "0000000000000046"), world().bich_card, true);
    const std::string shared = document_number_of(world().alice);
    Challenge challenge = pipeline_->issue_challenge("bank-01");
    VerificationResult result = pipeline_->verify("bank-01", lean_form(alice_presents(challenge)));
    ASSERT_TRUE(result.ok()) << result.reason;
    EXPECT_EQ(result.card_number, alice_number_);
    challenge = pipeline_->issue_challenge("bank-01");
    result = pipeline_->verify("bank-01", lean_form(present(challenge, world().bich_card, shared, "bank-01")));
    ASSERT_TRUE(result.ok()) << result.reason;
    EXPECT_EQ(result.card_number, other);
    EXPECT_EQ(claims_of(result, "bank-01").at("name").as_string(), "ĐỖ VĂN EM");
}

TEST_F(Pipeline, LeanPresentationOfACardWithoutAPinnedSodMustShowItsFiles) {
    // Cuc's card is registered with neither SOD nor keys: no card holds the key she presents.
    Challenge challenge = pipeline_->issue_challenge("bank-01");
    const VerificationRequest lean = lean_form(present(challenge, world().cuc_card, document_number_of(world().cuc), "bank-01"));
    EXPECT_EQ(verify(lean), "card_unknown");
    // Registered with its AA key but no pinned SOD: Passive Authentication needs the files.
    storage_->transaction([&](server::Transaction& t) {
        Card c = *t.get_card(cuc_number_);
        c.active_auth_public_key = lds::decode_dg15(world().cuc_card.files.at("DG15")).public_key_info;
        t.put_card(c);
    });
    challenge = pipeline_->issue_challenge("bank-01");
    EXPECT_EQ(verify(lean_form(present(challenge, world().cuc_card, document_number_of(world().cuc), "bank-01"))),
              "sod_not_pinned_and_pa_failed");
    // The full presentation of the same card still passes, on full Passive Authentication.
    challenge = pipeline_->issue_challenge("bank-01");
    EXPECT_EQ(verify(present(challenge, world().cuc_card, document_number_of(world().cuc), "bank-01")), "accepted");
}

TEST_F(Pipeline, LeanPresentationWithAnUnregisteredKeyIsRefused) {
    // A cloner's own key and signature: no card is registered with that key.
    const crypto::PKeyPtr attacker = fixtures::make_key(fixtures::KeyKind::BrainpoolP256r1);
    const Challenge challenge = pipeline_->issue_challenge("bank-01");
    VerificationRequest r = lean_form(alice_presents(challenge));
    r.dg15 = lds::encode(lds::Dg15{protocol::encode_subject_public_key_info(attacker)});
    r.active_auth_signature = protocol::sign_active_auth_ecdsa(attacker, derive_aa_challenge(challenge.nonce, "bank-01"),
                                                               crypto::HashAlgorithm::Sha256, protocol::EcdsaEncoding::Plain);
    EXPECT_EQ(verify(r), "card_unknown");
    // Another genuine card's key under Alice's document number: no card is registered so either.
    const Challenge second = pipeline_->issue_challenge("bank-01");
    r = lean_form(alice_presents(second));
    r.dg15 = world().bich_card.files.at("DG15");
    r.active_auth_signature = present(second, world().bich_card, "000000000", "bank-01").active_auth_signature;
    EXPECT_EQ(verify(r), "card_unknown");
}

TEST_F(Pipeline, LeanPresentationWithAnotherChipsSignatureIsRefused) {
    const Challenge challenge = pipeline_->issue_challenge("bank-01");
    VerificationRequest r = lean_form(alice_presents(challenge));
    r.active_auth_signature = present(challenge, world().bich_card, "000000000", "bank-01").active_auth_signature;
    EXPECT_EQ(verify(r), "aa_signature_invalid");
}

TEST_F(Pipeline, LeanPresentationKeepsStatusBehindTheCryptography) {
    set_status(alice_number_, CardStatus::Revoked);
    Challenge challenge = pipeline_->issue_challenge("bank-01");
    VerificationRequest r = lean_form(alice_presents(challenge));
    r.active_auth_signature.front() ^= 0x01;
    EXPECT_EQ(verify(r), "aa_signature_invalid");
    challenge = pipeline_->issue_challenge("bank-01");
    EXPECT_EQ(verify(lean_form(alice_presents(challenge))), "card_revoked");
}

TEST_F(Pipeline, LeanPresentationComparesReportedChipAuthenticationWithTheRegisteredKey) {
    Challenge challenge = pipeline_->issue_challenge("bank-01");
    VerificationRequest r = lean_form(alice_presents(challenge));
    r.chip_auth_public_key = protocol::encode_subject_public_key_info(world().alice_card.chip_auth_key);
    const VerificationResult result = pipeline_->verify("bank-01", r);
    ASSERT_TRUE(result.ok()) << result.reason;
    EXPECT_TRUE(result.chip_authenticated);
    challenge = pipeline_->issue_challenge("bank-01");
    r = lean_form(alice_presents(challenge));
    r.chip_auth_public_key = protocol::encode_subject_public_key_info(world().bich_card.chip_auth_key);
    EXPECT_EQ(verify(r), "chip_auth_mismatch");
}

TEST_F(Pipeline, DataGroupsWithoutEfSodAreRefusedAsInput) {
    const Challenge challenge = pipeline_->issue_challenge("bank-01");
    VerificationRequest r = lean_form(alice_presents(challenge));
    r.dg1 = world().alice_card.files.at("DG1");
    EXPECT_EQ(verify(r), "input_invalid");
    json::object body = json::parse(to_json(lean_form(alice_presents(challenge)))).as_object();
    body["files"].as_object()["DG13"] = base64_encode(world().alice_card.files.at("DG13"));
    EXPECT_EQ(code_of(pipeline_->verify_json("bank-01", json::serialize(body))), "input_invalid");
    // Refused as input: the challenge is still there for the honest presentation.
    EXPECT_EQ(verify(lean_form(alice_presents(challenge))), "accepted");
}

// ---- challenges ----

TEST_F(Pipeline, ReplayedChallengeIsUnknown) {
    const Challenge challenge = pipeline_->issue_challenge("bank-01");
    const VerificationRequest r = alice_presents(challenge);
    ASSERT_EQ(verify(r), "accepted");
    EXPECT_EQ(verify(r), "challenge_unknown");
}

TEST_F(Pipeline, ARefusedAttemptStillUsesTheChallengeUp) {
    const Challenge challenge = pipeline_->issue_challenge("bank-01");
    VerificationRequest bad = alice_presents(challenge);
    bad.active_auth_signature.back() ^= 0x01;
    ASSERT_EQ(verify(bad), "aa_signature_invalid");
    EXPECT_EQ(verify(alice_presents(challenge)), "challenge_unknown");  // no second try on the same nonce
}

TEST_F(Pipeline, NeverIssuedChallengeIsUnknown) {
    const Challenge forged = make_challenge("bank-01", now_);  // made by the attacker, never stored
    EXPECT_EQ(verify(alice_presents(forged)), "challenge_unknown");
}

TEST_F(Pipeline, ExpiredChallengeIsRefused) {
    const Challenge challenge = pipeline_->issue_challenge("bank-01");
    now_ += 120s;
    EXPECT_EQ(verify(alice_presents(challenge)), "challenge_expired");
}

TEST_F(Pipeline, ChallengeJustBeforeExpiryIsAccepted) {
    const Challenge challenge = pipeline_->issue_challenge("bank-01");
    now_ += 119s;
    EXPECT_EQ(verify(alice_presents(challenge)), "accepted");
}

TEST_F(Pipeline, ChallengeOfAnotherRelyingPartyIsRefused) {
    // telco-02 asked for it and the card signed for telco-02; bank-01 tries to redeem it.
    const Challenge challenge = pipeline_->issue_challenge("telco-02");
    EXPECT_EQ(verify(alice_presents(challenge, "telco-02"), "bank-01"), "challenge_wrong_party");
}

TEST_F(Pipeline, SignatureRelayedFromAnotherRelyingPartyDoesNotVerify) {
    // bank-01's own challenge, but the card was made to sign the challenge derived for telco-02.
    const Challenge challenge = pipeline_->issue_challenge("bank-01");
    EXPECT_EQ(verify(alice_presents(challenge, "telco-02")), "aa_signature_invalid");
}

// ---- relying parties ----

TEST_F(Pipeline, UnknownRelyingPartyIsRefusedAndBurnsNothing) {
    EXPECT_THROW(pipeline_->issue_challenge("nobody"), AuthFailure);
    try {
        pipeline_->issue_challenge("old-03");  // deactivated
        ADD_FAILURE() << "an inactive relying party got a challenge";
    } catch (const AuthFailure& failure) {
        EXPECT_EQ(failure.code(), AuthError::RelyingPartyUnknown);
    }
    const Challenge challenge = pipeline_->issue_challenge("bank-01");
    EXPECT_EQ(verify(alice_presents(challenge), "nobody"), "relying_party_unknown");
    EXPECT_EQ(verify(alice_presents(challenge), "old-03"), "relying_party_unknown");
    EXPECT_EQ(verify(alice_presents(challenge), "bank 01; DROP"), "relying_party_unknown");
    EXPECT_EQ(verify(alice_presents(challenge)), "accepted");  // still there for its owner
}

// ---- the card: registry, SOD, data groups ----

TEST_F(Pipeline, UnknownDocumentNumberIsRefused) {
    const Challenge challenge = pipeline_->issue_challenge("bank-01");
    EXPECT_EQ(verify(present(challenge, world().alice_card, "999999999", "bank-01")), "card_unknown");
}

TEST_F(Pipeline, SodResignedByARogueSignerIsRefused) {
    // The same data groups, signed by a Document Signer the attacker controls.
    std::map<int, Bytes> groups;
    for (int n : {1, 2, 13, 14, 15}) groups[n] = world().alice_card.files.at("DG" + std::to_string(n));
    const Challenge challenge = pipeline_->issue_challenge("bank-01");
    VerificationRequest r = alice_presents(challenge);
    r.ef_sod = fixtures::sign_sod(groups, world().rogue.ds);
    EXPECT_EQ(verify(r), "sod_mismatch");
}

TEST_F(Pipeline, SodOfAnotherCardIsRefused) {
    // A genuine SOD, signed by the real DS, but pinned for another card with another document number.
    const Challenge challenge = pipeline_->issue_challenge("bank-01");
    VerificationRequest r = alice_presents(challenge);
    r.ef_sod = world().bich_card.files.at("EF.SOD");
    EXPECT_EQ(verify(r), "sod_mismatch");
}

TEST_F(Pipeline, SodFromTheRealSignerButNeverIssuedIsRefusedForAPinnedCard) {
    // Even the real DS's signature does not help: only the SOD pinned at issuance is accepted.
    std::map<int, Bytes> groups;
    for (int n : {1, 2, 13, 14, 15}) groups[n] = world().alice_card.files.at("DG" + std::to_string(n));
    const Challenge challenge = pipeline_->issue_challenge("bank-01");
    VerificationRequest r = alice_presents(challenge);
    r.ef_sod = fixtures::sign_sod(groups, world().pki.ds);  // a fresh signature: other bytes, other digest
    ASSERT_NE(r.ef_sod, world().alice_card.files.at("EF.SOD"));
    EXPECT_EQ(verify(r), "sod_mismatch");
}

TEST_F(Pipeline, UnpinnedCardWithARogueSodFailsPassiveAuthentication) {
    std::map<int, Bytes> groups;
    for (int n : {1, 2, 13, 14, 15}) groups[n] = world().cuc_card.files.at("DG" + std::to_string(n));
    const Challenge challenge = pipeline_->issue_challenge("bank-01");
    VerificationRequest r = present(challenge, world().cuc_card, document_number_of(world().cuc), "bank-01");
    r.ef_sod = fixtures::sign_sod(groups, world().rogue.ds);
    EXPECT_EQ(verify(r), "sod_not_pinned_and_pa_failed");
}

TEST_F(Pipeline, UnpinnedCardWithoutATrustStoreIsRefused) {
    VerificationPipeline no_pa(*store_, *registry_, parties_, *signer_, nullptr, clock_);
    const Challenge challenge = no_pa.issue_challenge("bank-01");
    const auto result =
        no_pa.verify("bank-01", present(challenge, world().cuc_card, document_number_of(world().cuc), "bank-01"));
    EXPECT_EQ(code_of(result), "sod_not_pinned_and_pa_failed");
}

TEST_F(Pipeline, SwappedDataGroupsAreRefused) {
    const std::pair<const char*, std::string> swaps[] = {{"DG1", "DG1"}, {"DG2", "DG2"}, {"DG13", "DG13"},
                                                         {"DG14", "DG14"}, {"DG15", "DG15"}};
    for (const auto& [name, file] : swaps) {
        const Challenge challenge = pipeline_->issue_challenge("bank-01");
        VerificationRequest r = alice_presents(challenge);
        const Bytes& other = world().bich_card.files.at(file);  // the same group of another genuine card
        if (std::string(name) == "DG1") r.dg1 = other;
        if (std::string(name) == "DG2") r.dg2 = other;
        if (std::string(name) == "DG13") r.dg13 = other;
        if (std::string(name) == "DG14") r.dg14 = other;
        if (std::string(name) == "DG15") r.dg15 = other;
        ASSERT_NE(other, world().alice_card.files.at(file)) << name;
        EXPECT_EQ(verify(r), "data_group_mismatch") << name;
    }
}

TEST_F(Pipeline, DataGroupWithAFlippedByteIsRefused) {
    const Challenge challenge = pipeline_->issue_challenge("bank-01");
    VerificationRequest r = alice_presents(challenge);
    r.dg13->at(r.dg13->size() / 2) ^= 0x01;
    EXPECT_EQ(verify(r), "data_group_mismatch");
}

TEST_F(Pipeline, AttackerDg15AndSignatureDoNotHelp) {
    // The cloner cannot extract the chip's key, so swaps DG15 for their own key and signs with it.
    const crypto::PKeyPtr attacker = fixtures::make_key(fixtures::KeyKind::BrainpoolP256r1);
    const Challenge challenge = pipeline_->issue_challenge("bank-01");
    VerificationRequest r = alice_presents(challenge);
    r.dg15 = lds::encode(lds::Dg15{protocol::encode_subject_public_key_info(attacker)});
    r.active_auth_signature = protocol::sign_active_auth_ecdsa(attacker, derive_aa_challenge(challenge.nonce, "bank-01"),
                                                               crypto::HashAlgorithm::Sha256, protocol::EcdsaEncoding::Plain);
    EXPECT_EQ(verify(r), "data_group_mismatch");
}

// ---- Active and Chip Authentication ----

TEST_F(Pipeline, SignatureByAnotherKeyIsRefused) {
    const crypto::PKeyPtr attacker = fixtures::make_key(fixtures::KeyKind::BrainpoolP256r1);
    const Challenge challenge = pipeline_->issue_challenge("bank-01");
    VerificationRequest r = alice_presents(challenge);
    r.active_auth_signature = protocol::sign_active_auth_ecdsa(attacker, derive_aa_challenge(challenge.nonce, "bank-01"),
                                                               crypto::HashAlgorithm::Sha256, protocol::EcdsaEncoding::Plain);
    EXPECT_EQ(verify(r), "aa_signature_invalid");
}

TEST_F(Pipeline, SignatureByAnotherGenuineCardIsRefused) {
    // Bich's chip signs, the files are Alice's: the key registered for Alice's card decides.
    const Challenge challenge = pipeline_->issue_challenge("bank-01");
    VerificationRequest r = alice_presents(challenge);
    r.active_auth_signature = present(challenge, world().bich_card, "000000000", "bank-01").active_auth_signature;
    EXPECT_EQ(verify(r), "aa_signature_invalid");
}

TEST_F(Pipeline, TheKeyRegisteredAtIssuanceIsUsedNotDg15) {
    // The registry holds another AA key for this card than its DG15: the chip's own signature (which
    // DG15 would accept) no longer verifies, which shows DG15 is not what decides.
    storage_->transaction([&](server::Transaction& t) {
        Card c = *t.get_card(alice_number_);
        c.active_auth_public_key = lds::decode_dg15(world().bich_card.files.at("DG15")).public_key_info;
        t.put_card(c);
    });
    const Challenge challenge = pipeline_->issue_challenge("bank-01");
    EXPECT_EQ(verify(alice_presents(challenge)), "aa_signature_invalid");
}

TEST_F(Pipeline, SignatureOverTheRawNonceIsRefused) {
    // A terminal that skips the derivation (signs the nonce's first 8 bytes) does not authenticate.
    const Challenge challenge = pipeline_->issue_challenge("bank-01");
    VerificationRequest r = alice_presents(challenge);
    r.active_auth_signature = protocol::sign_active_auth_ecdsa(
        world().alice_card.active_auth_key, ByteView(challenge.nonce).first(8), crypto::HashAlgorithm::Sha256,
        protocol::EcdsaEncoding::Plain);
    EXPECT_EQ(verify(r), "aa_signature_invalid");
}

TEST_F(Pipeline, ReportedChipAuthenticationWithAnotherKeyIsRefused) {
    const Challenge challenge = pipeline_->issue_challenge("bank-01");
    VerificationRequest r = alice_presents(challenge);
    r.chip_auth_public_key = protocol::encode_subject_public_key_info(world().bich_card.chip_auth_key);
    EXPECT_EQ(verify(r), "chip_auth_mismatch");
}

// ---- status ----

TEST_F(Pipeline, RevokedLostSuspendedAndExpiredCardsAreRefused) {
    const std::pair<CardStatus, std::string> cases[] = {{CardStatus::Revoked, "card_revoked"},
                                                        {CardStatus::Lost, "card_lost"},
                                                        {CardStatus::Suspended, "card_suspended"},
                                                        {CardStatus::Expired, "card_expired"},
                                                        {CardStatus::Personalizing, "card_not_issued"}};
    for (const auto& [status, code] : cases) {
        const CardStatus next = status;  // a structured binding cannot be captured before clang 16
        storage_->transaction([&](server::Transaction& t) {
            Card c = *t.get_card(alice_number_);
            c.status = next;
            t.put_card(c);
        });
        const Challenge challenge = pipeline_->issue_challenge("bank-01");
        EXPECT_EQ(verify(alice_presents(challenge)), code);
    }
}

TEST_F(Pipeline, StatusChangedThroughTheRegistryIsSeenAtOnce) {
    set_status(alice_number_, CardStatus::Lost);
    const Challenge challenge = pipeline_->issue_challenge("bank-01");
    EXPECT_EQ(verify(alice_presents(challenge)), "card_lost");
}

TEST_F(Pipeline, CardPastItsExpiryDateIsRefused) {
    now_ = parse_instant("2028-05-14T23:59:59Z");  // the last valid second
    Challenge challenge = pipeline_->issue_challenge("bank-01");
    EXPECT_EQ(verify(alice_presents(challenge)), "accepted");
    now_ = parse_instant("2028-05-15T00:00:00Z");
    challenge = pipeline_->issue_challenge("bank-01");
    EXPECT_EQ(verify(alice_presents(challenge)), "card_expired");
}

TEST_F(Pipeline, StatusIsToldOnlyToWhoeverHoldsTheCard) {
    // A revoked card and a bad signature: the answer is about the signature, not the status.
    set_status(alice_number_, CardStatus::Revoked);
    const Challenge challenge = pipeline_->issue_challenge("bank-01");
    VerificationRequest r = alice_presents(challenge);
    r.active_auth_signature.front() ^= 0x01;
    EXPECT_EQ(verify(r), "aa_signature_invalid");
}

TEST_F(Pipeline, CitizenNotActiveIsRefused) {
    storage_->transaction([&](server::Transaction& t) {
        Citizen c = *t.get_citizen("079303012345");
        c.status = server::CitizenStatus::Deceased;
        t.put_citizen(c);
    });
    const Challenge challenge = pipeline_->issue_challenge("bank-01");
    EXPECT_EQ(verify(alice_presents(challenge)), "citizen_not_active");
}

// ---- input ----

TEST_F(Pipeline, OversizedAndMalformedJsonIsRefusedBeforeAnythingElse) {
    const Challenge challenge = pipeline_->issue_challenge("bank-01");
    const std::string body = to_json(alice_presents(challenge));
    EXPECT_EQ(code_of(pipeline_->verify_json("bank-01", body.substr(0, body.size() - 1))), "input_invalid");
    EXPECT_EQ(code_of(pipeline_->verify_json("bank-01", body + std::string(RequestLimits::kMaxRequestJsonBytes, ' '))),
              "input_invalid");
    json::object bloated = json::parse(body).as_object();
    bloated["files"].as_object()["DG2"] = base64_encode(Bytes(RequestLimits::kMaxDg2 + 1, 0xff));
    EXPECT_EQ(code_of(pipeline_->verify_json("bank-01", json::serialize(bloated))), "input_invalid");
    json::object extra = json::parse(body).as_object();
    extra["loa"] = "high";
    EXPECT_EQ(code_of(pipeline_->verify_json("bank-01", json::serialize(extra))), "input_invalid");
    // None of these reached the challenge: it is still there.
    EXPECT_EQ(code_of(pipeline_->verify_json("bank-01", body)), "accepted");
}

TEST_F(Pipeline, GarbageCardFilesWithinTheLimitsAreRefusedCleanly) {
    const Challenge challenge = pipeline_->issue_challenge("bank-01");
    VerificationRequest r = alice_presents(challenge);
    r.ef_sod = Bytes(200, 0x77);
    EXPECT_EQ(verify(r), "sod_mismatch");
    const Challenge unpinned = pipeline_->issue_challenge("bank-01");
    VerificationRequest u = present(unpinned, world().cuc_card, document_number_of(world().cuc), "bank-01");
    u.ef_sod = Bytes(200, 0x77);
    EXPECT_EQ(verify(u), "sod_not_pinned_and_pa_failed");
}

TEST_F(Pipeline, TheRegisteredKeyIsDecodedOnceForManyVerifications) {
    for (int i = 0; i < 3; ++i) EXPECT_EQ(verify(alice_presents(pipeline_->issue_challenge("bank-01"))), "accepted");
    EXPECT_EQ(pipeline_->active_auth_keys().misses(), 1u);
    EXPECT_EQ(pipeline_->active_auth_keys().hits(), 2u);
    // A cached key still refuses another chip's signature.
    const Challenge challenge = pipeline_->issue_challenge("bank-01");
    VerificationRequest r = alice_presents(challenge);
    r.active_auth_signature = present(challenge, world().bich_card, "000000000", "bank-01").active_auth_signature;
    EXPECT_EQ(verify(r), "aa_signature_invalid");
}

TEST_F(Pipeline, ACallerTheServerLookedUpItselfIsVerifiedTheSameWay) {
    const RelyingParty party = *parties_.find("bank-01");
    const VerificationResult accepted = pipeline_->verify_json(party, to_json(alice_presents(pipeline_->issue_challenge("bank-01"))));
    ASSERT_TRUE(accepted.ok()) << accepted.reason;
    EXPECT_EQ(claims_of(accepted, "bank-01").at("aud").as_string(), "bank-01");

    RelyingParty inactive = party;
    inactive.active = false;
    const std::string body = to_json(alice_presents(pipeline_->issue_challenge("bank-01")));
    EXPECT_EQ(code_of(pipeline_->verify_json(inactive, body)), "relying_party_unknown");
    // The challenge of another party stays another party's, whoever looked the caller up.
    RelyingParty other = party;
    other.id = "insurer-02";
    EXPECT_EQ(code_of(pipeline_->verify_json(other, body)), "challenge_wrong_party");
}

// A measurement, not a check: run with --gtest_also_run_disabled_tests.
TEST_F(Pipeline, DISABLED_MeasureVerificationsPerSecond) {
    constexpr int kRounds = 300;
    std::vector<VerificationRequest> requests;
    for (int i = 0; i < kRounds; ++i) requests.push_back(alice_presents(pipeline_->issue_challenge("bank-01")));
    const auto start = std::chrono::steady_clock::now();
    for (const auto& r : requests) ASSERT_EQ(verify(r), "accepted");
    const std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - start;
    std::printf("verify (pinned SOD, brainpoolP256r1 AA, SQLCipher registry): %.3f ms each, %.0f per second\n",
                elapsed.count() / kRounds, kRounds * 1000.0 / elapsed.count());
}

// ---- renewal and cards without a photo (issue 17) ----

// The cards of the 2024 profiles, made once: Alice's renewal (a Căn cước with her ID number and thus her
// document number) and a child's card without DG2.
struct ProfileCards {
    identity::EnrollmentRecord renewal = fixtures::renewal_2024_record(world().jpeg);
    identity::EnrollmentRecord child = fixtures::child_under_6_record();
    fixtures::SampleCard renewal_card = fixtures::make_card(renewal, world().pki.ds);
    fixtures::SampleCard child_card = fixtures::make_card(child, world().pki.ds);
};

ProfileCards& profile_cards() {
    static ProfileCards cards;
    return cards;
}

fixtures::SampleCitizen sample_of(const identity::EnrollmentRecord& r) {
    return fixtures::SampleCitizen{r.person, r.sex, r.date_of_birth, r.date_of_expiry};
}

// What a terminal sends for a card of any profile: DG2 when the card has one.
VerificationRequest presentation_of(const Challenge& challenge, const fixtures::SampleCard& card, const std::string& document_number) {
    VerificationRequest r;
    r.challenge_id = challenge.id;
    r.document_number = document_number;
    r.ef_sod = card.files.at("EF.SOD");
    r.dg1 = card.files.at("DG1");
    if (const auto dg2 = card.files.find("DG2"); dg2 != card.files.end()) r.dg2 = dg2->second;
    r.dg13 = card.files.at("DG13");
    r.dg14 = card.files.at("DG14");
    r.dg15 = card.files.at("DG15");
    r.active_auth_signature = protocol::sign_active_auth_ecdsa(card.active_auth_key, derive_aa_challenge(challenge.nonce, "bank-01"),
                                                               crypto::HashAlgorithm::Sha256, protocol::EcdsaEncoding::Plain);
    return r;
}

TEST_F(Pipeline, AReplacedCardIsRefusedWithItsOwnCodeInBothFormsAndOnlyToItsHolder) {
    set_status(alice_number_, CardStatus::Replaced);
    Challenge challenge = pipeline_->issue_challenge("bank-01");
    EXPECT_EQ(verify(alice_presents(challenge)), "card_replaced");
    challenge = pipeline_->issue_challenge("bank-01");
    EXPECT_EQ(verify(lean_form(alice_presents(challenge))), "card_replaced");
    // Status after the cryptography: a bad signature is told as such.
    challenge = pipeline_->issue_challenge("bank-01");
    VerificationRequest forged = alice_presents(challenge);
    forged.active_auth_signature.front() ^= 0x01;
    EXPECT_EQ(verify(forged), "aa_signature_invalid");
    EXPECT_EQ(card_status_error(*storage_->read([&](server::Transaction& t) { return t.get_card(alice_number_); }), now_),
              AuthError::CardReplaced);
    EXPECT_EQ(to_string(AuthError::CardReplaced), "card_replaced");
    EXPECT_EQ(auth_error_from("card_replaced"), AuthError::CardReplaced);
    EXPECT_EQ(relying_party_code(AuthError::CardReplaced), "card_replaced");
}

// Renewal: the 2024 card carries the same ID number, so the same document number; each card presents its
// own pinned SOD and key, the new one is accepted and the old one, replaced, refused.
TEST_F(Pipeline, AfterARenewalTheNewCardIsAcceptedAndTheOldOneRefused) {
    const std::string renewed = storage_->transaction([&](server::Transaction& t) {
        return fixtures::register_issued_card(t, sample_of(profile_cards().renewal), profile_cards().renewal_card, world().jpeg,
                                              true, "nguyenvana");
    });
    set_status(alice_number_, CardStatus::Replaced);
    const std::string document = document_number_of(world().alice);
    Challenge challenge = pipeline_->issue_challenge("bank-01");
    const VerificationResult result = pipeline_->verify("bank-01", presentation_of(challenge, profile_cards().renewal_card, document));
    ASSERT_TRUE(result.ok()) << result.reason;
    EXPECT_EQ(result.card_number, renewed);
    challenge = pipeline_->issue_challenge("bank-01");
    EXPECT_EQ(verify(lean_form(presentation_of(challenge, profile_cards().renewal_card, document))), "accepted");
    challenge = pipeline_->issue_challenge("bank-01");
    EXPECT_EQ(verify(alice_presents(challenge)), "card_replaced");
}

// A child's card without DG2 (cc-2024-u6): the full form without DG2 is accepted (its SOD lists none); a
// DG2 sent for it is refused, as any group its SOD does not list.
TEST_F(Pipeline, ACardWithoutDg2IsAcceptedInTheFullFormAndADg2SentForItIsRefused) {
    const auto& child = profile_cards().child;
    const std::string number = storage_->transaction([&](server::Transaction& t) {
        return fixtures::register_issued_card(t, sample_of(child), profile_cards().child_card, {}, true, "nguyenvana");
    });
    ASSERT_FALSE(profile_cards().child_card.files.contains("DG2"));
    const std::string document = child.person.personal_id.substr(3);
    Challenge challenge = pipeline_->issue_challenge("bank-01");
    const VerificationRequest honest = presentation_of(challenge, profile_cards().child_card, document);
    EXPECT_FALSE(honest.dg2.has_value());
    const VerificationResult result = pipeline_->verify_json("bank-01", to_json(honest));
    ASSERT_TRUE(result.ok()) << result.reason;
    EXPECT_EQ(result.card_number, number);
    EXPECT_FALSE(claims_of(result, "bank-01").at("age_over_18").as_bool());

    challenge = pipeline_->issue_challenge("bank-01");
    VerificationRequest with_face = presentation_of(challenge, profile_cards().child_card, document);
    with_face.dg2 = world().alice_card.files.at("DG2");
    const VerificationResult refused = pipeline_->verify("bank-01", with_face);
    EXPECT_EQ(code_of(refused), "data_group_mismatch");
    EXPECT_EQ(refused.reason, "data_group_mismatch: DG2 is not listed in the SOD");
}

TEST(AuthErrors, CodesAreStableAndRoundTrip) {
    EXPECT_EQ(to_string(AuthError::ChallengeUnknown), "challenge_unknown");
    EXPECT_EQ(to_string(AuthError::SodNotPinnedAndPaFailed), "sod_not_pinned_and_pa_failed");
    for (auto e : {AuthError::InputInvalid, AuthError::RelyingPartyUnknown, AuthError::ChallengeUnknown,
                   AuthError::ChallengeExpired, AuthError::ChallengeWrongParty, AuthError::CardUnknown,
                   AuthError::SodMismatch, AuthError::SodNotPinnedAndPaFailed, AuthError::DataGroupMismatch,
                   AuthError::AaSignatureInvalid, AuthError::ChipAuthMismatch, AuthError::CardNotIssued,
                   AuthError::CardSuspended, AuthError::CardRevoked, AuthError::CardLost, AuthError::CardExpired,
                   AuthError::CitizenNotActive}) {
        EXPECT_EQ(auth_error_from(to_string(e)), e);
    }
    EXPECT_FALSE(auth_error_from("nope"));
}

TEST(ScopedAttributes, AgeOver18TurnsOnTheBirthday) {
    Citizen c;
    c.date_of_birth = "2008-02-29";
    RelyingParty rp{"bar-01", "Quán", {"age_over_18"}, 60, true};
    EXPECT_FALSE(scoped_attributes(c, rp, parse_instant("2026-02-28T23:59:59Z")).at("age_over_18").as_bool());
    EXPECT_TRUE(scoped_attributes(c, rp, parse_instant("2026-03-01T00:00:00Z")).at("age_over_18").as_bool());
    c.date_of_birth = "garbage";
    EXPECT_FALSE(scoped_attributes(c, rp, parse_instant("2026-03-01T00:00:00Z")).at("age_over_18").as_bool());
    EXPECT_EQ(scoped_attributes(c, rp, parse_instant("2026-03-01T00:00:00Z")).size(), 1u);
}

}  // namespace
}  // namespace cccd::auth
