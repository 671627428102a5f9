#include "card/lds/dg13.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "base/error.hpp"
#include "card/tlv/tlv.hpp"

using namespace cccd;
using namespace cccd::lds;

namespace {

// The synthetic 384-byte DG13 of cccd-chip.md (all values invented).
const char* kExample =
    "6D82017C30820178020101060628D316010008318201693011020101130C30303130393930313233343530150201020C104E475559"
    "E1BB844E2056C4824E20414E300F020103130A30312F30312F3139393930080201040C034E616D300F0201050C0A5669E1BB877420"
    "4E616D30090201060C044B696E68300B0201070C064B68C3B46E67301C0201080C17486FC3A06E204B69E1BABF6D2C2048C3A0204E"
    "E1BB996930310201090C2C53E1BB9120312C205068E1BB91205468E1BBAD2C20486FC3A06E204B69E1BABF6D2C2048C3A0204EE1BB"
    "9969302A02010A0C254EE1BB9174207275E1BB936920433A31636D2064C6B0E1BB9B69206DC3A970207472C3A169300F02010B130A"
    "30312F30372F32303231300F02010C0C0A30312F30312F32303234302E02010D30140C124E475559E1BB844E2056C4824E2042E1BB"
    "9030130C115452E1BAA64E205448E1BB8A204DE1BAB8300302010E300E02010F13093031323334353637383015020110131030313233"
    "343536373839414243444546";

Dg13Person example_person() {
    Dg13Person p;
    p.personal_id = "001099012345";
    p.full_name = "NGUYỄN VĂN AN";
    p.date_of_birth = "01/01/1999";
    p.sex = "Nam";
    p.nationality = "Việt Nam";
    p.ethnicity = "Kinh";
    p.religion = "Không";
    p.place_of_origin = "Hoàn Kiếm, Hà Nội";
    p.place_of_residence = "Số 1, Phố Thử, Hoàn Kiếm, Hà Nội";
    p.identifying_features = "Nốt ruồi C:1cm dưới mép trái";
    p.date_of_issue = "01/07/2021";
    p.date_of_expiry = "01/01/2024";
    p.father_name = "NGUYỄN VĂN BỐ";
    p.mother_name = "TRẦN THỊ MẸ";
    p.old_id = "012345678";
    p.card_serial = "0123456789ABCDEF";
    return p;
}

// A DG13 around the given field SEQUENCEs (hex), with the usual version and character set.
Bytes dg13_with(const std::string& fields_hex) {
    Bytes set = tlv::encode(tlv::asn1::kSet, from_hex(fields_hex));
    return tlv::encode(0x6D, tlv::encode_constructed(tlv::asn1::kSequence,
                                                     {from_hex("020101"), tlv::asn1::encode_oid("1.0.10646.1.0.8"), set}));
}

}  // namespace

TEST(Dg13, DecodesEveryFieldOfTheExample) {
    Bytes bytes = from_hex(kExample);
    ASSERT_EQ(bytes.size(), 384u);
    Dg13 d = decode_dg13(bytes);
    EXPECT_EQ(d.version, 1);
    EXPECT_EQ(d.charset_oid, "1.0.10646.1.0.8");
    ASSERT_EQ(d.fields.size(), 16u);
    for (int n = 1; n <= 16; ++n) EXPECT_EQ(d.fields[static_cast<std::size_t>(n - 1)].number, n);
    EXPECT_EQ(d.personal_id(), "001099012345");
    EXPECT_EQ(d.full_name(), "NGUYỄN VĂN AN");
    EXPECT_EQ(d.date_of_birth(), "01/01/1999");
    EXPECT_EQ(d.sex(), "Nam");
    EXPECT_EQ(d.nationality(), "Việt Nam");
    EXPECT_EQ(d.nationality()->size(), 10u);  // NFC: "ệ" is one 3-byte character
    EXPECT_EQ(d.ethnicity(), "Kinh");
    EXPECT_EQ(d.religion(), "Không");
    EXPECT_EQ(d.place_of_origin(), "Hoàn Kiếm, Hà Nội");
    EXPECT_EQ(d.place_of_residence(), "Số 1, Phố Thử, Hoàn Kiếm, Hà Nội");
    EXPECT_EQ(d.identifying_features(), "Nốt ruồi C:1cm dưới mép trái");
    EXPECT_EQ(d.date_of_issue(), "01/07/2021");
    EXPECT_EQ(d.date_of_expiry(), "01/01/2024");
    EXPECT_EQ(d.father_name(), "NGUYỄN VĂN BỐ");
    EXPECT_EQ(d.mother_name(), "TRẦN THỊ MẸ");
    EXPECT_FALSE(d.spouse_name().has_value());
    ASSERT_NE(d.field(14), nullptr);
    EXPECT_TRUE(d.field(14)->texts.empty());
    EXPECT_EQ(d.old_id(), "012345678");
    EXPECT_EQ(d.card_serial(), "0123456789ABCDEF");
    // String types as stored.
    EXPECT_EQ(d.field(1)->texts[0].string_type, tlv::asn1::kPrintableString);
    EXPECT_EQ(d.field(2)->texts[0].string_type, tlv::asn1::kUtf8String);
    EXPECT_EQ(d.field(12)->texts[0].string_type, tlv::asn1::kUtf8String);
    EXPECT_TRUE(d.field(13)->texts[1].in_sequence);
    EXPECT_FALSE(d.field(9)->texts[0].in_sequence);
}

