// ICAO 9303 Part 11 Appendix D.4: secure messaging of SELECT EF.COM and two READ BINARYs after BAC,
// checked byte for byte from both sides (shared/reference/test-vectors.md §2.3).
#include "card/sm/secure_messaging.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"
#include "card/tlv/tlv.hpp"
#include "crypto/symmetric.hpp"

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

namespace {

// Every later call on a dead session throws, whichever side it is.
void expect_dead(SecureMessaging& session) {
    EXPECT_FALSE(session.is_open());
    EXPECT_THROW(session.wrap(select_file(0x011E)), SecureMessagingError);
    EXPECT_THROW(session.unwrap(ResponseApdu::parse(from_hex(kAppendixD[0].protected_response))), SecureMessagingError);
    EXPECT_THROW(session.unwrap_command(CommandApdu::parse(from_hex(kAppendixD[0].protected_command))),
                 SecureMessagingError);
    EXPECT_THROW(session.wrap_response(ResponseApdu{{}, 0x9000}), SecureMessagingError);
}

// A 3DES response built by hand at `ssc` with the App. D session keys, so tests can forge objects
// that carry a correct MAC around wrong content.
Bytes forge_tdes_response(ByteView ssc, ByteView do87_value) {
    Bytes dos = tlv::encode(0x87, do87_value);
    append(dos, from_hex("99029000"));
    Bytes mac = crypto::retail_mac(from_hex("F1CB1F1FB5ADF208806B89DC579DC1F8"),
                                   crypto::pad_iso9797(concat({ssc, dos}), 8));
    append(dos, tlv::encode(0x8E, mac));
    append(dos, from_hex("9000"));
    return dos;
}

}  // namespace

TEST(SecureMessaging, DeadAfterAFailureOnEverySide) {
    SecureMessaging terminal = appendix_d_session();
    terminal.wrap(select_file(0x011E));
    EXPECT_THROW(terminal.unwrap(ResponseApdu::parse(from_hex("990290009000"))), SecureMessagingError);
    expect_dead(terminal);

    SecureMessaging card = appendix_d_session();
    Bytes command = from_hex(kAppendixD[0].protected_command);
    command[command.size() - 2] ^= 0x80;  // last MAC byte
    EXPECT_THROW(card.unwrap_command(CommandApdu::parse(command)), SecureMessagingError);
    expect_dead(card);
}

TEST(SecureMessaging, TerminalRefusesAReplayedOrOutOfStepResponse) {
    // Response 1 again in place of response 2: its MAC was made with an older SSC.
    SecureMessaging terminal = appendix_d_session();
    terminal.wrap(CommandApdu::parse(from_hex(kAppendixD[0].plain_command)));
    terminal.unwrap(ResponseApdu::parse(from_hex(kAppendixD[0].protected_response)));
    terminal.wrap(CommandApdu::parse(from_hex(kAppendixD[1].plain_command)));
    EXPECT_THROW(terminal.unwrap(ResponseApdu::parse(from_hex(kAppendixD[0].protected_response))),
                 SecureMessagingError);
    EXPECT_FALSE(terminal.is_open());

    // A command the card never answered puts the counters out of step.
    SecureMessaging skipped = appendix_d_session();
    skipped.wrap(CommandApdu::parse(from_hex(kAppendixD[0].plain_command)));
    skipped.wrap(CommandApdu::parse(from_hex(kAppendixD[1].plain_command)));
    EXPECT_THROW(skipped.unwrap(ResponseApdu::parse(from_hex(kAppendixD[0].protected_response))),
                 SecureMessagingError);
}

