#include "station/gui/station_window.hpp"

#include <QApplication>
#include <QHBoxLayout>
#include <QStackedWidget>
#include <QTabWidget>
#include <QVBoxLayout>

#include "station/gui/approvals_tab.hpp"
#include "station/gui/diagnostics_tab.hpp"
#include "station/gui/enroll_tab.hpp"
#include "station/gui/issue_tab.hpp"
#include "station/gui/login_page.hpp"
#include "station/gui/queue_tab.hpp"
#include "station/gui/widgets.hpp"
#include "station/words/outcome_words.hpp"

namespace cccd::station {

StationWindow::StationWindow(StationConfig config, std::chrono::seconds idle_lock) : config_(std::move(config)) {
    setObjectName("station_window");
    setWindowTitle(tr("Trạm cấp Căn cước công dân gắn chip"));
    worker_ = new StationWorker(config_);
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    thread_.start();

    login_ = new LoginPage(worker_);
    auto* enroll = new EnrollTab(worker_, config_);
    auto* issue = new IssueTab(worker_, config_, [enroll] { return enroll->record_on_form(); });
    approvals_ = new ApprovalsTab(worker_);
    connect(enroll, &EnrollTab::submitted, issue, &IssueTab::set_personal_id);

    tabs_ = new QTabWidget;
    tabs_->setObjectName("tabs");
    tabs_->addTab(enroll, tr("Thu nhận hồ sơ"));
    tabs_->addTab(new QueueTab(worker_), tr("Hàng đợi"));
    tabs_->addTab(issue, tr("Cá nhân hoá thẻ"));
    tabs_->addTab(new DiagnosticsTab(worker_, config_), tr("Chẩn đoán"));
    approvals_tab_ = tabs_->addTab(approvals_, tr("Phê duyệt"));
    tabs_->setTabVisible(approvals_tab_, false);  // until a supervisor or an administrator logs in

    session_label_ = label("session");
    auto* logout = button("logout", tr("Đăng xuất"));
    auto* top = new QHBoxLayout;
    top->addWidget(session_label_, 1);
    top->addWidget(logout);
    auto* work = new QWidget;
    auto* layout = new QVBoxLayout(work);
    layout->addLayout(top);
    layout->addWidget(tabs_);
    pages_ = new QStackedWidget;
    pages_->addWidget(login_);
    pages_->addWidget(work);
    setCentralWidget(pages_);
    resize(980, 720);

    connect(logout, &QPushButton::clicked, this, [this, enroll] {
        enroll->start_over();  // the officer leaves: nothing of the citizen stays on the screen
        lock(tr("Đã đăng xuất"));
    });
    connect(worker_, &StationWorker::loggedIn, this, &StationWindow::logged_in);
    connect(worker_, &StationWorker::sessionExpired, this,
            [this] { lock(tr("Phiên đăng nhập đã hết hạn: đăng nhập lại (hồ sơ đang chờ vẫn được giữ)")); });

    // Session timeout: an unattended desk locks itself.
    idle_timer_.setInterval(static_cast<int>(idle_lock.count() * 1000));
    idle_timer_.setSingleShot(true);
    connect(&idle_timer_, &QTimer::timeout, this, [this] { lock(tr("Màn hình đã khoá sau thời gian không sử dụng")); });
    qApp->installEventFilter(this);

    on_worker_thread(worker_, [](StationWorker& w) { w.open_queue(); });
}

StationWindow::~StationWindow() {
    worker_->cancel();
    thread_.quit();
    thread_.wait();
}

bool StationWindow::eventFilter(QObject* watched, QEvent* event) {
    if (idle_timer_.isActive() && (event->type() == QEvent::KeyPress || event->type() == QEvent::MouseButtonPress))
        idle_timer_.start();
    return QMainWindow::eventFilter(watched, event);
}

void StationWindow::logged_in(const QString& officer, const QString& role, const QString& station) {
    session_label_->setText(tr("Cán bộ %1 (%2) — trạm %3").arg(officer, OutcomeWords::role(role), station));
    pages_->setCurrentIndex(1);
    idle_timer_.start();
    // A second person's approval of identity changes: the server's rule, the tab only for those it allows.
    const bool decides = role == "supervisor" || role == "administrator";
    tabs_->setTabVisible(approvals_tab_, decides);
    if (decides) approvals_->reload();
}

void StationWindow::lock(const QString& why) {
    idle_timer_.stop();
    on_worker_thread(worker_, [](StationWorker& w) { w.logout(); });
    if (tabs_->currentIndex() == approvals_tab_) tabs_->setCurrentIndex(0);
    tabs_->setTabVisible(approvals_tab_, false);
    approvals_->clear();
    pages_->setCurrentIndex(0);
    login_->locked(why);
}

}  // namespace cccd::station