TEST(Dg13, ExampleReEncodesByteIdentically) {
    Bytes bytes = from_hex(kExample);
    Dg13 d = decode_dg13(bytes);
    EXPECT_EQ(encode(d), bytes);
    EXPECT_EQ(decode_dg13(encode(d)), d);
}

TEST(Dg13, BuildsTheExampleFromPlainValues) {
    Dg13 built = make_dg13(example_person());
    EXPECT_EQ(to_hex(encode(built)), std::string(kExample));
    EXPECT_EQ(built, decode_dg13(from_hex(kExample)));
}

TEST(Dg13, PlainValuesOfTheExample) {
    EXPECT_EQ(dg13_person(decode_dg13(from_hex(kExample))), example_person());
}

TEST(Dg13, TestDataFileIsTheExample) {
    std::ifstream in(std::string(CCCD_TEST_DATA_DIR) + "/dg13_example.bin", std::ios::binary);
    ASSERT_TRUE(in.good());
    Bytes file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(file, from_hex(kExample));
}

TEST(Dg13, BuildsWithSpouseAndWithoutOptionalFields) {
    Dg13Person p = example_person();
    p.spouse_name = "LÊ THỊ VỢ";
    p.old_id.reset();
    p.card_serial.reset();
    Dg13 d = decode_dg13(encode(make_dg13(p)));
    EXPECT_EQ(d.fields.size(), 14u);
    EXPECT_EQ(d.spouse_name(), "LÊ THỊ VỢ");
    EXPECT_TRUE(d.field(14)->texts[0].in_sequence);
    EXPECT_FALSE(d.old_id().has_value());
    EXPECT_FALSE(d.card_serial().has_value());
    EXPECT_GT(encode(d).size(), 300u);  // long form lengths (82 xx xx) on the way
}

TEST(Dg13, ToleratesAbsentFieldsUtf8ForPrintableAndAnyOrder) {
    // Field 3 then 1, field 1 as UTF8String, no fields 13..16.
    Bytes bytes = dg13_with("300F020103130A30312F30312F31393939" "3011020101""0C0C303031303939303132333435");
    Dg13 d = decode_dg13(bytes);
    ASSERT_EQ(d.fields.size(), 2u);
    EXPECT_EQ(d.fields[0].number, 3);
    EXPECT_EQ(d.personal_id(), "001099012345");
    EXPECT_EQ(d.field(1)->texts[0].string_type, tlv::asn1::kUtf8String);
    EXPECT_FALSE(d.father_name().has_value());
    EXPECT_FALSE(d.card_serial().has_value());
    EXPECT_EQ(encode(d), bytes);  // order and string types kept
}

TEST(Dg13, KeepsUnknownFieldsRaw) {
    // Field 18 as text, field 20 with an INTEGER value, field 21 with a nested SEQUENCE of two texts.
    Bytes bytes = dg13_with("30070201120C024142" "300602011402012A" "300B0201153006130141130142");
    Dg13 d = decode_dg13(bytes);
    ASSERT_EQ(d.fields.size(), 3u);
    EXPECT_EQ(d.text(18), "AB");
    EXPECT_TRUE(d.fields[0].raw.empty());
    EXPECT_EQ(to_hex(d.fields[1].raw), "300602011402012A");
    EXPECT_EQ(d.fields[2].number, 21);
    EXPECT_FALSE(d.fields[2].raw.empty());
    EXPECT_EQ(encode(d), bytes);
    EXPECT_EQ(decode_dg13(encode(d)), d);
}

