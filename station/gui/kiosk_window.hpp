#pragma once
// The citizen kiosk: full screen, a 6-digit CAN keypad, the challenge-response with the server on a
// worker thread, then the name, photo and result; everything is cleared after the idle time.
#include <QLabel>
#include <QMainWindow>
#include <QStringList>
#include <QThread>
#include <QTimer>

#include "station/core/kiosk.hpp"

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

private:
    void press(const QString& key);
    void clear_everything();

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
};

}  // namespace cccd::station
