// ICAO 9303 Part 11 Appendix G.1: PACE ECDH Generic Mapping on brainpoolP256r1, every value and every
// General Authenticate data object (shared/reference/test-vectors.md §3.1), then full runs both sides.
#include "card/protocol/pace.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"
#include "card/apdu/apdu.hpp"

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
    EXPECT_EQ(to_hex(terminal.mapping_shared_point()),
              "0460332EF2450B5D247EF6D3868397D398852ED6E8CAF6FFEEF6BF85CA57057FD5"
              "0840CA7415BAF3E43BD414D35AA4608B93A2CAF3A4E3EA4E82C9C13D03EB7181");
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
    EXPECT_EQ(to_hex(chip.session().ks_mac.view()), "FE251C7858B356B24514B3BD5F4297D1");
    EXPECT_EQ(terminal.cipher(), crypto::KeyCipher::Aes128);
    EXPECT_EQ(chip.cipher(), crypto::KeyCipher::Aes128);
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

TEST(PaceAppendixG1, TokensAndTheirInputs) {
    const char* chip_eph = "049E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB"
                           "7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F094";
    const char* terminal_eph = "042DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C"
                               "3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB36462";
    Bytes ks_mac = from_hex("FE251C7858B356B24514B3BD5F4297D1");
    EXPECT_EQ(to_hex(authentication_token(ks_mac, kOid, from_hex(chip_eph))), "C2B0BD78D94BA866");      // T_IFD
    EXPECT_EQ(to_hex(authentication_token(ks_mac, kOid, from_hex(terminal_eph))), "3ABB9674BCE93C08");  // T_IC
    // The token binds the protocol OID too.
    EXPECT_NE(to_hex(authentication_token(ks_mac, kEcdhGmAes256, from_hex(chip_eph))), "C2B0BD78D94BA866");
}

TEST(PaceAppendixG1, GeneralAuthenticateDataParsesInBothDirections) {
    // Terminal -> chip.
    EXPECT_NO_THROW(decode_empty_dynamic_data(from_hex("7C00")));
    EXPECT_EQ(to_hex(decode_dynamic_data(from_hex("7C0A8508C2B0BD78D94BA866"), 0x85)), "C2B0BD78D94BA866");
    EXPECT_EQ(decode_dynamic_data(from_hex("7C438141047ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D896FC70262E0C2CC5E"
                                           "544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70C25AF71777A9C4922D"),
                                  0x81)
                  .size(),
              65u);
    // Chip -> terminal.
    EXPECT_EQ(to_hex(decode_dynamic_data(from_hex("7C12801095A3A016522EE98D01E76CB6B98B42C3"), 0x80)),
              "95A3A016522EE98D01E76CB6B98B42C3");
    EXPECT_EQ(to_hex(decode_dynamic_data(from_hex("7C0A86083ABB9674BCE93C08"), 0x86)), "3ABB9674BCE93C08");
    EXPECT_EQ(to_hex(encode_dynamic_data(0x86, from_hex("3ABB9674BCE93C08"))), "7C0A86083ABB9674BCE93C08");

    // Strict: wrong inner tag, wrong outer tag, trailing bytes, a second object, truncation.
    EXPECT_THROW(decode_dynamic_data(from_hex("7C0A86083ABB9674BCE93C08"), 0x85), ParseError);
    EXPECT_THROW(decode_dynamic_data(from_hex("7D0A86083ABB9674BCE93C08"), 0x86), ParseError);
    EXPECT_THROW(decode_dynamic_data(from_hex("7C0A86083ABB9674BCE93C0800"), 0x86), ParseError);
    EXPECT_THROW(decode_dynamic_data(from_hex("7C0C86083ABB9674BCE93C088500"), 0x86), ParseError);
    EXPECT_THROW(decode_dynamic_data(from_hex("7C0A86083ABB9674BCE93C"), 0x86), ParseError);
    EXPECT_THROW(decode_empty_dynamic_data(from_hex("7C028000")), ParseError);
    EXPECT_THROW(decode_empty_dynamic_data(from_hex("7C0000")), ParseError);
    EXPECT_THROW(decode_empty_dynamic_data({}), ParseError);
}