TEST(Dg13, RefusesMalformedInput) {
    Bytes good = from_hex(kExample);
    EXPECT_THROW(decode_dg13(Bytes(good.begin(), good.end() - 1)), ParseError);  // truncated
    Bytes wrong_tag = good;
    wrong_tag[0] = 0x6E;
    EXPECT_THROW(decode_dg13(wrong_tag), ParseError);
    Bytes trailing = good;
    trailing.push_back(0x00);
    EXPECT_THROW(decode_dg13(trailing), ParseError);
    Bytes overlong = good;
    overlong[3] = 0x7D;  // announces one byte more than present
    EXPECT_THROW(decode_dg13(overlong), ParseError);
    EXPECT_THROW(decode_dg13(Bytes{}), ParseError);
    // Known field with a wrong inner type (INTEGER where the name should be).
    EXPECT_THROW(decode_dg13(dg13_with("300602010202012A")), ParseError);
    // Invalid UTF-8 (a lone continuation byte, an overlong form, a surrogate).
    EXPECT_THROW(decode_dg13(dg13_with("30070201020C024180")), ParseError);
    EXPECT_THROW(decode_dg13(dg13_with("30070201020C02C0AF")), ParseError);
    EXPECT_THROW(decode_dg13(dg13_with("30080201020C03EDA080")), ParseError);
    // PrintableString holding non-ASCII bytes.
    EXPECT_THROW(decode_dg13(dg13_with("300702010113024142" "30070201031302C3A0")), ParseError);
    // A field appearing twice.
    EXPECT_THROW(decode_dg13(dg13_with("300702010113024142" "300702010113024142")), ParseError);
    // A field without its number.
    EXPECT_THROW(decode_dg13(dg13_with("30040C024142")), ParseError);
    // Non-minimal INTEGER for the field number.
    EXPECT_THROW(decode_dg13(dg13_with("3008020200010C024142")), ParseError);
    // Character set OID missing.
    EXPECT_THROW(decode_dg13(tlv::encode(0x6D, tlv::encode_constructed(0x30, {from_hex("020101"), from_hex("3100")}))),
                 ParseError);
    // The wrapper SEQUENCE of field 13 holding two texts.
    EXPECT_THROW(decode_dg13(dg13_with("300D02010D30080C024142" "0C024344")), ParseError);
}

TEST(Dg13, RefusesToEncodeInvalidValues) {
    Dg13Person p = example_person();
    p.personal_id = "00109901234Ư";  // not PrintableString material
    EXPECT_THROW(encode(make_dg13(p)), InvalidArgument);
    Dg13 d = make_dg13(example_person());
    d.fields[1].texts[0].text = std::string("\xC3\x28", 2);  // invalid UTF-8
    EXPECT_THROW(encode(d), InvalidArgument);
    Dg13 dup = make_dg13(example_person());
    dup.fields.push_back(dup.fields[0]);
    EXPECT_THROW(encode(dup), InvalidArgument);
}

TEST(Dg13, LabelsFields) {
    EXPECT_EQ(dg13_field_label(2), "Full name");
    EXPECT_EQ(dg13_field_label_vi(2), "Họ và tên");
    EXPECT_EQ(dg13_field_label_vi(9), "Nơi thường trú");
    EXPECT_EQ(dg13_field_label(17), "Cancelled personal ID numbers");
    EXPECT_EQ(dg13_field_label(18), "");
}

TEST(Dg13, CarriesCancelledIdNumbersInField17OnlyWhenThereAreAny) {
    Dg13Person p = example_person();
    EXPECT_EQ(make_dg13(p).field(kDg13CancelledIds), nullptr);
    p.cancelled_ids = {"001099054321", "079099000001"};
    const Bytes bytes = encode(make_dg13(p));
    const std::string hex = to_hex(bytes);
    // SEQUENCE { INTEGER 17, PrintableString "001099054321", PrintableString "079099000001" }, last.
    EXPECT_EQ(hex.substr(hex.size() - 66), "301F020111130C303031303939303534333231130C303739303939303030303031");
    EXPECT_EQ(dg13_person(decode_dg13(bytes)), p);
}
