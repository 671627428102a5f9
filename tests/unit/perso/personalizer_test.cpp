// The personalization pipeline against the virtual chip in process: a blank chip issued and verified;
// the card pulled at ten points and personalized again; the wrong transport key; a locked card with
// somebody else's data; the checks on keys the chip generates.
#include "card/perso/personalizer.hpp"

#include <gtest/gtest.h>

#include <functional>

#include <openssl/core_names.h>
#include <openssl/param_build.h>

#include "base/error.hpp"
#include "card/lds/ef_com.hpp"
#include "card/lds/lds_file.hpp"
#include "card/lds/sod.hpp"
#include "card/protocol/active_auth.hpp"
#include "card/session/card_session.hpp"
#include "crypto/keys.hpp"
#include "tests/fixtures/profile_records.hpp"
#include "tests/fixtures/sample_card.hpp"
#include "vcard/chip_channel.hpp"
#include "vcard/virtual_chip.hpp"

using namespace cccd;
using namespace cccd::perso;

namespace {

const Bytes kTransportKey = from_hex("00112233445566778899AABBCCDDEEFF");

Bytes jpeg(std::size_t size) {
    Bytes j = from_hex("FFD8FFC0000B08014000F0011100");
    j.resize(size, 0x5A);
    append(j, from_hex("FFD9"));
    return j;
}

// The reader in these tests carries extended length.
constexpr bool kExtendedLength = true;

struct Issuer {
    fixtures::TestPki pki = fixtures::make_test_pki();
    pa::TrustStore trust;
    EnrollmentRecord record = fixtures::enrollment_record(fixtures::sample_citizen(), jpeg(12000));
    PersonalizationOptions options;

    Issuer() {
        trust.add_certificates(pki.csca.cert_der(), "test CSCA");
        std::time_t now = std::time(nullptr);
        trust.add_crls(fixtures::make_crl(pki.csca, {}, now - 60, now + 86400), "test CRL");
        options.transport_key = cccd::perso::fixed_transport_key(SecretBytes(ByteView(kTransportKey)));
        options.trust = &trust;
        options.sign_sod = [this](const CardFiles& files) {
            return lds::build_sod(files.security_object, pki.ds.key.get(), pki.ds.cert.get());
        };
    }
    PersonalizationResult run(vcard::VirtualChip& chip, std::optional<std::size_t> pull_after = std::nullopt) {
        vcard::ChipChannel channel(chip, kExtendedLength);
        if (pull_after) channel.pull_after(*pull_after);
        return personalize(channel, record, options);
    }
};

bool all_pass(const PersonalizationResult& r) {
    bool ok = !r.checks.empty();
    for (const auto& c : r.checks) {
        if (c.verdict != pa::Verdict::Pass) {
            ADD_FAILURE() << c.name << ": " << pa::verdict_name(c.verdict) << " " << c.reason;
            ok = false;
        }
    }
    return ok;
}

}  // namespace

TEST(Personalizer, IssuesABlankChipAndVerifiesItByReadingItBack) {
    Issuer issuer;
    vcard::VirtualChip chip(vcard::make_blank_chip(kTransportKey));
    std::vector<int> steps;
    issuer.options.on_step = [&](const PersonalizationStep& s) {
        if (steps.empty() || steps.back() != s.number) steps.push_back(s.number);
    };
    auto r = issuer.run(chip);
    EXPECT_TRUE(r.issued);
    EXPECT_FALSE(r.only_verified);
    EXPECT_TRUE(all_pass(r));
    EXPECT_EQ(steps, (std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8}));
    EXPECT_EQ(chip.life_cycle(), LifeCycle::Locked);
    EXPECT_EQ(r.can, "012345");
    EXPECT_EQ(r.chip_serial, chip.contents().chip_serial);
    EXPECT_EQ(r.active_auth_public_key, protocol::encode_subject_public_key_info(chip.contents().active_auth_key));
    EXPECT_GT(r.apdus, 20u);
    for (const char* name : {"Chip key: Active Authentication", "Chip Authentication", "Active Authentication",
                             "SOD signature", "DG2 hash", "Data matches the record: DG13"}) {
        bool found = false;
        for (const auto& c : r.checks) found = found || c.name == name;
        EXPECT_TRUE(found) << name;
    }
}