TEST(PaceMseSetAt, StrictParsing) {
    EXPECT_EQ(decode_mse_set_at(from_hex("800A04007F00070202040202830102")).password, PasswordType::Can);
    EXPECT_FALSE(decode_mse_set_at(from_hex("800A04007F00070202040202830102")).parameter_id.has_value());
    EXPECT_THROW(decode_mse_set_at(from_hex("830102800A04007F00070202040202")), ParseError);        // order
    EXPECT_THROW(decode_mse_set_at(from_hex("800A04007F0007020204020283020102")), ParseError);     // 2-byte ref
    EXPECT_THROW(decode_mse_set_at(from_hex("800A04007F0007020204020283010284010D00")), ParseError);  // trailing
    EXPECT_THROW(decode_mse_set_at(from_hex("800A04007F00070202040202")), ParseError);             // no 83
    EXPECT_THROW(decode_mse_set_at(from_hex("800A04007F0007020204020283010284020100")), ParseError);  // id > 255
    EXPECT_THROW(decode_mse_set_at(from_hex("8000830102")), ParseError);                           // empty OID
}

TEST(Pace, EveryCipherOfTheGenericMapping) {
    for (std::string_view oid : {kEcdhGmAes128, kEcdhGmAes192, kEcdhGmAes256}) {
        PaceTerminal terminal(std::string(oid), 13, PasswordType::Can, "123456");
        PaceChip chip(std::string(oid), 13, "123456", "");
        chip.accept_mse_set_at(encode_mse_set_at(terminal.mse_set_at()));
        Bytes r1 = chip.step1_response(terminal.step1_command());
        Bytes r2 = chip.step2_response(terminal.step2_command(r1));
        Bytes r3 = chip.step3_response(terminal.step3_command(r2));
        Bytes r4 = chip.step4_response(terminal.step4_command(r3));
        SessionKeys keys = terminal.finish(r4);
        const std::size_t key_size = oid == kEcdhGmAes128 ? 16u : oid == kEcdhGmAes192 ? 24u : 32u;
        EXPECT_EQ(keys.ks_enc.size(), key_size) << oid;
        EXPECT_EQ(keys.ks_mac.size(), key_size) << oid;
        EXPECT_TRUE(keys.ks_mac == chip.session().ks_mac) << oid;
        EXPECT_EQ(terminal.cipher(), cipher_of(oid));
        auto terminal_sm = keys.open();
        auto chip_sm = chip.session().open();
        EXPECT_EQ(chip_sm.unwrap_command(terminal_sm.wrap(cccd::apdu::read_binary(0, 8))), cccd::apdu::read_binary(0, 8));
    }
    EXPECT_THROW(cipher_of("0.4.0.127.0.7.2.2.4.1.2"), InvalidArgument);  // DH-GM: not supported
}

