#pragma once
// The enrollment station's window: the officer's login page, then one tab per task, each its own
// widget (login_page, enroll_tab, queue_tab, issue_tab, diagnostics_tab, approvals_tab); the window
// only assembles them, switches between login and work, and locks an unattended desk. Every network and
// card operation runs on the worker's thread.
#include <QMainWindow>
#include <QThread>
#include <QTimer>

#include <chrono>

#include "station/core/station_config.hpp"
#include "station/gui/station_worker.hpp"

class QLabel;
class QStackedWidget;
class QTabWidget;

namespace cccd::station {

class ApprovalsTab;
class LoginPage;

class StationWindow : public QMainWindow {
    Q_OBJECT
public:
    StationWindow(StationConfig config, std::chrono::seconds idle_lock);
    ~StationWindow() override;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void logged_in(const QString& officer, const QString& role, const QString& station);
    void lock(const QString& why);

    StationConfig config_;
    QThread thread_;
    StationWorker* worker_ = nullptr;  // lives on thread_
    QTimer idle_timer_;
    QStackedWidget* pages_ = nullptr;
    LoginPage* login_ = nullptr;
    QLabel* session_label_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    ApprovalsTab* approvals_ = nullptr;
    int approvals_tab_ = -1;  // shown to supervisors and administrators only
};

}  // namespace cccd::station
