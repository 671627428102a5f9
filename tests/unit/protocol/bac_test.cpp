// ICAO 9303 Part 11 Appendix D.1-D.3: BAC keys, mutual authentication and session keys, both sides,
// then on into the D.4 secure messaging (shared/reference/test-vectors.md §2).
#include "card/protocol/bac.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"
#include "card/apdu/apdu.hpp"
#include "card/mrz/mrz.hpp"

using namespace cccd;
using namespace cccd::protocol;

namespace {
const Bytes kRndIcc = from_hex("4608F91988702212");
const Bytes kRndIfd = from_hex("781723860C06C226");
const Bytes kKIfd = from_hex("0B795240CB7049B01C19B33E32804F0B");
const Bytes kKIcc = from_hex("0B4F80323EB3191CB04970CB4052790B");
const char* kTerminalData = "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A7";
const char* kChipResponse = "46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449";

bac::AccessKeys appendix_d_keys() {
    return bac::derive_access_keys(mrz::bac_key_seed(mrz::mrz_information("L898902C", "690806", "940623")).view());
}
}  // namespace

TEST(BacAppendixD, AccessKeysFromTheMrz) {
    auto keys = appendix_d_keys();
    EXPECT_EQ(to_hex(keys.k_enc.view()), "AB94FDECF2674FDFB9B391F85D7F76F2");
    EXPECT_EQ(to_hex(keys.k_mac.view()), "7962D9ECE03D1ACD4C76089DCE131543");
}

TEST(BacAppendixD, TerminalBuildsTheMutualAuthenticateApdu) {
    Bytes data = bac::terminal_authentication_data(appendix_d_keys(), kRndIcc, kRndIfd, kKIfd);
    EXPECT_EQ(to_hex(data), kTerminalData);
    EXPECT_EQ(to_hex(apdu::mutual_authenticate(data).encode()),
              std::string("0082000028") + kTerminalData + "28");
}

TEST(BacAppendixD, TerminalDerivesTheSessionFromTheChipsAnswer) {
    auto session = bac::terminal_complete(appendix_d_keys(), kRndIcc, kRndIfd, kKIfd, from_hex(kChipResponse));
    EXPECT_EQ(to_hex(session.ks_enc.view()), "979EC13B1CBFE9DCD01AB0FED307EAE5");
    EXPECT_EQ(to_hex(session.ks_mac.view()), "F1CB1F1FB5ADF208806B89DC579DC1F8");
    EXPECT_EQ(to_hex(session.ssc), "887022120C06C226");
    // ... and the session carries on into Appendix D.4.
    auto sm = session.open();
    auto wrapped = sm.wrap(apdu::select_file(0x011E));
    EXPECT_EQ(to_hex(wrapped.encode()), "0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800");
}

TEST(BacAppendixD, ChipAnswersExactlyAndDerivesTheSameSession) {
    auto answer = bac::chip_respond(appendix_d_keys(), kRndIcc, kKIcc, from_hex(kTerminalData));
    EXPECT_EQ(to_hex(answer.response), kChipResponse);
    EXPECT_EQ(to_hex(answer.session.ks_enc.view()), "979EC13B1CBFE9DCD01AB0FED307EAE5");
    EXPECT_EQ(to_hex(answer.session.ks_mac.view()), "F1CB1F1FB5ADF208806B89DC579DC1F8");
    EXPECT_EQ(to_hex(answer.session.ssc), "887022120C06C226");
}

TEST(Bac, WrongMacIsRefusedOnBothSides) {
    Bytes data = from_hex(kTerminalData);
    data.back() ^= 0x01;
    try {
        bac::chip_respond(appendix_d_keys(), kRndIcc, kKIcc, data);
        FAIL() << "a wrong terminal MAC was accepted";
    } catch (const ProtocolError& e) {
        EXPECT_EQ(e.protocol(), "BAC");
        EXPECT_EQ(e.step(), 1);
    }
    Bytes response = from_hex(kChipResponse);
    response[3] ^= 0x40;
    EXPECT_THROW(bac::terminal_complete(appendix_d_keys(), kRndIcc, kRndIfd, kKIfd, response), ProtocolError);
}

TEST(Bac, ChipRefusesAnAnswerToAnotherChallenge) {
    Bytes other_challenge = from_hex("0000000000000001");
    EXPECT_THROW(bac::chip_respond(appendix_d_keys(), other_challenge, kKIcc, from_hex(kTerminalData)), ProtocolError);
}

TEST(Bac, TerminalRefusesAChipThatDoesNotEchoItsNonce) {
    Bytes other_ifd = from_hex("781723860C06C227");
    EXPECT_THROW(bac::terminal_complete(appendix_d_keys(), kRndIcc, other_ifd, kKIfd, from_hex(kChipResponse)),
                 ProtocolError);
}

