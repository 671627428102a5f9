// Font scaling and high-DPI: every step of the guided enrollment, the login page and the kiosk at 150 %
// (the application's font 1.5 times its size) in a 1280 x 720 window, the logical size of a 1920 x 1080
// screen at 150 %. No text may be cut: each button, label, field and list is at least as large as its
// text needs. ctest also runs this test under QT_SCALE_FACTOR=1.5 (station_gui.scale_150, a device
// pixel ratio of 1.5). Screenshots: test-results/gui/scale-150-*.png.
#include <gtest/gtest.h>

#include <QAbstractButton>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QtTest/QTest>

#include "station/gui/enroll_tab.hpp"
#include "station/gui/kiosk_window.hpp"
#include "station/gui/station_window.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/station_gui/gui_app.hpp"

namespace cccd::station {
namespace {

// The visible widgets smaller than their text needs, by name and text.
QStringList cut_texts(QWidget* root) {
    QStringList cut;
    for (QWidget* w : root->findChildren<QWidget*>()) {
        if (!w->isVisible() || w->objectName().startsWith("qt_")) continue;
        QString text;
        QSize needed;
        if (auto* label = qobject_cast<QLabel*>(w); label != nullptr && !label->text().isEmpty()) {
            text = label->text();
            needed = label->wordWrap() ? QSize(0, label->heightForWidth(label->width())) : label->minimumSizeHint();
        } else if (auto* button = qobject_cast<QAbstractButton*>(w); button != nullptr && !button->text().isEmpty()) {
            text = button->text();
            needed = button->minimumSizeHint();
        } else if (qobject_cast<QLineEdit*>(w) != nullptr || qobject_cast<QComboBox*>(w) != nullptr) {
            text = w->objectName();
            needed = QSize(0, w->minimumSizeHint().height());
        } else {
            continue;
        }
        if (w->width() < needed.width() || w->height() < needed.height())
            cut << QString("%1 \"%2\": %3x%4, needs %5x%6")
                       .arg(w->objectName(), text.left(60))
                       .arg(w->width())
                       .arg(w->height())
                       .arg(needed.width())
                       .arg(needed.height());
    }
    return cut;
}

void screenshot(QWidget& w, const QString& name) {
    QDir().mkpath(CCCD_GUI_RESULTS_DIR);
    EXPECT_TRUE(w.grab().save(QString(CCCD_GUI_RESULTS_DIR) + "/scale-150-" + name + ".png"));
}

class Scale150 : public ::testing::Test {
protected:
    void SetUp() override {
        gui_app();
        normal_ = QApplication::font();
        QFont large = normal_;
        large.setPointSizeF(normal_.pointSizeF() * 1.5);
        QApplication::setFont(large);
    }
    void TearDown() override { QApplication::setFont(normal_); }
    QFont normal_;
};

// The window's layout fits the screen: its minimum is not larger than the logical screen.
void expect_fits(QWidget& w, QSize screen, const char* what) {
    EXPECT_LE(w.minimumSizeHint().width(), screen.width()) << what;
    EXPECT_LE(w.minimumSizeHint().height(), screen.height()) << what;
    EXPECT_LE(w.width(), screen.width()) << what;
    EXPECT_LE(w.height(), screen.height()) << what;
}

TEST_F(Scale150, TheCheckFindsACutText) {
    QWidget window;
    auto* squeezed = new QPushButton("Lưu và gửi hồ sơ", &window);
    squeezed->setObjectName("squeezed");
    squeezed->setGeometry(0, 0, 20, 10);
    window.show();
    QApplication::processEvents();
    EXPECT_TRUE(cut_texts(&window).join("\n").contains("squeezed"));
}

TEST_F(Scale150, EveryEnrollmentStepTheLoginAndTheKioskHoldTheirTexts) {
    const QSize desk(1280, 720), kiosk_screen(720, 1280);  // 1920 x 1080 at 150 %; the kiosk's portrait screen
    cccd::testing::TempDir dir;
    StationConfig config;
    config.queue = dir.file("queue.db");
    config.queue_key_file = dir.file("queue.key");
    config.photo_inbox = dir.file("camera");
    {
        StationWindow window(config, std::chrono::seconds(600));
        window.resize(1280, 720);
        window.show();
        QTest::qWait(100);
        EXPECT_EQ(cut_texts(&window).join("\n").toStdString(), "") << "login page";
        expect_fits(window, desk, "login page");
        screenshot(window, "login");
    }
    {
        StationWorker worker(config);
        EnrollTab tab(&worker, config);
        tab.resize(1280, 720);
        tab.show();
        QApplication::processEvents();
        auto* steps = tab.findChild<QStackedWidget*>("enroll_steps");
        ASSERT_NE(steps, nullptr);
        for (int step = 0; step < steps->count(); ++step) {
            steps->setCurrentIndex(step);
            QApplication::processEvents();
            EXPECT_EQ(cut_texts(&tab).join("\n").toStdString(), "") << "enrollment step " << step + 1;
            expect_fits(tab, desk, "enrollment");
            screenshot(tab, "enroll-step-" + QString::number(step + 1));
        }
    }
    {
        KioskConfig kiosk;
        kiosk.server = "https://127.0.0.1:9";
        kiosk.spoken_prompts = false;
        KioskWindow window(kiosk);
        window.resize(kiosk_screen);
        window.show();
        QApplication::processEvents();
        EXPECT_EQ(cut_texts(&window).join("\n").toStdString(), "") << "kiosk";
        expect_fits(window, kiosk_screen, "kiosk");
        screenshot(window, "kiosk");
    }
}

}  // namespace
}  // namespace cccd::station
