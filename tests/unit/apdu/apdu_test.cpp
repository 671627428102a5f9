#include "card/apdu/apdu.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"

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

TEST(CommandApdu, ParsesEachIsoCaseIntoItsFields) {
    CommandApdu case1 = CommandApdu::parse(from_hex("00A40000"));
    EXPECT_EQ(case1.ins, 0xA4);
    EXPECT_TRUE(case1.data.empty());
    EXPECT_FALSE(case1.ne);

    CommandApdu case2s = CommandApdu::parse(from_hex("00B0000000"));
    EXPECT_EQ(case2s.ne, 256u);  // Le 00 means 256
    EXPECT_FALSE(case2s.extended());

    CommandApdu case3s = CommandApdu::parse(from_hex("00A4020C02011E"));
    EXPECT_EQ(case3s.p1, 0x02);
    EXPECT_EQ(case3s.p2, 0x0C);
    EXPECT_EQ(case3s.data, from_hex("011E"));
    EXPECT_FALSE(case3s.ne);

    CommandApdu case4s = CommandApdu::parse(from_hex("008800000801020304050607081A"));
    EXPECT_EQ(case4s.data, from_hex("0102030405060708"));
    EXPECT_EQ(case4s.ne, 0x1Au);

    CommandApdu case2e = CommandApdu::parse(from_hex("00B00000000000"));
    EXPECT_TRUE(case2e.data.empty());
    EXPECT_EQ(case2e.ne, 65536u);  // Le 0000 means 65536
    EXPECT_TRUE(case2e.extended());

    CommandApdu case3e = CommandApdu::parse(from_hex("00D6000000000301020" "3"));
    EXPECT_EQ(case3e.data, from_hex("010203"));
    EXPECT_FALSE(case3e.ne);
    EXPECT_TRUE(case3e.extended());

    CommandApdu case4e = CommandApdu::parse(from_hex("00D60000000003010203" "0100"));
    EXPECT_EQ(case4e.data, from_hex("010203"));
    EXPECT_EQ(case4e.ne, 256u);
    // Extended on the wire stays extended when encoded again, even though short would fit.
    EXPECT_EQ(to_hex(case4e.encode()), "00D600000000030102030100");
}

TEST(CommandApdu, EncodeChoosesShortOrExtendedLength) {
    EXPECT_EQ(to_hex(CommandApdu{0x00, 0xB0, 0x00, 0x00, {}, 256, false}.encode()), "00B0000000");
    EXPECT_EQ(to_hex(CommandApdu{0x00, 0xB0, 0x00, 0x00, {}, 257, false}.encode()), "00B00000000101");
    EXPECT_EQ(to_hex(CommandApdu{0x00, 0xB0, 0x00, 0x00, {}, 65536, false}.encode()), "00B00000000000");
    EXPECT_EQ(to_hex(CommandApdu{0x00, 0xB0, 0x00, 0x00, {}, 16, true}.encode()), "00B00000000010");
    EXPECT_EQ(to_hex(CommandApdu{0x00, 0xD6, 0x00, 0x00, from_hex("AABB"), 16, true}.encode()),
              "00D60000000002AABB0010");
    EXPECT_EQ(to_hex(CommandApdu{0x00, 0xD6, 0x00, 0x00, from_hex("AABB"), std::nullopt, true}.encode()),
              "00D60000000002AABB");
    // 255 data bytes still fit a short Lc, 256 do not.
    EXPECT_EQ(CommandApdu({0x00, 0xD6, 0x00, 0x00, Bytes(255, 1), std::nullopt, false}).encode().size(), 4u + 1 + 255);
    Bytes long_data = CommandApdu({0x00, 0xD6, 0x00, 0x00, Bytes(256, 1), 256, false}).encode();
    EXPECT_EQ(to_hex(ByteView(long_data).first(7)), "00D60000000100");
    EXPECT_EQ(to_hex(ByteView(long_data).last(2)), "0100");
}

TEST(CommandApdu, EncodeRefusesImpossibleLengths) {
    EXPECT_THROW((CommandApdu{0x00, 0xB0, 0x00, 0x00, {}, 0, false}.encode()), InvalidArgument);
    EXPECT_THROW((CommandApdu{0x00, 0xB0, 0x00, 0x00, {}, 65537, false}.encode()), InvalidArgument);
    EXPECT_THROW((CommandApdu{0x00, 0xD6, 0x00, 0x00, Bytes(65536, 0), std::nullopt, false}.encode()),
                 InvalidArgument);
}

