// ICAO 9303 Part 11 Appendix D.4: secure messaging of SELECT EF.COM and two READ BINARYs after BAC,
// checked byte for byte from both sides (shared/reference/test-vectors.md §2.3).
#include "card/sm/secure_messaging.hpp"

#include <gtest/gtest.h>

#include "card/core/error.hpp"

using namespace cccd;
using namespace cccd::apdu;
using cccd::sm::SecureMessaging;

namespace {

SecureMessaging appendix_d_session() {
    return SecureMessaging::tdes(SecretBytes(from_hex("979EC13B1CBFE9DCD01AB0FED307EAE5")),
                                 SecretBytes(from_hex("F1CB1F1FB5ADF208806B89DC579DC1F8")), from_hex("887022120C06C226"));
}

struct Exchange {
    const char* plain_command;
    const char* protected_command;
    const char* protected_response;
    const char* plain_response;
    const char* ssc_after;
};

const Exchange kAppendixD[] = {
    {"00A4020C02011E", "0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800", "990290008E08FA855A5D4C50A8ED9000",
     "9000", "887022120C06C228"},
    {"00B0000004", "0CB000000D9701048E08ED6705417E96BA5500",
     "8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000", "60145F019000", "887022120C06C22A"},
    {"00B0000412", "0CB000040D9701128E082EA28A70F3C7B53500",
     "871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D749000",
     "04303130365F36063034303030305C0261759000", "887022120C06C22C"},
};

}  // namespace

TEST(SecureMessagingAppendixD, TerminalWrapsAndUnwrapsEveryExchangeExactly) {
    SecureMessaging terminal = appendix_d_session();
    Bytes ef_com;
    for (const auto& x : kAppendixD) {
        CommandApdu wrapped = terminal.wrap(CommandApdu::parse(from_hex(x.plain_command)));
        EXPECT_EQ(to_hex(wrapped.encode()), x.protected_command);
        ResponseApdu plain = terminal.unwrap(ResponseApdu::parse(from_hex(x.protected_response)));
        EXPECT_EQ(to_hex(plain.encode()), x.plain_response);
        EXPECT_EQ(to_hex(terminal.ssc()), x.ssc_after);
        append(ef_com, plain.data);
    }
    EXPECT_EQ(to_hex(ef_com), "60145F0104303130365F36063034303030305C026175");
}

TEST(SecureMessagingAppendixD, CardSideReproducesTheResponsesExactly) {
    SecureMessaging card = appendix_d_session();
    for (const auto& x : kAppendixD) {
        CommandApdu plain = card.unwrap_command(CommandApdu::parse(from_hex(x.protected_command)));
        EXPECT_EQ(to_hex(plain.encode()), x.plain_command);
        ResponseApdu answer = ResponseApdu::parse(from_hex(x.plain_response));
        EXPECT_EQ(to_hex(card.wrap_response(answer).encode()), x.protected_response);
    }
    EXPECT_EQ(to_hex(card.ssc()), "887022120C06C22C");
}

TEST(SecureMessaging, AFlippedMacBitEndsTheSession) {
    SecureMessaging terminal = appendix_d_session();
    terminal.wrap(CommandApdu::parse(from_hex("00A4020C02011E")));
    Bytes bad = from_hex("990290008E08FA855A5D4C50A8ED9000");
    bad[8] ^= 0x01;
    EXPECT_THROW(terminal.unwrap(ResponseApdu::parse(bad)), SecureMessagingError);
    EXPECT_FALSE(terminal.is_open());
    EXPECT_THROW(terminal.wrap(CommandApdu::parse(from_hex("00B0000004"))), SecureMessagingError);
}

TEST(SecureMessaging, MissingOrMalformedObjectsEndTheSession) {
    for (const char* response : {"990290009000",                              // no DO'8E'
                                 "8E08FA855A5D4C50A8ED9000",                  // no DO'99'
                                 "990290008E07FA855A5D4C50A89000",            // short MAC
                                 "990290008E08FA855A5D4C50A8ED00009000",      // trailing bytes
                                 "9902908E08FA855A5D4C50A8ED9000",            // truncated DO
                                 "6988", "6987"}) {
        SecureMessaging terminal = appendix_d_session();
        terminal.wrap(CommandApdu::parse(from_hex("00A4020C02011E")));
        EXPECT_THROW(terminal.unwrap(ResponseApdu::parse(from_hex(response))), SecureMessagingError) << response;
        EXPECT_FALSE(terminal.is_open()) << response;
    }
}

TEST(SecureMessaging, AReplayedCommandIsRefusedByTheCard) {
    SecureMessaging card = appendix_d_session();
    Bytes first = from_hex(kAppendixD[0].protected_command);
    card.unwrap_command(CommandApdu::parse(first));
    card.wrap_response(ResponseApdu{{}, 0x9000});
    EXPECT_THROW(card.unwrap_command(CommandApdu::parse(first)), SecureMessagingError);
    EXPECT_FALSE(card.is_open());
}

TEST(SecureMessaging, CardRefusesUnprotectedAndWronglyPaddedCommands) {
    SecureMessaging card = appendix_d_session();
    EXPECT_THROW(card.unwrap_command(CommandApdu::parse(from_hex("00A4020C02011E"))), SecureMessagingError);
    SecureMessaging card2 = appendix_d_session();
    Bytes no_indicator = from_hex("0CA4020C158709026375432908C044F68E08BF8B92D635FF24F800");
    EXPECT_THROW(card2.unwrap_command(CommandApdu::parse(no_indicator)), SecureMessagingError);
}

TEST(SecureMessaging, AesRoundTripWithExtendedLength) {
    SecretBytes enc(from_hex("F5F0E35C0D7161EE6724EE513A0D9A7F"));
    SecretBytes mac(from_hex("FE251C7858B356B24514B3BD5F4297D1"));
    SecureMessaging terminal = SecureMessaging::aes(enc, mac);
    SecureMessaging card = SecureMessaging::aes(enc, mac);
    CommandApdu command{0x00, 0xD6, 0x00, 0x00, Bytes(1000, 0x5A), 65536, false};
    CommandApdu wrapped = terminal.wrap(command);
    EXPECT_TRUE(wrapped.extended());
    CommandApdu received = card.unwrap_command(CommandApdu::parse(wrapped.encode()));
    EXPECT_EQ(received.data, command.data);
    EXPECT_EQ(received.ne, 65536u);
    Bytes answer(3000);
    for (std::size_t i = 0; i < answer.size(); ++i) answer[i] = static_cast<std::uint8_t>(i);
    ResponseApdu sent = card.wrap_response(ResponseApdu{answer, 0x9000});
    ResponseApdu got = terminal.unwrap(ResponseApdu::parse(sent.encode()));
    EXPECT_EQ(got.data, answer);
    EXPECT_EQ(got.sw, 0x9000);
    EXPECT_EQ(to_hex(terminal.ssc()), "00000000000000000000000000000002");
}

TEST(SecureMessaging, AesOddInstructionUsesDo85) {
    SecretBytes key(Bytes(16, 0x11));
    SecureMessaging terminal = SecureMessaging::aes(key, key);
    SecureMessaging card = SecureMessaging::aes(key, key);
    CommandApdu odd = read_binary_odd(0x9000, 256);
    CommandApdu wrapped = terminal.wrap(odd);
    EXPECT_EQ(wrapped.data[0], 0x85);
    EXPECT_EQ(card.unwrap_command(wrapped).data, odd.data);
}
