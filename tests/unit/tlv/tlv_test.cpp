#include "card/tlv/tlv.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"

using namespace cccd;
using namespace cccd::tlv;

TEST(Tlv, ReadsMultiByteTagAndShortLength) {
    Bytes data = from_hex("5F1F03414243");
    Element e = read_single(data);
    EXPECT_EQ(e.tag, 0x5F1Fu);
    EXPECT_EQ(to_string(e.value), "ABC");
    EXPECT_FALSE(e.constructed());
}

TEST(Tlv, ReadsLongFormLengths) {
    Bytes value(300, 0xAB);
    Bytes encoded = encode(0x6D, value);
    EXPECT_EQ(to_hex(ByteView(encoded).first(4)), "6D82012C");
    Element e = read_single(encoded, 0x6D);
    EXPECT_EQ(e.value.size(), 300u);
    EXPECT_TRUE(e.constructed());
}

TEST(Tlv, EncodesLengthBoundaries) {
    EXPECT_EQ(to_hex(encode_length(0x7F)), "7F");
    EXPECT_EQ(to_hex(encode_length(0x80)), "8180");
    EXPECT_EQ(to_hex(encode_length(0xFF)), "81FF");
    EXPECT_EQ(to_hex(encode_length(0x100)), "820100");
    EXPECT_EQ(to_hex(encode_length(0x10000)), "83010000");
    EXPECT_EQ(to_hex(encode_length(0x1000000)), "8401000000");
}

TEST(Tlv, RefusesTruncatedValue) {
    EXPECT_THROW(read_single(from_hex("5F1F0541")), ParseError);
    EXPECT_THROW(read_single(from_hex("30")), ParseError);
    EXPECT_THROW(read_single(from_hex("5F")), ParseError);
    EXPECT_THROW(read_single(from_hex("3082")), ParseError);
}

TEST(Tlv, RefusesOverlongLengthField) {
    EXPECT_THROW(read_single(from_hex("30850000000001AA")), ParseError);
    EXPECT_THROW(read_single(from_hex("3080AA0000")), ParseError);  // indefinite
}

TEST(Tlv, RefusesTagLongerThanFourBytes) {
    EXPECT_THROW(read_single(from_hex("5F8181810100")), ParseError);
    EXPECT_NO_THROW(read_single(from_hex("5F81810100")));
}

TEST(Tlv, RefusesTrailingBytesInSingle) {
    EXPECT_THROW(read_single(from_hex("040100FF")), ParseError);
    EXPECT_NO_THROW(read_element(from_hex("040100FF")));
}

TEST(Tlv, ReaderWalksChildren) {
    Bytes data = from_hex("3009020101800141810142");
    Element seq = read_single(data, asn1::kSequence);
    Reader r(seq.value);
    EXPECT_EQ(asn1::decode_integer_value(r.expect(asn1::kInteger).value), 1u);
    EXPECT_FALSE(r.next_if(0x81).has_value());
    EXPECT_EQ(to_string(r.expect(0x80).value), "A");
    EXPECT_EQ(r.peek_tag(), 0x81u);
    r.next();
    EXPECT_TRUE(r.at_end());
    EXPECT_THROW(r.next(), ParseError);
}

TEST(Tlv, TreeRoundTripsExactly) {
    Bytes data = from_hex("7C0A8508C2B0BD78D94BA866" "3006A1040402ABCD");
    auto tree = parse_tree(data);
    ASSERT_EQ(tree.size(), 2u);
    EXPECT_EQ(tree[0].tag, 0x7Cu);
    ASSERT_EQ(tree[0].children.size(), 1u);
    EXPECT_EQ(to_hex(tree[0].children[0].value), "C2B0BD78D94BA866");
    Bytes again;
    for (const auto& n : tree) append(again, encode(n));
    EXPECT_EQ(again, data);
}

TEST(Tlv, TreeRefusesDeepNesting) {
    Bytes data = from_hex("0400");
    for (int i = 0; i < 40; ++i) data = encode(0x30, data);
    EXPECT_THROW(parse_tree(data), ParseError);
    EXPECT_NO_THROW(parse_tree(data, 64));
}

TEST(Asn1, OidRoundTrips) {
    EXPECT_EQ(to_hex(asn1::encode_oid("0.4.0.127.0.7.2.2.4.2.2")), "060A04007F00070202040202");
    EXPECT_EQ(asn1::decode_oid_value(from_hex("04007F00070202040202")), "0.4.0.127.0.7.2.2.4.2.2");
    EXPECT_EQ(asn1::decode_oid_value(asn1::encode_oid_value("2.23.136.1.1.1")), "2.23.136.1.1.1");
    EXPECT_EQ(asn1::decode_oid_value(asn1::encode_oid_value("1.0.10646.1.0.8")), "1.0.10646.1.0.8");
    EXPECT_EQ(to_hex(asn1::encode_oid_value("1.0.10646.1.0.8")), "28D316010008");
    EXPECT_THROW(asn1::decode_oid_value(from_hex("2B81")), ParseError);
    EXPECT_THROW(asn1::decode_oid_value({}), ParseError);
    EXPECT_THROW(asn1::encode_oid_value("1..2"), InvalidArgument);
}

TEST(Asn1, IntegerRoundTrips) {
    EXPECT_EQ(to_hex(asn1::encode_integer(0)), "020100");
    EXPECT_EQ(to_hex(asn1::encode_integer(127)), "02017F");
    EXPECT_EQ(to_hex(asn1::encode_integer(128)), "02020080");
    EXPECT_EQ(asn1::decode_integer_value(from_hex("0080")), 128u);
    EXPECT_THROW(asn1::decode_integer_value(from_hex("80")), ParseError);
    EXPECT_THROW(asn1::decode_integer_value(from_hex("0100"), 255), ParseError);
}
