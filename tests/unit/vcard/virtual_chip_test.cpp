// The virtual chip answered by the card core's terminal steps, in one process: PACE (CAN and MRZ) and
// BAC, reading every file, Passive, Active and Chip Authentication, and the access rules of a real CCCD.
#include "vcard/virtual_chip.hpp"

#include <gtest/gtest.h>

#include <ctime>

#include "base/error.hpp"
#include "card/lds/dg1.hpp"
#include "card/lds/lds_file.hpp"
#include "card/lds/security_infos.hpp"
#include "card/mrz/mrz.hpp"
#include "card/pa/passive_auth.hpp"
#include "card/pa/trust_store.hpp"
#include "card/protocol/active_auth.hpp"
#include "card/protocol/bac.hpp"
#include "card/protocol/chip_auth.hpp"
#include "card/protocol/pace.hpp"
#include "crypto/random.hpp"
#include "tests/fixtures/sample_card.hpp"

using namespace cccd;
using apdu::CommandApdu;
using apdu::ResponseApdu;
namespace pace = cccd::protocol::pace;

namespace {

// A sample card on a virtual chip.
struct Card {
    fixtures::TestPki pki = fixtures::make_test_pki();
    fixtures::SampleCitizen citizen = fixtures::sample_citizen();
    fixtures::SampleCard sample;
    std::string mrz_information;
    std::string can;
    std::unique_ptr<vcard::VirtualChip> chip;

    Card() {
        // A tiny JPEG frame header is enough for DG2 here.
        Bytes jpeg = from_hex("FFD8FFC0000B08014000F0011100FFD9");
        sample = fixtures::make_sample_card(citizen, jpeg, pki.ds);
        vcard::ChipContents contents;
        for (const auto& [name, bytes] : sample.files) {
            contents.files[lds::file_info(*lds::file_by_name(name)).fid] = bytes;
        }
        mrz_information = mrz::mrz_information(mrz::parse_td1(lds::decode_dg1(sample.files.at("DG1")).mrz));
        can = mrz::can_from_id_number(citizen.person.personal_id);
        contents.mrz_information = mrz_information;
        contents.can = can;
        contents.active_auth_key = std::move(sample.active_auth_key);
        contents.chip_auth_key = std::move(sample.chip_auth_key);
        chip = std::make_unique<vcard::VirtualChip>(std::move(contents));
    }
    ResponseApdu transmit(const CommandApdu& c) { return ResponseApdu::parse(chip->process(c.encode())); }
};

// A minimal reader: the terminal steps and secure messaging over the chip.
struct Reader {
    Card& card;
    std::optional<sm::SecureMessaging> sm;

