// Card sessions against the virtual chip in process: PACE and BAC, every file with progress, CA, AA
// and PA verdicts, a wrong CAN, an altered data group, the 6700 fallback and a card pulled mid-read.
#include "card/session/card_session.hpp"

#include <gtest/gtest.h>

#include "card/lds/dg1.hpp"
#include "card/lds/ef_com.hpp"
#include "card/lds/lds_file.hpp"
#include "card/lds/security_infos.hpp"
#include "card/mrz/mrz.hpp"
#include "card/protocol/active_auth.hpp"
#include "crypto/random.hpp"
#include "tests/fixtures/profile_records.hpp"
#include "tests/fixtures/sample_card.hpp"
#include "vcard/chip_channel.hpp"
#include "vcard/clone.hpp"
#include "vcard/virtual_chip.hpp"

using namespace cccd;
using namespace cccd::session;
using cccd::channel::CardRemovedError;
using cccd::vcard::ChipChannel;  // the card can be pulled after N commands

namespace {

// Another owner of the same key, so several chips can be made from one sample card.
crypto::PKeyPtr shared(const crypto::PKeyPtr& key) {
    EVP_PKEY_up_ref(key.get());
    return crypto::PKeyPtr(key.get());
}

struct SampleChip {
    fixtures::TestPki pki = fixtures::make_test_pki();
    fixtures::SampleCitizen citizen = fixtures::sample_citizen();
    fixtures::SampleCard sample;
    std::string can, mrz_information;
    pa::TrustStore trust;

    explicit SampleChip(std::size_t photo_bytes = 15000) {
        // A JPEG frame header followed by filler: DG2 of about `photo_bytes`.
        Bytes jpeg = from_hex("FFD8FFC0000B08014000F0011100");
        jpeg.resize(photo_bytes, 0x5A);
        append(jpeg, from_hex("FFD9"));
        sample = fixtures::make_sample_card(citizen, jpeg, pki.ds);
        can = mrz::can_from_id_number(citizen.person.personal_id);
        mrz_information = mrz::mrz_information(mrz::parse_td1(lds::decode_dg1(sample.files.at("DG1")).mrz));
        trust.add_certificates(pki.csca.cert_der(), "test CSCA");
    }
    // The card of any enrollment record (fixtures::make_card: DG2 as the record's profile says).
    explicit SampleChip(const identity::EnrollmentRecord& record) {
        sample = fixtures::make_card(record, pki.ds);
        can = mrz::can_from_id_number(record.person.personal_id);
        mrz_information = mrz::mrz_information(mrz::parse_td1(lds::decode_dg1(sample.files.at("DG1")).mrz));
        trust.add_certificates(pki.csca.cert_der(), "test CSCA");
    }
    vcard::ChipContents contents(bool with_card_access = true) {
        vcard::ChipContents c;
        for (const auto& [name, bytes] : sample.files) {
            if (!with_card_access && name == "EF.CardAccess") continue;
            c.files[lds::file_info(*lds::file_by_name(name)).fid] = bytes;
        }
        c.can = can;
        c.mrz_information = mrz_information;
        c.active_auth_key = shared(sample.active_auth_key);
        c.chip_auth_key = shared(sample.chip_auth_key);
        return c;
    }
};

SessionOptions options_for(SampleChip& card) {
    SessionOptions o;
    o.can = card.can;
    o.active_auth_challenge = crypto::random_bytes(8);
    o.trust = &card.trust;
    return o;
}

bool passed(const ReadResult& r, const std::string& name) {
    for (const auto& c : r.checks) {
        if (c.name == name) return c.verdict == pa::Verdict::Pass;
    }
    return false;
}

}  // namespace

TEST(CardSession, PaceCanReadsEverythingAndEveryCheckPasses) {
    SampleChip card;
    vcard::VirtualChip chip(card.contents());
    ChipChannel channel(chip);
    std::vector<Progress> dg2_progress;
    SessionOptions o = options_for(card);
    o.on_progress = [&](const Progress& p) {
        if (p.file == "DG2") dg2_progress.push_back(p);
    };
    ReadResult r = read_card(channel, o);
    EXPECT_EQ(r.access_protocol, "PACE-CAN");
    for (const char* f : {"DG1", "DG2", "DG13", "DG14", "DG15", "EF.SOD", "EF.CardAccess"}) {
        EXPECT_EQ(r.files.at(f), card.sample.files.at(f)) << f;
    }
    EXPECT_TRUE(passed(r, "Chip Authentication"));
    EXPECT_TRUE(passed(r, "Active Authentication"));
    EXPECT_TRUE(passed(r, "SOD signature"));
    EXPECT_TRUE(passed(r, "DG2 hash"));
    EXPECT_EQ(r.overall, pa::Verdict::Pass);
    ASSERT_GT(dg2_progress.size(), 10u);  // 15 KB in 223-byte blocks
    EXPECT_EQ(dg2_progress.back().read, dg2_progress.back().total);
    EXPECT_GT(r.apdus, 70u);
}

