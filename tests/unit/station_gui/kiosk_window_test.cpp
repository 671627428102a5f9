// The kiosk as every citizen can use it (station/gui/kiosk_window.hpp), offscreen: keys large enough for
// any finger; with spoken prompts on, the instructions and every headline said aloud and nothing about
// the holder; the result shown with an icon and a colour as well as words, cleared after the idle time.
// espeak-ng is replaced by a script that writes down what it was asked to say (speech_test.cpp renders
// the real voice). Screenshots: test-results/gui/kiosk-*.png.
#include <gtest/gtest.h>

#include <QDir>
#include <QLabel>
#include <QPushButton>
#include <QtTest/QTest>

#include <chrono>
#include <fstream>
#include <sstream>

#include <sys/stat.h>

#include "station/gui/kiosk_window.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/station_gui/gui_app.hpp"

namespace cccd::station {
namespace {

class Kiosk : public ::testing::Test {
protected:
    void SetUp() override {
        gui_app();
        // Answers "--voices=vi" as espeak-ng does, and writes each prompt (its last argument) on a line.
        std::ofstream(script_) << "#!/bin/sh\n"
                                  "case \"$1\" in --voices=*) echo 'Pty Language Age/Gender VoiceName File Other Languages';"
                                  " echo ' 5  vi              M  vietnam_hue          sit/vi';;\n"
                                  "*) for a; do last=$a; done; printf '%s\\n' \"$last\" >> '"
                               << said_ << "';;\nesac\n";
        ::chmod(script_.c_str(), 0755);
        config_.server = "https://127.0.0.1:9";
        config_.reader = "no such reader";
        config_.idle = std::chrono::seconds(2);
        config_.spoken_prompts = true;
        config_.speech.program = script_;
    }

    std::string said() {
        std::ifstream in(said_);
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    }
    // espeak-ng runs as its own process: wait until it wrote `words` down.
    bool heard(const QString& words) {
        for (int i = 0; i < 100; ++i) {
            if (said().find(words.toStdString()) != std::string::npos) return true;
            QTest::qWait(50);
        }
        return false;
    }
    void screenshot(QWidget& window, const QString& name) {
        const QString dir = CCCD_GUI_RESULTS_DIR;
        QDir().mkpath(dir);
        EXPECT_TRUE(window.grab().save(dir + "/" + name + ".png")) << name.toStdString();
    }

    cccd::testing::TempDir dir_;
    std::string script_ = dir_.file("fake-espeak-ng");
    std::string said_ = dir_.file("said.txt");
    KioskConfig config_;
};

TEST_F(Kiosk, KeysAreLargeEnoughForAnyFingerAndReadableFromAMetre) {
    config_.spoken_prompts = false;
    KioskWindow window(config_);
    window.resize(1080, 1400);
    window.show();
    QApplication::processEvents();
    for (const char* key : {"key_0", "key_5", "key_ok", "key_clear"}) {
        auto* b = window.findChild<QPushButton*>(key);
        ASSERT_NE(b, nullptr) << key;
        EXPECT_GE(b->width(), 180) << key;
        EXPECT_GE(b->height(), 110) << key;
        EXPECT_GE(b->font().pixelSize(), 40) << key;
    }
    EXPECT_EQ(window.findChild<QPushButton*>("listen"), nullptr);  // no spoken prompts: no button for them
    screenshot(window, "kiosk-keypad");
}

TEST_F(Kiosk, SpokenPromptsSayTheInstructionsAndEachHeadlineButNothingAboutTheHolder) {
    KioskWindow window(config_);
    window.resize(1080, 1400);
    window.show();
    QApplication::processEvents();
    EXPECT_TRUE(heard(KioskWindow::instructions()));
    auto* headline = window.findChild<QLabel*>("headline");
    ASSERT_NE(headline, nullptr);

    QTest::mouseClick(window.findChild<QPushButton*>("key_1"), Qt::LeftButton);
    QTest::mouseClick(window.findChild<QPushButton*>("key_ok"), Qt::LeftButton);
    EXPECT_EQ(headline->text().toStdString(), "Số CAN gồm 6 chữ số");
    EXPECT_TRUE(heard("Số CAN gồm 6 chữ số"));

    // Six digits: the tap runs (no reader here) and ends with a refusal, on screen and aloud.
    QTest::mouseClick(window.findChild<QPushButton*>("key_clear"), Qt::LeftButton);
    for (int i = 0; i < 6; ++i) QTest::mouseClick(window.findChild<QPushButton*>("key_7"), Qt::LeftButton);
    QTest::mouseClick(window.findChild<QPushButton*>("key_ok"), Qt::LeftButton);
    for (int i = 0; i < 200 && headline->text().startsWith("Đang đọc thẻ"); ++i) QTest::qWait(50);
    const QString result = headline->text();
    EXPECT_FALSE(result.isEmpty());
    EXPECT_FALSE(result.startsWith("Đang đọc thẻ"));
    EXPECT_TRUE(heard(result)) << result.toStdString();
    EXPECT_FALSE(window.findChild<QLabel*>("result_icon")->pixmap().isNull());  // the state as an icon too
    EXPECT_EQ(said().find("777777"), std::string::npos);  // the CAN is never said
    screenshot(window, "kiosk-result-spoken");

    // The idle time clears the screen.
    QTest::qWait(2600);
    EXPECT_TRUE(headline->text().isEmpty());
    EXPECT_TRUE(window.findChild<QLabel*>("result_icon")->pixmap().isNull());
}

TEST_F(Kiosk, TheListenButtonSaysTheInstructionsAgain) {
    KioskWindow window(config_);
    window.show();
    ASSERT_TRUE(heard(KioskWindow::instructions()));
    std::ofstream(said_, std::ios::trunc).close();
    auto* listen = window.findChild<QPushButton*>("listen");
    ASSERT_NE(listen, nullptr);
    EXPECT_GE(listen->minimumHeight(), 110);
    QTest::mouseClick(listen, Qt::LeftButton);
    EXPECT_TRUE(heard(KioskWindow::instructions()));
}

}  // namespace
}  // namespace cccd::station
