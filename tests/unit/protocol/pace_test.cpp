// ICAO 9303 Part 11 Appendix G.1: PACE ECDH Generic Mapping on brainpoolP256r1, every value and every
// General Authenticate data object (shared/reference/test-vectors.md §3.1), then full runs both sides.
#include "card/protocol/pace.hpp"

#include <gtest/gtest.h>

#include "card/apdu/apdu.hpp"
#include "card/core/error.hpp"

using namespace cccd;
using namespace cccd::protocol::pace;

namespace {
const std::string kMrzInformation = "T22000129364081251010318";
const char* kOid = "0.4.0.127.0.7.2.2.4.2.2";

FixedSecrets terminal_secrets() {
    return {{}, from_hex("7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99"),
            from_hex("A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595")};
}
FixedSecrets chip_secrets() {
    return {from_hex("3F00C4D39D153F2B2A214A078D899B22"),
            from_hex("498FF49756F2DC1587840041839A85982BE7761D14715FB091EFA7BCE9058560"),
            from_hex("107CF58696EF6155053340FD633392BA81909DF7B9706F226F32086C7AFF974A")};
}
std::string ga_command(ByteView data, bool more) { return to_hex(cccd::apdu::general_authenticate(data, more).encode()); }
}  // namespace

TEST(PaceAppendixG1, PasswordKey) {
    EXPECT_EQ(to_hex(password_key(PasswordType::Mrz, kMrzInformation, crypto::KeyCipher::Aes128).view()),
              "89DED1B26624EC1E634C1989302849DD");
}

TEST(PaceAppendixG1, MseSetAt) {
    MseSetAt mse{kOid, PasswordType::Mrz, std::nullopt};
    EXPECT_EQ(to_hex(cccd::apdu::mse_set_at(0xC1, encode_mse_set_at(mse)).encode()), "0022C1A40F800A04007F00070202040202830101");
    mse.parameter_id = 13;
    EXPECT_EQ(to_hex(cccd::apdu::mse_set_at(0xC1, encode_mse_set_at(mse)).encode()),
              "0022C1A412800A04007F0007020204020283010184010D");
    MseSetAt back = decode_mse_set_at(encode_mse_set_at(mse));
    EXPECT_EQ(back.protocol_oid, kOid);
    EXPECT_EQ(back.password, PasswordType::Mrz);
    EXPECT_EQ(back.parameter_id, 13u);
}

TEST(PaceAppendixG1, EveryStepBothSidesByteForByte) {
    PaceTerminal terminal(kOid, 13, PasswordType::Mrz, kMrzInformation, terminal_secrets());
    PaceChip chip(kOid, 13, "", kMrzInformation, chip_secrets());
    chip.accept_mse_set_at(encode_mse_set_at({kOid, PasswordType::Mrz, 13}));

    Bytes c1 = terminal.step1_command();
    EXPECT_EQ(ga_command(c1, true), "10860000027C0000");
    Bytes r1 = chip.step1_response(c1);
    EXPECT_EQ(to_hex(r1), "7C12801095A3A016522EE98D01E76CB6B98B42C3");

    Bytes c2 = terminal.step2_command(r1);
    EXPECT_EQ(to_hex(terminal.nonce()), "3F00C4D39D153F2B2A214A078D899B22");
    EXPECT_EQ(ga_command(c2, true),
              "10860000457C438141047ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D896FC70262E0C2CC5E"
              "544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70C25AF71777A9C4922D00");
    Bytes r2 = chip.step2_response(c2);
    EXPECT_EQ(to_hex(r2), "7C43824104824FBA91C9CBE26BEF53A0EBE7342A3BF178CEA9F45DE0B70AA601651FBA3F57"
                          "30D8C879AAA9C9F73991E61B58F4D52EB87A0A0C709A49DC63719363CCD13C54");

    Bytes c3 = terminal.step3_command(r2);
    EXPECT_EQ(to_hex(terminal.mapped_generator()),
              "048CED63C91426D4F0EB1435E7CB1D74A46723A0AF21C89634F65A9AE87A9265E2"
              "8C879506743F8611AC33645C5B985C80B5F09A0B83407C1B6A4D857AE76FE522");
    EXPECT_EQ(ga_command(c3, true),
              "10860000457C438341042DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C"
              "3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB3646200");
    Bytes r3 = chip.step3_response(c3);
    EXPECT_EQ(to_hex(r3), "7C438441049E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB"
                          "7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F094");

    Bytes c4 = terminal.step4_command(r3);
    EXPECT_EQ(to_hex(terminal.shared_secret()), "28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925");
    EXPECT_EQ(ga_command(c4, false), "008600000C7C0A8508C2B0BD78D94BA86600");
    Bytes r4 = chip.step4_response(c4);
    EXPECT_EQ(to_hex(r4), "7C0A86083ABB9674BCE93C08");

    SessionKeys keys = terminal.finish(r4);
    EXPECT_EQ(to_hex(keys.ks_enc.view()), "F5F0E35C0D7161EE6724EE513A0D9A7F");
    EXPECT_EQ(to_hex(keys.ks_mac.view()), "FE251C7858B356B24514B3BD5F4297D1");
    EXPECT_EQ(to_hex(chip.session().ks_enc.view()), "F5F0E35C0D7161EE6724EE513A0D9A7F");
    EXPECT_EQ(to_hex(keys.open().ssc()), "00000000000000000000000000000000");
}