// A relying party's server checks the card's AA signature itself, so the session hands it out, and
// the CA key the card proved it holds (what a terminal reports as chip_authentication.public_key).
TEST(CardSession, TheResultCarriesTheActiveAuthSignatureAndTheChipAuthKey) {
    SampleChip card;
    vcard::VirtualChip chip(card.contents());
    ChipChannel channel(chip);
    SessionOptions o = options_for(card);
    ReadResult r = read_card(channel, o);
    ASSERT_TRUE(passed(r, "Active Authentication"));
    ASSERT_TRUE(r.active_auth_signature.has_value());
    std::optional<std::string> oid;
    auto aa_infos = lds::decode_dg14(r.files.at("DG14")).security_infos.all<lds::ActiveAuthenticationInfo>();
    if (!aa_infos.empty()) oid = aa_infos.front().signature_algorithm;
    auto oid_view = oid ? std::optional<std::string_view>(*oid) : std::nullopt;
    EXPECT_TRUE(protocol::verify_active_auth(r.files.at("DG15"), *o.active_auth_challenge, *r.active_auth_signature,
                                             oid_view).ok);
    // The signature is over this challenge and no other.
    Bytes other = *o.active_auth_challenge;
    other[0] ^= 0x01;
    EXPECT_FALSE(protocol::verify_active_auth(r.files.at("DG15"), other, *r.active_auth_signature, oid_view).ok);

    ASSERT_TRUE(passed(r, "Chip Authentication"));
    ASSERT_TRUE(r.chip_auth_public_key.has_value());
    auto ca_keys = lds::decode_dg14(r.files.at("DG14")).security_infos.all<lds::ChipAuthenticationPublicKeyInfo>();
    ASSERT_FALSE(ca_keys.empty());
    EXPECT_EQ(*r.chip_auth_public_key, ca_keys.front().public_key_info);
}

TEST(CardSession, WithoutAChallengeOrCaThereIsNoSignatureNorKey) {
    SampleChip card;
    vcard::VirtualChip chip(card.contents());
    ChipChannel channel(chip);
    SessionOptions o = options_for(card);
    o.active_auth_challenge.reset();
    o.chip_authentication = false;
    ReadResult r = read_card(channel, o);
    EXPECT_FALSE(r.active_auth_signature.has_value());
    EXPECT_FALSE(r.chip_auth_public_key.has_value());
}

TEST(CardSession, BacWhenTheCardHasNoPace) {
    SampleChip card;
    vcard::VirtualChip chip(card.contents(false));
    ChipChannel channel(chip);
    SessionOptions o = options_for(card);
    o.can.reset();
    o.mrz_information = card.mrz_information;
    ReadResult r = read_card(channel, o);
    EXPECT_EQ(r.access_protocol, "BAC");
    EXPECT_EQ(r.overall, pa::Verdict::Pass);
}

TEST(CardSession, PaceWithTheMrz) {
    SampleChip card(500);
    vcard::VirtualChip chip(card.contents());
    ChipChannel channel(chip);
    SessionOptions o = options_for(card);
    o.can.reset();
    o.mrz_information = card.mrz_information;
    EXPECT_EQ(read_card(channel, o).access_protocol, "PACE-MRZ");
}

TEST(CardSession, AWrongCanSaysSo) {
    SampleChip card(500);
    vcard::VirtualChip chip(card.contents());
    ChipChannel channel(chip);
    SessionOptions o = options_for(card);
    o.can = card.can == "000000" ? "000001" : "000000";
    try {
        read_card(channel, o);
        FAIL() << "a wrong CAN opened the card";
    } catch (const AccessDeniedError& e) {
        EXPECT_NE(std::string(e.what()).find("CAN is wrong"), std::string::npos) << e.what();
    }
}

TEST(CardSession, AnAlteredDataGroupFailsPassiveAuthenticationByName) {
    SampleChip card(500);
    auto contents = card.contents();
    contents.files[0x010D][40] ^= 0x01;  // one byte of DG13
    vcard::VirtualChip chip(std::move(contents));
    ChipChannel channel(chip);
    ReadResult r = read_card(channel, options_for(card));
    EXPECT_EQ(r.overall, pa::Verdict::Fail);
    EXPECT_FALSE(passed(r, "DG13 hash"));
    EXPECT_TRUE(passed(r, "DG1 hash"));
}

// A clone: the victim's DG1, DG2, DG13 and SOD copied, DG14 and DG15 left out (their private keys cannot
// be copied), and an EF.COM that does not list them (vcard/clone.hpp).
vcard::ChipContents clone_of(SampleChip& card) { return vcard::clone_without_keys(card.contents()); }