TEST(SecureMessaging, ForgedObjectsWithACorrectMacAreStillChecked) {
    const Bytes ssc_of_response = from_hex("887022120C06C228");
    Bytes enc = from_hex("979EC13B1CBFE9DCD01AB0FED307EAE5");
    // Sanity: the forging helper reproduces App. D's second response when given its DO'87'.
    EXPECT_EQ(to_hex(forge_tdes_response(from_hex("887022120C06C22A"), from_hex("019FF0EC34F9922651"))),
              kAppendixD[1].protected_response);

    Bytes no_padding = crypto::tdes_cbc_encrypt(enc, from_hex("0102030405060708"));  // no 80 00.. at the end
    Bytes bad_padding{0x01};
    append(bad_padding, no_padding);
    Bytes wrong_indicator{0x02};
    append(wrong_indicator, crypto::tdes_cbc_encrypt(enc, from_hex("0102800000000000")));
    Bytes partial_block{0x01, 0xAA, 0xBB, 0xCC};

    for (const Bytes& value : {bad_padding, wrong_indicator, partial_block, Bytes{0x01}}) {
        SecureMessaging terminal = appendix_d_session();
        terminal.wrap(select_file(0x011E));
        EXPECT_THROW(terminal.unwrap(ResponseApdu::parse(forge_tdes_response(ssc_of_response, value))),
                     SecureMessagingError)
            << to_hex(value);
        EXPECT_FALSE(terminal.is_open());
    }

    // The same forge with good padding is accepted, so the failures above are the content's.
    Bytes good{0x01};
    append(good, crypto::tdes_cbc_encrypt(enc, from_hex("0102800000000000")));
    SecureMessaging terminal = appendix_d_session();
    terminal.wrap(select_file(0x011E));
    EXPECT_EQ(to_hex(terminal.unwrap(ResponseApdu::parse(forge_tdes_response(ssc_of_response, good))).data), "0102");
}

TEST(SecureMessaging, CardRefusesMalformedCommands) {
    struct Bad {
        std::uint8_t ins;
        const char* data;
    };
    for (const Bad& bad : {
             Bad{0xA4, "8709016375432908C044F6"},                        // no DO'8E'
             Bad{0xA4, "8709016375432908C044F68E08BF8B92D635FF24F9"},    // flipped MAC bit
             Bad{0xA4, "8709016375432908C044F68E07BF8B92D635FF24"},      // 7-byte MAC
             Bad{0xA4, "8709016375432908C044F68E09BF8B92D635FF24F8"},    // DO'8E' longer than the data
             Bad{0xA4, "8709016375432908C044F68E08BF8B92D635FF24F89900"},  // an object after the MAC
             Bad{0xA4, "8E08BF8B92D635FF24F88709016375432908C044F6"},    // objects out of order
             Bad{0xA5, "8709016375432908C044F68E08BF8B92D635FF24F8"},    // odd INS must use DO'85'
             Bad{0xA4, ""},                                              // no objects at all
         }) {
        SecureMessaging card = appendix_d_session();
        CommandApdu command{0x0C, bad.ins, 0x02, 0x0C, from_hex(bad.data), 256, false};
        EXPECT_THROW(card.unwrap_command(command), SecureMessagingError) << bad.data;
        EXPECT_FALSE(card.is_open()) << bad.data;
    }
    // The unchanged command passes, so each failure above is due to its one change.
    SecureMessaging card = appendix_d_session();
    EXPECT_NO_THROW(card.unwrap_command(
        CommandApdu{0x0C, 0xA4, 0x02, 0x0C, from_hex("8709016375432908C044F68E08BF8B92D635FF24F8"), 256, false}));
}

TEST(SecureMessaging, UnprotectedErrorsPassButUnprotectedSuccessDoesNot) {
    SecureMessaging terminal = appendix_d_session();
    terminal.wrap(select_file(0x011E));
    ResponseApdu refused = terminal.unwrap(ResponseApdu::parse(from_hex("6A82")));
    EXPECT_EQ(refused.sw, 0x6A82);
    EXPECT_TRUE(terminal.is_open());
    EXPECT_EQ(to_hex(terminal.ssc()), "887022120C06C228");  // the card counted the step too

    SecureMessaging other = appendix_d_session();
    other.wrap(select_file(0x011E));
    EXPECT_THROW(other.unwrap(ResponseApdu::parse(from_hex("9000"))), SecureMessagingError);
    EXPECT_FALSE(other.is_open());
}