TEST(Personalizer, ACardPulledAtTenPointsIsPersonalizedAgainAndNoHalfCardPasses) {
    Issuer issuer;
    std::size_t total = 0;
    {
        vcard::VirtualChip probe(vcard::make_blank_chip(kTransportKey));
        total = issuer.run(probe).apdus;
    }
    for (int point = 1; point <= 10; ++point) {
        std::size_t pull_at = total * static_cast<std::size_t>(point) / 11;
        vcard::VirtualChip chip(vcard::make_blank_chip(kTransportKey));
        EXPECT_THROW(issuer.run(chip, pull_at), channel::CardRemovedError) << "pulled at APDU " << pull_at;
        chip.reset();
        if (chip.life_cycle() != LifeCycle::Locked) {
            // A half-written card is nobody's card: the holder's CAN does not open it.
            vcard::ChipChannel reader(chip, kExtendedLength);
            session::SessionOptions read;
            read.can = "012345";
            read.trust = &issuer.trust;
            EXPECT_THROW(session::read_card(reader, read), session::AccessDeniedError) << "pulled at APDU " << pull_at;
            chip.reset();
        }
        auto again = issuer.run(chip);
        EXPECT_TRUE(again.issued) << "pulled at APDU " << pull_at;
        EXPECT_EQ(chip.life_cycle(), LifeCycle::Locked);
    }
}

TEST(Personalizer, TheWrongTransportKeyChangesNothing) {
    Issuer issuer;
    vcard::VirtualChip chip(vcard::make_blank_chip(from_hex("FFEEDDCCBBAA99887766554433221100")));
    EXPECT_THROW(issuer.run(chip), session::AccessDeniedError);
    EXPECT_EQ(chip.life_cycle(), LifeCycle::Blank);
    EXPECT_TRUE(chip.contents().files.empty());
}

TEST(Personalizer, ALockedCardIsOnlyVerifiedAndSomebodyElsesDataFails) {
    Issuer issuer;
    vcard::VirtualChip chip(vcard::make_blank_chip(kTransportKey));
    ASSERT_TRUE(issuer.run(chip).issued);
    chip.reset();
    auto same = issuer.run(chip);
    EXPECT_TRUE(same.only_verified);
    EXPECT_TRUE(same.issued);

    chip.reset();
    Issuer other;
    other.record.person.place_of_residence = "Số 1 Phố Huế, Hà Nội";
    other.trust = pa::TrustStore();
    other.trust.add_certificates(issuer.pki.csca.cert_der(), "test CSCA");
    other.trust.add_crls(fixtures::make_crl(issuer.pki.csca, {}, std::time(nullptr) - 60, std::time(nullptr) + 86400), "CRL");
    auto r = other.run(chip);
    EXPECT_TRUE(r.only_verified);
    EXPECT_FALSE(r.issued);
    bool dg13_failed = false;
    for (const auto& c : r.checks) dg13_failed = dg13_failed || (c.name == "Data matches the record: DG13" && c.verdict == pa::Verdict::Fail);
    EXPECT_TRUE(dg13_failed);
}

TEST(Personalizer, ASignerThatFailsLeavesTheCardUnlocked) {
    Issuer issuer;
    issuer.options.sign_sod = [](const CardFiles&) -> Bytes { throw Error("the signing server is unreachable"); };
    vcard::VirtualChip chip(vcard::make_blank_chip(kTransportKey));
    EXPECT_THROW(issuer.run(chip), Error);
    EXPECT_NE(chip.life_cycle(), LifeCycle::Locked);
}

TEST(Personalizer, RefusesARecordThatCannotGoOnACard) {
    Issuer issuer;
    vcard::VirtualChip chip(vcard::make_blank_chip(kTransportKey));
    issuer.record.person.personal_id = "07930301234";
    EXPECT_THROW(issuer.run(chip), InvalidArgument);
    issuer.record = fixtures::enrollment_record(fixtures::sample_citizen(), from_hex("89504E470D0A1A0A"));  // a PNG
    EXPECT_THROW(issuer.run(chip), InvalidArgument);
    EXPECT_EQ(chip.life_cycle(), LifeCycle::Blank);
}