namespace {
// One full run with fresh random keys; returns the terminal's keys or throws.
SessionKeys run(std::uint64_t parameter_id, PasswordType type, const std::string& terminal_password,
                PaceChip& chip) {
    PaceTerminal terminal(kOid, parameter_id, type, terminal_password);
    chip.accept_mse_set_at(encode_mse_set_at(terminal.mse_set_at()));
    Bytes r1 = chip.step1_response(terminal.step1_command());
    Bytes r2 = chip.step2_response(terminal.step2_command(r1));
    Bytes r3 = chip.step3_response(terminal.step3_command(r2));
    Bytes r4 = chip.step4_response(terminal.step4_command(r3));
    return terminal.finish(r4);
}
}  // namespace

TEST(Pace, FullRunsWithCanAndMrzOnBrainpoolAndNistCurves) {
    for (std::uint64_t id : {13u, 12u}) {
        for (PasswordType type : {PasswordType::Can, PasswordType::Mrz}) {
            PaceChip chip(kOid, id, "012345", kMrzInformation);
            SessionKeys keys = run(id, type, type == PasswordType::Can ? "012345" : kMrzInformation, chip);
            EXPECT_TRUE(constant_time_equal(keys.ks_enc.view(), chip.session().ks_enc.view()));
            // The session works end to end.
            auto terminal_sm = keys.open();
            auto chip_sm = chip.session().open();
            auto cmd = chip_sm.unwrap_command(terminal_sm.wrap(cccd::apdu::select_file(0x011C)));
            EXPECT_EQ(cmd, cccd::apdu::select_file(0x011C));
        }
    }
}

TEST(Pace, AWrongCanFailsAtTheTokenStep) {
    PaceChip chip(kOid, 13, "012345", kMrzInformation);
    try {
        run(13, PasswordType::Can, "012346", chip);
        FAIL() << "a wrong CAN was accepted";
    } catch (const ProtocolError& e) {
        EXPECT_EQ(e.protocol(), "PACE");
        EXPECT_EQ(e.step(), 4);
    }
    EXPECT_THROW(chip.session(), ProtocolError);
}

TEST(Pace, RefusesInvalidPointsAndMalformedData) {
    PaceTerminal terminal(kOid, 13, PasswordType::Can, "012345");
    PaceChip chip(kOid, 13, "012345", "");
    chip.accept_mse_set_at(encode_mse_set_at(terminal.mse_set_at()));
    Bytes r1 = chip.step1_response(terminal.step1_command());
    Bytes c2 = terminal.step2_command(r1);
    // A point off the curve from the terminal.
    Bytes off_curve = c2;
    off_curve.back() ^= 0x01;
    EXPECT_THROW(chip.step2_response(off_curve), ProtocolError);
    EXPECT_THROW(decode_dynamic_data(from_hex("7C03810100"), 0x82), ParseError);
    EXPECT_THROW(decode_dynamic_data(from_hex("7C0581"), 0x81), ParseError);
    EXPECT_THROW(decode_mse_set_at(from_hex("800A04007F00070202040202830103")), ParseError);
}

TEST(Pace, ChipRefusesAnUnknownPasswordOrProtocol) {
    PaceChip chip(kOid, 13, "012345", "");
    EXPECT_THROW(chip.accept_mse_set_at(encode_mse_set_at({kOid, PasswordType::Mrz, 13})), ProtocolError);
    EXPECT_THROW(chip.accept_mse_set_at(encode_mse_set_at({"0.4.0.127.0.7.2.2.4.2.4", PasswordType::Can, 13})),
                 ProtocolError);
    EXPECT_THROW(chip.step1_response(from_hex("7C00")), ProtocolError);  // no MSE:Set AT accepted yet
}
