// Every outcome code of the station and the kiosk has its words in Vietnamese (the source language) and
// in English (the translation the programs embed, loaded as --lang en loads it), and the officer's words
// for the server's refusals are the ones docs/station.md quotes.
#include <gtest/gtest.h>

#include <QCoreApplication>

#include "card/perso/personalizer.hpp"
#include "card/session/card_session.hpp"
#include "station/core/issuance_client.hpp"
#include "station/words/outcome_words.hpp"
#include "tests/unit/station/check_names.hpp"
#include "tests/unit/station/words_in_both_languages.hpp"

namespace cccd::station {
namespace {

OperationFailure failure(Operation operation, Failure code) {
    OperationFailure f;
    f.operation = operation;
    f.code = code;
    f.detail = "detail";
    f.server_code = "some_code";
    f.fields = {"full_name"};
    return f;
}

class OutcomeWordsInBothLanguages : public WordsInBothLanguages {};

TEST_F(OutcomeWordsInBothLanguages, EveryKioskCode) {
    for (const KioskCode code : kKioskCodes) {
        KioskOutcome outcome;
        outcome.code = code;
        outcome.server_code = "input_invalid";
        expect_both_languages([&] { return OutcomeWords::kiosk(outcome); }, std::string(to_string(code)));
    }
}

TEST_F(OutcomeWordsInBothLanguages, EveryCardProfileAndCardKind) {
    for (const identity::CardProfile& profile : identity::card_profiles()) {
        expect_both_languages([&] { return OutcomeWords::profile(profile); }, std::string(profile.code));
        lds::CardKind kind;
        kind.profile = &profile;
        kind.has_face = profile.dg2 == identity::Dg2Content::Face;
        expect_both_languages([&] { return OutcomeWords::card_kind(kind); }, std::string(profile.code) + " read");
        kind.has_face = !kind.has_face;
        expect_both_languages([&] { return OutcomeWords::card_kind(kind); }, std::string(profile.code) + " DG2 not as said");
    }
    expect_both_languages([] { return OutcomeWords::card_kind(lds::CardKind{}); }, "unknown card");
    EXPECT_EQ(OutcomeWords::profile(identity::card_profile(identity::CardProfileId::CanCuoc2024Under6)).toStdString(),
              "Căn cước (dưới 6 tuổi)");
}

// Every check personalization's read-back and the card check can report has its own Vietnamese line
// (not the fallback that quotes the core's name) and its English; the verdict is in the words.
TEST_F(OutcomeWordsInBothLanguages, EveryCheckAndVerdictOfPersonalizationAndTheCardCheck) {
    const std::vector<std::string> names = cccd::testing::every_reported_check_name();
    const QString fallback = OutcomeWords::check_name("an unknown check");
    EXPECT_EQ(fallback.toStdString(), "Kiểm tra “an unknown check”");
    for (const auto& name : names) {
        const QString words = OutcomeWords::check_name(name);
        EXPECT_FALSE(words.startsWith("Kiểm tra “")) << name << " has no line of its own";
        EXPECT_FALSE(words.contains(QString::fromStdString(name))) << name << " is shown in the core's English";
        expect_both_languages([&] { return OutcomeWords::check_name(name); }, name);
    }
    for (const pa::Verdict verdict : {pa::Verdict::Pass, pa::Verdict::Fail, pa::Verdict::NotChecked})
        expect_both_languages([&] { return OutcomeWords::verdict(verdict); }, std::string(pa::verdict_name(verdict)));
    EXPECT_EQ(OutcomeWords::check({"DG13 hash", pa::Verdict::Fail, "mismatch"}).toStdString(),
              "Không đạt — Mã băm DG13 khớp với EF.SOD");
    EXPECT_EQ(OutcomeWords::issue_end(true).toStdString(), "Thẻ đã cấp — trao cho công dân");
    EXPECT_EQ(OutcomeWords::issue_end(false).toStdString(), "Thẻ lỗi — để riêng, không trao");
    expect_both_languages([] { return OutcomeWords::issue_end(true); }, "issued");
    expect_both_languages([] { return OutcomeWords::issue_end(false); }, "not issued");
}

TEST_F(OutcomeWordsInBothLanguages, EveryStationFailureInEveryOperation) {
    for (const Operation operation : kOperations) {
        for (const Failure code : kFailures) {
            const OperationFailure f = failure(operation, code);
            expect_both_languages([&] { return OutcomeWords::failure(f); },
                                  std::string(to_string(code)) + " in operation " + std::to_string(static_cast<int>(operation)));
        }
    }
}

TEST_F(OutcomeWordsInBothLanguages, TheIdentityFields) {
    for (const char* field : {"full_name", "date_of_birth", "sex", "photo"})
        expect_both_languages([&] { return OutcomeWords::field(field); }, field);
    expect_both_languages([] { return OutcomeWords::awaiting_approval({}); }, "awaiting approval, no fields");
}

TEST_F(OutcomeWordsInBothLanguages, TheKioskSaysTheSameInEnglish) {
    KioskOutcome outcome;
    outcome.code = KioskCode::Accepted;
    ASSERT_TRUE(QCoreApplication::installTranslator(&english_));
    EXPECT_EQ(OutcomeWords::kiosk(outcome).toStdString(), "Authentication successful");
    outcome.code = KioskCode::WrongCan;
    EXPECT_EQ(OutcomeWords::kiosk(outcome).toStdString(), "Wrong CAN: please check the 6 digits on the front of the card");
    QCoreApplication::removeTranslator(&english_);
    EXPECT_EQ(OutcomeWords::kiosk(outcome).toStdString(), "Số CAN không đúng: vui lòng kiểm tra 6 chữ số trên mặt trước của thẻ");
}

OperationFailure refused(Operation operation, ServerRefusal refusal) {
    return failure_of(operation, std::make_exception_ptr(std::move(refusal)));
}

TEST(OfficerWords, ApprovalRefusalsAreInTheOfficersWords) {
    EXPECT_EQ(utf8(OutcomeWords::awaiting_approval({"full_name", "date_of_birth", "sex", "photo"})),
              "Hồ sơ thay đổi thông tin nhân thân (họ tên, ngày sinh, giới tính, ảnh chân dung): chờ lãnh đạo phê duyệt "
              "trước khi cá nhân hoá thẻ");
    EXPECT_EQ(utf8(OutcomeWords::awaiting_approval({})),
              "Hồ sơ thay đổi thông tin nhân thân: chờ lãnh đạo phê duyệt trước khi cá nhân hoá thẻ");
    OperationFailure approval = refused(Operation::Issue, ServerRefusal(409, "approval_required", "..."));
    approval.fields = {"photo"};
    EXPECT_EQ(utf8(OutcomeWords::refusal(approval)),
              "Hồ sơ thay đổi thông tin nhân thân (ảnh chân dung): chờ lãnh đạo phê duyệt trước khi cá nhân hoá thẻ");
    EXPECT_EQ(utf8(OutcomeWords::refusal(refused(Operation::ListApprovals, ServerRefusal(403, "forbidden_role", "this needs a supervisor")))),
              "Chỉ lãnh đạo hoặc quản trị viên được làm việc này");
    EXPECT_EQ(utf8(OutcomeWords::refusal(refused(Operation::Search, ServerRefusal(404, "not_found", "no citizen with this ID number")))),
              "no citizen with this ID number");
    EXPECT_EQ(utf8(OutcomeWords::refusal(refused(Operation::Decide, ServerRefusal(409, "conflict", "not waiting for approval")))),
              "Hồ sơ này không còn chờ phê duyệt: đã có người quyết định");
}

TEST(OfficerWords, AnIssueStoppedForAnApprovalSaysTheCardIsUntouched) {
    OperationFailure approval = refused(Operation::Issue, ServerRefusal(409, "approval_required", "..."));
    approval.fields = {"full_name"};
    EXPECT_EQ(utf8(OutcomeWords::failure(approval)),
              "Hồ sơ thay đổi thông tin nhân thân (họ tên): chờ lãnh đạo phê duyệt trước khi cá nhân hoá thẻ\n"
              "Thẻ chưa bị ghi: dùng lại chính thẻ này sau khi được phê duyệt");
}

}  // namespace
}  // namespace cccd::station
