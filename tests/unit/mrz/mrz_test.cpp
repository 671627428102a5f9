// Check digits from ICAO 9303 Part 3 Appendix A and the Part 11 App. D / G.1 MRZ_information values
// (shared/reference/test-vectors.md §1.1, §2.1, §3.1); the CCCD TD1 layout from cccd-chip.md.
#include "card/mrz/mrz.hpp"

#include <gtest/gtest.h>

#include "card/core/error.hpp"

using namespace cccd;
using namespace cccd::mrz;

TEST(CheckDigit, Part3AppendixAExamples) {
    EXPECT_EQ(check_digit("520727"), 3);
    EXPECT_EQ(check_digit("AB2134<<<"), 5);
    EXPECT_EQ(check_digit("HA672242<658022549601086<<<<<<<<<<<<<<0"), 8);
    EXPECT_EQ(check_digit("D231458907<<<<<<<<<<<<<<<34071279507122<<<<<<<<<<<"), 2);
    EXPECT_EQ(check_digit("HA672242<658022549601086<<<<<<<0"), 8);
}

TEST(CheckDigit, ExtraPublishedValues) {
    EXPECT_EQ(check_digit("790410"), 7);
    EXPECT_EQ(check_digit("200618"), 7);
    EXPECT_EQ(check_digit("L898902C<"), 3);
    EXPECT_EQ(check_digit("690806"), 1);
    EXPECT_EQ(check_digit("940623"), 6);
    EXPECT_EQ(check_digit("D23145890734"), 9);
    EXPECT_EQ(check_digit("340712"), 7);
    EXPECT_EQ(check_digit("950712"), 2);
}

TEST(CheckDigit, RefusesCharactersOutsideTheMrzAlphabet) {
    EXPECT_THROW(check_digit("abc"), ParseError);
    EXPECT_THROW(check_digit("12 3"), ParseError);
}

TEST(MrzInformation, BacWorkedExample) {
    std::string info = mrz_information("L898902C", "690806", "940623");
    EXPECT_EQ(info, "L898902C<369080619406236");
    EXPECT_EQ(to_hex(bac_key_seed(info).view()), "239AB9CB282DAF66231DC5A4DF6BFBAE");
}

TEST(MrzInformation, PaceWorkedExample) {
    EXPECT_EQ(mrz_information("T22000129", "640812", "101031"), "T22000129364081251010318");
}

TEST(Transliteration, VietnameseNamesLoseDiacriticsAndDBecomesD) {
    MrzName n = transliterate_name("Nguyễn Văn Đức");
    EXPECT_EQ(n.surname, "NGUYEN");
    EXPECT_EQ(n.given_names, "VAN<DUC");
    EXPECT_EQ(name_field(n), "NGUYEN<<VAN<DUC<<<<<<<<<<<<<<<");
    EXPECT_EQ(name_field(transliterate_name("TRẦN THỊ MỸ DUYÊN")), "TRAN<<THI<MY<DUYEN<<<<<<<<<<<<");
    EXPECT_EQ(transliterate_name("Phạm Ngọc Ánh").given_names, "NGOC<ANH");
    EXPECT_EQ(transliterate_name("Đặng Thị Ưng Ơn").given_names, "THI<UNG<ON");
    EXPECT_EQ(transliterate_name("đỗ  hữu-lộc").given_names, "HUU<LOC");
}

TEST(Transliteration, EveryVietnameseVowelWithEveryTone) {
    const char* lower = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ";
    const char* upper = "AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬEÈÉẺẼẸÊỀẾỂỄỆIÌÍỈĨỊOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢUÙÚỦŨỤƯỪỨỬỮỰYỲÝỶỸỴĐ";
    std::string expected = std::string(18, 'A') + std::string(12, 'E') + std::string(6, 'I') +
                           std::string(18, 'O') + std::string(12, 'U') + std::string(6, 'Y') + "D";
    EXPECT_EQ(transliterate_name(lower).surname, expected);
    EXPECT_EQ(transliterate_name(upper).surname, expected);
}

