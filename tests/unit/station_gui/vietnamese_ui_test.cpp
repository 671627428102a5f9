// No English in the Vietnamese UI: every text a person reads in the station's window (the login page and
// every tab, the verdict lists filled with every check the core can report), the kiosk, and every
// sentence of station/words, scanned for words that are neither Vietnamese nor on the list of allowed
// technical tokens (ATR, CAN, PDF, ...). A word is taken for Vietnamese when it has a Vietnamese letter
// or tone mark, or when its letters form a Vietnamese syllable (onset, vowels, final: "cho", "tra",
// "in"); English words such as "PASS", "active", "waiting", "file", "reader" do not.
#include <gtest/gtest.h>

#include <QAbstractButton>
#include <QApplication>
#include <QComboBox>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QRegularExpression>
#include <QTabBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextDocumentFragment>
#include <QtTest/QTest>

#include <set>

#include "card/perso/personalizer.hpp"
#include "card/session/card_session.hpp"
#include "card/pa/passive_auth.hpp"
#include "station/gui/kiosk_window.hpp"
#include "station/gui/station_window.hpp"
#include "station/gui/widgets.hpp"
#include "station/words/outcome_words.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/station/check_names.hpp"
#include "tests/unit/station_gui/gui_app.hpp"

namespace cccd::station {
namespace {

// Technical tokens an officer meets on every ID card system, the date format's letters, the keys.
const std::set<QString> kAllowed{"ATR", "CAN",  "PDF",  "SOD",  "EF",   "DS",   "CSCA", "CA",   "AA",   "PA",  "DG",
                                 "MRZ", "QR",   "PC",   "SC",   "pcscd", "JPEG", "PNG", "ICAO", "CMND", "CCCD", "PIN",
                                 "dd",  "mm",   "yyyy", "Alt",  "F5",   "Ctrl", "Enter", "Tab", "Esc",
                                 // the forms' codes (CC01, CC02) and a loanword Vietnamese forms use as it is
                                 "CC",  "camera"};

// A Vietnamese syllable written without its diacritics: onset, one to three vowels, a final.
const QRegularExpression kSyllable(QStringLiteral("^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}"
                                                  "(ch|ng|nh|[cmnpt])?$"));

QStringList english_words(const QString& text) {
    QStringList found;
    static const QRegularExpression word(QStringLiteral("[\\p{L}\\p{M}0-9]+"));
    for (auto it = word.globalMatch(text); it.hasNext();) {
        const QString token = it.next().captured();
        bool ascii_letters = true;
        for (const QChar c : token) ascii_letters = ascii_letters && c.unicode() < 128;
        if (!ascii_letters || token.size() < 2 || kAllowed.contains(token)) continue;
        QString letters = token;
        letters.remove(QRegularExpression("[0-9]"));
        if (letters.size() < 2 || kAllowed.contains(letters)) continue;  // "DG13", "F5", "2024"
        if (!kSyllable.match(letters.toLower()).hasMatch()) found << token;
    }
    return found;
}

// What a person can read on a widget and its children (hidden ones too: they show at some step).
QStringList visible_texts(QWidget* root) {
    QStringList texts{root->windowTitle()};
    const auto plain = [](const QString& s) { return Qt::mightBeRichText(s) ? QTextDocumentFragment::fromHtml(s).toPlainText() : s; };
    for (QWidget* w : root->findChildren<QWidget*>()) {
        // Qt's own widgets inside a tab bar (its scroll arrows) are named by Qt's translations, not ours.
        if (qobject_cast<QTabBar*>(w->parentWidget()) != nullptr) continue;
        texts << plain(w->toolTip()) << w->accessibleName();
        if (auto* l = qobject_cast<QLabel*>(w)) texts << plain(l->text());
        if (auto* b = qobject_cast<QAbstractButton*>(w)) texts << b->text();
        if (auto* e = qobject_cast<QLineEdit*>(w)) texts << e->placeholderText() << e->text();
        if (auto* g = qobject_cast<QGroupBox*>(w)) texts << g->title();
        // The reader picker lists the readers pcscd reports, under the devices' own names ("Virtual PCD 0
        // 00 00", "ACS ACR1252 ..."): not the station's words, and whatever readers this machine has.
        if (auto* c = qobject_cast<QComboBox*>(w); c != nullptr && c->objectName() != "reader")
            for (int i = 0; i < c->count(); ++i) texts << c->itemText(i);
        if (auto* t = qobject_cast<QTabWidget*>(w))
            for (int i = 0; i < t->count(); ++i) texts << t->tabText(i);
        if (auto* list = qobject_cast<QListWidget*>(w))
            for (int i = 0; i < list->count(); ++i) texts << list->item(i)->text();  // not the tooltip: the core's detail
        if (auto* table = qobject_cast<QTableWidget*>(w)) {
            for (int i = 0; i < table->columnCount(); ++i)
                if (auto* h = table->horizontalHeaderItem(i)) texts << h->text();
            for (int r = 0; r < table->rowCount(); ++r)
                for (int c = 0; c < table->columnCount(); ++c)
                    if (auto* item = table->item(r, c)) texts << item->text();
        }
    }
    return texts;
}

void expect_vietnamese(const QStringList& texts, const char* where) {
    for (const QString& text : texts) {
        const QStringList english = english_words(text);
        EXPECT_TRUE(english.isEmpty()) << where << ": \"" << text.toStdString() << "\" has " << english.join(", ").toStdString();
    }
}

TEST(VietnameseUi, TheWordTestTellsEnglishFromVietnamese) {
    EXPECT_EQ(english_words("PASS  DG1 hash"), (QStringList{"PASS", "hash"}));
    EXPECT_EQ(english_words("(active)"), QStringList{"active"});
    EXPECT_EQ(english_words("waiting"), QStringList{"waiting"});
    // Short English words that are also Vietnamese syllables ("key", "to", "in") pass: the sentence around
    // them does not.
    EXPECT_EQ(english_words("transport key file"), (QStringList{"transport", "file"}));
    EXPECT_TRUE(english_words("Đạt — Mã băm DG13 khớp với EF.SOD").isEmpty());
    EXPECT_TRUE(english_words("Tra cứu dân cư: nhập số CAN (6 chữ số) rồi bấm Xác thực").isEmpty());
    EXPECT_TRUE(english_words("Ngày sinh (dd/mm/yyyy): 21/08/1999").isEmpty());
    EXPECT_TRUE(english_words("Xuất mặt thẻ (PDF) cho máy in thẻ").isEmpty());
}

TEST(VietnameseUi, TheStationWindowTheKioskAndEveryOutcomeAreInVietnamese) {
    gui_app();
    cccd::testing::TempDir dir;
    StationConfig config;
    config.queue = dir.file("queue.db");
    config.queue_key_file = dir.file("queue.key");
    config.reader = "no such reader";
    {
        StationWindow window(config, std::chrono::seconds(600));
        window.resize(1200, 900);
        window.show();
        QTest::qWait(200);
        // Every check the core can report, passed and failed, as the verdict list shows it.
        const std::vector<std::string> names = cccd::testing::every_reported_check_name();
        std::vector<pa::Check> read_back;
        for (const auto& name : names)
            for (const pa::Verdict v : {pa::Verdict::Pass, pa::Verdict::Fail, pa::Verdict::NotChecked})
                read_back.push_back({name, v, "reason"});
        auto* checks = window.findChild<QListWidget*>("checks");
        ASSERT_NE(checks, nullptr);
        show_verdicts(checks, verdict_lines(read_back));
        expect_vietnamese(visible_texts(&window), "station window");
    }
    {
        KioskConfig kiosk;
        kiosk.server = "https://127.0.0.1:9";
        KioskWindow window(kiosk);
        window.show();
        QApplication::processEvents();
        expect_vietnamese(visible_texts(&window), "kiosk");
    }
    QStringList words;
    for (const Operation operation : kOperations) {
        for (const Failure code : kFailures) {
            OperationFailure f;
            f.operation = operation;
            f.code = code;
            f.fields = {"full_name", "photo"};
            words << OutcomeWords::failure(f);  // the detail is empty: it is the core's English, for diagnostics
        }
    }
    for (const QueueState state : {QueueState::Waiting, QueueState::Delivered, QueueState::Refused})
        words << OutcomeWords::queue_state(state);
    for (const char* role : {"enrollment_officer", "supervisor", "administrator"}) words << OutcomeWords::role(role);
    words << OutcomeWords::citizen_status("active") << OutcomeWords::citizen_status("deceased")
          << OutcomeWords::issue_end(true) << OutcomeWords::issue_end(false);
    for (const KioskCode code : kKioskCodes) {
        KioskOutcome outcome;
        outcome.code = code;
        words << OutcomeWords::kiosk(outcome);
    }
    expect_vietnamese(words, "station/words");
}

}  // namespace
}  // namespace cccd::station
