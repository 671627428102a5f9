// Check digits from ICAO 9303 Part 3 Appendix A and the Part 11 App. D / G.1 MRZ_information values
// (shared/reference/test-vectors.md §1.1, §2.1, §3.1); the CCCD TD1 layout from cccd-chip.md.
#include "card/mrz/mrz.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"

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
    std::string info = mrz_information("T22000129", "640812", "101031");
    EXPECT_EQ(info, "T22000129364081251010318");
    // Part 11 App. G.1: pi = SHA-1(MRZ_information) = 7E2D2A41...; the seed is its first 16 bytes.
    EXPECT_EQ(to_hex(bac_key_seed(info).view()), "7E2D2A41C74EA0B38CD36F863939BFA8");
}

TEST(MrzInformation, ShortAndLongDocumentNumbers) {
    EXPECT_EQ(mrz_information("AB2134", "520727", "520727"), "AB2134<<<552072735207273");
    // Part 11 App. D: a TD1 document number of 12 characters keeps all of them.
    EXPECT_EQ(mrz_information("D23145890734", "340712", "950712"), "D23145890734934071279507122");
}

TEST(MrzInformation, RefusesBadInput) {
    EXPECT_THROW(mrz_information("", "690806", "940623"), InvalidArgument);
    EXPECT_THROW(mrz_information("l898902c", "690806", "940623"), InvalidArgument);
    EXPECT_THROW(mrz_information("L898902C", "69080", "940623"), InvalidArgument);
    EXPECT_THROW(mrz_information("L898902C", "690806", "94O623"), InvalidArgument);
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

TEST(Transliteration, DecomposedVowelsWithEveryToneGiveTheSameLetters) {
    const char* lower_nfd =
        "aa\xCC\x80" "a\xCC\x81" "a\xCC\x89" "a\xCC\x83" "a\xCC\xA3" "a\xCC\x86" "a\xCC\x86\xCC\x80" "a\xCC\x86\xCC\x81"
        "a\xCC\x86\xCC\x89" "a\xCC\x86\xCC\x83" "a\xCC\xA3\xCC\x86" "a\xCC\x82" "a\xCC\x82\xCC\x80" "a\xCC\x82\xCC\x81"
        "a\xCC\x82\xCC\x89" "a\xCC\x82\xCC\x83" "a\xCC\xA3\xCC\x82" "ee\xCC\x80" "e\xCC\x81" "e\xCC\x89" "e\xCC\x83"
        "e\xCC\xA3" "e\xCC\x82" "e\xCC\x82\xCC\x80" "e\xCC\x82\xCC\x81" "e\xCC\x82\xCC\x89" "e\xCC\x82\xCC\x83"
        "e\xCC\xA3\xCC\x82" "ii\xCC\x80" "i\xCC\x81" "i\xCC\x89" "i\xCC\x83" "i\xCC\xA3" "oo\xCC\x80" "o\xCC\x81"
        "o\xCC\x89" "o\xCC\x83" "o\xCC\xA3" "o\xCC\x82" "o\xCC\x82\xCC\x80" "o\xCC\x82\xCC\x81" "o\xCC\x82\xCC\x89"
        "o\xCC\x82\xCC\x83" "o\xCC\xA3\xCC\x82" "o\xCC\x9B" "o\xCC\x9B\xCC\x80" "o\xCC\x9B\xCC\x81" "o\xCC\x9B\xCC\x89"
        "o\xCC\x9B\xCC\x83" "o\xCC\x9B\xCC\xA3" "uu\xCC\x80" "u\xCC\x81" "u\xCC\x89" "u\xCC\x83" "u\xCC\xA3" "u\xCC\x9B"
        "u\xCC\x9B\xCC\x80" "u\xCC\x9B\xCC\x81" "u\xCC\x9B\xCC\x89" "u\xCC\x9B\xCC\x83" "u\xCC\x9B\xCC\xA3" "yy\xCC\x80"
        "y\xCC\x81" "y\xCC\x89" "y\xCC\x83" "y\xCC\xA3\xC4\x91";
    const char* upper_nfd =
        "AA\xCC\x80" "A\xCC\x81" "A\xCC\x89" "A\xCC\x83" "A\xCC\xA3" "A\xCC\x86" "A\xCC\x86\xCC\x80" "A\xCC\x86\xCC\x81"
        "A\xCC\x86\xCC\x89" "A\xCC\x86\xCC\x83" "A\xCC\xA3\xCC\x86" "A\xCC\x82" "A\xCC\x82\xCC\x80" "A\xCC\x82\xCC\x81"
        "A\xCC\x82\xCC\x89" "A\xCC\x82\xCC\x83" "A\xCC\xA3\xCC\x82" "EE\xCC\x80" "E\xCC\x81" "E\xCC\x89" "E\xCC\x83"
        "E\xCC\xA3" "E\xCC\x82" "E\xCC\x82\xCC\x80" "E\xCC\x82\xCC\x81" "E\xCC\x82\xCC\x89" "E\xCC\x82\xCC\x83"
        "E\xCC\xA3\xCC\x82" "II\xCC\x80" "I\xCC\x81" "I\xCC\x89" "I\xCC\x83" "I\xCC\xA3" "OO\xCC\x80" "O\xCC\x81"
        "O\xCC\x89" "O\xCC\x83" "O\xCC\xA3" "O\xCC\x82" "O\xCC\x82\xCC\x80" "O\xCC\x82\xCC\x81" "O\xCC\x82\xCC\x89"
        "O\xCC\x82\xCC\x83" "O\xCC\xA3\xCC\x82" "O\xCC\x9B" "O\xCC\x9B\xCC\x80" "O\xCC\x9B\xCC\x81" "O\xCC\x9B\xCC\x89"
        "O\xCC\x9B\xCC\x83" "O\xCC\x9B\xCC\xA3" "UU\xCC\x80" "U\xCC\x81" "U\xCC\x89" "U\xCC\x83" "U\xCC\xA3" "U\xCC\x9B"
        "U\xCC\x9B\xCC\x80" "U\xCC\x9B\xCC\x81" "U\xCC\x9B\xCC\x89" "U\xCC\x9B\xCC\x83" "U\xCC\x9B\xCC\xA3" "YY\xCC\x80"
        "Y\xCC\x81" "Y\xCC\x89" "Y\xCC\x83" "Y\xCC\xA3\xC4\x90";
    std::string expected = std::string(18, 'A') + std::string(12, 'E') + std::string(6, 'I') +
                           std::string(18, 'O') + std::string(12, 'U') + std::string(6, 'Y') + "D";
    EXPECT_EQ(transliterate_name(lower_nfd).surname, expected);
    EXPECT_EQ(transliterate_name(upper_nfd).surname, expected);
}

TEST(Transliteration, OtherLatinLettersOfPart3) {
    EXPECT_EQ(transliterate_name("Müller Ærø Łódź Şahin ẞ Ħal Ŋa Ŧo").given_names, "AEROE<LODZ<SAHIN<SS<HAL<NA<TO");
    EXPECT_EQ(transliterate_name("Þór Ĳssel").surname, "THOR");
    EXPECT_EQ(transliterate_name("O\u2019Connor D'Arc").surname, "OCONNOR");
}

TEST(Transliteration, HyphensJoinComponentsOfOneWord) {
    MrzName n = transliterate_name("Nguyễn-Trần Văn An");
    EXPECT_EQ(n.surname, "NGUYEN<TRAN");
    EXPECT_EQ(n.given_names, "VAN<AN");
    EXPECT_EQ(name_field(n), "NGUYEN<TRAN<<VAN<AN<<<<<<<<<<<");
    EXPECT_EQ(transliterate_name("Lê Thị-Thu").given_names, "THI<THU");
    EXPECT_EQ(transliterate_name("Lê - Văn").surname, "LE");
    EXPECT_EQ(transliterate_name("Lê - Văn").given_names, "VAN");
    EXPECT_EQ(transliterate_name(" Lê,  Văn- ").given_names, "VAN");
}

TEST(Transliteration, TheErrorNamesTheCharacterNotTheName) {
    try {
        transliterate_name("Nguyễn Văn 文");
        FAIL() << "a Han character cannot be transliterated";
    } catch (const InvalidArgument& e) {
        std::string what = e.what();
        EXPECT_NE(what.find("U+6587"), std::string::npos) << what;
        EXPECT_EQ(what.find("Nguy"), std::string::npos) << what;  // no personal data
    }
    try {
        transliterate_name("An\x07");
        FAIL() << "a control character cannot be transliterated";
    } catch (const InvalidArgument& e) {
        std::string what = e.what();
        EXPECT_NE(what.find("U+0007"), std::string::npos) << what;
        EXPECT_EQ(what.find('\x07'), std::string::npos) << what;
    }
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

TEST(NameField, Part5NamesThatFitAreWrittenWhole) {
    // ICAO 9303 Part 5 §4.2.3.3 - 4.2.3.5 (TD1 lower line).
    EXPECT_EQ(name_field({"PAPANDROPOULOUS", "JONATHON<ALEC"}), "PAPANDROPOULOUS<<JONATHON<ALEC");
    EXPECT_EQ(name_field({"VAN<DER<MUELLEN", "MARTIN"}), "VAN<DER<MUELLEN<<MARTIN<<<<<<<");
    EXPECT_EQ(name_field({"AL<BASRI", "HUDA<MUHAMMAD<JAWAD"}), "AL<BASRI<<HUDA<MUHAMMAD<JAWAD<");
    EXPECT_EQ(name_field({"ARKFREITH", ""}), "ARKFREITH<<<<<<<<<<<<<<<<<<<<<");
    EXPECT_EQ(name_field({"SATRIYA<SUDARPA", ""}), "SATRIYA<SUDARPA<<<<<<<<<<<<<<<");
}

TEST(NameField, Part5AndPart4TruncationExamples) {
    // Part 5 §4.2.3.4: one character too many, the last given name loses its last letter.
    EXPECT_EQ(name_field({"VILARCHAO<FERNANDEZ", "JOSE<RAMON"}), "VILARCHAO<FERNANDEZ<<JOSE<RAMO");
    // Part 4 §4.2.3.2 (TD3, 39 positions): given names cut from the end.
    EXPECT_EQ(name_field({"NILAVADHANANANDA", "CHAYAPA<DEJTHAMRONG<KRASUANG"}, 39),
              "NILAVADHANANANDA<<CHAYAPA<DEJTHAMRONG<K");
    EXPECT_EQ(name_field({"NILAVADHANANANDA", "ARNPOL<PETCH<CHARONGUANG"}, 39),
              "NILAVADHANANANDA<<ARNPOL<PETCH<CHARONGU");
    // The same names in a TD1: full field, last position a letter.
    EXPECT_EQ(name_field({"NILAVADHANANANDA", "CHAYAPA<DEJTHAMRONG<KRASUANG"}), "NILAVADHANANANDA<<CHAYAPA<DEJT");
}

TEST(NameField, ACutOnASeparatorStillEndsOnTheNextInitial) {
    // "NGUYEN<<THI<THANH<HUONG<XUANN<" would end on a filler, which reads as "not truncated":
    // XUANN gives up a letter so that MAI's initial takes position 30.
    EXPECT_EQ(name_field({"NGUYEN", "THI<THANH<HUONG<XUANN<MAI"}), "NGUYEN<<THI<THANH<HUONG<XUAN<M");
    EXPECT_EQ(name_field({"NGUYEN", "THI<THANH<HUONG<XUAN<MAI<LINH"}), "NGUYEN<<THI<THANH<HUONG<XUAN<M");
    // Only a primary identifier: cut to 30, and the same rule at a separator.
    EXPECT_EQ(name_field({"BENNELONG<WOOLOOMOOLOO<WARRANDYTE<WARNAMBOOL", ""}), "BENNELONG<WOOLOOMOOLOO<WARRAND");
    EXPECT_EQ(name_field({"ABCDEFGHIJKLMNOPQRSTUVWXYZABC<DEF", ""}), "ABCDEFGHIJKLMNOPQRSTUVWXYZAB<D");
    // Nothing to spare when every component is an initial: the field ends one short.
    EXPECT_EQ(name_field({"A<B<C<D<E<F<G<H<I<J<K<L<M<N<O<P", ""}), "A<B<C<D<E<F<G<H<I<J<K<L<M<N<O<");
}

TEST(NameField, ALongSurnameLeavesRoomForTheFirstGivenInitial) {
    // Part 5 §4.2.2.3: the primary identifier is cut until "<<" and the first initial fit.
    EXPECT_EQ(name_field({"TONNUTHANHHUYENTRANGNGOCPHUONGANH", "AN"}), "TONNUTHANHHUYENTRANGNGOCPHU<<A");
    EXPECT_EQ(name_field({"BENNELONG<WOOLOOMOOLOO<WARRANDYTE<WARNAMBOOL", "DINGO<POTOROO"}),
              "BENNELONG<WOOLOOMOOLOO<WARR<<D");
    // A cut that would leave the surname ending on '<' (and so "<<<") moves the initial in instead.
    EXPECT_EQ(name_field({"ABCDEFGHIJKLMNOPQRSTUVWXYZ<QQQ", "XY"}), "ABCDEFGHIJKLMNOPQRSTUVWXY<Q<<X");
}

TEST(NameField, EveryTruncatedFieldIsFullAndEndsOnALetter) {
    std::string given;
    for (int n = 0; n < 40; ++n) {
        given += (given.empty() ? "" : "<") + std::string(static_cast<std::size_t>(n % 5 + 2), 'B');
        for (std::size_t surname_length : {2u, 7u, 20u, 27u, 28u, 40u}) {
            MrzName name{std::string(surname_length, 'A'), given};
            std::string field = name_field(name);
            ASSERT_EQ(field.size(), 30u);
            std::size_t full = surname_length + 2 + given.size();
            if (full > 30) {
                EXPECT_TRUE(field.back() >= 'A' && field.back() <= 'Z') << field;
                EXPECT_NE(field.find("<<B"), std::string::npos) << field;  // a given initial is always there
            } else {
                EXPECT_EQ(field.substr(0, full), name.surname + "<<" + name.given_names);
            }
            EXPECT_EQ(field.find("<<<B"), std::string::npos) << field;
        }
    }
}

TEST(NameField, RefusesWhatIsNotMrzText) {
    EXPECT_THROW(name_field({"nguyen", "VAN"}), InvalidArgument);
    EXPECT_THROW(name_field({"NGUYEN", "V1"}), InvalidArgument);
    EXPECT_THROW(name_field({"NGUYEN", "VAN"}, 3), InvalidArgument);
}

TEST(NameField, VietnameseLongNameFromUtf8) {
    std::string f = name_field(transliterate_name("Tôn Nữ Thị Thanh Hương Xuân Mai Linh"));
    EXPECT_EQ(f, "TON<<NU<THI<THANH<HUONG<XUAN<M");
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

TEST(CccdTd1, TheIdNumberRuleIsTheOneOfCardIdentity) {
    // The MRZ builder, the station, the server and the generator apply one rule: the province too
    // (the MRZ builder alone once took any first three digits).
    CccdHolder h = acceptance_holder();
    h.id_number = "003099012345";
    EXPECT_THROW(build_cccd_td1(h), InvalidArgument);
    h.id_number = "001899012345";  // a man born in 2399: G 8
    h.date_of_birth = {2399, 1, 1};
    h.date_of_expiry = Date{2424, 1, 1};
    EXPECT_NO_THROW(build_cccd_td1(h));
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

namespace {
struct Person {
    CccdHolder holder;
    const char* surname;
    const char* given_names;
};

std::vector<Person> people() {
    std::vector<Person> out;
    out.push_back({acceptance_holder(), "NGUYEN", "VAN<AN"});
    CccdHolder h;
    h.id_number = "079303123456";  // Hồ Chí Minh, woman born in the 2000s
    h.full_name = "Trần Thị Mỹ Duyên";
    h.sex = Sex::Female;
    h.date_of_birth = {2003, 2, 28};
    h.date_of_expiry = Date{2028, 2, 28};
    out.push_back({h, "TRAN", "THI<MY<DUYEN"});
    h.id_number = "048060000123";  // Đà Nẵng, man born in 1960, no expiry past 60
    h.full_name = "Đặng Quốc Hưng";
    h.sex = Sex::Male;
    h.date_of_birth = {1960, 12, 31};
    h.date_of_expiry.reset();
    out.push_back({h, "DANG", "QUOC<HUNG"});
    h.id_number = "031185999999";  // Hải Phòng, woman born in 1985, NFD name
    h.full_name = "Le\xCC\x82 Thi\xCC\xA3 Ho\xCC\x82\xCC\x80ng Nhung";
    h.sex = Sex::Female;
    h.date_of_birth = {1985, 7, 4};
    h.date_of_expiry = Date{2025, 7, 4};
    out.push_back({h, "LE", "THI<HONG<NHUNG"});
    h.id_number = "092400000001";  // Cần Thơ, man born in the 2100s
    h.full_name = "Phan Văn Long";
    h.sex = Sex::Male;
    h.date_of_birth = {2100, 1, 1};
    h.date_of_expiry = Date{2125, 1, 1};
    out.push_back({h, "PHAN", "VAN<LONG"});
    return out;
}
}  // namespace

TEST(CccdTd1, RoundTripForSeveralPeople) {
    for (const Person& p : people()) {
        SCOPED_TRACE(p.holder.id_number);
        Td1Lines built = build_cccd_td1(p.holder);
        Td1 t = parse_td1(built.line1 + "\n" + built.line2 + "\n" + built.line3);
        EXPECT_TRUE(t.valid());
        EXPECT_EQ(t.checks.size(), 5u);
        EXPECT_EQ(t.document_code, "ID");
        EXPECT_EQ(t.issuing_state, "VNM");
        EXPECT_EQ(t.nationality, "VNM");
        EXPECT_EQ(t.document_number, p.holder.id_number.substr(3));
        EXPECT_EQ(t.cccd_id_number, p.holder.id_number);
        EXPECT_EQ(t.optional_data1, p.holder.id_number + "<<" + check_digit_char(p.holder.id_number));
        EXPECT_EQ(t.optional_data2, std::string(11, '<'));
        EXPECT_EQ(t.sex, sex_char(p.holder.sex));
        EXPECT_EQ(t.date_of_birth, to_yymmdd(p.holder.date_of_birth));
        // The ID's century digit says which hundred years the MRZ's YYMMDD belongs to.
        int century = 1900 + (p.holder.id_number[3] - '0') / 2 * 100;
        EXPECT_EQ(from_yymmdd(t.date_of_birth, century), p.holder.date_of_birth);
        EXPECT_EQ(t.date_of_expiry, p.holder.date_of_expiry ? to_yymmdd(*p.holder.date_of_expiry) : "991231");
        EXPECT_EQ(t.surname, p.surname);
        EXPECT_EQ(t.given_names, p.given_names);
        EXPECT_EQ(parse_td1(built.text()).lines.text(), built.text());
        EXPECT_EQ(mrz_information(t).substr(0, 9), p.holder.id_number.substr(3));
    }
}

TEST(CccdTd1, DecomposedNameBuildsTheSameMrz) {
    CccdHolder nfc = acceptance_holder();
    nfc.full_name = "Trần Thị Mỹ Duyên";
    nfc.id_number = "001199012345";
    nfc.sex = Sex::Female;
    CccdHolder nfd = nfc;
    nfd.full_name = "Tra\xCC\x82\xCC\x80" "n Thi\xCC\xA3" " My\xCC\x83" " Duye\xCC\x82" "n";
    EXPECT_EQ(build_cccd_td1(nfd).text(), build_cccd_td1(nfc).text());
    EXPECT_EQ(build_cccd_td1(nfd).line3, "TRAN<<THI<MY<DUYEN<<<<<<<<<<<<");
}

TEST(CccdTd1, LongNameIsTruncatedOnLineThree) {
    CccdHolder h = acceptance_holder();
    h.full_name = "Nguyễn Thị Thanh Hương Xuân Mai Linh";
    Td1Lines l = build_cccd_td1(h);
    EXPECT_EQ(l.line3, "NGUYEN<<THI<THANH<HUONG<XUAN<M");
    EXPECT_TRUE(parse_td1(l.text()).valid());
}

TEST(CccdTd1, RefusalsSayWhatIsWrong) {
    CccdHolder h = acceptance_holder();
    h.sex = Sex::Female;
    try {
        build_cccd_td1(h);
        FAIL();
    } catch (const InvalidArgument& e) {
        EXPECT_NE(std::string(e.what()).find("4th digit"), std::string::npos) << e.what();
    }
    h = acceptance_holder();
    h.date_of_birth = {1998, 1, 1};
    try {
        build_cccd_td1(h);
        FAIL();
    } catch (const InvalidArgument& e) {
        EXPECT_NE(std::string(e.what()).find("year of birth"), std::string::npos) << e.what();
    }
    h = acceptance_holder();
    h.date_of_expiry = Date{1998, 1, 1};
    EXPECT_THROW(build_cccd_td1(h), InvalidArgument);
    h = acceptance_holder();
    h.full_name = "Nguyễn Văn 3";
    EXPECT_THROW(build_cccd_td1(h), InvalidArgument);
    EXPECT_THROW(build_cccd_mrz("001099012345", "Nguyễn Văn An", 'X', "1999-01-01", "none"), InvalidArgument);
    EXPECT_THROW(build_cccd_mrz("001099012345", "Nguyễn Văn An", 'M', "1999-02-30", "none"), InvalidArgument);
    try {
        build_cccd_mrz("001099012345", "Nguyễn Văn An", 'M', "1999-01-01", "never");
        FAIL();
    } catch (const InvalidArgument& e) {
        EXPECT_NE(std::string(e.what()).find("date of expiry"), std::string::npos) << e.what();
    }
    try {
        build_cccd_mrz("001099012345", "Nguyễn Văn An", 'M', "1999-13-01", "none");
        FAIL();
    } catch (const InvalidArgument& e) {
        std::string what = e.what();
        EXPECT_NE(what.find("date of birth"), std::string::npos) << what;
        EXPECT_EQ(what.find("1999"), std::string::npos) << what;  // the date itself is personal data
    }
    EXPECT_EQ(build_cccd_mrz("001099012345", "Nguyễn Văn An", 'M', "1999-01-01", "2024-01-01"),
              build_cccd_td1(acceptance_holder()).text());
}

TEST(ParseTd1, ShortDocumentNumberFilledWithFillers) {
    // Part 3 Example 2: AB2134<<< has check digit 5.
    std::string l1 = "I<UTOAB2134<<<5<<<<<<<<<<<<<<<";
    std::string l2 = "5207273F5207273UTO<<<<<<<<<<<";
    l2 += check_digit_char(l1.substr(5, 25) + l2.substr(0, 7) + l2.substr(8, 7) + l2.substr(18, 11));
    Td1 t = parse_td1(l1 + l2 + "DOE<<JANE<<<<<<<<<<<<<<<<<<<<<");
    EXPECT_TRUE(t.valid());
    EXPECT_EQ(t.document_number, "AB2134");
    EXPECT_EQ(t.checks.front().name, "document number");
    EXPECT_EQ(t.checks.front().expected, '5');
    EXPECT_FALSE(t.cccd_id_number.has_value());
    EXPECT_EQ(mrz_information(t), "AB2134<<<552072735207273");
    l1[14] = '6';
    Td1 bad = parse_td1(l1 + l2 + "DOE<<JANE<<<<<<<<<<<<<<<<<<<<<");
    ASSERT_NE(bad.failed_check(), nullptr);
    EXPECT_EQ(bad.failed_check()->name, "document number");
    EXPECT_EQ(bad.failed_check()->found, '6');
}

TEST(ParseTd1, LongDocumentNumberContinuesInOptionalData) {
    // Part 5 note j: D23145890734 is 12 characters; '<' at position 15, 734 and the check digit 9 follow.
    std::string l1 = "I<UTOD23145890<7349<<<<<<<<<<<";
    std::string l2 = "3407127F9507122UTO<<<<<<<<<<<";
    l2 += check_digit_char(l1.substr(5, 25) + l2.substr(0, 7) + l2.substr(8, 7) + l2.substr(18, 11));
    Td1 t = parse_td1(l1 + l2 + "ERIKSSON<<ANNA<MARIA<<<<<<<<<<");
    EXPECT_TRUE(t.valid()) << (t.failed_check() ? t.failed_check()->name : "");
    EXPECT_EQ(t.document_number, "D23145890734");
    EXPECT_EQ(mrz_information(t), "D23145890734934071279507122");
}

TEST(ParseTd1, MalformedTextIsAParseErrorWithTheReason) {
    auto message = [](const std::string& text) {
        try {
            parse_td1(text);
        } catch (const ParseError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    std::string good = build_cccd_td1(acceptance_holder()).text();
    EXPECT_NE(message(good.substr(0, 89)).find("89"), std::string::npos);
    EXPECT_NE(message(good.substr(0, 30) + "\n" + good.substr(30, 30)).find("2 lines"), std::string::npos);
    EXPECT_NE(message(good.substr(0, 30) + "\n" + good.substr(30, 29) + "\n" + good.substr(59)).find("30, 29, 31"),
              std::string::npos);
    EXPECT_NE(message(good.substr(0, 5) + " " + good.substr(5)).find("2 lines"), std::string::npos);
    EXPECT_NE(message(good.substr(0, 30) + "\n" + good.substr(30, 30) + "\n" + good.substr(60) + "\n<").find("more than 3"),
              std::string::npos);
    std::string lower = good;
    lower[2] = 'v';
    EXPECT_NE(message(lower).find("'v'"), std::string::npos);
    std::string binary = good;
    binary[40] = '\xC3';
    EXPECT_NE(message(binary).find("0xC3"), std::string::npos);
    EXPECT_NE(message("").find("none"), std::string::npos);
    EXPECT_NE(message(std::string(1000, '<')).find("longer than 90"), std::string::npos);
    EXPECT_EQ(message("  " + good + "\r\n"), "no error");
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

TEST(Dates, FromYymmddUsesTheGivenCentury) {
    EXPECT_EQ(from_yymmdd("991231", 1900), (Date{1999, 12, 31}));
    EXPECT_EQ(from_yymmdd("991231", 2000), (Date{2099, 12, 31}));
    EXPECT_EQ(from_yymmdd("000229", 2000), (Date{2000, 2, 29}));
    EXPECT_EQ(from_yymmdd("240101", 1930), (Date{2024, 1, 1}));  // window 1930..2029
    EXPECT_EQ(from_yymmdd("450101", 1930), (Date{1945, 1, 1}));
    EXPECT_EQ(from_yymmdd("300101", 1930), (Date{1930, 1, 1}));
    EXPECT_EQ(from_yymmdd("290101", 1930), (Date{2029, 1, 1}));
    EXPECT_THROW(from_yymmdd("010229", 2000), ParseError);  // 2001 is not a leap year
    EXPECT_THROW(from_yymmdd("991301", 1900), ParseError);
    EXPECT_THROW(from_yymmdd("99123", 1900), ParseError);
    EXPECT_THROW(from_yymmdd("9912<1", 1900), ParseError);
    for (Date d : {Date{1999, 1, 1}, Date{2024, 2, 29}, Date{2000, 12, 31}, Date{2105, 6, 15}}) {
        EXPECT_EQ(from_yymmdd(to_yymmdd(d), d.year / 100 * 100), d);
    }
}

TEST(Dates, IsoRoundTrip) {
    EXPECT_EQ(to_iso(parse_iso_date("1999-01-01")), "1999-01-01");
    EXPECT_EQ(to_iso({2024, 2, 29}), "2024-02-29");
    EXPECT_THROW(parse_iso_date("2023-02-29"), InvalidArgument);
    EXPECT_THROW(parse_iso_date("2024-04-31"), InvalidArgument);
    EXPECT_THROW(parse_iso_date("2024-00-10"), InvalidArgument);
    EXPECT_THROW(parse_iso_date("0000-01-01"), InvalidArgument);
    EXPECT_THROW(parse_iso_date("2024/01/01"), InvalidArgument);
    EXPECT_THROW(parse_iso_date(" 2024-01-01"), InvalidArgument);
    EXPECT_TRUE(parse_iso_date("2024-01-01") < parse_iso_date("2024-01-02"));
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
