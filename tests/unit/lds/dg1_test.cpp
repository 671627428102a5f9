#include "card/lds/dg1.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"
#include "card/tlv/tlv.hpp"

using namespace cccd;
using namespace cccd::lds;

namespace {
// ICAO 9303 Part 5 TD1 specimen MRZ (3 x 30).
const std::string kTd1 =
    "I<UTOD231458907<<<<<<<<<<<<<<<"
    "7408122F1204159UTO<<<<<<<<<<<6"
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<";
// ICAO 9303 Part 4 TD3 specimen MRZ (2 x 44).
const std::string kTd3 =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
}  // namespace

TEST(Dg1, RoundTripsTd1) {
    Bytes bytes = encode(Dg1{kTd1});
    // 61 5D 5F1F 5A <90 characters>
    EXPECT_EQ(to_hex(ByteView(bytes).first(5)), "615D5F1F5A");
    EXPECT_EQ(bytes.size(), 95u);
    Dg1 back = decode_dg1(bytes);
    EXPECT_EQ(back.mrz, kTd1);
    EXPECT_EQ(back.layout(), MrzLayout::Td1);
    ASSERT_EQ(back.lines().size(), 3u);
    EXPECT_EQ(back.lines()[2], "ERIKSSON<<ANNA<MARIA<<<<<<<<<<");
    EXPECT_EQ(encode(back), bytes);
}

TEST(Dg1, RoundTripsTd3AndTd2) {
    Bytes bytes = encode(Dg1{kTd3});
    Dg1 back = decode_dg1(bytes);
    EXPECT_EQ(back.layout(), MrzLayout::Td3);
    EXPECT_EQ(back.lines().size(), 2u);
    EXPECT_EQ(layout_name(*back.layout()), "TD3");
    Dg1 td2{std::string(72, '<')};
    EXPECT_EQ(decode_dg1(encode(td2)).layout(), MrzLayout::Td2);
}

TEST(Dg1, RefusesMalformedInput) {
    Bytes good = encode(Dg1{kTd1});
    Bytes truncated(good.begin(), good.end() - 1);
    EXPECT_THROW(decode_dg1(truncated), ParseError);
    Bytes wrong_tag = good;
    wrong_tag[0] = 0x62;
    EXPECT_THROW(decode_dg1(wrong_tag), ParseError);
    Bytes trailing = good;
    trailing.push_back(0x00);
    EXPECT_THROW(decode_dg1(trailing), ParseError);
    Bytes overlong = good;
    overlong[1] = 0x5E;
    EXPECT_THROW(decode_dg1(overlong), ParseError);
    Bytes wrong_inner = good;
    wrong_inner[3] = 0x1E;  // 5F1E instead of 5F1F
    EXPECT_THROW(decode_dg1(wrong_inner), ParseError);
    Bytes lower = good;
    lower[10] = 'a';
    EXPECT_THROW(decode_dg1(lower), ParseError);
    // 89 characters fit no layout.
    EXPECT_THROW(decode_dg1(tlv::encode(0x61, tlv::encode(0x5F1F, view(kTd1.substr(1))))), ParseError);
    EXPECT_THROW(decode_dg1(Bytes{}), ParseError);
}

TEST(Dg1, ReadsBerLengthFormsAsChipsServeThem) {
    const Bytes good = encode(Dg1{kTd1});
    const Bytes inner(good.begin() + 2, good.end());  // 5F1F 5A <mrz>
    EXPECT_EQ(decode_dg1(concat({from_hex("61815D"), inner})).mrz, kTd1);          // long form for a short length
    EXPECT_EQ(decode_dg1(concat({from_hex("6180"), inner, from_hex("0000")})).mrz, kTd1);  // indefinite
    EXPECT_EQ(decode_dg1(concat({from_hex("615F5F1F82005A"), ByteView(inner).subspan(3)})).mrz, kTd1);  // inner too
}

TEST(Dg1, RefusesToEncodeBadMrz) {
    EXPECT_THROW(encode(Dg1{"ABC"}), InvalidArgument);
    EXPECT_THROW(encode(Dg1{std::string(90, 'a')}), InvalidArgument);
}