    ResponseApdu send(const CommandApdu& c) {
        if (!sm) return card.transmit(c);
        return sm->unwrap(card.transmit(sm->wrap(c)));
    }
    Bytes read_file(std::uint16_t fid) {
        ResponseApdu s = send(apdu::select_file(fid));
        if (!s.ok()) throw Error("SELECT " + apdu::describe_status_word(s.sw));
        Bytes out;
        for (;;) {
            ResponseApdu r = send(apdu::read_binary(out.size(), 0xDF));
            if (r.sw == apdu::sw::kWrongParameters) break;
            if (!r.ok()) throw Error("READ BINARY " + apdu::describe_status_word(r.sw));
            append(out, r.data);
            if (r.data.size() < 0xDF) break;
        }
        return out;
    }
    void pace(pace::PasswordType type, const std::string& password) {
        pace::PaceTerminal t(std::string(pace::kEcdhGmAes128), 13, type, password);
        auto check = [](const ResponseApdu& r) {
            if (!r.ok()) throw ProtocolError("PACE", 0, apdu::describe_status_word(r.sw));
            return r.data;
        };
        check(card.transmit(apdu::mse_set_at(0xC1, pace::encode_mse_set_at(t.mse_set_at()))));
        Bytes r1 = check(card.transmit(apdu::general_authenticate(t.step1_command(), true)));
        Bytes r2 = check(card.transmit(apdu::general_authenticate(t.step2_command(r1), true)));
        Bytes r3 = check(card.transmit(apdu::general_authenticate(t.step3_command(r2), true)));
        Bytes r4 = check(card.transmit(apdu::general_authenticate(t.step4_command(r3), false)));
        sm = t.finish(r4).open();
    }
    void bac(const std::string& mrz_information) {
        auto keys = protocol::bac::derive_access_keys(mrz::bac_key_seed(mrz_information).view());
        ResponseApdu challenge = card.transmit(apdu::get_challenge());
        Bytes rnd_ifd = crypto::random_bytes(8), k_ifd = crypto::random_bytes(16);
        Bytes data = protocol::bac::terminal_authentication_data(keys, challenge.data, rnd_ifd, k_ifd);
        ResponseApdu r = card.transmit(apdu::mutual_authenticate(data));
        if (!r.ok()) throw ProtocolError("BAC", 1, apdu::describe_status_word(r.sw));
        sm = protocol::bac::terminal_complete(keys, challenge.data, rnd_ifd, k_ifd, r.data).open();
    }
    std::map<int, Bytes> read_data_groups() {
        std::map<int, Bytes> groups;
        for (int dg : {1, 2, 13, 14, 15}) groups[dg] = read_file(lds::file_info(*lds::data_group_file(dg)).fid);
        return groups;
    }
};

pa::Report passive_auth(Card& card, const std::map<int, Bytes>& groups, Reader& reader) {
    pa::TrustStore trust;
    trust.add_certificates(card.pki.csca.cert_der(), "test CSCA");
    return pa::verify(groups, reader.read_file(0x011D), trust, std::time(nullptr));
}

}  // namespace

TEST(VirtualChip, PaceWithCanReadsEveryFileAndPassivePassesAuthentication) {
    Card card;
    Reader reader{card, {}};
    ASSERT_TRUE(card.transmit(apdu::select_application(apdu::emrtd_aid())).ok());
    reader.pace(pace::PasswordType::Can, card.can);
    auto groups = reader.read_data_groups();
    EXPECT_EQ(groups.at(13), card.sample.files.at("DG13"));
    EXPECT_EQ(groups.at(2), card.sample.files.at("DG2"));
    pa::Report report = passive_auth(card, groups, reader);
    EXPECT_TRUE(report.passed());
}

TEST(VirtualChip, PaceWithMrzAndBacBothOpenTheCard) {
    Card card;
    Reader pace_reader{card, {}};
    card.transmit(apdu::select_application(apdu::emrtd_aid()));
    pace_reader.pace(pace::PasswordType::Mrz, card.mrz_information);
    EXPECT_EQ(pace_reader.read_file(0x0101), card.sample.files.at("DG1"));

    card.chip->reset();
    Reader bac_reader{card, {}};
    card.transmit(apdu::select_application(apdu::emrtd_aid()));
    bac_reader.bac(card.mrz_information);
    EXPECT_EQ(bac_reader.read_file(0x010D), card.sample.files.at("DG13"));
}

TEST(VirtualChip, AWrongCanIsRefusedAtTheLastStep) {
    Card card;
    Reader reader{card, {}};
    card.transmit(apdu::select_application(apdu::emrtd_aid()));
    std::string wrong = card.can == "000000" ? "000001" : "000000";
    EXPECT_THROW(reader.pace(pace::PasswordType::Can, wrong), ProtocolError);
    EXPECT_FALSE(card.chip->secure_messaging_active());
    // The right CAN still works afterwards.
    reader.pace(pace::PasswordType::Can, card.can);
    EXPECT_TRUE(card.chip->secure_messaging_active());
}