TEST(CommandApdu, RefusesEveryInconsistentShape) {
    for (const char* hex : {
             "",                          // nothing
             "00A402",                    // header cut short
             "00A4020C0201",              // Lc 2, one data byte
             "00A4020C02011E0000",        // short Lc with a two-byte Le
             "00A4020C000003010203000001",  // extended Lc with a three-byte Le
             "00D60000000003010203" "01",  // extended Lc with a one-byte Le
             "00D6000000000301",          // extended Lc 3, one data byte
         }) {
        EXPECT_THROW(CommandApdu::parse(from_hex(hex)), ParseError) << hex;
    }
    EXPECT_NO_THROW(CommandApdu::parse(from_hex("00D60000000000")));  // 7 bytes: case 2E, Ne 65536
    EXPECT_THROW(CommandApdu::parse(from_hex("00D6000000000001")), ParseError);  // extended Lc of zero
    EXPECT_THROW(CommandApdu::parse(from_hex("00B000000000")), ParseError);      // truncated extended Le
}

TEST(ResponseApdu, StatusOnlyAndHelpers) {
    ResponseApdu r = ResponseApdu::parse(from_hex("6A82"));
    EXPECT_TRUE(r.data.empty());
    EXPECT_EQ(r.sw, 0x6A82);
    EXPECT_EQ(r.sw1(), 0x6A);
    EXPECT_EQ(r.sw2(), 0x82);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(to_hex(r.encode()), "6A82");
    EXPECT_THROW(ResponseApdu::parse(ByteView{}), ParseError);
}

TEST(StatusWords, EveryCommonWordHasAMeaning) {
    for (int s : {0x9000, 0x6282, 0x6700, 0x6982, 0x6983, 0x6984, 0x6985, 0x6986, 0x6987, 0x6988, 0x6A80,
                            0x6A82, 0x6A86, 0x6A88, 0x6B00, 0x6D00, 0x6E00, 0x6C20, 0x6110, 0x63C0, 0x6300, 0x6882}) {
        std::string text = describe_status_word(static_cast<std::uint16_t>(s));
        EXPECT_EQ(text.find("unknown status"), std::string::npos) << text;
        EXPECT_EQ(text.substr(0, 4), to_hex(be_bytes(static_cast<std::uint64_t>(s), 2))) << text;
    }
    EXPECT_EQ(describe_status_word(0x9000), "9000: success");
    EXPECT_EQ(describe_status_word(0x6988), "6988: secure messaging data objects incorrect (wrong MAC)");
    EXPECT_EQ(describe_status_word(0x6110), "6110: 16 more bytes available");
    EXPECT_EQ(describe_status_word(0x1234), "1234: unknown status");
}

TEST(Commands, AuthenticationCommandsMatchTheIcaoExamples) {
    // ICAO 9303 Part 11 App. D.3 and G.1 (shared/reference/test-vectors.md §2.2, §3.1).
    Bytes bac_data = from_hex("72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A7");
    EXPECT_EQ(to_hex(mutual_authenticate(bac_data).encode()),
              "008200002872C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A728");
    EXPECT_EQ(to_hex(mse_set_at(0xC1, from_hex("800A04007F00070202040202830101")).encode()),
              "0022C1A40F800A04007F00070202040202830101");
    EXPECT_EQ(to_hex(general_authenticate(from_hex("7C0A8508C2B0BD78D94BA866"), false).encode()),
              "008600000C7C0A8508C2B0BD78D94BA86600");
    EXPECT_EQ(to_hex(internal_authenticate(from_hex("0102030405060708")).encode()), "0088000008010203040506070800");
    EXPECT_EQ(to_hex(external_authenticate(from_hex("AABBCC")).encode()), "0082000003AABBCC");
    EXPECT_EQ(to_hex(mse_set_kat(from_hex("9101AA")).encode()), "002241A6039101AA");
}

TEST(Commands, ReadBinaryForms) {
    EXPECT_EQ(to_hex(read_binary(0x7FFF, 256).encode()), "00B07FFF00");
    EXPECT_EQ(to_hex(read_binary(0, 1000).encode()), "00B00000" "0003E8");  // extended Le
    EXPECT_EQ(to_hex(read_binary_short_ef(0x01, 0x10, 256).encode()), "00B0811000");
    EXPECT_THROW(read_binary_short_ef(0, 0, 1), InvalidArgument);
    EXPECT_THROW(read_binary_short_ef(31, 0, 1), InvalidArgument);
    EXPECT_EQ(to_hex(read_binary_odd(0x1234, 256).encode()), "00B10000045402123400");
    EXPECT_EQ(to_hex(read_binary_odd(0x012345, 256).encode()), "00B1000005540301234500");
    EXPECT_THROW(read_binary_odd(0x1000000, 256), InvalidArgument);
}