TEST(SecureMessaging, CallerMistakesLeaveTheSessionUsable) {
    SecureMessaging terminal = appendix_d_session();
    EXPECT_THROW(terminal.wrap(CommandApdu::parse(from_hex(kAppendixD[0].protected_command))), InvalidArgument);
    EXPECT_THROW(terminal.wrap(CommandApdu{0x00, 0xB0, 0x00, 0x00, {}, 0, false}), InvalidArgument);
    EXPECT_THROW(terminal.wrap(CommandApdu{0x00, 0xD6, 0x00, 0x00, Bytes(65530, 0), std::nullopt, false}),
                 InvalidArgument);  // fits plain, not once padded and wrapped
    EXPECT_TRUE(terminal.is_open());
    EXPECT_EQ(to_hex(terminal.ssc()), "887022120C06C226");
    EXPECT_EQ(to_hex(terminal.wrap(select_file(0x011E)).encode()), kAppendixD[0].protected_command);
}

TEST(SecureMessaging, RefusesWrongKeyAndCounterSizes) {
    SecretBytes k16(Bytes(16, 1));
    EXPECT_THROW(SecureMessaging::tdes(SecretBytes(Bytes(24, 1)), k16, Bytes(8, 0)), InvalidArgument);
    EXPECT_THROW(SecureMessaging::tdes(k16, k16, Bytes(16, 0)), InvalidArgument);
    EXPECT_THROW(SecureMessaging::aes(SecretBytes(Bytes(20, 1)), k16), InvalidArgument);
    EXPECT_THROW(SecureMessaging::aes(k16, k16, Bytes(8, 0)), InvalidArgument);
    EXPECT_THROW(SecureMessaging(nullptr, Bytes(8, 0)), InvalidArgument);
}

TEST(SecureMessaging, CounterCarriesAcrossBytes) {
    SecretBytes k16(Bytes(16, 1));
    SecureMessaging terminal = SecureMessaging::tdes(k16, k16, from_hex("00000000FFFFFFFF"));
    terminal.wrap(select_file(0x011E));
    EXPECT_EQ(to_hex(terminal.ssc()), "0000000100000000");
    SecureMessaging wraps = SecureMessaging::aes(k16, k16, Bytes(16, 0xFF));
    wraps.wrap(select_file(0x011E));
    EXPECT_EQ(to_hex(wraps.ssc()), "00000000000000000000000000000000");
}

// No published AES secure messaging APDUs exist for these keys, so the expected bytes are composed
// independently from the primitives: IV = AES(KSenc, SSC), CBC, CMAC truncated to 8 bytes.
TEST(SecureMessaging, AesCommandAndResponseFollowIcao986) {
    Bytes enc = from_hex("F5F0E35C0D7161EE6724EE513A0D9A7F");
    Bytes mac = from_hex("FE251C7858B356B24514B3BD5F4297D1");
    SecureMessaging terminal = SecureMessaging::aes(SecretBytes(enc), SecretBytes(mac));
    CommandApdu wrapped = terminal.wrap(CommandApdu{0x00, 0xA4, 0x02, 0x0C, from_hex("011E"), 0x10, false});

    Bytes ssc1 = from_hex("00000000000000000000000000000001");
    Bytes iv1 = crypto::aes_ecb_encrypt_block(enc, ssc1);
    Bytes do87 = concat({from_hex("871101"), crypto::aes_cbc_encrypt(enc, crypto::pad_iso9797(from_hex("011E"), 16), iv1)});
    Bytes do97 = from_hex("970110");
    Bytes n = crypto::pad_iso9797(concat({ssc1, from_hex("0CA4020C800000000000000000000000"), do87, do97}), 16);
    Bytes cc = crypto::aes_cmac(mac, n);
    cc.resize(8);
    Bytes expected = concat({from_hex("0CA4020C"), be_bytes(do87.size() + do97.size() + 10, 1), do87, do97,
                             from_hex("8E08"), cc, from_hex("00")});
    EXPECT_EQ(to_hex(wrapped.encode()), to_hex(expected));

    Bytes ssc2 = from_hex("00000000000000000000000000000002");
    Bytes iv2 = crypto::aes_ecb_encrypt_block(enc, ssc2);
    Bytes r87 = concat({from_hex("871101"), crypto::aes_cbc_encrypt(enc, crypto::pad_iso9797(from_hex("CAFE"), 16), iv2)});
    Bytes r99 = from_hex("99029000");
    Bytes rcc = crypto::aes_cmac(mac, crypto::pad_iso9797(concat({ssc2, r87, r99}), 16));
    rcc.resize(8);
    Bytes response = concat({r87, r99, from_hex("8E08"), rcc, from_hex("9000")});
    ResponseApdu plain = terminal.unwrap(ResponseApdu::parse(response));
    EXPECT_EQ(to_hex(plain.data), "CAFE");
    EXPECT_EQ(plain.sw, 0x9000);

    // The card side produces exactly the same response bytes.
    SecureMessaging card = SecureMessaging::aes(SecretBytes(enc), SecretBytes(mac));
    card.unwrap_command(wrapped);
    EXPECT_EQ(to_hex(card.wrap_response(ResponseApdu{from_hex("CAFE"), 0x9000}).encode()), to_hex(response));
}