TEST(ChipKeyChecks, KeysThatAreNotWhatWasAskedForFail) {
    auto p256 = protocol::encode_subject_public_key_info(crypto::generate_ec_key(crypto::EcGroup::by_name("prime256v1")));
    auto brainpool = protocol::encode_subject_public_key_info(crypto::generate_ec_key(crypto::EcGroup::by_parameter_id(13)));
    EXPECT_EQ(check_chip_key("AA", brainpool, KeySpec::ec(13)).verdict, pa::Verdict::Pass);
    EXPECT_EQ(check_chip_key("AA", p256, KeySpec::ec(13)).verdict, pa::Verdict::Fail);
    EXPECT_EQ(check_chip_key("AA", brainpool, KeySpec::rsa(2048)).verdict, pa::Verdict::Fail);
    auto rsa = protocol::encode_subject_public_key_info(crypto::generate_rsa_key(2048));
    EXPECT_EQ(check_chip_key("AA", rsa, KeySpec::rsa(2048)).verdict, pa::Verdict::Pass);
    EXPECT_EQ(check_chip_key("AA", rsa, KeySpec::rsa(3072)).verdict, pa::Verdict::Fail);
    EXPECT_EQ(check_chip_key("AA", from_hex("3003020100"), KeySpec::ec(13)).verdict, pa::Verdict::Fail);
}

TEST(ChipKeyChecks, AnRsaKeyWithTheRocaFingerprintFails) {
    // n = p*q with p, q = k*M + 65537^a mod M (M the primorial of 167): the flawed library's structure.
    crypto::BnCtxPtr ctx(BN_CTX_new());
    crypto::BignumPtr m(BN_new()), n(BN_new()), e(BN_new());
    BN_one(m.get());
    for (unsigned p : {2u, 3u, 5u, 7u, 11u, 13u, 17u, 19u, 23u, 29u, 31u, 37u, 41u, 43u, 47u, 53u, 59u, 61u, 67u, 71u,
                       73u, 79u, 83u, 89u, 97u, 101u, 103u, 107u, 109u, 113u, 127u, 131u, 137u, 139u, 149u, 151u, 157u,
                       163u, 167u}) {
        BN_mul_word(m.get(), p);
    }
    BN_set_word(e.get(), 65537);
    BN_one(n.get());
    for (int factor = 0; factor < 2; ++factor) {
        crypto::BignumPtr a(BN_new()), k(BN_new()), g(BN_new());
        BN_rand(a.get(), 64, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY);
        BN_rand(k.get(), 800, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY);
        BN_mod_exp(g.get(), e.get(), a.get(), m.get(), ctx.get());
        BN_mul(k.get(), k.get(), m.get(), ctx.get());
        BN_add(k.get(), k.get(), g.get());
        BN_mul(n.get(), n.get(), k.get(), ctx.get());
    }
    std::unique_ptr<OSSL_PARAM_BLD, crypto::Deleter<OSSL_PARAM_BLD_free>> build(OSSL_PARAM_BLD_new());
    OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_N, n.get());
    OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_E, e.get());
    std::unique_ptr<OSSL_PARAM, crypto::Deleter<OSSL_PARAM_free>> params(OSSL_PARAM_BLD_to_param(build.get()));
    crypto::PKeyCtxPtr pctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
    EVP_PKEY* raw = nullptr;
    ASSERT_EQ(EVP_PKEY_fromdata_init(pctx.get()), 1);
    ASSERT_EQ(EVP_PKEY_fromdata(pctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()), 1);
    crypto::PKeyPtr key(raw);
    unsigned bits = static_cast<unsigned>(EVP_PKEY_get_bits(key.get()));
    auto check = check_chip_key("AA", protocol::encode_subject_public_key_info(key), KeySpec::rsa(bits));
    EXPECT_EQ(check.verdict, pa::Verdict::Fail);
    EXPECT_NE(check.reason.find("ROCA"), std::string::npos) << check.reason;
}

