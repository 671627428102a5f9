#include "station/gui/kiosk_window.hpp"

#include <QGridLayout>
#include <QPixmap>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

#include "station/words/outcome_words.hpp"

namespace cccd::station {

void KioskWorker::authenticate(const QString& can) {
    KioskOutcome outcome;
    try {
        outcome = tap_card(config_, can.toStdString());
    } catch (const std::exception& e) {
        // A programming error: said as such (not as a card problem), its message for the logs only.
        outcome.code = KioskCode::InternalError;
        outcome.detail = e.what();
    }
    if (!outcome.accepted() && !outcome.detail.empty())
        qWarning("cccd-kiosk: %s: %s", std::string(to_string(outcome.code)).c_str(), outcome.detail.c_str());
    Q_EMIT done(outcome.accepted(), OutcomeWords::kiosk(outcome), QString::fromStdString(outcome.name),
                QString::fromStdString(outcome.date_of_birth),
                QByteArray(reinterpret_cast<const char*>(outcome.photo_jpeg.data()), static_cast<qsizetype>(outcome.photo_jpeg.size())),
                outcome.accepted() ? OutcomeWords::card_kind(outcome.card) : QString(), OutcomeWords::card_fields(outcome.card));
}

KioskWindow::KioskWindow(KioskConfig config) : config_(std::move(config)) {
    setObjectName("kiosk_window");
    setWindowTitle(tr("Ki-ốt xác thực thẻ căn cước"));
    worker_ = new KioskWorker(config_);
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    thread_.start();

    auto* central = new QWidget;
    auto* layout = new QVBoxLayout(central);
    auto* intro = new QLabel("<h1>" + instructions().toHtmlEscaped() + "</h1>");
    intro->setObjectName("instructions");
    intro->setWordWrap(true);
    can_display_ = new QLabel;
    can_display_->setObjectName("can_display");
    can_display_->setStyleSheet("font-size: 40px; letter-spacing: 12px;");
    auto* keypad = new QGridLayout;
    const QStringList keys{"1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "ok"};
    for (int i = 0; i < keys.size(); ++i) {
        const QString key = keys[i];
        auto* b = new QPushButton(key == "clear" ? tr("Xoá") : key == "ok" ? tr("Xác thực") : key);
        b->setObjectName("key_" + key);
        // Large targets (far above the 9 mm a fingertip needs), readable from a metre away.
        b->setMinimumSize(180, 110);
        b->setStyleSheet("font-size: 40px;");
        keypad->addWidget(b, i / 3, i % 3);
        connect(b, &QPushButton::clicked, this, [this, key] { press(key); });
    }
    headline_ = new QLabel;
    headline_->setObjectName("headline");
    headline_->setStyleSheet("font-size: 40px; font-weight: bold;");
    headline_->setWordWrap(true);
    result_icon_ = new QLabel;
    result_icon_->setObjectName("result_icon");
    result_icon_->setFixedSize(96, 96);
    auto* headline_row = new QHBoxLayout;
    headline_row->addWidget(result_icon_);
    headline_row->addWidget(headline_, 1);
    name_ = new QLabel;
    name_->setObjectName("holder");
    name_->setStyleSheet("font-size: 24px;");
    name_->setWordWrap(true);
    photo_ = new QLabel;
    photo_->setObjectName("holder_photo");
    photo_->setFixedSize(180, 232);
    card_fields_ = new QLabel;
    card_fields_->setObjectName("card_fields");
    card_fields_->setStyleSheet("font-size: 16px;");
    card_fields_->setWordWrap(true);
    auto* result = new QHBoxLayout;
    result->addWidget(photo_);
    auto* words = new QVBoxLayout;
    words->addWidget(name_);
    words->addWidget(card_fields_, 1);
    result->addLayout(words, 1);
    layout->addWidget(intro);
    layout->addWidget(can_display_);
    layout->addLayout(keypad);
    layout->addLayout(headline_row);
    if (config_.spoken_prompts) {
        speaker_ = std::make_unique<Speaker>(config_.speech);
        auto* listen = new QPushButton(tr("Nghe hướng dẫn"));
        listen->setObjectName("listen");
        listen->setMinimumHeight(110);
        listen->setStyleSheet("font-size: 40px;");
        connect(listen, &QPushButton::clicked, this, [this] { say(instructions()); });
        layout->addWidget(listen);
    }
    layout->addLayout(result);
    setCentralWidget(central);

    connect(worker_, &KioskWorker::done, this,
            [this](bool accepted, const QString& headline, const QString& name, const QString& date_of_birth, const QByteArray& photo,
                   const QString& card, const QStringList& fields) {
                show_headline(headline, accepted ? 1 : -1);
                if (accepted) {
                    name_->setText(tr("Họ và tên: %1\nNgày sinh: %2").arg(name, date_of_birth) + "\n" + card);
                    card_fields_->setText(fields.join('\n'));
                    QPixmap pixmap;
                    if (pixmap.loadFromData(photo)) photo_->setPixmap(pixmap.scaled(photo_->size(), Qt::KeepAspectRatio));
                }
                can_.clear();
                can_display_->clear();
                idle_.start();
            });
    // Nothing about the citizen stays on the screen.
    idle_.setSingleShot(true);
    idle_.setInterval(static_cast<int>(config_.idle.count() * 1000));
    connect(&idle_, &QTimer::timeout, this, &KioskWindow::clear_everything);
    if (speaker_) say(instructions());
}

QString KioskWindow::instructions() {
    return tr("Đặt thẻ Căn cước hoặc Căn cước công dân lên đầu đọc và nhập số CAN (6 chữ số trên mặt trước)");
}

void KioskWindow::show_headline(const QString& words, int state) {
    headline_->setText(words);
    // The state in an icon and a colour as well as in the words: never the colour alone.
    const QStyle::StandardPixmap icon = state > 0   ? QStyle::SP_DialogApplyButton
                                        : state < 0 ? QStyle::SP_MessageBoxCritical
                                                    : QStyle::SP_MessageBoxInformation;
    result_icon_->setPixmap(style()->standardIcon(icon).pixmap(96, 96));
    headline_->setStyleSheet(QString("font-size: 40px; font-weight: bold; color: %1;")
                                 .arg(state > 0 ? "#1b6e34" : state < 0 ? "#a1001b" : "palette(text)"));
    say(words);
}

void KioskWindow::say(const QString& words) {
    if (speaker_) speaker_->say(words.toStdString());
}

KioskWindow::~KioskWindow() {
    thread_.quit();
    thread_.wait();
}

void KioskWindow::press(const QString& key) {
    idle_.start();
    if (key == "clear") {
        clear_everything();
    } else if (key == "ok") {
        if (can_.size() != 6) {
            show_headline(tr("Số CAN gồm 6 chữ số"), 0);
            return;
        }
        show_headline(tr("Đang đọc thẻ — giữ yên thẻ trên đầu đọc…"), 0);
        const QString can = can_;
        QMetaObject::invokeMethod(worker_, [w = worker_, can] { w->authenticate(can); }, Qt::QueuedConnection);
    } else if (can_.size() < 6) {
        can_ += key;
        can_display_->setText(QString(can_.size(), QChar(0x2022)));
    }
}

void KioskWindow::clear_everything() {
    can_.clear();
    can_display_->clear();
    headline_->clear();
    result_icon_->clear();
    if (speaker_) speaker_->stop();
    name_->clear();
    card_fields_->clear();
    photo_->clear();
}

}  // namespace cccd::station
