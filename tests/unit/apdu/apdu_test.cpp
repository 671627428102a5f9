#include "card/apdu/apdu.hpp"

#include <gtest/gtest.h>

#include "card/core/error.hpp"

using namespace cccd;
using namespace cccd::apdu;

TEST(CommandApdu, EncodesAndParsesEveryCase) {
    struct Case {
        const char* hex;
        std::size_t nc;
        std::optional<std::size_t> ne;
    };
    for (const Case& c : {Case{"00A40000", 0, std::nullopt}, Case{"0084000008", 0, 8}, Case{"00B0000000", 0, 256},
                          Case{"00A4020C02011E", 2, std::nullopt}, Case{"00880000080102030405060708" "00", 8, 256},
                          Case{"00B00000000000", 0, 65536}, Case{"00B00000000400", 0, 1024}}) {
        Bytes bytes = from_hex(c.hex);
        CommandApdu parsed = CommandApdu::parse(bytes);
        EXPECT_EQ(parsed.data.size(), c.nc) << c.hex;
        EXPECT_EQ(parsed.ne, c.ne) << c.hex;
        EXPECT_EQ(parsed.encode(), bytes) << c.hex;
    }
}

TEST(CommandApdu, ExtendedWithData) {
    CommandApdu c{0x00, 0xDA, 0x00, 0x00, Bytes(300, 0xAB), 65536, false};
    Bytes e = c.encode();
    EXPECT_EQ(to_hex(ByteView(e).first(7)), "00DA000000012C");
    EXPECT_EQ(to_hex(ByteView(e).last(2)), "0000");
    EXPECT_EQ(e.size(), 4u + 3 + 300 + 2);
    CommandApdu back = CommandApdu::parse(e);
    EXPECT_EQ(back.data, c.data);
    EXPECT_EQ(back.ne, 65536u);
}

TEST(CommandApdu, RefusesInconsistentLengths) {
    EXPECT_THROW(CommandApdu::parse(from_hex("00A402")), ParseError);
    EXPECT_THROW(CommandApdu::parse(from_hex("00A4020C03011E")), ParseError);
    EXPECT_THROW(CommandApdu::parse(from_hex("00A4020C02011E0000")), ParseError);
    EXPECT_THROW(CommandApdu::parse(from_hex("00A4020C00000301")), ParseError);
    EXPECT_THROW(CommandApdu::parse(from_hex("00A4020C0000")), ParseError);  // found by fuzz_apdu
    EXPECT_THROW(CommandApdu::parse(from_hex("00A4020C0000000102")), ParseError);
}

TEST(ResponseApdu, SplitsStatusWord) {
    ResponseApdu r = ResponseApdu::parse(from_hex("01029000"));
    EXPECT_EQ(to_hex(r.data), "0102");
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.encode(), from_hex("01029000"));
    EXPECT_THROW(ResponseApdu::parse(from_hex("90")), ParseError);
}

TEST(StatusWords, AreDescribedInWords) {
    EXPECT_EQ(describe_status_word(0x6982), "6982: security status not satisfied (access denied)");
    EXPECT_EQ(describe_status_word(0x6C10), "6C10: wrong Le: the card has 16 bytes");
    EXPECT_EQ(describe_status_word(0x63C2), "63C2: 2 tries left");
}

TEST(Commands, BuildTheEmrtdCommands) {
    EXPECT_EQ(to_hex(select_application(emrtd_aid()).encode()), "00A4040C07A0000002471001");
    EXPECT_EQ(to_hex(select_file(0x011E).encode()), "00A4020C02011E");
    EXPECT_EQ(to_hex(read_binary(4, 0x12).encode()), "00B0000412");
    EXPECT_EQ(to_hex(read_binary_short_ef(0x1E, 0, 4).encode()), "00B09E0004");
    EXPECT_EQ(to_hex(get_challenge().encode()), "0084000008");
    EXPECT_EQ(to_hex(read_binary_odd(0x8000, 65536).encode()), "00B1000000000454028000" "0000");
    EXPECT_THROW(read_binary(0x8000, 1), InvalidArgument);
    EXPECT_EQ(to_hex(general_authenticate(from_hex("7C00"), true).encode()), "10860000027C0000");
}
