#pragma once
// The officer's login: id and password, sent to the worker; what went wrong, or why the window locked.
#include <QWidget>

#include "station/gui/station_worker.hpp"

class QLabel;
class QLineEdit;

namespace cccd::station {

class LoginPage : public QWidget {
    Q_OBJECT
public:
    explicit LoginPage(StationWorker* worker);
    // The window locked (logout, idle, an expired session): why, and the password field ready.
    void locked(const QString& why);

private:
    StationWorker* worker_;
    QLineEdit* officer_ = nullptr;
    QLineEdit* password_ = nullptr;
    QLabel* status_ = nullptr;
};

}  // namespace cccd::station