const pa::Check* check_named(const ReadResult& r, const std::string& name) {
    for (const auto& c : r.checks) {
        if (c.name == name) return &c;
    }
    return nullptr;
}

TEST(CardSession, ACloneWithoutTheDataGroupsItsSodPromisesIsRefused) {
    SampleChip card(500);
    vcard::VirtualChip chip(clone_of(card));
    ChipChannel channel(chip);
    const ReadResult r = read_card(channel, options_for(card));
    EXPECT_EQ(r.overall, pa::Verdict::Fail);
    for (const char* name : {"Chip Authentication", "Active Authentication", "DG14 hash", "DG15 hash"}) {
        const pa::Check* c = check_named(r, name);
        ASSERT_NE(c, nullptr) << name;
        EXPECT_EQ(c->verdict, pa::Verdict::Fail) << name << ": " << c->reason;
        EXPECT_NE(c->reason.find("the SOD lists DG1"), std::string::npos) << name << ": " << c->reason;
    }
    EXPECT_TRUE(passed(r, "SOD signature"));  // the copied SOD is genuine: that is the point of the clone
    EXPECT_TRUE(passed(r, "DG13 hash"));
}

// A Căn cước for a child under 6 has no DG2, and neither its EF.COM nor its SOD lists one: it reads
// whole and every check passes. A card whose SOD lists DG2 and that does not give it fails by name.
TEST(CardSession, ACardWithoutDg2ReadsWholeAndACardWithholdingItsListedDg2Fails) {
    SampleChip child(fixtures::child_under_6_record());
    vcard::VirtualChip chip(child.contents());
    ChipChannel channel(chip);
    const ReadResult r = read_card(channel, options_for(child));
    EXPECT_EQ(r.overall, pa::Verdict::Pass);
    EXPECT_FALSE(r.files.contains("DG2"));
    EXPECT_EQ(check_named(r, "DG2 hash"), nullptr);
    for (const char* name : {"Chip Authentication", "Active Authentication", "SOD signature", "DG1 hash", "DG13 hash"}) {
        EXPECT_TRUE(passed(r, name)) << name;
    }
    // The same without the SOD (EF.COM decides what is read): no DG2 asked for either.
    auto contents = child.contents();
    contents.files.erase(lds::file_info(lds::LdsFile::Sod).fid);
    vcard::VirtualChip without_sod(std::move(contents));
    ChipChannel unsigned_channel(without_sod);
    const ReadResult listed_by_com = read_card(unsigned_channel, options_for(child));
    EXPECT_FALSE(listed_by_com.files.contains("DG2"));
    EXPECT_TRUE(listed_by_com.files.contains("DG13"));

    SampleChip adult(500);
    auto withheld = adult.contents();
    withheld.files.erase(lds::file_info(lds::LdsFile::Dg2).fid);
    vcard::VirtualChip faceless(std::move(withheld));
    ChipChannel faceless_channel(faceless);
    const ReadResult refused = read_card(faceless_channel, options_for(adult));
    EXPECT_EQ(refused.overall, pa::Verdict::Fail);
    const pa::Check* dg2 = check_named(refused, "DG2 hash");
    ASSERT_NE(dg2, nullptr);
    EXPECT_EQ(dg2->verdict, pa::Verdict::Fail);
    EXPECT_NE(dg2->reason.find("the SOD lists DG2"), std::string::npos) << dg2->reason;
}

TEST(CardSession, AnEfComThatLeavesOutGroupsTheCardHasHidesNothing) {
    SampleChip card(500);
    auto contents = card.contents();
    contents.files[lds::file_info(lds::LdsFile::Com).fid] = lds::encode(lds::make_ef_com({lds::LdsFile::Dg1}));
    vcard::VirtualChip chip(std::move(contents));
    ChipChannel channel(chip);
    const ReadResult r = read_card(channel, options_for(card));
    EXPECT_EQ(r.overall, pa::Verdict::Pass);
    EXPECT_TRUE(passed(r, "Chip Authentication"));
    EXPECT_TRUE(passed(r, "Active Authentication"));
    EXPECT_TRUE(passed(r, "DG13 hash"));
}

TEST(CardSession, ExtendedReadsFallBackTo223BytesOn6700) {
    SampleChip card;
    vcard::VirtualChip chip(card.contents());
    ChipChannel extended(chip, true);
    ReadResult fast = read_card(extended, options_for(card));
    EXPECT_EQ(fast.overall, pa::Verdict::Pass);

    // A chip without extended length answers 6700: the reader drops to 223-byte blocks.
    auto contents = card.contents();
    contents.extended_length = false;
    vcard::VirtualChip short_only(std::move(contents));
    ChipChannel refusing(short_only, true);
    ReadResult slow = read_card(refusing, options_for(card));
    EXPECT_EQ(slow.files.at("DG2"), card.sample.files.at("DG2"));
    EXPECT_GT(slow.apdus, fast.apdus);
}

