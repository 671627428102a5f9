#include "card/lds/dg15.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"
#include "card/tlv/tlv.hpp"
#include "test_keys.hpp"

using namespace cccd;
using namespace cccd::lds;

TEST(Dg15, RoundTripsAndDescribesEcKey) {
    Bytes spki = test::ec_spki("brainpoolP256r1");
    Bytes bytes = encode(Dg15{spki});
    EXPECT_EQ(bytes[0], 0x6F);
    Dg15 back = decode_dg15(bytes);
    EXPECT_EQ(back.public_key_info, spki);
    EXPECT_EQ(encode(back), bytes);
    auto d = describe_public_key(back.public_key_info);
    EXPECT_EQ(d.type, "EC");
    EXPECT_EQ(d.curve, "brainpoolP256r1");
    EXPECT_EQ(d.bits, 256);
    EXPECT_FALSE(d.explicit_parameters);
    EXPECT_EQ(d.algorithm_oid, "1.2.840.10045.2.1");
    EXPECT_EQ(d.summary(), "EC brainpoolP256r1 (256 bits)");
}

TEST(Dg15, DescribesExplicitCurveParameters) {
    auto d = describe_public_key(test::ec_spki("brainpoolP384r1", true));
    EXPECT_EQ(d.type, "EC");
    EXPECT_EQ(d.bits, 384);
    EXPECT_TRUE(d.explicit_parameters);
}

TEST(Dg15, DescribesRsaKey) {
    Bytes spki = test::rsa_spki(2048);
    Dg15 back = decode_dg15(encode(Dg15{spki}));
    auto d = describe_public_key(back.public_key_info);
    EXPECT_EQ(d.type, "RSA");
    EXPECT_EQ(d.bits, 2048);
    EXPECT_FALSE(d.curve.has_value());
    EXPECT_EQ(d.summary(), "RSA 2048 bits");
}

TEST(Dg15, RefusesMalformedInput) {
    Bytes good = encode(Dg15{test::ec_spki("prime256v1")});
    EXPECT_THROW(decode_dg15(Bytes(good.begin(), good.end() - 1)), ParseError);  // truncated
    Bytes wrong_tag = good;
    wrong_tag[0] = 0x6E;
    EXPECT_THROW(decode_dg15(wrong_tag), ParseError);
    Bytes trailing = good;
    trailing.push_back(0x00);
    EXPECT_THROW(decode_dg15(trailing), ParseError);
    EXPECT_THROW(decode_dg15(from_hex("6F00")), ParseError);
    EXPECT_THROW(decode_dg15(from_hex("6F03020101")), ParseError);           // INTEGER, not a SEQUENCE
    EXPECT_THROW(decode_dg15(from_hex("6F05300302 0101")), ParseError);      // no AlgorithmIdentifier
    EXPECT_THROW(decode_dg15(from_hex("6F0530030301 00")), ParseError);      // BIT STRING without algorithm
    EXPECT_THROW(decode_dg15(from_hex("6F8105300303010 0")), ParseError);    // BIT STRING without algorithm, long-form length
    // Shape right, key wrong: OpenSSL cannot load it.
    Bytes bogus = tlv::encode_constructed(0x30, {tlv::encode_constructed(0x30, {tlv::asn1::encode_oid("1.2.840.10045.2.1"),
                                                                             tlv::asn1::encode_oid("1.3.36.3.3.2.8.1.1.7")}),
                                                 from_hex("0303000102")});
    EXPECT_NO_THROW(decode_dg15(tlv::encode(0x6F, bogus)));
    EXPECT_THROW(describe_public_key(bogus), ParseError);
    EXPECT_THROW(encode(Dg15{from_hex("0400")}), InvalidArgument);
}