// A Căn cước for a child under 6: no DG2 is written, the read-back finds none and says so, and the card
// is issued. A DG2 left on the chip by an earlier attempt with a record that had a photo is deleted.
TEST(Personalizer, IssuesACardWithoutAPhotoAndItsReadBackFindsNoDg2) {
    Issuer issuer;
    vcard::VirtualChip chip(vcard::make_blank_chip(kTransportKey));
    // An earlier attempt with the adult's record, pulled before LOCK: its DG2 is on the chip.
    issuer.options.on_step = [](const PersonalizationStep& s) {
        if (s.number == 6) throw Error("pulled");
    };
    EXPECT_THROW(issuer.run(chip), Error);
    const std::uint16_t dg2 = lds::file_info(lds::LdsFile::Dg2).fid;
    ASSERT_TRUE(chip.contents().files.contains(dg2));

    issuer.options.on_step = nullptr;
    issuer.record = fixtures::child_under_6_record();
    const auto r = issuer.run(chip);
    EXPECT_TRUE(r.issued);
    EXPECT_TRUE(all_pass(r));
    EXPECT_FALSE(chip.contents().files.contains(dg2)) << "the earlier attempt's DG2 is gone";
    bool dg2_check = false;
    for (const auto& c : r.checks) {
        EXPECT_NE(c.name, "DG2 hash") << "the SOD lists no DG2";
        if (c.name == "Data matches the record: DG2") {
            dg2_check = true;
            EXPECT_EQ(c.verdict, pa::Verdict::Pass) << c.reason;
            EXPECT_NE(c.reason.find("absent"), std::string::npos) << c.reason;
        }
    }
    EXPECT_TRUE(dg2_check);
    EXPECT_EQ(lds::parse_sod(r.sod).security_object.hash_of(2), nullptr);
}

// A copy of a personalized (locked) chip with its data groups changed by `change`, EF.COM and EF.SOD
// made again over them and signed by the test DS: a genuine-looking card that holds other data groups.
vcard::VirtualChip resigned_copy(const vcard::VirtualChip& chip, const fixtures::TestPki& pki,
                                 const std::function<void(std::map<int, Bytes>&)>& change) {
    const auto fid = [](lds::LdsFile f) { return lds::file_info(f).fid; };
    const auto shared = [](const crypto::PKeyPtr& key) {
        EVP_PKEY_up_ref(key.get());
        return crypto::PKeyPtr(key.get());
    };
    const vcard::ChipContents& from = chip.contents();
    vcard::ChipContents c;
    c.chip_serial = from.chip_serial;
    c.can = from.can;
    c.mrz_information = from.mrz_information;
    c.active_auth_key = shared(from.active_auth_key);
    c.chip_auth_key = shared(from.chip_auth_key);
    std::map<int, Bytes> groups;
    for (const int n : {1, 2, 13, 14, 15}) {
        if (auto it = from.files.find(fid(*lds::data_group_file(n))); it != from.files.end()) groups[n] = it->second;
    }
    change(groups);
    std::vector<lds::LdsFile> listed;
    for (const auto& [n, bytes] : groups) {
        listed.push_back(*lds::data_group_file(n));
        c.files[fid(*lds::data_group_file(n))] = bytes;
    }
    c.files[fid(lds::LdsFile::Com)] = lds::encode(lds::make_ef_com(listed));
    c.files[fid(lds::LdsFile::CardAccess)] = from.files.at(fid(lds::LdsFile::CardAccess));
    const std::vector<std::pair<int, Bytes>> hashed(groups.begin(), groups.end());
    c.files[fid(lds::LdsFile::Sod)] = lds::build_sod(lds::make_lds_security_object(hashed), pki.ds.key.get(), pki.ds.cert.get());
    return vcard::VirtualChip(std::move(c));
}

pa::Check check_named(const PersonalizationResult& r, const std::string& name) {
    for (const auto& c : r.checks) {
        if (c.name == name) return c;
    }
    return {name, pa::Verdict::NotChecked, "not in the result"};
}