TEST(SecureMessaging, AesLongerKeysRoundTrip) {
    for (std::size_t key_size : {std::size_t{24}, std::size_t{32}}) {
        SecretBytes enc(Bytes(key_size, 0x21));
        SecretBytes mac(Bytes(key_size, 0x43));
        SecureMessaging terminal = SecureMessaging::aes(enc, mac);
        SecureMessaging card = SecureMessaging::aes(enc, mac);
        CommandApdu command = read_binary(0, 0xE0);
        EXPECT_EQ(card.unwrap_command(CommandApdu::parse(terminal.wrap(command).encode())), command);
        ResponseApdu answer{Bytes(0xE0, 0x77), 0x6282};
        EXPECT_EQ(terminal.unwrap(ResponseApdu::parse(card.wrap_response(answer).encode())), answer);
    }
}

TEST(SecureMessaging, ExtendedLeTravelsInTwoBytes) {
    SecretBytes key(Bytes(16, 0x11));
    SecureMessaging terminal = SecureMessaging::aes(key, key);
    SecureMessaging card = SecureMessaging::aes(key, key);
    CommandApdu wrapped = terminal.wrap(read_binary(0, 65536));
    Bytes wire = wrapped.encode();
    EXPECT_EQ(to_hex(ByteView(wire).first(7)), "0CB0000000000E");  // extended Lc 14
    EXPECT_EQ(to_hex(ByteView(wire).subspan(7, 4)), "97020000");   // DO'97' with Le 0000
    EXPECT_EQ(to_hex(ByteView(wire).last(2)), "0000");             // protected Le 0000
    CommandApdu plain = card.unwrap_command(CommandApdu::parse(wire));
    EXPECT_EQ(plain, read_binary(0, 65536));
}

TEST(SecureMessaging, OddInstructionAnswersComeInDo85) {
    SecretBytes key(Bytes(16, 0x11));
    SecureMessaging terminal = SecureMessaging::aes(key, key);
    SecureMessaging card = SecureMessaging::aes(key, key);
    CommandApdu plain = card.unwrap_command(terminal.wrap(read_binary_odd(0x8000, 256)));
    EXPECT_EQ(plain, read_binary_odd(0x8000, 256));
    ResponseApdu answer = card.wrap_response(ResponseApdu{from_hex("5304DEADBEEF"), 0x9000});
    EXPECT_EQ(answer.data[0], 0x85);
    EXPECT_EQ(to_hex(terminal.unwrap(answer).data), "5304DEADBEEF");
    // ... and the next answer to an even INS is in DO'87' again.
    card.unwrap_command(terminal.wrap(read_binary(0, 4)));
    EXPECT_EQ(card.wrap_response(ResponseApdu{from_hex("01020304"), 0x9000}).data[0], 0x87);
}