TEST(CardSession, ACardPulledMidReadEndsTheSessionAndANewOneWorks) {
    SampleChip card;
    vcard::VirtualChip chip(card.contents());
    ChipChannel channel(chip);
    channel.pull_after(30);  // inside DG2
    EXPECT_THROW(read_card(channel, options_for(card)), CardRemovedError);
    chip.reset();  // re-inserted: powered up again
    ChipChannel again(chip);
    EXPECT_EQ(read_card(again, options_for(card)).overall, pa::Verdict::Pass);
}

// Cards and readers in the field: each behaviour of shared/reference and ISO/IEC 7816 the virtual chip
// can play, alone and together, through a whole session with secure messaging, CA, AA and PA.
TEST(CardSession, EveryReaderAndChipBehaviourReadsTheWholeCard) {
    SampleChip card;
    struct Behaviour {
        const char* name;
        bool t0, end_of_file_warning, extended;
        std::size_t max_data;
    };
    for (const Behaviour& b : {Behaviour{"T=0 (61xx, 6Cxx)", true, false, false, 0},
                               Behaviour{"end of file with 6282", false, true, true, 0},
                               Behaviour{"short reads of at most 100 bytes", false, false, true, 100},
                               Behaviour{"no extended length", false, false, false, 0},
                               Behaviour{"all at once", true, true, false, 61}}) {
        auto contents = card.contents();
        contents.extended_length = b.extended;
        vcard::VirtualChip chip(std::move(contents));
        chip.set_read_behaviour({b.end_of_file_warning, b.max_data});
        ChipChannel channel(chip, /*extended_length=*/true);  // the reader tries extended length first
        channel.set_t0(b.t0);
        const ReadResult r = read_card(channel, options_for(card));
        EXPECT_EQ(r.overall, pa::Verdict::Pass) << b.name;
        EXPECT_TRUE(passed(r, "Chip Authentication")) << b.name;
        EXPECT_TRUE(passed(r, "Active Authentication")) << b.name;
        for (const char* f : {"DG1", "DG2", "DG13", "DG14", "DG15", "EF.SOD", "EF.CardAccess"}) {
            EXPECT_EQ(r.files.at(f), card.sample.files.at(f)) << b.name << ": " << f;
        }
    }
}

// After a reset the chip has forgotten the selected application (and the secure messaging): a new session
// selects it again; a command that skips the SELECT finds no file.
TEST(CardSession, AfterAResetANewSessionSelectsTheApplicationAgain) {
    SampleChip card;
    vcard::VirtualChip chip(card.contents());
    ChipChannel channel(chip);
    ASSERT_EQ(read_card(channel, options_for(card)).overall, pa::Verdict::Pass);
    chip.reset();
    EXPECT_EQ(chip.process(apdu::select_file(lds::file_info(lds::LdsFile::Dg1).fid)).sw, apdu::sw::kFileNotFound);
    chip.reset();
    EXPECT_EQ(read_card(channel, options_for(card)).overall, pa::Verdict::Pass);
}

// What is read is what EF.SOD lists, each file once; EF.COM only for a card without a SOD, whose groups
// are then shown and Passive Authentication fails on the SOD.
TEST(CardSession, TheSodDecidesWhatIsReadAndEfComOnlyWithoutOne) {
    SampleChip card(500);
    vcard::VirtualChip chip(card.contents());
    ChipChannel channel(chip, true);
    const ReadResult r = read_card(channel, options_for(card));
    EXPECT_EQ(r.overall, pa::Verdict::Pass);
    EXPECT_FALSE(r.files.contains("EF.COM"));
    // EF.CardAccess, MSE + 4 GA, SELECT application, the SOD and its five groups (one block each with extended
    // length), MSE + GA + the probe of Chip Authentication, INTERNAL AUTHENTICATE.
    EXPECT_EQ(r.apdus, 1u + 5u + 1u + 1u + 5u + 3u + 1u);

    auto contents = card.contents();
    contents.files.erase(lds::file_info(lds::LdsFile::Sod).fid);
    vcard::VirtualChip without_sod(std::move(contents));
    ChipChannel other(without_sod, true);
    const ReadResult bare = read_card(other, options_for(card));
    EXPECT_TRUE(bare.files.contains("EF.COM"));
    EXPECT_EQ(bare.files.at("DG13"), card.sample.files.at("DG13"));
    EXPECT_EQ(bare.overall, pa::Verdict::Fail);
}