TEST(Bac, WrongMrzFailsAtTheChip) {
    auto wrong = bac::derive_access_keys(mrz::bac_key_seed(mrz::mrz_information("L898902C", "690806", "940624")).view());
    Bytes data = bac::terminal_authentication_data(wrong, kRndIcc, kRndIfd, kKIfd);
    EXPECT_THROW(bac::chip_respond(appendix_d_keys(), kRndIcc, kKIcc, data), ProtocolError);
}

TEST(BacAppendixD, BothSidesCarryOnThroughTheThreeSecureMessagingExchanges) {
    // GET CHALLENGE and its answer RND.ICC (App. D.3).
    EXPECT_EQ(to_hex(apdu::get_challenge().encode()), "0084000008");
    EXPECT_EQ(apdu::ResponseApdu::parse(from_hex("4608F919887022129000")).data, kRndIcc);

    auto keys = appendix_d_keys();
    auto chip = bac::chip_respond(keys, kRndIcc, kKIcc, bac::terminal_authentication_data(keys, kRndIcc, kRndIfd, kKIfd));
    auto terminal_keys = bac::terminal_complete(keys, kRndIcc, kRndIfd, kKIfd, chip.response);
    auto terminal = terminal_keys.open();
    auto card = chip.session.open();
    const char* plain_commands[] = {"00A4020C02011E", "00B0000004", "00B0000412"};
    const char* protected_commands[] = {"0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800",
                                        "0CB000000D9701048E08ED6705417E96BA5500",
                                        "0CB000040D9701128E082EA28A70F3C7B53500"};
    const char* plain_answers[] = {"9000", "60145F019000", "04303130365F36063034303030305C0261759000"};
    const char* protected_answers[] = {
        "990290008E08FA855A5D4C50A8ED9000", "8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000",
        "871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D749000"};
    for (int i = 0; i < 3; ++i) {
        Bytes wire = terminal.wrap(apdu::CommandApdu::parse(from_hex(plain_commands[i]))).encode();
        EXPECT_EQ(to_hex(wire), protected_commands[i]);
        EXPECT_EQ(to_hex(card.unwrap_command(apdu::CommandApdu::parse(wire)).encode()), plain_commands[i]);
        Bytes answer = card.wrap_response(apdu::ResponseApdu::parse(from_hex(plain_answers[i]))).encode();
        EXPECT_EQ(to_hex(answer), protected_answers[i]);
        EXPECT_EQ(to_hex(terminal.unwrap(apdu::ResponseApdu::parse(answer)).encode()), plain_answers[i]);
    }
    EXPECT_EQ(to_hex(terminal.ssc()), "887022120C06C22C");
    EXPECT_EQ(to_hex(card.ssc()), "887022120C06C22C");
}

TEST(Bac, FailuresNameTheStep) {
    Bytes response = from_hex(kChipResponse);
    response[39] ^= 0x01;  // M.ICC
    try {
        bac::terminal_complete(appendix_d_keys(), kRndIcc, kRndIfd, kKIfd, response);
        FAIL() << "a wrong chip MAC was accepted";
    } catch (const ProtocolError& e) {
        EXPECT_EQ(e.protocol(), "BAC");
        EXPECT_EQ(e.step(), 2);
    }
}

TEST(Bac, TerminalWithAWrongKeySeedRefusesTheChip) {
    auto wrong = bac::derive_access_keys(mrz::bac_key_seed(mrz::mrz_information("L898902C", "690807", "940623")).view());
    EXPECT_THROW(bac::terminal_complete(wrong, kRndIcc, kRndIfd, kKIfd, from_hex(kChipResponse)), ProtocolError);
}

TEST(Bac, TerminalRefusesAChipAnsweringAnotherChallenge) {
    Bytes other_icc = from_hex("4608F91988702213");
    EXPECT_THROW(bac::terminal_complete(appendix_d_keys(), other_icc, kRndIfd, kKIfd, from_hex(kChipResponse)),
                 ProtocolError);
}

TEST(Bac, WrongSizesAreRefused) {
    auto keys = appendix_d_keys();
    EXPECT_THROW(bac::derive_access_keys(Bytes(15, 0)), InvalidArgument);
    EXPECT_THROW(bac::terminal_authentication_data(keys, Bytes(7, 0), kRndIfd, kKIfd), InvalidArgument);
    EXPECT_THROW(bac::terminal_authentication_data(keys, kRndIcc, kRndIfd, Bytes(8, 0)), InvalidArgument);
    EXPECT_THROW(bac::terminal_complete(keys, kRndIcc, kRndIfd, Bytes(8, 0), from_hex(kChipResponse)), InvalidArgument);
    EXPECT_THROW(bac::chip_respond(keys, kRndIcc, Bytes(8, 0), from_hex(kTerminalData)), InvalidArgument);
    Bytes short_answer = from_hex(kChipResponse);
    short_answer.pop_back();
    EXPECT_THROW(bac::terminal_complete(keys, kRndIcc, kRndIfd, kKIfd, short_answer), ProtocolError);
    Bytes long_data = from_hex(kTerminalData);
    long_data.push_back(0x00);
    EXPECT_THROW(bac::chip_respond(keys, kRndIcc, kKIcc, long_data), ProtocolError);
}
