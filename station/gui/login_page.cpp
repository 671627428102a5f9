#include "station/gui/login_page.hpp"

#include <QFormLayout>

#include "station/gui/widgets.hpp"

namespace cccd::station {

LoginPage::LoginPage(StationWorker* worker) : worker_(worker) {
    auto* form = new QFormLayout(this);
    officer_ = line("officer", tr("tên đăng nhập"));
    password_ = line("password");
    password_->setEchoMode(QLineEdit::Password);
    auto* login = button("login", tr("Đăng nhập"));
    status_ = label("login_status");
    form->addRow(new QLabel(tr("<h2>Đăng nhập cán bộ</h2>")));
    form->addRow(tr("Cán bộ"), officer_);
    form->addRow(tr("Mật khẩu"), password_);
    form->addRow(login);
    form->addRow(status_);
    auto go = [this] {
        status_->setText(tr("Đang đăng nhập…"));
        const QString officer = officer_->text(), password = password_->text();
        on_worker_thread(worker_, [officer, password](StationWorker& w) { w.login(officer, password); });
    };
    connect(login, &QPushButton::clicked, this, go);
    connect(password_, &QLineEdit::returnPressed, this, go);
    connect(worker_, &StationWorker::loggedIn, this, [this] {
        password_->clear();
        status_->clear();
    });
    connect(worker_, &StationWorker::loginFailed, this, [this](const QString& why) { status_->setText(why); });
}

void LoginPage::locked(const QString& why) {
    status_->setText(why);
    password_->setFocus();
}

}  // namespace cccd::station
