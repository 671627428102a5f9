#include "station/gui/camera_dialog.hpp"

#include <QCamera>
#include <QHBoxLayout>
#include <QLabel>
#include <QMediaCaptureSession>
#include <QMediaDevices>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>
#include <QVideoFrame>
#include <QVideoSink>

#include "station/gui/photo_check_view.hpp"
#include "station/gui/widgets.hpp"

namespace cccd::station {

struct CameraDialog::Camera {
    explicit Camera(const QCameraDevice& device) : camera(device) {
        session.setCamera(&camera);
        session.setVideoSink(&sink);
    }
    QCamera camera;
    QVideoSink sink;
    QMediaCaptureSession session;
};

CameraDialog::CameraDialog(QWidget* parent) : QDialog(parent) {
    setObjectName("camera_dialog");
    setWindowTitle(tr("Chụp ảnh chân dung"));
    auto* layout = new QVBoxLayout(this);
    auto* hint = label("camera_hint");
    hint->setText(
        tr("Công dân nhìn thẳng vào camera, không đội mũ, không đeo kính râm; nút Chụp sáng lên khi ảnh "
           "đạt mọi yêu cầu."));
    view_ = new PhotoCheckView(kPhotoHeight, Qt::Horizontal);
    view_->setObjectName("camera_checks");
    view_->setMinimumWidth(kPhotoWidth + 420);
    shutter_ = button("shoot", tr("Chụp"));
    shutter_->setEnabled(false);
    shutter_->setDefault(true);
    auto* cancel = button("camera_cancel", tr("Huỷ"));
    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(cancel);
    buttons->addWidget(shutter_);
    layout->addWidget(hint);
    layout->addWidget(view_, 1);
    layout->addLayout(buttons);
    connect(cancel, &QPushButton::clicked, this, &QDialog::reject);
    connect(shutter_, &QPushButton::clicked, this, [this] {
        if (passed_.isNull()) return;
        taken_ = passed_;
        accept();
    });
    // The newest frame is checked on a timer, not every frame: a check takes tens of milliseconds and the
    // desk's machine has other work.
    tick_ = new QTimer(this);
    tick_->setInterval(kCheckIntervalMs);
    connect(tick_, &QTimer::timeout, this, [this] {
        if (latest_frame_.isNull()) return;
        const QImage frame = latest_frame_;
        latest_frame_ = QImage();
        show_frame(frame);
    });
}

CameraDialog::~CameraDialog() = default;

void CameraDialog::start(const QCameraDevice& device) {
    camera_ = std::make_unique<Camera>(device);
    connect(&camera_->sink, &QVideoSink::videoFrameChanged, this,
            [this](const QVideoFrame& frame) { latest_frame_ = frame.toImage(); });
    connect(&camera_->camera, &QCamera::errorOccurred, this,
            [this](QCamera::Error, const QString& message) { camera_error_ = message; });
    camera_->camera.start();
    tick_->start();
}

void CameraDialog::show_frame(const QImage& frame) {
    const QImage portrait = portrait_crop(frame);
    const PhotoReport report = check_portrait(portrait);
    view_->show_report(portrait, report);
    passed_ = report.passed() ? portrait : QImage();
    shutter_->setEnabled(!passed_.isNull());
}

QImage capture_portrait(QWidget* parent, QString& why_not) {
    const auto cameras = QMediaDevices::videoInputs();
    if (cameras.isEmpty()) {
        why_not = CameraDialog::tr("Không tìm thấy camera: chọn ảnh từ tệp");
        return {};
    }
    CameraDialog dialog(parent);
    dialog.start(cameras.front());
    if (dialog.exec() != QDialog::Accepted || dialog.taken().isNull()) {
        why_not = dialog.camera_error().isEmpty() ? CameraDialog::tr("Chưa chụp ảnh") : dialog.camera_error();
        return {};
    }
    return dialog.taken();
}

}  // namespace cccd::station
