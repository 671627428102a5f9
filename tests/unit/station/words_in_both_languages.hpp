#pragma once
// A fixture for the station's words: each sentence said in Vietnamese (the source language) and again
// with the embedded English translation installed, as --lang en installs it. Neither may be empty, and
// the English must differ from the Vietnamese (else the translation is missing).
#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QString>
#include <QTranslator>

#include <string>

namespace cccd::station {

class WordsInBothLanguages : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(english_.load(":/i18n/cccd_station_en.qm")) << "the embedded English translation"; }

    template <typename Say>
    void expect_both_languages(Say&& say, const std::string& what) {
        const QString vietnamese = say();
        ASSERT_TRUE(QCoreApplication::installTranslator(&english_));
        const QString english = say();
        QCoreApplication::removeTranslator(&english_);
        EXPECT_FALSE(vietnamese.trimmed().isEmpty()) << what;
        EXPECT_FALSE(english.trimmed().isEmpty()) << what;
        EXPECT_NE(english.toStdString(), vietnamese.toStdString()) << what << ": no English for \"" << vietnamese.toStdString() << "\"";
    }

    int argc_ = 1;
    char name_[16] = "station_tests";
    char* argv_[2] = {name_, nullptr};
    QCoreApplication app_{argc_, argv_};
    QTranslator english_;
};

}  // namespace cccd::station
