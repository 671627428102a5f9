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
}

// ---- BER as chips serve it: read leniently ----

TEST(TlvBer, ReadsIndefiniteLengthsNestedAndKeepsTheEndOfContentsInRaw) {
    const Bytes data = from_hex("30800401AAA08002010500000000");
    const Element seq = read_single(data, asn1::kSequence);
    EXPECT_EQ(seq.raw.size(), data.size());
    EXPECT_EQ(to_hex(seq.value), "0401AAA0800201050000");
    Reader r(seq.value);
    EXPECT_EQ(to_hex(r.expect(asn1::kOctetString).value), "AA");
    const Element inner = r.expect(0xA0);
    EXPECT_EQ(to_hex(inner.value), "020105");
    EXPECT_EQ(to_hex(inner.raw), "A0800201050000");
    r.expect_end();
}

TEST(TlvBer, RefusesAnIndefiniteLengthThatIsPrimitiveUnendedOrTooDeep) {
    EXPECT_THROW(read_single(from_hex("0480AA0000")), ParseError);  // primitive
    EXPECT_THROW(read_single(from_hex("3080AA0000")), ParseError);  // AA 00, then one zero byte: no end
    EXPECT_THROW(read_single(from_hex("30800401AA")), ParseError);  // no end-of-contents at all
    EXPECT_THROW(read_single(from_hex("30800405AA0000")), ParseError);  // a child runs over the end
    const auto nested = [](std::size_t levels) {
        Bytes b;
        for (std::size_t i = 0; i < levels; ++i) append(b, from_hex("3080"));
        for (std::size_t i = 0; i < levels; ++i) append(b, from_hex("0000"));
        return b;
    };
    EXPECT_NO_THROW(read_single(nested(kDefaultMaxDepth)));
    EXPECT_THROW(read_single(nested(kDefaultMaxDepth + 1)), ParseError);
}

TEST(TlvBer, ReadsLengthsInALongerFormThanNeeded) {
    EXPECT_EQ(to_hex(read_single(from_hex("3081030201 05")).value), "020105");
    EXPECT_EQ(to_hex(read_single(from_hex("308200030201 05")).value), "020105");
    EXPECT_EQ(to_hex(read_single(from_hex("30840000000302 0105")).value), "020105");
}

TEST(TlvBer, StringValueJoinsConstructedSegmentsOfAnyDepth) {
    const Bytes data = from_hex("24800402AABB24060401CC0401DD0000");
    EXPECT_EQ(to_hex(string_value(read_single(data), asn1::kOctetString)), "AABBCCDD");
    EXPECT_EQ(to_hex(string_value(read_single(from_hex("0402AABB")), asn1::kOctetString)), "AABB");
    EXPECT_THROW((void)string_value(read_single(from_hex("0C02AABB")), asn1::kOctetString), ParseError);
    EXPECT_THROW((void)string_value(read_single(from_hex("24040C02AABB")), asn1::kOctetString), ParseError);
}

// ---- DER as this project writes it: checked strictly ----

TEST(Der, AcceptsDerAndSaysWhereBytesAreNot) {
    EXPECT_EQ(der_problem(from_hex("3008020105310302 0101")), std::nullopt);
    EXPECT_EQ(der_problem(from_hex("310602010102 0102")), std::nullopt);  // SET OF in ascending order
    EXPECT_EQ(der_problem(from_hex("310602010202 0101")).value_or(""),
              "at offset 0: the elements of a SET are not in ascending order (X.690 11.6)");
    EXPECT_EQ(der_problem(from_hex("31060201010201 01")), std::nullopt);  // equal elements may repeat
    // Compared byte by byte, the length octets included (11.6).
    EXPECT_EQ(der_problem(from_hex("310704010004020000")), std::nullopt);
    EXPECT_EQ(der_problem(from_hex("30800201050000")).value_or(""), "at offset 0: an indefinite length");
    EXPECT_EQ(der_problem(from_hex("3081030201 05")).value_or(""), "at offset 0: a length in a longer form than needed");
    EXPECT_EQ(der_problem(from_hex("3005 24030401AA")).value_or(""), "at offset 2: a string in the constructed form");
    EXPECT_EQ(der_problem(from_hex("010101")).value_or(""), "at offset 0: a BOOLEAN that is not 00 or FF");
    EXPECT_EQ(der_problem(from_hex("02020001")).value_or(""), "at offset 0: an INTEGER in more octets than needed");
    EXPECT_EQ(der_problem(from_hex("0202FF80")).value_or(""), "at offset 0: an INTEGER in more octets than needed");
    EXPECT_EQ(der_problem(from_hex("02020080")), std::nullopt);
    EXPECT_TRUE(der_problem(from_hex("3003020105FF")).has_value());  // trailing byte: no data object
    EXPECT_TRUE(der_problem({}).has_value());
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