// The read-back compares the card with the record's profile both ways, on cards whose SOD is genuine:
// the adult's card without its DG2 fails for the adult's record; the child's card with a DG2 fails for
// the child's record.
TEST(Personalizer, TheReadBackFailsAMissingDg2AndOneTheProfileDoesNotHave) {
    Issuer issuer;
    vcard::VirtualChip adult(vcard::make_blank_chip(kTransportKey));
    ASSERT_TRUE(issuer.run(adult).issued);
    const Bytes adult_dg2 = adult.contents().files.at(lds::file_info(lds::LdsFile::Dg2).fid);
    vcard::VirtualChip faceless = resigned_copy(adult, issuer.pki, [](auto& groups) { groups.erase(2); });
    auto r = issuer.run(faceless);
    EXPECT_TRUE(r.only_verified);
    EXPECT_FALSE(r.issued);
    EXPECT_EQ(check_named(r, "SOD signature").verdict, pa::Verdict::Pass);
    EXPECT_EQ(check_named(r, "Data matches the record: DG13").verdict, pa::Verdict::Pass);
    const pa::Check missing = check_named(r, "Data matches the record: DG2");
    EXPECT_EQ(missing.verdict, pa::Verdict::Fail);
    EXPECT_EQ(missing.reason, "DG2 is missing on the card");

    issuer.record = fixtures::child_under_6_record();
    vcard::VirtualChip child(vcard::make_blank_chip(kTransportKey));
    ASSERT_TRUE(issuer.run(child).issued);
    vcard::VirtualChip with_face = resigned_copy(child, issuer.pki, [&](auto& groups) { groups[2] = adult_dg2; });
    r = issuer.run(with_face);
    EXPECT_FALSE(r.issued);
    EXPECT_EQ(check_named(r, "DG2 hash").verdict, pa::Verdict::Pass) << "the card is genuine: only the record says no";
    const pa::Check extra = check_named(r, "Data matches the record: DG2");
    EXPECT_EQ(extra.verdict, pa::Verdict::Fail);
    EXPECT_NE(extra.reason.find("has none"), std::string::npos) << extra.reason;
}

// The station finds the key by the chip serial the chip reports in plain before PACE (the maker's batch
// manifest): the lookup is asked with exactly that serial, and a card in no imported batch is refused
// before anything is written, the chip left blank for the next attempt.
TEST(Personalizer, AsksForTheTransportKeyByTheChipsOwnSerialAndLeavesAnUnknownCardBlank) {
    Issuer issuer;
    vcard::VirtualChip chip(vcard::make_blank_chip(kTransportKey));
    std::vector<Bytes> asked;
    issuer.options.transport_key = [&](ByteView serial) {
        asked.emplace_back(serial.begin(), serial.end());
        throw UnknownBlankCardError(serial);
        return SecretBytes();
    };
    try {
        (void)issuer.run(chip);
        ADD_FAILURE() << "a card without a key was personalized";
    } catch (const UnknownBlankCardError& e) {
        EXPECT_EQ(e.chip_serial(), chip.contents().chip_serial);
        EXPECT_NE(std::string(e.what()).find(to_hex(chip.contents().chip_serial)), std::string::npos);
    }
    ASSERT_EQ(asked.size(), 1u);
    EXPECT_EQ(asked[0], chip.contents().chip_serial);
    EXPECT_NE(chip.life_cycle(), LifeCycle::Locked);

    // The batch imported: the same card is issued.
    issuer.options.transport_key = [&](ByteView serial) {
        EXPECT_EQ(Bytes(serial.begin(), serial.end()), chip.contents().chip_serial);
        return SecretBytes(ByteView(kTransportKey));
    };
    EXPECT_TRUE(issuer.run(chip).issued);
}

TEST(Personalizer, RefusesToStartWithoutAWayToTheTransportKey) {
    Issuer issuer;
    vcard::VirtualChip chip(vcard::make_blank_chip(kTransportKey));
    issuer.options.transport_key = nullptr;
    EXPECT_THROW((void)issuer.run(chip), InvalidArgument);
}