TEST(Transliteration, DecomposedInputGivesTheSameResult) {
    // "Nguyễn" in NFD: e + circumflex (U+0302) + tilde (U+0303).
    EXPECT_EQ(transliterate_name("Nguye\xCC\x82\xCC\x83n Va\xCC\x86n").surname, "NGUYEN");
    EXPECT_EQ(transliterate_name("Nguye\xCC\x82\xCC\x83n Va\xCC\x86n").given_names, "VAN");
}

TEST(Transliteration, RefusesWhatCannotBeWritten) {
    EXPECT_THROW(transliterate_name("Nguyễn 文"), InvalidArgument);
    EXPECT_THROW(transliterate_name("An3"), InvalidArgument);
    EXPECT_THROW(transliterate_name("\xC3"), InvalidArgument);  // truncated UTF-8
    EXPECT_THROW(transliterate_name("\xC0\xAF"), InvalidArgument);  // overlong encoding
    EXPECT_THROW(transliterate_name("   "), InvalidArgument);
}

TEST(NameField, TruncatesSecondaryIdentifiersFirstAndEndsOnALetter) {
    MrzName n{"NGUYEN", "THI<THANH<HUONG<XUAN<MAI<LINH"};
    std::string f = name_field(n);
    EXPECT_EQ(f.size(), 30u);
    EXPECT_EQ(f, "NGUYEN<<THI<THANH<HUONG<XUAN<M");
    // A cut that falls between two names drops the partial filler rather than ending on "<<".
    MrzName cut_at_boundary{"NGUYEN", "THI<THANH<HUONG<XUANN<MAI"};
    EXPECT_EQ(name_field(cut_at_boundary), "NGUYEN<<THI<THANH<HUONG<XUANN<");
    MrzName long_surname{"TONNUTHANHHUYENTRANGNGOCPHUONGANH", "AN"};
    EXPECT_EQ(name_field(long_surname), "TONNUTHANHHUYENTRANGNGOCPHUONG");
}

namespace {
CccdHolder acceptance_holder() {
    CccdHolder h;
    h.id_number = "001099012345";
    h.full_name = "Nguyễn Văn An";
    h.sex = Sex::Male;
    h.date_of_birth = {1999, 1, 1};
    h.date_of_expiry = Date{2024, 1, 1};
    return h;
}
}  // namespace

TEST(CccdTd1, BuildsTheReferenceLayout) {
    Td1Lines l = build_cccd_td1(acceptance_holder());
    EXPECT_EQ(l.line1, std::string("IDVNM099012345") + check_digit_char("099012345") + "001099012345<<" +
                           check_digit_char("001099012345"));
    EXPECT_EQ(l.line2.substr(0, 29), std::string("990101") + check_digit_char("990101") + "M240101" +
                                         check_digit_char("240101") + "VNM<<<<<<<<<<<");
    EXPECT_EQ(l.line3, "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<");
    for (const auto* line : {&l.line1, &l.line2, &l.line3}) EXPECT_EQ(line->size(), 30u);
    Td1 parsed = parse_td1(l.text());
    EXPECT_TRUE(parsed.valid());
    EXPECT_EQ(parsed.checks.size(), 5u);
    EXPECT_EQ(parsed.cccd_id_number, "001099012345");
    EXPECT_EQ(parsed.document_number, "099012345");
    EXPECT_EQ(parsed.surname, "NGUYEN");
    EXPECT_EQ(parsed.given_names, "VAN<AN");
    EXPECT_EQ(mrz_information(parsed), std::string("099012345") + check_digit_char("099012345") + "990101" +
                                           check_digit_char("990101") + "240101" + check_digit_char("240101"));
}

TEST(CccdTd1, NoExpiryPastSixtyIs991231) {
    CccdHolder h = acceptance_holder();
    h.id_number = "079160012345";
    h.date_of_birth = {1960, 3, 2};
    h.sex = Sex::Female;
    h.date_of_expiry.reset();
    Td1Lines l = build_cccd_td1(h);
    EXPECT_EQ(l.line2.substr(8, 6), "991231");
    EXPECT_TRUE(parse_td1(l.text()).valid());
}