TEST(Pace, TheTerminalAlsoCatchesAWrongPasswordAtTheTokenStep) {
    // The chip's secrets are fixed so the test can compute the token a chip with the right CAN sends
    // to a terminal that typed the wrong one.
    FixedSecrets fixed = chip_secrets();
    PaceTerminal terminal(kOid, 13, PasswordType::Can, "654321");
    PaceChip chip(kOid, 13, "123456", "", fixed);
    chip.accept_mse_set_at(encode_mse_set_at(terminal.mse_set_at()));
    Bytes r1 = chip.step1_response(terminal.step1_command());
    Bytes c2 = terminal.step2_command(r1);
    EXPECT_NE(to_hex(terminal.nonce()), to_hex(fixed.nonce));  // the wrong K_pi decrypts garbage
    Bytes r2 = chip.step2_response(c2);
    Bytes c3 = terminal.step3_command(r2);
    Bytes r3 = chip.step3_response(c3);
    Bytes c4 = terminal.step4_command(r3);

    // The chip's side, recomputed: G~ from its nonce, K from its ephemeral key, T_IC over PK_eph,IFD.
    auto group = crypto::EcGroup::by_parameter_id(13);
    Bytes g_tilde = crypto::generic_mapping(group, fixed.nonce, fixed.mapping_private, decode_dynamic_data(c2, 0x81));
    Bytes terminal_eph = decode_dynamic_data(c3, 0x83);
    SecretBytes k = crypto::ecdh_shared_secret(group, fixed.ephemeral_private, terminal_eph);
    SecretBytes ks_mac = crypto::kdf(k.view(), crypto::KdfCounter::Mac, crypto::KeyCipher::Aes128);
    Bytes chip_token = encode_dynamic_data(0x86, authentication_token(ks_mac.view(), kOid, terminal_eph));

    try {
        (void)terminal.finish(chip_token);
        FAIL() << "the terminal accepted a token made with another password";
    } catch (const ProtocolError& e) {
        EXPECT_EQ(e.protocol(), "PACE");
        EXPECT_EQ(e.step(), 4);
    }
    try {
        (void)chip.step4_response(c4);
        FAIL() << "the chip accepted a token made with another password";
    } catch (const ProtocolError& e) {
        EXPECT_EQ(e.step(), 4);
    }
}

TEST(Pace, RefusesAnEphemeralKeyEqualToItsOwn) {
    PaceTerminal terminal(kOid, 12, PasswordType::Can, "123456");
    PaceChip chip(kOid, 12, "123456", "");
    chip.accept_mse_set_at(encode_mse_set_at(terminal.mse_set_at()));
    Bytes r1 = chip.step1_response(terminal.step1_command());
    Bytes r2 = chip.step2_response(terminal.step2_command(r1));
    Bytes c3 = terminal.step3_command(r2);
    // A chip echoing the terminal's ephemeral key back.
    Bytes echoed = encode_dynamic_data(0x84, decode_dynamic_data(c3, 0x83));
    try {
        (void)terminal.step4_command(echoed);
        FAIL() << "an echoed ephemeral key was accepted";
    } catch (const ProtocolError& e) {
        EXPECT_EQ(e.step(), 3);
    }
    // And a chip echoing the terminal's mapping key.
    PaceTerminal t2(kOid, 12, PasswordType::Can, "123456");
    PaceChip c2(kOid, 12, "123456", "");
    c2.accept_mse_set_at(encode_mse_set_at(t2.mse_set_at()));
    Bytes m = t2.step2_command(c2.step1_response(t2.step1_command()));
    EXPECT_THROW(t2.step3_command(encode_dynamic_data(0x82, decode_dynamic_data(m, 0x81))), ProtocolError);
}

TEST(Pace, StepsOutOfOrderAndWrongLengthsAreRefused) {
    PaceTerminal terminal(kOid, 13, PasswordType::Can, "123456");
    EXPECT_THROW(terminal.step3_command(from_hex("7C00")), ProtocolError);
    EXPECT_THROW(terminal.finish(from_hex("7C0A86083ABB9674BCE93C08")), ProtocolError);
    // A 15-byte encrypted nonce.
    try {
        (void)terminal.step2_command(from_hex("7C11800F95A3A016522EE98D01E76CB6B98B42"));
        FAIL();
    } catch (const ProtocolError& e) {
        EXPECT_EQ(e.step(), 1);
    }
    PaceChip chip(kOid, 13, "123456", "");
    chip.accept_mse_set_at(encode_mse_set_at(terminal.mse_set_at()));
    EXPECT_THROW(chip.step2_response(from_hex("7C00")), ProtocolError);
    // A P-256 point is not on the chip's brainpoolP256r1.
    (void)chip.step1_response(from_hex("7C00"));
    Bytes p256_point = crypto::EcGroup::by_parameter_id(12).generator();
    EXPECT_THROW(chip.step2_response(encode_dynamic_data(0x81, p256_point)), ProtocolError);
}
