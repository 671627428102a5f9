#include "card/lds/ef_com.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "base/error.hpp"

using namespace cccd;
using namespace cccd::lds;

namespace {
// ICAO 9303 Part 11 App. D.4, reassembled from the two READ BINARYs (test-vectors.md §2.3).
const char* kIcaoExample = "60145F0104303130365F36063034303030305C026175";
}  // namespace

TEST(EfCom, DecodesIcaoExample) {
    Bytes bytes = from_hex(kIcaoExample);
    ASSERT_EQ(bytes.size(), 22u);
    EfCom com = decode_ef_com(bytes);
    EXPECT_EQ(com.lds_version, "0106");
    EXPECT_EQ(com.unicode_version, "040000");
    EXPECT_EQ(to_hex(com.tag_list), "6175");
    EXPECT_EQ(com.listed_files(), (std::vector<LdsFile>{LdsFile::Dg1, LdsFile::Dg2}));
    EXPECT_EQ(encode(com), bytes);
}

TEST(EfCom, TestDataFileIsTheIcaoExample) {
    std::ifstream in(std::string(CCCD_TEST_DATA_DIR) + "/ef_com_icao_example.bin", std::ios::binary);
    ASSERT_TRUE(in.good());
    Bytes file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(file, from_hex(kIcaoExample));
}

TEST(EfCom, CccdExampleRoundTripsAndKeepsOrder) {
    // The 26-byte EF.COM of a real CCCD (cccd-chip.md): LDS 1.7, Unicode 4.0.0, tags 61 75 63 6D 6F 6E.
    Bytes bytes = from_hex("60185F0104303130375F36063034303030305C066175636D6F6E");
    ASSERT_EQ(bytes.size(), 26u);
    EfCom com = decode_ef_com(bytes);
    EXPECT_EQ(com.lds_version, "0107");
    EXPECT_EQ(com.listed_files(), (std::vector<LdsFile>{LdsFile::Dg1, LdsFile::Dg2, LdsFile::Dg3, LdsFile::Dg13,
                                                        LdsFile::Dg15, LdsFile::Dg14}));
    EXPECT_EQ(encode(com), bytes);
    EfCom built = make_ef_com({LdsFile::Dg1, LdsFile::Dg2, LdsFile::Dg3, LdsFile::Dg13, LdsFile::Dg15, LdsFile::Dg14});
    EXPECT_EQ(built, com);
    EXPECT_EQ(encode(built), bytes);
}

TEST(EfCom, KeepsUnknownTagsInList) {
    EfCom com;
    com.tag_list = {0x61, 0x99};
    Bytes bytes = encode(com);
    EfCom back = decode_ef_com(bytes);
    EXPECT_EQ(back, com);
    EXPECT_EQ(back.listed_files(), std::vector<LdsFile>{LdsFile::Dg1});
}

TEST(EfCom, RefusesMalformedInput) {
    EXPECT_THROW(decode_ef_com(from_hex("60145F0104303130365F36063034303030305C0261")), ParseError);    // truncated
    EXPECT_THROW(decode_ef_com(from_hex("61145F0104303130365F36063034303030305C026175")), ParseError);  // wrong outer tag
    EXPECT_THROW(decode_ef_com(from_hex("60155F0104303130365F36063034303030305C026175")), ParseError);  // overlong length
    EXPECT_THROW(decode_ef_com(from_hex("60145F0104303130365F36063034303030305C02617500")), ParseError);  // trailing byte
    EXPECT_THROW(decode_ef_com(from_hex("60145F36063034303030305F0104303130365C026175")), ParseError);    // wrong order
    EXPECT_THROW(decode_ef_com(from_hex("60145F01043031413E5F36063034303030305C026175")), ParseError);    // not digits
    EXPECT_THROW(decode_ef_com(from_hex("600E5F0104303130365F3606303430303030")), ParseError);            // no tag list
    EXPECT_THROW(decode_ef_com(from_hex("60175F0104303130365F36063034303030305C0261755301AA")), ParseError);  // extra element
    EXPECT_THROW(decode_ef_com(Bytes{}), ParseError);
}

TEST(EfCom, ReadsBerLengthFormsAsChipsServeThem) {
    const EfCom der = decode_ef_com(from_hex("60145F0104303130365F36063034303030305C026175"));
    EXPECT_EQ(decode_ef_com(from_hex("6081145F0104303130365F36063034303030305C026175")), der);
    EXPECT_EQ(decode_ef_com(from_hex("60805F0104303130365F36063034303030305C0261750000")), der);
    EXPECT_EQ(decode_ef_com(from_hex("60165F0182000430313036 5F36063034303030305C026175")), der);
    EXPECT_THROW(decode_ef_com(from_hex("60805F0104303130365F36063034303030305C026175")), ParseError);  // no end
}

TEST(EfCom, RefusesToEncodeBadVersions) {
    EfCom com;
    com.lds_version = "1.7";
    EXPECT_THROW(encode(com), InvalidArgument);
    com.lds_version = "0107";
    com.unicode_version = "4000";
    EXPECT_THROW(encode(com), InvalidArgument);
    EXPECT_THROW(make_ef_com({LdsFile::Sod}), InvalidArgument);
}