TEST(CccdTd1, RefusesAnIdThatDisagreesWithSexOrYear) {
    CccdHolder h = acceptance_holder();
    h.sex = Sex::Female;  // digit 4 says male born in the 1900s
    EXPECT_THROW(build_cccd_td1(h), InvalidArgument);
    h = acceptance_holder();
    h.date_of_birth = {1998, 1, 1};  // digits 5-6 say 99
    EXPECT_THROW(build_cccd_td1(h), InvalidArgument);
    h = acceptance_holder();
    h.date_of_birth = {2099, 1, 1};  // right year digits, wrong century
    EXPECT_THROW(build_cccd_td1(h), InvalidArgument);
    h = acceptance_holder();
    h.id_number = "00109901234";
    EXPECT_THROW(build_cccd_td1(h), InvalidArgument);
    h.id_number = "00109901234X";
    EXPECT_THROW(build_cccd_td1(h), InvalidArgument);
}

TEST(CccdTd1, AChangedDigitFailsExactlyTheChecksOverIt) {
    std::string mrz = build_cccd_td1(acceptance_holder()).text();
    auto failing = [](const std::string& text) {
        std::vector<std::string> names;
        for (const auto& c : parse_td1(text).checks) {
            if (!c.ok()) names.push_back(c.name);
        }
        return names;
    };
    auto flip = [&mrz](std::size_t pos) {
        std::string t = mrz;
        t[pos] = t[pos] == '1' ? '2' : '1';
        return t;
    };
    EXPECT_EQ(failing(flip(7)), (std::vector<std::string>{"document number", "composite"}));
    EXPECT_EQ(failing(flip(20)), (std::vector<std::string>{"ID number", "composite"}));
    EXPECT_EQ(failing(flip(30 + 3)), (std::vector<std::string>{"date of birth", "composite"}));
    EXPECT_EQ(failing(flip(30 + 10)), (std::vector<std::string>{"date of expiry", "composite"}));
    EXPECT_EQ(failing(flip(30 + 29)), (std::vector<std::string>{"composite"}));
    Td1 changed_birth = parse_td1(flip(30 + 3));
    const CheckResult* first = changed_birth.failed_check();
    ASSERT_NE(first, nullptr);
    EXPECT_EQ(first->name, "date of birth");
    EXPECT_NE(first->expected, first->found);
}

TEST(ParseTd1, AcceptsLinesSeparatedByNewlines) {
    Td1Lines l = build_cccd_td1(acceptance_holder());
    EXPECT_TRUE(parse_td1(l.line1 + "\n" + l.line2 + "\r\n" + l.line3 + "\n").valid());
}

TEST(ParseTd1, IcaoPart5Td1SpecimenIsValid) {
    // The TD1 specimen of ICAO 9303 Part 5 (document D23145890, long number form not used).
    Td1 t = parse_td1("I<UTOD231458907<<<<<<<<<<<<<<<"
                      "7408122F1204159UTO<<<<<<<<<<<6"
                      "ERIKSSON<<ANNA<MARIA<<<<<<<<<<");
    EXPECT_TRUE(t.valid()) << (t.failed_check() ? t.failed_check()->name : "");
    EXPECT_EQ(t.document_number, "D23145890");
    EXPECT_FALSE(t.cccd_id_number.has_value());
    EXPECT_EQ(t.given_names, "ANNA<MARIA");
}

TEST(ParseTd1, RefusesMalformedText) {
    EXPECT_THROW(parse_td1("IDVNM"), ParseError);
    EXPECT_THROW(parse_td1(std::string(90, 'a')), ParseError);
    EXPECT_THROW(parse_td1(std::string(91, '<')), ParseError);
}

TEST(Dates, ValidatesRealCalendarDates) {
    EXPECT_EQ(parse_iso_date("2000-02-29"), (Date{2000, 2, 29}));
    EXPECT_THROW(parse_iso_date("1900-02-29"), InvalidArgument);
    EXPECT_THROW(parse_iso_date("2024-13-01"), InvalidArgument);
    EXPECT_THROW(parse_iso_date("2024-1-01"), InvalidArgument);
    EXPECT_EQ(to_yymmdd({2003, 5, 14}), "030514");
}

TEST(Can, IsTheLastSixDigitsOfTheId) {
    EXPECT_EQ(can_from_id_number("001099012345"), "012345");
    EXPECT_THROW(can_from_id_number("12345"), InvalidArgument);
}