TEST(VirtualChip, AccessRulesOfARealCard) {
    Card card;
    // The MF cannot be selected; EF.CardAccess can, by FID, without any access control.
    EXPECT_EQ(card.transmit(apdu::select_file(0x3F00)).sw, apdu::sw::kFileNotFound);
    Reader plain{card, {}};
    EXPECT_EQ(plain.read_file(0x011C), card.sample.files.at("EF.CardAccess"));
    card.transmit(apdu::select_application(apdu::emrtd_aid()));
    // Every other file needs secure messaging.
    EXPECT_EQ(card.transmit(apdu::select_file(0x0101)).sw, apdu::sw::kSecurityStatusNotSatisfied);
    EXPECT_EQ(card.transmit(apdu::select_file(0x010B)).sw, apdu::sw::kFileNotFound);  // DG11 absent
    EXPECT_EQ(card.transmit(apdu::internal_authenticate(Bytes(8, 1))).sw, apdu::sw::kSecurityStatusNotSatisfied);
    Reader reader{card, {}};
    reader.pace(pace::PasswordType::Can, card.can);
    EXPECT_EQ(reader.send(apdu::select_file(0x010B)).sw, apdu::sw::kFileNotFound);
    // Read by short EF identifier, and with the odd instruction (DO'53').
    ResponseApdu by_sfi = reader.send(apdu::read_binary_short_ef(0x1E, 0, 4));
    EXPECT_EQ(by_sfi.data, Bytes(card.sample.files.at("EF.COM").begin(), card.sample.files.at("EF.COM").begin() + 4));
    ResponseApdu odd = reader.send(apdu::read_binary_odd(2, 3));
    EXPECT_EQ(to_hex(odd.data).substr(0, 4), "5303");
}

TEST(VirtualChip, AWrongMacAnswers6988AndEndsTheSession) {
    Card card;
    Reader reader{card, {}};
    card.transmit(apdu::select_application(apdu::emrtd_aid()));
    reader.pace(pace::PasswordType::Can, card.can);
    CommandApdu wrapped = reader.sm->wrap(apdu::select_file(0x0101));
    wrapped.data.back() ^= 0x01;  // inside DO'8E'
    EXPECT_EQ(card.transmit(wrapped).sw, apdu::sw::kSmDataObjectsIncorrect);
    EXPECT_FALSE(card.chip->secure_messaging_active());
    CommandApdu next = reader.sm->wrap(apdu::select_file(0x0101));
    EXPECT_EQ(card.transmit(next).sw, apdu::sw::kSmDataObjectsMissing);
}

TEST(VirtualChip, ActiveAuthenticationSignsTheChallenge) {
    Card card;
    Reader reader{card, {}};
    card.transmit(apdu::select_application(apdu::emrtd_aid()));
    reader.pace(pace::PasswordType::Can, card.can);
    Bytes challenge = crypto::random_bytes(8);
    ResponseApdu r = reader.send(apdu::internal_authenticate(challenge));
    ASSERT_TRUE(r.ok());
    Bytes dg15 = reader.read_file(0x010F);
    auto verdict = protocol::verify_active_auth(dg15, challenge, r.data, std::string("0.4.0.127.0.7.1.1.4.1.3"));
    EXPECT_TRUE(verdict.ok) << verdict.reason;
    Bytes other = challenge;
    other[0] ^= 1;
    EXPECT_FALSE(protocol::verify_active_auth(dg15, other, r.data, std::string("0.4.0.127.0.7.1.1.4.1.3")).ok);
}

TEST(VirtualChip, ChipAuthenticationSwitchesToNewKeys) {
    Card card;
    Reader reader{card, {}};
    card.transmit(apdu::select_application(apdu::emrtd_aid()));
    reader.pace(pace::PasswordType::Can, card.can);
    auto dg14 = lds::decode_dg14(reader.read_file(0x010E));
    auto keys = dg14.security_infos.all<lds::ChipAuthenticationPublicKeyInfo>();
    ASSERT_EQ(keys.size(), 1u);
    auto request = protocol::chip_auth::terminal_request(protocol::chip_auth::kEcdhAes128, keys[0].public_key_info);
    ASSERT_TRUE(reader.send(apdu::mse_set_at(0x41, request.mse_set_at)).ok());
    ASSERT_TRUE(reader.send(apdu::general_authenticate(request.general_authenticate, false)).ok());
    reader.sm = request.keys.open();
    // Only a chip holding the CA private key can answer under the new keys.
    EXPECT_EQ(reader.read_file(0x010D), card.sample.files.at("DG13"));
}
