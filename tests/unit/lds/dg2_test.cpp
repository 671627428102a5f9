#include "card/lds/dg2.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"
#include "card/tlv/tlv.hpp"

using namespace cccd;
using namespace cccd::lds;

namespace {

// A small JPEG-like blob: SOI, APP0 "JFIF", some bytes, EOI.
Bytes fake_jpeg() {
    Bytes b = from_hex("FFD8FFE000104A46494600010100000100010000");
    for (int i = 0; i < 40; ++i) b.push_back(static_cast<std::uint8_t>(i * 7));
    append(b, from_hex("FFD9"));
    return b;
}

FaceImage sample_face() {
    FaceImage f;
    f.gender = 1;
    f.eye_colour = 3;
    f.hair_colour = 2;
    f.feature_mask = 0x000001;
    f.expression = 1;
    f.feature_points.push_back(FeaturePoint{1, 0x31, 120, 160, 0});
    f.feature_points.push_back(FeaturePoint{1, 0x32, 200, 161, 0});
    f.face_image_type = 1;
    f.image_data_type = 0;
    f.width = 480;
    f.height = 640;
    f.colour_space = 1;
    f.source_type = 2;
    f.image = fake_jpeg();
    return f;
}

}  // namespace

TEST(FaceRecord, EncodesTheIso19794_5Layout) {
    FaceRecord r{{sample_face()}};
    Bytes bytes = encode(r);
    std::size_t block = 20 + 2 * 8 + 12 + fake_jpeg().size();
    ASSERT_EQ(bytes.size(), 14 + block);
    EXPECT_EQ(to_hex(ByteView(bytes).first(8)), "4641430030313000");  // "FAC\0" "010\0"
}

TEST(FaceRecord, HeaderFieldsAreBigEndianAndAgreeWithTheData) {
    FaceRecord r{{sample_face()}};
    Bytes bytes = encode(r);
    std::size_t block = 20 + 2 * 8 + 12 + fake_jpeg().size();
    EXPECT_EQ(to_hex(ByteView(bytes).subspan(8, 4)), to_hex(be_bytes(bytes.size(), 4)));  // record length
    EXPECT_EQ(to_hex(ByteView(bytes).subspan(12, 2)), "0001");                          // one face
    EXPECT_EQ(to_hex(ByteView(bytes).subspan(14, 4)), to_hex(be_bytes(block, 4)));      // block length
    EXPECT_EQ(to_hex(ByteView(bytes).subspan(18, 2)), "0002");                          // two feature points
    // Image information after the facial information and feature points: type 1, JPEG, 480 x 640.
    EXPECT_EQ(to_hex(ByteView(bytes).subspan(14 + 20 + 16, 6)), "010001E00280");
    FaceRecord back = decode_face_record(bytes);
    EXPECT_EQ(back, r);
    EXPECT_EQ(back.faces[0].image, fake_jpeg());
    EXPECT_EQ(encode(back), bytes);
}

TEST(FaceRecord, TwoFacesRoundTrip) {
    FaceImage second = sample_face();
    second.feature_points.clear();
    second.image_data_type = 1;
    second.image = from_hex("0000000C6A5020200D0A870A");
    FaceRecord r{{sample_face(), second}};
    Bytes bytes = encode(r);
    EXPECT_EQ(decode_face_record(bytes), r);
    EXPECT_EQ(encode(decode_face_record(bytes)), bytes);
}

TEST(FaceRecord, RefusesInconsistentLengths) {
    Bytes good = encode(FaceRecord{{sample_face()}});
    EXPECT_THROW(decode_face_record(Bytes(good.begin(), good.end() - 1)), ParseError);  // record length too big
    Bytes trailing = good;
    trailing.push_back(0);
    EXPECT_THROW(decode_face_record(trailing), ParseError);
    Bytes bad_magic = good;
    bad_magic[0] = 'X';
    EXPECT_THROW(decode_face_record(bad_magic), ParseError);
    Bytes bad_version = good;
    bad_version[5] = '3';  // "030": the 2011 edition, another layout
    EXPECT_THROW(decode_face_record(bad_version), ParseError);
    Bytes block_too_long = good;
    block_too_long[17] = static_cast<std::uint8_t>(block_too_long[17] + 1);
    EXPECT_THROW(decode_face_record(block_too_long), ParseError);
    Bytes block_too_short = good;
    block_too_short[17] = static_cast<std::uint8_t>(block_too_short[17] - 1);  // leaves a stray byte
    EXPECT_THROW(decode_face_record(block_too_short), ParseError);
    Bytes tiny_block = good;
    tiny_block[14] = tiny_block[15] = tiny_block[16] = 0;
    tiny_block[17] = 20;  // shorter than its fixed parts
    EXPECT_THROW(decode_face_record(tiny_block), ParseError);
    Bytes too_many_points = good;
    too_many_points[19] = 0xFF;
    EXPECT_THROW(decode_face_record(too_many_points), ParseError);
    Bytes two_faces = good;
    two_faces[13] = 2;  // second face missing
    EXPECT_THROW(decode_face_record(two_faces), ParseError);
    Bytes no_face = good;
    no_face[13] = 0;
    EXPECT_THROW(decode_face_record(no_face), ParseError);
    EXPECT_THROW(decode_face_record(Bytes{}), ParseError);
    EXPECT_THROW(decode_face_record(from_hex("46414300303130000000000E")), ParseError);
    EXPECT_THROW(encode(FaceRecord{}), InvalidArgument);
}

