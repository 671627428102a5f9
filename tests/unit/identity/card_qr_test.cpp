// The card's QR text (identity/card_qr.hpp): both formats, empty fields kept, the layouts of
// shared/reference/can-cuoc-2024.md §4, tolerant reading and strict writing.
#include "identity/card_qr.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"

namespace cccd::identity {
namespace {

// The reference's synthetic examples (§4.1 and §4.2).
constexpr std::string_view k2021 =
    "001099012345|012345678|Nguyễn Văn An|01011999|Nam|Số 1 Phố Thử, Phường Tràng Tiền, Quận Hoàn Kiếm, Hà Nội|15072021";
constexpr std::string_view k2024 =
    "001099012345|012345678|Nguyễn Văn An|01011999|Nam|Số 1 Phố Thử, Phường Hoàn Kiếm, Thành phố Hà Nội|15072024||||";

Person person() {
    Person p;
    p.personal_id = "001099012345";
    p.old_id = "012345678";
    p.full_name = "NGUYỄN VĂN AN";
    p.date_of_birth = "01/01/1999";
    p.sex = "Nam";
    p.place_of_residence = "Số 1 Phố Thử, Phường Hoàn Kiếm, Thành phố Hà Nội";
    p.date_of_issue = "15/07/2024";
    p.father_name = "NGUYỄN VĂN BÌNH";
    p.mother_name = "TRẦN THỊ CÚC";
    return p;
}

TEST(CardQr, ReadsThe2021SevenFieldLayout) {
    const CardQr qr = parse_card_qr(k2021);
    EXPECT_EQ(qr.format, QrFormat::Cccd2021);
    EXPECT_EQ(qr.personal_id, "001099012345");
    EXPECT_EQ(qr.old_id, "012345678");
    EXPECT_EQ(qr.full_name, "Nguyễn Văn An");
    EXPECT_EQ(qr.date_of_birth, "01/01/1999");
    EXPECT_EQ(qr.sex, "Nam");
    EXPECT_EQ(qr.place_of_residence, "Số 1 Phố Thử, Phường Tràng Tiền, Quận Hoàn Kiếm, Hà Nội");
    EXPECT_EQ(qr.date_of_issue, "15/07/2021");
    EXPECT_TRUE(qr.cancelled_ids.empty());
    EXPECT_EQ(write_card_qr(qr), k2021);
}

TEST(CardQr, ReadsThe2024ElevenFieldLayoutWithItsEmptyTrailingFields) {
    const CardQr qr = parse_card_qr(k2024);
    EXPECT_EQ(qr.format, QrFormat::CanCuoc2024);
    EXPECT_EQ(qr.date_of_issue, "15/07/2024");
    EXPECT_EQ(qr.trailing, (std::array<std::string, 4>{"", "", "", ""}));
    EXPECT_TRUE(qr.cancelled_ids.empty());
    EXPECT_TRUE(qr.father_name.empty());
    EXPECT_EQ(write_card_qr(qr), k2024);
}

TEST(CardQr, AnEmptyOldIdStaysAnEmptyField) {
    const std::string text = "079303012345||Trần Thị Mỹ Duyên|14052003|Nữ|12 Lê Lợi, Phường Bến Nghé|01072021";
    const CardQr qr = parse_card_qr(text);
    EXPECT_EQ(qr.old_id, "");
    EXPECT_EQ(qr.full_name, "Trần Thị Mỹ Duyên");
    EXPECT_EQ(qr.sex, "Nữ");
    EXPECT_EQ(write_card_qr(qr), text);
    // Empty name and residence fields are kept in place, not dropped.
    const CardQr sparse = parse_card_qr("079303012345|||14052003|Nữ||01072021");
    EXPECT_EQ(sparse.full_name, "");
    EXPECT_EQ(sparse.place_of_residence, "");
    EXPECT_EQ(sparse.date_of_issue, "01/07/2021");
}

TEST(CardQr, ReadsLeniently) {
    EXPECT_EQ(parse_card_qr(std::string("\xEF\xBB\xBF") + std::string(k2024) + "\r\n"), parse_card_qr(k2024));
    EXPECT_EQ(parse_card_qr("  " + std::string(k2021) + "\n"), parse_card_qr(k2021));
    // Whatever the unknown trailing fields hold is kept as read.
    const CardQr odd = parse_card_qr("001099012345||Nguyễn Văn An|01011999|Nam|Hà Nội|15072024|x|y|z|w");
    EXPECT_EQ(odd.trailing, (std::array<std::string, 4>{"x", "y", "z", "w"}));
}

TEST(CardQr, RefusesWhatIsNotACardQr) {
    const std::string_view bad[] = {
        "",
        "001099012345|012345678|Nguyễn Văn An|01011999|Nam|Hà Nội",            // 6 fields
        "001099012345|012345678|Nguyễn Văn An|01011999|Nam|Hà Nội|15072021|",  // 8 fields
        "001099012345|012345678|Nguyễn Văn An|01011999|Nam|Hà Nội|15072024|||||",  // 12 fields
        "00109901234|012345678|Nguyễn Văn An|01011999|Nam|Hà Nội|15072021",    // 11-digit ID
        "00109901234X|012345678|Nguyễn Văn An|01011999|Nam|Hà Nội|15072021",
        "001099012345|01234567|Nguyễn Văn An|01011999|Nam|Hà Nội|15072021",    // 8-digit old ID
        "001099012345|012345678|Nguyễn Văn An|1011999|Nam|Hà Nội|15072021",    // 7-digit date
        "001099012345|012345678|Nguyễn Văn An|01/01/1999|Nam|Hà Nội|15072021", // a printed date
        "001099012345|012345678|Nguyễn Văn An|01011999|Nam|Hà Nội|1507202X",
        "001099012345|012345678|Nguyễn Văn An|01011999|Nam|Hà\nNội|15072021",   // two lines (found by fuzz_card_qr)
        "001099012345|012345678|Nguy\x89n Văn An|01011999|Nam|Hà Nội|15072021",  // not UTF-8
    };
    for (auto text : bad) EXPECT_THROW(parse_card_qr(text), ParseError) << text;
}

TEST(CardQr, WritesThe2024TrailingFieldsAsTheLayoutPlacesThem) {
    Person holder = person();
    holder.cancelled_ids = {"001099054321"};
    CardQr qr = card_qr_of(holder, QrFormat::CanCuoc2024, true);
    const std::string text = write_card_qr(qr);
    EXPECT_EQ(text,
              "001099012345|012345678|NGUYỄN VĂN AN|01011999|Nam|Số 1 Phố Thử, Phường Hoàn Kiếm, Thành phố Hà Nội|15072024|"
              "001099054321|NGUYỄN VĂN BÌNH|TRẦN THỊ CÚC|");
    const CardQr back = parse_card_qr(text);
    EXPECT_EQ(back.cancelled_ids, (std::vector<std::string>{"001099054321"}));
    EXPECT_EQ(back.father_name, "NGUYỄN VĂN BÌNH");
    EXPECT_EQ(back.mother_name, "TRẦN THỊ CÚC");
    // Another layout puts them elsewhere; a field number outside 8..11 writes nothing.
    const QrTrailingLayout moved{11, 0, 8};
    const std::string other = write_card_qr(qr, moved);
    EXPECT_EQ(other.substr(other.find("15072024|")), "15072024|TRẦN THỊ CÚC|||001099054321");
    EXPECT_EQ(parse_card_qr(other, moved).cancelled_ids, qr.cancelled_ids);
    // Several cancelled numbers, comma-separated; without parents when the profile says so.
    holder.cancelled_ids = {"001099054321", "079099000001"};
    qr = card_qr_of(holder, QrFormat::CanCuoc2024, false);
    EXPECT_EQ(parse_card_qr(write_card_qr(qr)).cancelled_ids, (std::vector<std::string>{"001099054321", "079099000001"}));
    EXPECT_TRUE(parse_card_qr(write_card_qr(qr)).father_name.empty());
    // The 2021 format has nowhere to put them.
    EXPECT_EQ(write_card_qr(card_qr_of(holder, QrFormat::Cccd2021, true)),
              "001099012345|012345678|NGUYỄN VĂN AN|01011999|Nam|Số 1 Phố Thử, Phường Hoàn Kiếm, Thành phố Hà Nội|15072024");
}

TEST(CardQr, WritesStrictly) {
    CardQr qr = card_qr_of(person(), QrFormat::CanCuoc2024);
    qr.place_of_residence = "Số 1 | Phố Thử";
    EXPECT_THROW(write_card_qr(qr), InvalidArgument);
    qr = card_qr_of(person(), QrFormat::CanCuoc2024);
    qr.full_name = "NGUYỄN\nVĂN AN";
    EXPECT_THROW(write_card_qr(qr), InvalidArgument);
    qr = card_qr_of(person(), QrFormat::CanCuoc2024);
    qr.date_of_issue = "2024-07-15";
    EXPECT_THROW(write_card_qr(qr), InvalidArgument);
    qr = card_qr_of(person(), QrFormat::CanCuoc2024);
    qr.cancelled_ids = {"12345"};
    EXPECT_THROW(write_card_qr(qr), InvalidArgument);
    qr = card_qr_of(person(), QrFormat::CanCuoc2024);
    qr.personal_id = "0010990123";
    EXPECT_THROW(write_card_qr(qr), InvalidArgument);
}

TEST(CardQr, SaysWhereItDisagreesWithTheChip) {
    // The QR writes the name in mixed case; the chip as printed. That is agreement.
    EXPECT_TRUE(qr_disagreements(parse_card_qr(k2024), person()).empty());
    Person moved = person();
    moved.place_of_residence = "Số 9 Phố Khác";
    moved.old_id.reset();
    const auto lines = qr_disagreements(parse_card_qr(k2024), moved);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0], "Số CMND cũ trong mã QR khác với trong chip");
    EXPECT_EQ(lines[1], "Nơi cư trú trong mã QR khác với trong chip");
    Person renamed = person();
    renamed.full_name = "NGUYỄN VĂN ÂN";  // another vowel, not another case
    EXPECT_EQ(qr_disagreements(parse_card_qr(k2024), renamed).size(), 1u);
    // A cancelled number the chip has and the 2024 QR lacks; the 2021 QR has no room for one.
    Person renumbered = person();
    renumbered.cancelled_ids = {"001099054321"};
    EXPECT_EQ(qr_disagreements(parse_card_qr(k2024), renumbered),
              std::vector<std::string>{"Số định danh đã hủy trong mã QR khác với trong chip"});
    EXPECT_TRUE(qr_disagreements(card_qr_of(person(), QrFormat::Cccd2021), renumbered).empty());
}

}  // namespace
}  // namespace cccd::identity
