#include "station/gui/photo_check_view.hpp"

#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>
#include <QVBoxLayout>

#include "station/gui/widgets.hpp"
#include "station/words/photo_words.hpp"

namespace cccd::station {

namespace {

enum class State { Pass, Fail, NotMeasured };

State state_of(const PhotoCheckResult& r) {
    if (r.passed()) return State::Pass;
    const bool unmeasured = r.verdict == PhotoVerdict::NotMeasured || r.verdict == PhotoVerdict::BackgroundHidden;
    return unmeasured ? State::NotMeasured : State::Fail;
}

QColor colour(State s) {
    switch (s) {
        case State::Pass: return {0x1b, 0x7f, 0x3b};  // green
        case State::Fail: return {0xb3, 0x26, 0x1e};  // red
        case State::NotMeasured: break;
    }
    return {0x6b, 0x6b, 0x6b};  // grey
}

// A filled circle in the state's colour with a white tick, cross or dash: the state without the colour.
QIcon icon(State s) {
    QPixmap pixmap(20, 20);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(colour(s));
    p.drawEllipse(QRectF(1, 1, 18, 18));
    p.setPen(QPen(Qt::white, 2.4, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    switch (s) {
        case State::Pass:
            p.drawPolyline(QPolygonF({QPointF(5.5, 10.5), QPointF(8.5, 13.5), QPointF(14.5, 6.5)}));
            break;
        case State::Fail:
            p.drawLine(QPointF(6.5, 6.5), QPointF(13.5, 13.5));
            p.drawLine(QPointF(13.5, 6.5), QPointF(6.5, 13.5));
            break;
        case State::NotMeasured: p.drawLine(QPointF(6, 10), QPointF(14, 10)); break;
    }
    return QIcon(pixmap);
}

const char* state_name(State s) {
    switch (s) {
        case State::Pass: return "pass";
        case State::Fail: return "fail";
        case State::NotMeasured: break;
    }
    return "not_measured";
}

}  // namespace

QImage portrait_crop(const QImage& image) {
    if (image.isNull()) return {};
    const double ratio = static_cast<double>(kPhotoWidth) / kPhotoHeight;
    QRect crop = image.rect();
    if (static_cast<double>(image.width()) / image.height() > ratio) {
        const int w = static_cast<int>(image.height() * ratio);
        crop = QRect((image.width() - w) / 2, 0, w, image.height());
    } else {
        const int h = static_cast<int>(image.width() / ratio);
        crop = QRect(0, (image.height() - h) / 2, image.width(), h);
    }
    return image.copy(crop).scaled(kPhotoWidth, kPhotoHeight, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
}

PhotoReport check_portrait(const QImage& portrait) {
    // Made on first use, after OpenCV's own globals: destroyed before them at exit.
    static PhotoChecker checker;
    const QImage rgb = portrait.convertToFormat(QImage::Format_RGB888);
    return checker.check(PixelView{rgb.width(), rgb.height(), static_cast<std::size_t>(rgb.bytesPerLine()),
                                   PixelFormat::Rgb24,
                                   ByteView(rgb.constBits(), static_cast<std::size_t>(rgb.sizeInBytes()))});
}

PhotoCheckView::PhotoCheckView(int preview_height, Qt::Orientation orientation, QWidget* parent)
    : QWidget(parent), preview_(preview_height * kPhotoWidth / kPhotoHeight, preview_height) {
    image_ = label("photo_check_image");
    image_->setFixedSize(preview_ + QSize(2, 2));
    image_->setFrameShape(QFrame::Box);
    image_->setAlignment(Qt::AlignCenter);
    summary_ = label("photo_check_summary");
    checks_ = new QListWidget;
    checks_->setObjectName("photo_checks");
    checks_->setSelectionMode(QAbstractItemView::NoSelection);
    checks_->setFocusPolicy(Qt::NoFocus);
    checks_->setWordWrap(true);
    checks_->setResizeMode(QListView::Adjust);
    checks_->setIconSize(QSize(20, 20));
    checks_->setAccessibleName(tr("Kết quả kiểm tra ảnh chân dung"));
    auto* words = new QVBoxLayout;
    words->addWidget(summary_);
    words->addWidget(checks_, 1);
    if (orientation == Qt::Vertical) {
        auto* layout = new QVBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->addWidget(image_, 0, Qt::AlignHCenter);
        layout->addLayout(words, 1);
    } else {
        auto* layout = new QHBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->addWidget(image_, 0, Qt::AlignTop);
        layout->addLayout(words, 1);
    }
}

void PhotoCheckView::clear() {
    report_ = {};
    passed_ = false;
    image_->clear();
    summary_->clear();
    checks_->clear();
}

void PhotoCheckView::show_report(const QImage& portrait, const PhotoReport& report) {
    report_ = report;
    passed_ = report.passed();
    // The portrait with the faces found and the head as estimated: the officer sees what the numbers are
    // about.
    QPixmap shown;
    if (!portrait.isNull()) {
        shown = QPixmap::fromImage(portrait.scaled(preview_, Qt::KeepAspectRatio, Qt::SmoothTransformation));
        const double scale = static_cast<double>(shown.width()) / portrait.width();
        QPainter p(&shown);
        p.setRenderHint(QPainter::Antialiasing);
        if (report.faces.size() > 1) {
            p.setPen(QPen(colour(State::Fail), 2));
            for (const PhotoBox& f : report.faces)
                p.drawRect(QRectF(f.x * scale, f.y * scale, f.width * scale, f.height * scale));
        }
        if (report.head) {
            const PhotoCheckResult* size = report.result(PhotoCheck::HeadSize);
            const bool head_ok = size != nullptr && size->passed();
            p.setPen(QPen(colour(head_ok ? State::Pass : State::Fail), 2, Qt::DashLine));
            const PhotoBox& h = *report.head;
            p.drawEllipse(QRectF(h.x * scale, h.y * scale, h.width * scale, h.height * scale));
        }
    }
    image_->setPixmap(shown);

    const State overall = passed_ ? State::Pass : State::Fail;
    summary_->setText(PhotoWords::summary(report));
    summary_->setStyleSheet(QString("color: %1; font-weight: bold").arg(colour(overall).name()));
    checks_->clear();
    if (report.refusal != PhotoRefusal::None) {
        auto* item = new QListWidgetItem(icon(State::Fail), PhotoWords::refusal(report), checks_);
        item->setForeground(colour(State::Fail));
        item->setData(Qt::UserRole, state_name(State::Fail));
        return;
    }
    for (const PhotoCheckResult& r : report.checks) {
        const State s = state_of(r);
        auto* item = new QListWidgetItem(icon(s), PhotoWords::line(r), checks_);
        item->setForeground(colour(s));
        item->setData(Qt::UserRole, state_name(s));
    }
}

}  // namespace cccd::station