TEST(Dg2, RoundTripsWithFaceRecord) {
    FaceRecord r{{sample_face()}};
    Dg2 dg2 = make_dg2(r);
    Bytes bytes = encode(dg2);
    // 75 .. 7F61 .. 02 01 01 7F60 .. A1 0F 80 02 0101 81 01 02 87 02 0101 88 02 0008 5F2E ..
    EXPECT_EQ(bytes[0], 0x75);
    auto group = tlv::read_single(tlv::read_single(bytes, 0x75).value, 0x7F61);
    EXPECT_EQ(to_hex(group.value.first(3)), "020101");
    std::string hex = to_hex(bytes);
    EXPECT_NE(hex.find("A10F800201018101028702010188020008"), std::string::npos);
    Dg2 back = decode_dg2(bytes);
    EXPECT_EQ(back, dg2);
    EXPECT_EQ(encode(back), bytes);
    EXPECT_EQ(first_face_record(back), r);
    EXPECT_EQ(back.templates[0].header.format_type, from_hex("0008"));
}

TEST(Dg2, KeepsOptionalHeaderElementsAndEncipheredBlocks) {
    BiometricTemplate plain;
    plain.header.format_owner = from_hex("0101");
    plain.header.format_type = from_hex("0008");
    plain.header.biometric_subtype = from_hex("00");
    plain.header.other.emplace_back(0x83, from_hex("20260101120000"));  // creation date
    plain.data = encode(FaceRecord{{sample_face()}});
    BiometricTemplate enciphered = plain;
    enciphered.header.other.clear();
    enciphered.data_tag = kEncipheredBiometricDataTag;
    enciphered.data = from_hex("0102030405");
    Dg2 dg2{{enciphered, plain}};
    Bytes bytes = encode(dg2);
    Dg2 back = decode_dg2(bytes);
    EXPECT_EQ(back, dg2);
    EXPECT_EQ(encode(back), bytes);
    EXPECT_EQ(first_face_record(back).faces.size(), 1u);  // skips the enciphered one
    EXPECT_THROW(first_face_record(Dg2{{enciphered}}), ParseError);
}

TEST(Dg2, RefusesMalformedInput) {
    Bytes good = encode(make_dg2(FaceRecord{{sample_face()}}));
    EXPECT_THROW(decode_dg2(Bytes(good.begin(), good.end() - 1)), ParseError);
    Bytes wrong_tag = good;
    wrong_tag[0] = 0x76;
    EXPECT_THROW(decode_dg2(wrong_tag), ParseError);
    Bytes trailing = good;
    trailing.push_back(0);
    EXPECT_THROW(decode_dg2(trailing), ParseError);
    EXPECT_THROW(decode_dg2(Bytes{}), ParseError);
    auto dg2_of = [](const std::string& group_hex) { return tlv::encode(0x75, tlv::encode(0x7F61, from_hex(group_hex))); };
    auto bit_of = [](const std::string& inner_hex) { return to_hex(tlv::encode(0x7F60, from_hex(inner_hex))); };
    const std::string header = "A1088702010188020008";
    const std::string bit = bit_of(header + "5F2E02AABB");
    EXPECT_NO_THROW(decode_dg2(dg2_of("020101" + bit)));
    EXPECT_THROW(decode_dg2(dg2_of("020102" + bit)), ParseError);                                 // count says two
    EXPECT_THROW(decode_dg2(dg2_of("020101")), ParseError);                                       // no template
    EXPECT_THROW(decode_dg2(dg2_of("040101" + bit)), ParseError);                                 // count not an INTEGER
    EXPECT_THROW(decode_dg2(dg2_of("020101" + bit_of(header + "5F2F02AABB"))), ParseError);      // wrong data tag
    EXPECT_THROW(decode_dg2(dg2_of("020101" + bit_of(header))), ParseError);                     // no data block
    EXPECT_THROW(decode_dg2(dg2_of("020101" + bit_of("A104870201015F2E02AABB"))), ParseError);   // no format type
    EXPECT_THROW(decode_dg2(dg2_of("020101" + bit_of("A1088802000887020101" "5F2E02AABB"))), ParseError);  // out of order
    EXPECT_THROW(decode_dg2(dg2_of("020101" + bit_of("A108A202010188020008" "5F2E02AABB"))), ParseError);  // constructed
    EXPECT_THROW(decode_dg2(dg2_of("020101" + bit_of(header + "5F2E02AABB" "5301AA"))), ParseError);       // extra element
    EXPECT_THROW(decode_dg2(dg2_of("020101" + bit + "5301AA")), ParseError);                     // not a template
}

TEST(Dg2, RefusesToEncodeInconsistentValues) {
    EXPECT_THROW(encode(Dg2{}), InvalidArgument);
    Dg2 dg2 = make_dg2(FaceRecord{{sample_face()}});
    dg2.templates[0].header.other.emplace_back(0x87, from_hex("0101"));  // duplicates the format owner
    EXPECT_THROW(encode(dg2), InvalidArgument);
    Dg2 bad_tag = make_dg2(FaceRecord{{sample_face()}});
    bad_tag.templates[0].data_tag = 0x5F2F;
    EXPECT_THROW(encode(bad_tag), InvalidArgument);
}

TEST(Dg2, NamesCodedValues) {
    EXPECT_EQ(gender_name(1), "male");
    EXPECT_EQ(gender_name(2), "female");
    EXPECT_EQ(image_data_type_name(0), "JPEG");
    EXPECT_EQ(image_data_type_name(1), "JPEG 2000");
    EXPECT_EQ(image_data_type_name(9), "unknown (9)");
    EXPECT_EQ(face_image_type_name(1), "full frontal");
    EXPECT_EQ(colour_space_name(1), "24-bit RGB");
}
