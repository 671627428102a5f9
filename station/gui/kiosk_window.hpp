#pragma once
// The citizen kiosk: full screen, a 6-digit CAN keypad with large keys, the challenge-response with the
// server on a worker thread, then the result in large type with its icon and colour, the name, photo and
// dates (dd/mm/yyyy); everything is cleared after the idle time. With spoken prompts on, the instructions
// and each result are also said aloud (never the holder's name or numbers: others stand near a kiosk).
#include <QLabel>
#include <QMainWindow>
#include <QStringList>
#include <QThread>
#include <QTimer>

#include <memory>

#include "station/core/kiosk.hpp"
#include "station/core/speech.hpp"

namespace cccd::station {

class KioskWorker : public QObject {
    Q_OBJECT
public:
    explicit KioskWorker(KioskConfig config) : config_(std::move(config)) {}
    void authenticate(const QString& can);

Q_SIGNALS:
    // `card`: the card's kind in words (OutcomeWords::card_kind); `fields`: its DG13 fields by label.
    void done(bool accepted, const QString& headline, const QString& name, const QString& date_of_birth, const QByteArray& photo,
              const QString& card, const QStringList& fields);

private:
    KioskConfig config_;
};

class KioskWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit KioskWindow(KioskConfig config);
    ~KioskWindow() override;

    // The instructions a citizen hears with spoken prompts on (and reads at the top of the screen).
    static QString instructions();

private:
    void press(const QString& key);
    void clear_everything();
    // The headline on screen, and aloud with spoken prompts on. `state`: 1 accepted, -1 refused, 0 a prompt.
    void show_headline(const QString& words, int state);
    void say(const QString& words);

    KioskConfig config_;
    QThread thread_;
    KioskWorker* worker_ = nullptr;
    QTimer idle_;
    QString can_;
    QLabel* can_display_ = nullptr;
    QLabel* headline_ = nullptr;
    QLabel* name_ = nullptr;
    QLabel* card_fields_ = nullptr;  // the card's DG13 fields by label
    QLabel* photo_ = nullptr;
    QLabel* result_icon_ = nullptr;
    std::unique_ptr<Speaker> speaker_;  // only with spoken prompts on
};

}  // namespace cccd::station
