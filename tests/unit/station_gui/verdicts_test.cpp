// Personalization's verdicts as the officer sees them (widgets.hpp show_verdicts, OutcomeWords): each
// check a line with the verdict in its words, an icon and a colour; the end state says what to do with
// the card; in Vietnamese, and in English with the embedded translation (--lang en). Screenshots:
// test-results/gui/verdicts-{vi,en}-{issued,faulty}.png.
#include <gtest/gtest.h>

#include <QDir>
#include <QLabel>
#include <QListWidget>
#include <QTranslator>
#include <QVBoxLayout>

#include "station/gui/widgets.hpp"
#include "station/words/outcome_words.hpp"
#include "tests/unit/station_gui/gui_app.hpp"

namespace cccd::station {
namespace {

std::vector<pa::Check> read_back(bool genuine) {
    std::vector<pa::Check> checks{{"Chip key: Active Authentication", pa::Verdict::Pass, {}},
                                  {"Chip key: Chip Authentication", pa::Verdict::Pass, {}},
                                  {"Chip Authentication", pa::Verdict::Pass, {}},
                                  {"Active Authentication", genuine ? pa::Verdict::Pass : pa::Verdict::Fail,
                                   genuine ? "" : "the signature does not verify with DG15's key"},
                                  {std::string(pa::kCheckSodSignature), pa::Verdict::Pass, {}},
                                  {std::string(pa::kCheckDsTrusted), pa::Verdict::Pass, {}},
                                  {std::string(pa::kCheckDsNotRevoked), pa::Verdict::NotChecked, "no CRL for this CSCA"},
                                  {pa::data_group_check_name(1), pa::Verdict::Pass, {}},
                                  {pa::data_group_check_name(2), pa::Verdict::Pass, {}},
                                  {pa::data_group_check_name(13), genuine ? pa::Verdict::Pass : pa::Verdict::Fail, "mismatch"},
                                  {"Data matches the record: DG13", pa::Verdict::Pass, {}}};
    return checks;
}

// The end state and the list, as the personalization tab shows them.
struct VerdictPanel {
    QWidget widget;
    QLabel* end = new QLabel;
    QListWidget* list = new QListWidget;
    explicit VerdictPanel(bool issued) {
        auto* layout = new QVBoxLayout(&widget);
        layout->addWidget(end);
        layout->addWidget(list);
        end->setStyleSheet("font-size: 18px; font-weight: bold;");
        end->setText(OutcomeWords::issue_end(issued));
        show_verdicts(list, verdict_lines(read_back(issued)));
        widget.resize(760, 420);
        widget.show();
    }
    void screenshot(const QString& name) {
        QDir().mkpath(CCCD_GUI_RESULTS_DIR);
        EXPECT_TRUE(widget.grab().save(QString(CCCD_GUI_RESULTS_DIR) + "/" + name + ".png"));
    }
};

TEST(Verdicts, EachCheckInTheOfficersWordsWithItsStateAndTheEndStateInBothLanguages) {
    gui_app();
    for (const bool issued : {true, false}) {
        VerdictPanel vi(issued);
        EXPECT_EQ(vi.list->item(3)->text().toStdString(), issued ? "Đạt — Xác thực chủ động (AA): chip thật, không phải bản sao"
                                                                 : "Không đạt — Xác thực chủ động (AA): chip thật, không phải bản sao");
        // The state is in the icon and the data too, not in the colour alone.
        EXPECT_FALSE(vi.list->item(3)->icon().isNull());
        EXPECT_EQ(vi.list->item(6)->text().toStdString(), "Chưa kiểm tra — Chứng thư DS chưa bị thu hồi");
        EXPECT_EQ(vi.list->item(6)->toolTip().toStdString(), "no CRL for this CSCA");
        vi.screenshot(issued ? "verdicts-vi-issued" : "verdicts-vi-faulty");

        QTranslator english;
        ASSERT_TRUE(english.load(":/i18n/cccd_station_en.qm"));
        ASSERT_TRUE(QCoreApplication::installTranslator(&english));
        {
            VerdictPanel en(issued);
            EXPECT_EQ(en.end->text().toStdString(), issued ? "Card issued — hand it to the citizen"
                                                           : "Faulty card — set it aside, do not hand it over");
            EXPECT_EQ(en.list->item(9)->text().toStdString(),
                      issued ? "Passed — DG13 hash matches EF.SOD" : "Failed — DG13 hash matches EF.SOD");
            en.screenshot(issued ? "verdicts-en-issued" : "verdicts-en-faulty");
        }
        QCoreApplication::removeTranslator(&english);
    }
}

}  // namespace
}  // namespace cccd::station
